"""The live preview's builds (``handpress serve``): the last good build kept in this process, so that
an edit to a page is on screen in a fraction of a build's time.

After a build (:func:`pipeline.build`), what it read and checked stays here: the documents, their
parsed fragments, the templates, the key of every file it left in out/. When only pages change
(Markdown files of content/ that the build read), :meth:`LiveBuild.build` reads just those files
again, parses them, makes the site model, runs the site's checks, and renders only the pages,
handbook print pages and site maps whose keys changed: here when they are few (a body edit: the page
in its three variants and the whole-guide page), on the workers when many (a title shown in every
page's navigation). The files are written into out/ one by one (:func:`writer.replace_files`, under
the build lock), and :meth:`LiveBuild.build` returns: open pages may reload. Then the search index of
each language whose pages changed is made again, in the background (:mod:`handpress.build.live_search`;
a next change stops it and indexes again). The keys are the incremental build's
(:mod:`handpress.build.incremental`), so once the index is made (:meth:`LiveBuild.wait`) out/ holds
byte for byte what a clean build of the same sources makes.

Anything else — handpress.toml, templates, styles, translations, data files, images, a page added,
removed or made a draft, ``--pdf`` — is a build (:func:`pipeline.build`), which also takes over when
out/ was changed by someone else. A failed live build (an error in the edited page) raises the same
located errors as a build and leaves out/ and what is kept here as they were.

The build cache on disk is not told of live builds: the files they replace have new inodes, so the
next build notices them (they no longer match its manifest) and makes them again.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Iterable, Mapping

from handpress import urls
from handpress.build import incremental, live_search, parallel, pipeline, printing, search, sitemaps
from handpress.build.cache import scan
from handpress.build.writer import MARKER, build_lock, replace_files
from handpress.errors import Diagnostic, HandpressError
from handpress.result import BuildResult
from handpress.site import checks, markdown
from handpress.site.content import read_document
from handpress.site.markdown import Fragment
from handpress.site.model import build_site


@dataclass
class _Held:
    """The last good build, as this process keeps it."""

    run: pipeline.Run
    keys: dict[str, str]  # out/ file -> the key of what it holds
    stats: dict[str, tuple[int, int, int]]  # out/ file -> its stat as written (to notice other writers)
    base: tuple[Diagnostic, ...]  # what the config, templates and content's files gave (unchanged since)
    env: object  # the theme environment the site's checks use
    index: dict[Path, int]  # a page's file -> its document's place in the content
    fragments: dict[str, Fragment]


class LiveBuild:
    """Builds of one project for the live preview: :meth:`build` after every change."""

    def __init__(self, project: Path, out: Path | None = None, *, jobs: int | None = None, pdfs: bool = False,
                 indexed: Callable[[float, HandpressError | None], None] = lambda seconds, error: None):
        self.project = project.resolve()
        self.out = (out or self.project / "out").resolve()
        self.jobs, self.pdfs = jobs, pdfs
        self._held: _Held | None = None
        self.live = 0  # how many builds took the live path (for tests and the terminal)
        # the second step of a live build: its search index (``indexed`` is told when it has finished)
        self.search = live_search.Refresh(self.out, indexed)

    def build(self, changed: Iterable[Path] = ()) -> BuildResult:
        """Build after ``changed`` (paths; none: a build); raises the located errors of a failed one.
        A live build returns once its pages are in out/; its search index follows (:meth:`wait`)."""
        self.search.cancel()
        paths = {Path(p).resolve() for p in changed}
        if paths and self._held is not None and not self.pdfs:
            result = self._update(paths)
            if result is not None:
                self.live += 1
                return result
        self._held = None  # until this build has succeeded
        self.search.pending.clear()  # a build makes the index itself
        kept: list[tuple[pipeline.Run, Mapping[str, str]]] = []
        result = pipeline.build(self.project, self.out, jobs=self.jobs, html_only=not self.pdfs,
                                keep=lambda run, keys: kept.append((run, keys)))
        if kept:
            self._hold(*kept[0])
        return result

    def _hold(self, run: pipeline.Run, keys: Mapping[str, str]) -> None:
        from handpress import theme

        config, content = run.prepared.config, run.prepared.content
        env = theme.environment(self.project)
        base = (*config.notes, *checks.check_templates(self.project, env),
                *checks.check_files(run.prepared.site, self.project))
        index = {(self.project / doc.source).resolve(): n for n, doc in enumerate(content.documents)}
        self._held = _Held(run, dict(keys), scan(self.out), base, env, index, dict(run.fragments))
        # The pages were parsed on the workers, which are gone: parsed here once, in the background, so
        # that the workers of a live build that renders many pages start with their tokens.
        threading.Thread(target=_parse_all, args=(list(run.fragments.values()),), name="handpress-parse",
                         daemon=True).start()

    def _update(self, paths: set[Path]) -> BuildResult | None:
        """The live path, or None when the change is not only to pages the last build read."""
        started = time.monotonic()
        held = self._held
        assert held is not None
        if not all(path in held.index for path in paths):
            return None
        prepared = held.run.prepared
        config = prepared.config
        documents = list(prepared.content.documents)
        fragments = dict(held.fragments)
        for path in sorted(paths):
            n = held.index[path]
            if not path.is_file():
                return None  # removed: the build says what that breaks
            doc = read_document(self.project, path, config)  # a user error is raised as the build's
            old = documents[n]
            if doc.meta.draft or (doc.key, doc.lang, doc.source) != (old.key, old.lang, old.source):
                return None
            documents[n] = doc
            fragments[doc.source] = markdown.parse(doc)
        content = dataclasses.replace(prepared.content, documents=tuple(documents))
        fragments = {doc.source: fragments[doc.source] for doc in documents}
        found = [*held.base, *(d for fragment in fragments.values() for d in fragment.diagnostics)]
        site = build_site(config, content, fragments)
        found += [*site.notes, *checks.check_site(site, self.project, content.drafts, held.env,
                                                       files=False)]
        diagnostics = pipeline.settle(found, config, strict=False)
        prepared = pipeline.Prepared(self.project, config, content, site, diagnostics)
        run = held.run
        every_document = (self.project / "templates").is_dir()
        shape = incremental.site_shape(site, every_document)
        if shape != run.shape:
            chapters = printing.ChapterCache(run.memo, run.theme_key, shape)
            run = dataclasses.replace(run, shape=shape, chapters=chapters)
        run = dataclasses.replace(run, prepared=prepared, fragments=fragments)
        pages = incremental.page_units(site, run.theme_key, shape)
        books = printing.units(site, self.project, run.theme_key, shape, run.assets, pdfs=False)
        maps = sitemaps.units(site, run.theme_key, shape)
        units: dict[Hashable, incremental.Unit] = {**pages, **books, **maps}
        if {rel for unit in units.values() for rel in unit.files} - set(held.keys):
            return None  # a file the last build did not make (cannot happen while the keys' pages are the same)
        stale = [name for name, unit in units.items() if any(held.keys[rel] != unit.key for rel in unit.files)]
        with build_lock(self.out):
            if not self._untouched(held, [rel for name in stale for rel in units[name].files]):
                return None
            with parallel.Workers(self.jobs) as workers, parallel.paused_gc():
                rendered = pipeline.render_site(prepared, [u for u in stale if u in pages], workers, None,
                                                [u for u in stale if u in books], run.chapters, run.bytecode,
                                                site_maps=[u.lang for u in stale if u in maps])
            replace_files(self.out, rendered.outputs)
            for rel, _ in rendered.outputs:
                st = (self.out / rel).stat()
                held.stats[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
        for name in stale:
            held.keys.update(dict.fromkeys(units[name].files, units[name].key))
        held.run, held.fragments = run, fragments
        indexes = search.index_keys(site, pages)
        self.search.pending = {lang: key for lang, key in indexes.items() if key != self._index_key(held, lang)}
        self.search.start(site, held.keys, held.stats)
        return BuildResult(out=self.out, pages=len(site.keys), files=len(held.keys) + 1, diagnostics=diagnostics,
                           seconds=time.monotonic() - started, pdfs=(), coverage=pipeline.coverage(site),
                           rendered=len(rendered.outputs))

    def wait(self) -> None:
        """Wait for the search index of the last live build (out/ is then a clean build's)."""
        self.search.wait()

    def close(self) -> None:
        """Stop the search index under way, if any."""
        self.search.cancel()

    def _index_key(self, held: _Held, lang: str) -> str | None:
        """The key of ``lang``'s search index in out/ (every file of it has the language's key)."""
        return held.keys.get(urls.search_dir(lang, held.run.prepared.site.default_language) + live_search.ENTRY)

    def _untouched(self, held: _Held, files: Iterable[str]) -> bool:
        """The files to write again are as the last build left them (no other build swapped out/ since)."""
        for rel in (*files, MARKER):
            try:
                st = (self.out / rel).stat()
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns, st.st_ino) != held.stats.get(rel):
                return False
        return True


def _parse_all(fragments: list[Fragment]) -> None:
    for fragment in fragments:
        if isinstance(fragment.tokens, incremental.DeferredTokens):
            len(fragment.tokens)  # parses the document (deterministic: the tokens it was made from)
