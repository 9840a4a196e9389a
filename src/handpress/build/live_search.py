"""The search index after a live build (:mod:`handpress.build.live`): Pagefind run again over out/ for
each language whose pages changed, its bundle replaced in out/ file by file.

Pagefind cannot update an index: a language's bundle is made again from all its graphical pages (about
a second for 300 pages on a loaded machine, several times a body edit's rendering). So a live build
writes its pages first — the open page may reload — and the index follows as a second step
(:class:`Refresh`), in a thread of its own, under the build lock. A change saved meanwhile stops it
(:meth:`Refresh.cancel`): the next live build writes its pages and indexes again what is still
pending. When the step has finished, out/ is byte for byte what a clean build of the same sources makes,
search index included; :meth:`Refresh.wait` waits for that.

The files are made in a scratch folder and only those whose bytes differ are written into out/, the
``pagefind-entry.json`` naming the new index last, then the files the new bundle no longer has are
removed: a search run in an open page meanwhile reads either the old index or the new one.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Mapping, Sequence

from handpress import urls
from handpress.build import search
from handpress.build.writer import build_lock, remove_files, replace_files
from handpress.errors import HandpressError
from handpress.site.model import Site

ENTRY = "pagefind-entry.json"  # names the index's other files: written after them


def remake(site: Site, out: Path, languages: Sequence[str], held: Mapping[str, str],
           started: Callable[[subprocess.Popen[str]], None] = lambda proc: None) -> tuple[list[str], list[str]]:
    """Index ``languages`` again from the pages in ``out`` and put their bundles in it; ``held``: the
    out/ files the last build made. Returns the files written and the files removed. Under the lock."""
    prefixes = {lang: urls.search_dir(lang, site.default_language) for lang in languages}
    with tempfile.TemporaryDirectory(prefix="handpress-search-") as scratch:
        bundles = search.run_pagefind(site, out, languages, Path(scratch), started)
        fresh: dict[str, bytes] = {}
        for lang, bundle in bundles.items():
            for rel in search.bundle_files(bundle):
                fresh[prefixes[lang] + rel] = (bundle / rel).read_bytes()
    old = {rel for rel in held if any(rel.startswith(prefix) for prefix in prefixes.values())}
    changed = [(rel, data) for rel, data in fresh.items() if rel not in old or _bytes(out / rel) != data]
    changed.sort(key=lambda item: item[0].endswith("/" + ENTRY))
    replace_files(out, changed)
    gone = sorted(old - set(fresh))
    remove_files(out, gone)
    return [rel for rel, _ in changed], gone


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


class Refresh:
    """The second step of live builds: the languages whose index is out of date, indexed in a thread."""

    def __init__(self, out: Path, done: Callable[[float, HandpressError | None], None] = lambda s, e: None):
        self.out = out
        self.done = done  # told when a step has finished: its seconds, and the error if it failed
        self.pending: dict[str, str] = {}  # language -> the key its index is to have
        self._thread: threading.Thread | None = None
        self._procs: list[subprocess.Popen[str]] = []
        self._cancelled = threading.Event()
        self._guard = threading.Lock()

    def start(self, site: Site, held: dict[str, str], stats: dict[str, tuple[int, int, int]],
              background: bool = True) -> None:
        """Index the pending languages; ``held`` and ``stats`` (out/ file -> key, stat) are brought up
        to date when it has finished. In this thread unless ``background``."""
        self.cancel()
        if not self.pending:
            return
        self._cancelled.clear()
        if not background:
            self._run(site, held, stats)
            return
        self._thread = threading.Thread(target=self._run, args=(site, held, stats), name="handpress-search",
                                        daemon=True)
        self._thread.start()

    def _run(self, site: Site, held: dict[str, str], stats: dict[str, tuple[int, int, int]]) -> None:
        started = time.monotonic()
        todo = dict(self.pending)
        try:
            with build_lock(self.out):
                if self._cancelled.is_set():
                    return
                written, gone = remake(site, self.out, sorted(todo), held, self._started)
                prefixes = {urls.search_dir(lang, site.default_language): key for lang, key in todo.items()}
                for rel in gone:
                    held.pop(rel, None)
                    stats.pop(rel, None)
                for rel in [*held, *written]:
                    key = next((key for prefix, key in prefixes.items() if rel.startswith(prefix)), None)
                    if key is not None:
                        held[rel] = key
                for rel in written:
                    st = (self.out / rel).stat()
                    stats[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
        except HandpressError as exc:
            if not self._cancelled.is_set():  # a stopped Pagefind is no failure: the next build indexes
                self.done(time.monotonic() - started, exc)
            return
        finally:
            with self._guard:
                self._procs = []
        for lang, key in todo.items():
            if self.pending.get(lang) == key:
                del self.pending[lang]
        self.done(time.monotonic() - started, None)

    def _started(self, proc: subprocess.Popen[str]) -> None:
        with self._guard:
            self._procs.append(proc)
            if self._cancelled.is_set():
                proc.terminate()

    def cancel(self) -> None:
        """Stop a step under way (its languages stay pending) and wait for it to end."""
        thread = self._thread
        if thread is None:
            return
        self._cancelled.set()
        with self._guard:
            for proc in self._procs:
                proc.terminate()
        thread.join()
        self._thread = None

    def wait(self) -> None:
        """Wait for a step under way to finish (out/ is then a clean build's)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
