"""Digests of what a build reads: the project's files, the theme, and handpress itself.

Everything here is cheap and imports nothing heavy: the no-op check runs it before the build's
stages are even imported. A digest only ever errs towards "changed" (a rebuild), never the other way.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

from handpress import __version__

PROJECT_INPUTS = ("handpress.toml", "content", "templates", "styles", "scripts", "locales")
THEME_INPUTS = ("templates", "styles", "scripts", "locales")
MKDOCS_FILES = ("mkdocs.yml", "mkdocs.yaml")
NOT_INPUTS = frozenset({"out", "site"})  # handpress's output and MkDocs' beside it


def project_inputs(project: Path) -> tuple[str, ...]:
    """The files and folders of ``project`` a build reads. An MkDocs project's mkdocs.yml may name any
    folder (docs_dir, INHERIT, snippets): every visible entry of the project but the outputs."""
    if (project / "handpress.toml").is_file() or not any((project / name).is_file() for name in MKDOCS_FILES):
        return PROJECT_INPUTS
    return tuple(sorted(name for name in os.listdir(project) if not name.startswith(".") and name not in NOT_INPUTS))
PACKAGE = Path(__file__).resolve().parent


def theme_root() -> Path:
    """:func:`handpress.theme.theme_root`, without importing Jinja (tests keep the two equal)."""
    packaged = PACKAGE / "theme"
    return packaged if (packaged / "templates").is_dir() else PACKAGE.parents[1]


def files(root: Path) -> list[Path]:
    """Every file under ``root`` (or ``root`` itself if it is a file), in a stable order."""
    if root.is_file():
        return [root]
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        found.extend(Path(folder, name) for name in sorted(names))
    return found


def hash_files(paths: list[Path], base: Path, into: "hashlib._Hash") -> None:
    for path in paths:
        into.update(path.relative_to(base).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        try:
            data = path.read_bytes()
        except OSError:  # unreadable or gone: the build itself reports it
            data = b"\1unreadable"
        into.update(len(data).to_bytes(8, "little") + data)


def tree(root: Path, names: tuple[str, ...]) -> str:
    """One digest of the named files and folders under ``root`` (names, paths and bytes)."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode() + b"\0")
        hash_files(files(root / name), root, h)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code() -> str:
    """handpress's version and source, the Python version, and the installed distributions' versions:
    a new release of handpress, Jinja or markdown-it-py may change the output."""
    h = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    hash_files([p for p in files(PACKAGE) if p.suffix == ".py"], PACKAGE, h)
    for entry in sys.path:
        if os.path.isdir(entry):
            h.update(",".join(sorted(n for n in os.listdir(entry) if n.endswith(".dist-info"))).encode())
    return h.hexdigest()


def inputs(project: Path, options: str) -> str:
    """Everything a build of ``project`` with ``options`` reads: equal digests, equal output."""
    h = hashlib.sha256(f"{code()}\0{options}\0".encode())
    h.update(tree(project, project_inputs(project)).encode())
    h.update(tree(theme_root(), THEME_INPUTS).encode())
    return h.hexdigest()


def file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()
