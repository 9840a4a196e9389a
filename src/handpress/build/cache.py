"""The build cache in ``PROJECT/.handpress-cache/build/``: what the last builds learnt, to skip what did not change.

It holds, in one SQLite file:

- objects (JSON, no code: a cache copied from elsewhere cannot run anything) by the digest of what they
  were made from: parsed fragments, rendered handbook chapters;
- for each output folder, the last good build: the digest of its inputs, its result, and a manifest
  of the files it wrote (the key of what each holds, and its size, mtime and inode, so a file in out/
  that was touched since is noticed and rendered again);
- rendered PDFs, as files, by the digest of everything they were made from.

Deleting the folder at any time changes nothing but the time the next build takes. Nothing in it is
trusted beyond a digest match; a damaged database is discarded and rebuilt.

Imports stay light: :func:`unchanged` answers a no-op build before the stages are imported.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, TypeVar

from handpress import digest
from handpress.errors import Diagnostic
from handpress.result import BuildResult

CACHE_DIR = ".handpress-cache"
SCHEMA = 2
KEEP_BUILDS = 8  # an object unused by this many builds in a row is dropped

Stat = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass(frozen=True)
class Entry:
    """One file of out/ as the last build left it."""

    key: str  # what the file holds (a page key, an asset digest)
    stat: Stat


@dataclass(frozen=True)
class Record:
    """The last good build into one output folder."""

    inputs: str
    result: BuildResult
    manifest: Mapping[str, Entry]


class Store:
    """The cache of one project. A Store opened with ``enabled=False`` (or on a folder that cannot be
    written) remembers nothing and finds nothing."""

    def __init__(self, path: Path | None):
        self.path = path
        self._db: sqlite3.Connection | None = None

    @classmethod
    def open(cls, project: Path, *, enabled: bool = True) -> "Store":
        return cls(project / CACHE_DIR / "build" if enabled else None)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connection -------------------------------------------------------------------------------

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        """The database; None if there is none yet and ``create`` is false (reading never creates it)."""
        if self._db is not None or self.path is None:
            return self._db
        file = self.path / "cache.sqlite"
        if not create and not file.is_file():
            return None
        try:
            if create:
                self.path.mkdir(parents=True, exist_ok=True)
                ignore = self.path.parent / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# handpress's build cache: safe to delete, never to commit\n*\n")
            self._db = self._schema(sqlite3.connect(file, timeout=30, isolation_level=None))
        except sqlite3.DatabaseError:  # damaged: start again
            file.unlink(missing_ok=True)
            self._db = self._schema(sqlite3.connect(file, timeout=30, isolation_level=None)) if create else None
        except OSError:  # a read-only project: build without a cache
            self.path = None
        return self._db

    @staticmethod
    def _schema(db: sqlite3.Connection) -> sqlite3.Connection:
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
            with _transaction(db):
                db.execute("DROP TABLE IF EXISTS fragments")
                db.execute("DROP TABLE IF EXISTS objects")
                db.execute("DROP TABLE IF EXISTS builds")
                db.execute("DROP TABLE IF EXISTS meta")
                db.execute("CREATE TABLE objects (key TEXT PRIMARY KEY, value TEXT NOT NULL, used INTEGER)")
                db.execute("CREATE TABLE builds (out TEXT PRIMARY KEY, inputs TEXT, result TEXT, manifest TEXT)")
                db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER)")
                db.execute(f"PRAGMA user_version={SCHEMA}")
        return db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- reading (never writes: a failed build leaves the cache as it was) ---------------------------

    def objects(self, keys: Iterable[str]) -> dict[str, str]:
        """The stored JSON of each key found."""
        db = self._connect(create=False)
        wanted = list(keys)
        found: dict[str, str] = {}
        if db is None or not wanted:
            return found
        try:
            for chunk in _chunks(wanted, 500):
                query = f"SELECT key, value FROM objects WHERE key IN ({','.join('?' * len(chunk))})"
                found.update(db.execute(query, chunk).fetchall())
        except sqlite3.DatabaseError:
            return {}
        return found

    def record(self, out: Path) -> Record | None:
        db = self._connect(create=False)
        if db is None:
            return None
        try:
            row = db.execute("SELECT inputs, result, manifest FROM builds WHERE out = ?", (str(out),)).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None:
            return None
        inputs, result, manifest = row
        try:
            return Record(inputs, _result_from_json(json.loads(result), out),
                          {rel: Entry(key, tuple(stat)) for rel, (key, stat) in json.loads(manifest).items()})
        except (ValueError, TypeError, KeyError, IndexError):  # written by another handpress: build afresh
            return None

    def unchanged(self, out: Path, inputs: str) -> BuildResult | None:
        """The result of the last build into ``out`` if it read ``inputs`` and out/ is as it left it."""
        started = time.monotonic()
        record = self.record(out)
        if record is None or record.inputs != inputs or not out.is_dir():
            return None
        if scan(out) != {rel: entry.stat for rel, entry in record.manifest.items()}:
            return None
        return dataclasses.replace(record.result, seconds=time.monotonic() - started, rendered=0)

    # -- writing (after a good build) ---------------------------------------------------------------

    def save(self, out: Path, inputs: str, result: BuildResult, manifest: Mapping[str, Entry],
             objects: Mapping[str, str], used: Iterable[str]) -> None:
        """Remember a good build: its record, the objects it made, and which stored ones it used.
        Objects no build used for a while are dropped."""
        db = self._connect(create=True)
        if db is None:
            return
        try:
            with _transaction(db):
                row = db.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
                generation = (row[0] if row else 0) + 1
                db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
                db.executemany("INSERT OR REPLACE INTO objects VALUES (?, ?, ?)",
                               [(k, v, generation) for k, v in objects.items()])
                db.executemany("UPDATE objects SET used = ? WHERE key = ?", [(generation, k) for k in used])
                db.execute("DELETE FROM objects WHERE used < ?", (generation - KEEP_BUILDS,))
                db.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?, ?)", (
                    str(out), inputs, json.dumps(_result_to_json(result)),
                    json.dumps({rel: [e.key, list(e.stat)] for rel, e in manifest.items()}, separators=(",", ":")),
                ))
        except sqlite3.DatabaseError:  # a damaged cache costs the next build time, never its output
            return

    # -- PDFs -------------------------------------------------------------------------------------

    def pdf(self, key: str) -> tuple[bytes, tuple[Diagnostic, ...]] | None:
        """A PDF laid out by an earlier build from the same inputs, and what WeasyPrint said then."""
        if self.path is None:
            return None
        try:
            data = (self.path / "pdf" / f"{key}.pdf").read_bytes()
            said = json.loads((self.path / "pdf" / f"{key}.json").read_text(encoding="utf-8"))
            return data, tuple(Diagnostic(*d) for d in said)
        except (OSError, ValueError, TypeError):
            return None

    def put_pdfs(self, fresh: Mapping[str, tuple[bytes, tuple[Diagnostic, ...]]], keep: Iterable[str]) -> None:
        """Store the PDFs a good build laid out; drop stored PDFs other than ``keep`` (the build's)."""
        if self.path is None:
            return
        folder = self.path / "pdf"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for key, (data, said) in fresh.items():
                for name, body in ((f"{key}.pdf", data), (f"{key}.json", _diagnostics_json(said).encode())):
                    tmp = folder / f".{name}.{os.getpid()}.tmp"
                    tmp.write_bytes(body)
                    os.replace(tmp, folder / name)
            wanted = {f"{k}.{kind}" for k in keep for kind in ("pdf", "json")}
            for path in folder.iterdir():
                if path.name not in wanted:
                    path.unlink(missing_ok=True)
        except OSError:  # a cache that cannot be written costs the next build time, never its output
            return


def scan(out: Path) -> dict[str, Stat]:
    """Every file under ``out`` with its stat."""
    found: dict[str, Stat] = {}
    for folder, _dirs, names in os.walk(out):
        rel = os.path.relpath(folder, out)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in names:
            st = os.stat(os.path.join(folder, name))
            found[prefix + name] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return found


def options(*, strict: bool, html_only: bool, pseudo: bool) -> str:
    """The build options that change the output (and ``SOURCE_DATE_EPOCH``, which dates PDFs), as one
    string for the digest of a build's inputs."""
    chosen = {"strict": strict, "html_only": html_only, "pseudo": pseudo,
              "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "")}
    return " ".join(f"{name}={value!r}" for name, value in chosen.items())


def unchanged(project: Path, out: Path | None, options: str, inputs: str | None = None) -> BuildResult | None:
    """The last build's result if nothing it read changed and out/ is as it left it; else None.
    ``inputs``: :func:`digest.inputs` of the project, if the caller has it.

    This is the whole of a no-op build: it reads the inputs to digest them, looks at out/, and writes
    nothing. It imports nothing heavy, so the command line can ask before loading the build.
    """
    project = project.resolve()
    with Store.open(project) as store:
        return store.unchanged((out or project / "out").resolve(), inputs or digest.inputs(project, options))


class _transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([[d.path, d.line, d.severity, d.message, d.code, d.configured] for d in diagnostics])


def _result_to_json(result: BuildResult) -> dict:
    return {
        "pages": result.pages, "files": result.files, "pdfs": list(result.pdfs),
        "coverage": {k: list(v) for k, v in result.coverage.items()},
        "diagnostics": [[d.path, d.line, d.severity, d.message, d.code, d.configured] for d in result.diagnostics],
    }


def _result_from_json(data: dict, out: Path) -> BuildResult:
    return BuildResult(
        out=out, pages=data["pages"], files=data["files"],
        diagnostics=tuple(Diagnostic(*d) for d in data["diagnostics"]), seconds=0.0,
        pdfs=tuple(data["pdfs"]), coverage={k: (v[0], v[1], v[2]) for k, v in data["coverage"].items()},
    )


T = TypeVar("T")


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
