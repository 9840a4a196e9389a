"""The only module that writes: a whole tree into a temporary folder, then swapped in for out/.

A failed or interrupted build leaves the previous out/ as it was; nothing is written outside it;
a lock keeps two builds of one output folder from interleaving.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import shutil
import signal
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from handpress.errors import BuildLocked, HandpressError

MARKER = ".handpress-output"  # in every output folder handpress writes; only such a folder is replaced
MARKER_TEXT = "This folder is written by handpress. Each build replaces all of it.\n"


def safe_join(root: Path, rel: str) -> Path:
    """``root/rel``, refusing any path that would leave ``root``."""
    pure = PurePosixPath(rel)
    if (pure.is_absolute() or not pure.parts or any(part in ("..", "") for part in pure.parts)
            or "\x00" in rel or "\\" in rel):
        raise HandpressError(f"output path {rel!r} would leave the output folder")
    return root.joinpath(*pure.parts)


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    lock_path = out.parent / f".{out.name}.lock"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked.at(str(out), None, "another handpress build is writing this folder; "
                                 "wait for it to finish and try again") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A temporary folder beside ``out``; on success it replaces ``out`` in one step.

    ``out`` is replaced only if handpress wrote it (it holds :data:`MARKER`) or it is empty, so a
    mistaken ``--out`` (the project, a home folder) is never swept away.
    """
    _check_replaceable(out)
    _remove_leftovers(out)
    tmp: Path | None = None
    try:
        with _deferred_signals():  # a signal now would leave a staging folder nobody knows the name of
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        yield tmp
        _swap(tmp, out)
    except OSError as exc:
        raise HandpressError.at(str(out), None, f"could not write the output: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _check_replaceable(out: Path) -> None:
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise HandpressError.at(str(out), None, "is not a folder; choose another output folder with --out")
    legacy = (out / "sitemap.xml").is_file() and (out / "assets").is_dir()  # written before the marker existed
    if (out / MARKER).is_file() or legacy or not any(out.iterdir()):
        return
    raise HandpressError.at(str(out), None, "is not empty and was not written by handpress, so a build will not "
                            "replace it; choose a new or empty output folder with --out")


def _swap(tmp: Path, out: Path) -> None:
    old = None
    try:
        with _deferred_signals():  # a signal held here is raised on leaving: the old tree still goes
            if out.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
                os.rename(out, old / "out")
            try:
                os.rename(tmp, out)
            except OSError:
                if old is not None:
                    os.rename(old / "out", out)  # put the previous output back
                raise
            os.chmod(out, 0o755)
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(out: Path) -> None:
    """Staging and old trees of builds that were killed outright (SIGKILL, power loss). Called under the lock."""
    for kind in ("new", "old"):
        for stale in out.parent.glob(f".{glob.escape(out.name)}.{kind}-*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def _deferred_signals() -> Iterator[None]:
    """Hold SIGINT/SIGTERM while the two renames happen, so out/ is never half-swapped."""
    pending: list[int] = []
    handlers = {}

    def hold(signum: int, frame: object) -> None:
        pending.append(signum)

    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            handlers[sig] = signal.signal(sig, hold)
    except ValueError:  # not the main thread: nothing to defer
        handlers = {}
    try:
        yield
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for sig in pending:
            os.kill(os.getpid(), sig)


def replace_files(out: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write ``files`` into an existing output folder (or a new one), each file replaced in one step,
    the rest of the folder left as it is: for commands that remake part of a build (``handpress pdf``).
    Call under :func:`build_lock`; like :func:`staging`, it writes only into a folder handpress wrote."""
    _check_replaceable(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not (out / MARKER).is_file():
            (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        count = 0
        for rel, data in files:
            path = safe_join(out, rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            with _deferred_signals():
                tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
                try:
                    tmp.write_bytes(data)
                    os.replace(tmp, path)
                finally:
                    tmp.unlink(missing_ok=True)
            count += 1
        return count
    except OSError as exc:
        raise HandpressError.at(str(out), None, f"could not write the output: {exc.strerror or exc}") from None


def remove_files(out: Path, files: Iterable[str]) -> int:
    """Remove ``files`` from an output folder handpress wrote (those a live build's output no longer
    has), and the folders they leave empty. Call under :func:`build_lock`."""
    _check_replaceable(out)
    count = 0
    try:
        for rel in files:
            path = safe_join(out, rel)
            if path.is_symlink() or path.exists():
                path.unlink()
                count += 1
            parent = path.parent
            while parent != out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        return count
    except OSError as exc:
        raise HandpressError.at(str(out), None, f"could not write the output: {exc.strerror or exc}") from None


def write_files(root: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write new files into ``root`` (a staging folder); one that exists already is an error, found
    when it is opened (several processes may write into one staging folder)."""
    count = 0
    made: set[Path] = set()
    for rel, data in files:
        path = safe_join(root, rel)
        try:
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            with open(path, "xb") as handle:
                handle.write(data)
        except FileExistsError:
            raise HandpressError.at(rel, None, "two outputs would be written to the same file") from None
        except OSError as exc:  # a worker writing pages has no staging() around it to say so
            raise HandpressError.at(rel, None, f"could not write the output: {exc.strerror or exc}") from None
        count += 1
    return count


def copy_files(root: Path, files: Iterable[tuple[str, Path]]) -> int:
    count = 0
    for rel, source in files:
        path = safe_join(root, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            raise HandpressError.at(rel, None, "two outputs would be written to the same file")
        shutil.copyfile(source, path)
        count += 1
    return count


def link_files(root: Path, files: Iterable[tuple[str, Path]]) -> int:
    """Files kept from the previous out/ (unchanged since it was written): hard-linked into the new
    tree, so they cost neither a render nor a copy; copied where a link cannot be made."""
    count = 0
    for rel, source in files:
        path = safe_join(root, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            raise HandpressError.at(rel, None, "two outputs would be written to the same file")
        try:
            os.link(source, path)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, path)
        count += 1
    return count
