"""Third-party documentation corpora, fetched at test time and never committed.

Each corpus is a project's source archive on the package registry, pinned by name, version and
sha256. ``fetch(name)`` downloads it once with ``pip download --no-binary :all: --no-deps`` (pip checks
the hash, and so do we), unpacks it into ``.corpora/`` at the repository root (git-ignored) and
returns the unpacked archive's root folder. Later calls reuse the unpacked copy. A corpus that cannot
be had fails the test that asked for it: it is never skipped.

Adding a corpus is one line in ``CORPORA``.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / ".corpora"


@dataclass(frozen=True)
class Corpus:
    """A source archive on the registry: ``name==version`` with its sha256, its docs folder and licence."""

    name: str
    version: str
    sha256: str
    docs: str
    licence: str


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus("starlette", "0.41.3", "0e4ab3d16522a255be6b28260b938eae2482f98ce5cc934cb08dce8dc3ba5835", "docs", "BSD-3-Clause"),
        Corpus("markdown", "3.7", "2ae2471477cfd02dbbf038d5d9bc226d40def84b4fe2986e49b59b6b472bbed2", "docs", "BSD-3-Clause"),
        Corpus("pymdown-extensions", "10.12", "b0ee1e0b2bef1071a47891ab17003bfe5bf824a398e13f49f8ed653b699369a7", "docs/src/markdown", "MIT"),
        Corpus("mkdocstrings", "0.27.0", "16adca6d6b0a1f9e0c07ff0b02ced8e16f228a9d65a37c063ec4c14d7b76a657", "docs", "ISC"),
    )
}


def fetch(corpus: str | Corpus) -> Path:
    """The unpacked source archive of a corpus (its top folder), downloading it the first time."""
    corpus = CORPORA[corpus] if isinstance(corpus, str) else corpus
    target = CACHE / f"{corpus.name}-{corpus.version}-{corpus.sha256[:12]}"
    stamp = target / ".handpress-sha256"
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test processes never unpack the same corpus at once
        if stamp.is_file() and stamp.read_text().strip() == corpus.sha256:
            return _root(target)
        shutil.rmtree(target, ignore_errors=True)
        with tempfile.TemporaryDirectory(dir=CACHE, prefix=".download-") as tmp:
            archive = _download(corpus, Path(tmp))
            unpacked = Path(tmp) / "unpacked"
            _unpack(archive, unpacked)
            stamp_file = unpacked / ".handpress-sha256"
            stamp_file.write_text(corpus.sha256 + "\n")
            unpacked.rename(target)
    return _root(target)


def docs(name: str) -> Path:
    """The corpus's documentation folder (Markdown pages with their images)."""
    folder = fetch(name) / CORPORA[name].docs
    if not folder.is_dir():
        pytest.fail(f"corpus {name}: no {CORPORA[name].docs}/ in its source archive", pytrace=False)
    return folder


def _download(corpus: Corpus, into: Path) -> Path:
    requirement = into / "requirement.txt"
    requirement.write_text(f"{corpus.name}=={corpus.version} --hash=sha256:{corpus.sha256}\n")
    command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
               "--require-hashes", "-r", str(requirement), "-d", str(into / "archive"), "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"corpus {corpus.name}=={corpus.version}: pip download took over 10 minutes", pytrace=False)
    archives = sorted((into / "archive").glob("*")) if (into / "archive").is_dir() else []
    if done.returncode != 0 or len(archives) != 1:
        pytest.fail(f"corpus {corpus.name}=={corpus.version}: pip download failed:\n{done.stdout}{done.stderr}",
                    pytrace=False)
    digest = hashlib.sha256(archives[0].read_bytes()).hexdigest()
    if digest != corpus.sha256:
        pytest.fail(f"corpus {corpus.name}=={corpus.version}: sha256 {digest}, expected {corpus.sha256}", pytrace=False)
    return archives[0]


def _unpack(archive: Path, into: Path) -> None:
    into.mkdir()
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.namelist():
                if member.startswith("/") or ".." in Path(member).parts:
                    pytest.fail(f"{archive.name}: unsafe path {member!r}", pytrace=False)
            zipped.extractall(into)
    else:
        with tarfile.open(archive) as tarred:
            tarred.extractall(into, filter="data")


def _root(target: Path) -> Path:
    """The archive's single top folder (``name-version/``), or the folder itself when it has several."""
    entries = [p for p in target.iterdir() if p.name != ".handpress-sha256"]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else target
