"""The second step of a live build (:mod:`handpress.build.live`), in a thread of its own: what an edit
changes beyond the edited pages themselves, after those are in out/ and open pages have reloaded.

First the files that list or gather the edited pages — other pages whose navigation names a new
title, the whole-guide pages, the site maps, ``sitemap.xml`` — rendered and written into out/ under
the build lock (on the workers when there are many). If they cannot be made (a template meets
something new in the edit), the edited pages' files are put back as they were: out/ stays the last
good build's, and the error is reported as a failed build's.

Then the search index of each language whose pages changed (:func:`live_search.remake`: Pagefind
cannot update an index, so a language's is made again from all its pages, about a second for 300
pages on a loaded machine). A change saved meanwhile stops it (:meth:`Followup.cancel`); the next
live build indexes again what is still to index. When the step has finished, out/ is byte for byte
what a clean build of the same sources makes, search index included (:meth:`Followup.wait`).
"""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from handpress import urls
from handpress.build import live_search, parallel, pipeline
from handpress.build.writer import build_lock, replace_files
from handpress.errors import HandpressError

Written = Callable[[Sequence[str], "HandpressError | None"], None]  # out/ files written, or what failed
Indexed = Callable[[float, "HandpressError | None"], None]  # seconds, or what failed


@dataclass
class Rest:
    """What a live build leaves to its second step."""

    prepared: pipeline.Prepared
    pages: list[tuple[str, str]]  # (key, language) pages to render
    books: list[Any]  # handbook print pages
    maps: list[str]  # languages whose site maps to render
    sitemap: bool  # sitemap.xml too
    previous: dict[str, bytes]  # the edited pages' files as they were (put back if this step fails)
    keys: dict[str, str]  # every file this build makes -> its key (the edited pages' files included)
    indexes: dict[str, str] = field(default_factory=dict)  # language -> its search index's key
    commit: Callable[[], None] = lambda: None  # the build becomes the one kept (after its files are written)


def stat(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


class Followup:
    """The second steps of live builds into ``out``, one at a time."""

    def __init__(self, out: Path, jobs: int | None, written: Written, indexed: Indexed):
        self.out, self.jobs = out, jobs
        self.written, self.indexed = written, indexed
        self.pending: dict[str, str] = {}  # language -> the key its search index is to have
        self._thread: threading.Thread | None = None
        self._procs: list[subprocess.Popen[str]] = []
        self._cancelled = threading.Event()
        self._guard = threading.Lock()

    def start(self, rest: Rest, held: dict[str, str], stats: dict[str, tuple[int, int, int]],
              make: Callable[[pipeline.Prepared], tuple[dict, dict]], chapters: Any, bytecode: Any) -> None:
        """Run ``rest`` in the background; ``held`` and ``stats`` (out/ file -> key, stat as written)
        are brought up to date as its files are written."""
        self.wait()
        self._cancelled.clear()
        self._thread = threading.Thread(target=self._run, args=(rest, held, stats, make, chapters, bytecode),
                                        name="handpress-live", daemon=True)
        self._thread.start()

    def _run(self, rest: Rest, held: dict[str, str], stats: dict[str, tuple[int, int, int]],
             make: Callable[[pipeline.Prepared], tuple[dict, dict]], chapters: Any, bytecode: Any) -> None:
        try:
            files = self._render(rest, stats, make, chapters, bytecode)
        except HandpressError as exc:
            with build_lock(self.out):  # out/ as the last good build left it
                replace_files(self.out, rest.previous.items())
                stats.update((rel, stat(self.out / rel)) for rel in rest.previous)
            self.written((), exc)
            return
        held.update(rest.keys)
        rest.commit()
        self.pending = {lang: key for lang, key in rest.indexes.items() if key != index_key(held, rest, lang)}
        if files:
            self.written(files, None)
        if self.pending:
            self._index(rest, held, stats)

    def _render(self, rest: Rest, stats: dict[str, tuple[int, int, int]],
                make: Callable[[pipeline.Prepared], tuple[dict, dict]], chapters: Any, bytecode: Any) -> list[str]:
        if not (rest.pages or rest.books or rest.maps or rest.sitemap):
            return []
        with build_lock(self.out):
            with parallel.Workers(self.jobs if len(rest.pages) > 1 else 1) as workers:
                rendered = pipeline.render_site(rest.prepared, rest.pages, workers, handbooks=rest.books,
                                                chapters=chapters, bytecode=bytecode, site_maps=rest.maps,
                                                sitemap=rest.sitemap, make=make)
            replace_files(self.out, rendered.outputs)
            files = [rel for rel, _ in rendered.outputs]
            stats.update((rel, stat(self.out / rel)) for rel in files)
        return files

    def _index(self, rest: Rest, held: dict[str, str], stats: dict[str, tuple[int, int, int]]) -> None:
        started = time.monotonic()
        todo = dict(self.pending)
        site = rest.prepared.site
        try:
            with build_lock(self.out):
                if self._cancelled.is_set():
                    return
                written, gone = live_search.remake(site, self.out, sorted(todo), held, self._started)
                prefixes = {urls.search_dir(lang, site.default_language): key for lang, key in todo.items()}
                for rel in gone:
                    held.pop(rel, None)
                    stats.pop(rel, None)
                for rel in [*held, *written]:
                    key = next((key for prefix, key in prefixes.items() if rel.startswith(prefix)), None)
                    if key is not None:
                        held[rel] = key
                stats.update((rel, stat(self.out / rel)) for rel in written)
        except HandpressError as exc:
            if not self._cancelled.is_set():  # a stopped Pagefind is no failure: the next build indexes
                self.indexed(time.monotonic() - started, exc)
            return
        finally:
            with self._guard:
                self._procs = []
        for lang, key in todo.items():
            if self.pending.get(lang) == key:
                del self.pending[lang]
        self.indexed(time.monotonic() - started, None)

    def _started(self, proc: subprocess.Popen[str]) -> None:
        with self._guard:
            self._procs.append(proc)
            if self._cancelled.is_set():
                proc.terminate()

    def cancel(self) -> None:
        """Stop a search index under way (its languages stay to index) and wait for the step to end;
        files being rendered are finished first."""
        self._cancelled.set()
        with self._guard:
            for proc in self._procs:
                proc.terminate()
        self.wait()

    def wait(self) -> None:
        """Wait for the step under way to finish (out/ is then a clean build's, unless it was stopped)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def index_key(held: Mapping[str, str], rest: Rest, lang: str) -> str | None:
    """The key of ``lang``'s search index in out/ (every file of it has the language's key)."""
    site = rest.prepared.site
    return held.get(urls.search_dir(lang, site.default_language) + live_search.ENTRY)

