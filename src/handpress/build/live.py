"""The live preview's builds (``handpress serve``): the last good build kept in this process, so that
an edit to a page is on screen in a fraction of a build's time.

After a build (:func:`pipeline.build`), what it read and checked stays here: the documents, their
parsed fragments, the templates and catalogs, the key of every file it left in out/. When only pages
change (Markdown files of content/ that the build read), :meth:`LiveBuild.build` reads just those
files again, parses them, makes the site model, runs the site's checks, and finds the files whose
keys changed (the keys are the incremental build's, :mod:`handpress.build.incremental`). The edited
pages' own files are rendered and written into out/ one by one (:func:`writer.replace_files`, under
the build lock), and :meth:`LiveBuild.build` returns: an open page of them may reload. The rest — the
pages whose navigation names a new title, the whole-guide pages, the site maps, the search index —
follows in the background (:mod:`handpress.build.live_after`), and open pages among them reload when
it is written. Once it has finished (:meth:`LiveBuild.wait`), out/ holds byte for byte what a clean
build of the same sources makes.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Mapping

from handpress.build import incremental, live_after, pipeline, printing, search, sitemaps
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
    environments: "HeldEnvironments"  # the translations and template environments, made once
    files: "_ContentFiles"  # which paths of content/ are files (the same until a build)
    page_keys: dict[tuple[str, str, str, str], str] = field(default_factory=dict)  # page keys made before


class _ContentFiles(dict):
    """Content-relative path -> whether it is a file, looked at once."""

    def __init__(self, content: Path):
        super().__init__()
        self.content = content

    def __missing__(self, rel: str) -> bool:
        found = self[rel] = (self.content / rel).is_file()
        return found


class HeldEnvironments:
    """The translations and template environments of the site's languages, made at the first live
    build and kept (templates and catalogs do not change without a build); workers make their own."""

    def __init__(self, bytecode: Any):
        self.bytecode = bytecode
        self._made: tuple[dict, dict] | None = None

    def __call__(self, prepared: pipeline.Prepared) -> tuple[dict, dict]:
        if self._made is None:
            self._made = pipeline.environments(prepared, self.bytecode)
        return self._made

    def __reduce__(self) -> tuple[Any, ...]:  # sent to a worker: it makes them once, there
        return (HeldEnvironments, (self.bytecode,))


class LiveBuild:
    """Builds of one project for the live preview: :meth:`build` after every change."""

    def __init__(self, project: Path, out: Path | None = None, *, jobs: int | None = None, pdfs: bool = False,
                 written: live_after.Written = lambda files, error: None,
                 indexed: live_after.Indexed = lambda seconds, error: None,
                 showing: Callable[[], Iterable[str]] = tuple):
        self.project = project.resolve()
        self.out = (out or self.project / "out").resolve()
        self.jobs, self.pdfs = jobs, pdfs
        self._held: _Held | None = None
        self.live = 0  # how many builds took the live path (for tests and the terminal)
        self.files: tuple[str, ...] | None = None  # what the last build wrote first (None: a build, everything)
        # the second step of live builds: ``written`` is told of the files it wrote, ``indexed`` when
        # the search index is made (or what failed)
        self.after = live_after.Followup(self.out, jobs, written, indexed)
        self.showing = showing  # the out/ files open pages show (made with the edited pages, first)
        self._next: tuple[Any, ...] | None = None  # the second step, until it is started

    def follow(self) -> None:
        """Start the second step of the last live build (:meth:`build` with ``follow=False`` leaves it to
        the caller, to start once it has told open pages to reload)."""
        if self._next is not None:
            args, self._next = self._next, None
            self.after.start(*args)

    def build(self, changed: Iterable[Path] = (), *, follow: bool = True) -> BuildResult:
        """Build after ``changed`` (paths; none: a build); raises the located errors of a failed one.
        A live build returns once the edited pages are in out/; the rest follows (:meth:`wait`), started
        here unless not ``follow`` (then by :meth:`follow`, or the next build)."""
        self.follow()
        self.after.cancel()
        paths = {Path(p).resolve() for p in changed}
        if paths and self._held is not None and not self.pdfs:
            result = self._update(paths, follow)
            if result is not None:
                self.live += 1
                return result
        self._held, self.files = None, None  # until this build has succeeded
        self.after.pending.clear()  # a build makes the search index itself
        kept: list[tuple[pipeline.Run, Mapping[str, str]]] = []
        result = pipeline.build(self.project, self.out, jobs=self.jobs, html_only=not self.pdfs,
                                keep=lambda run, keys: kept.append((run, keys)))
        if kept:
            self._hold(*kept[0])
        return result

    def wait(self) -> None:
        """Wait for the second step of the last live build (out/ is then a clean build's)."""
        self.follow()
        self.after.wait()

    def close(self) -> None:
        """Stop the second step under way, if any (its search index is left to the next build)."""
        self.after.cancel()

    def _hold(self, run: pipeline.Run, keys: Mapping[str, str]) -> None:
        from handpress import theme

        config, content = run.prepared.config, run.prepared.content
        env = theme.environment(self.project)
        base = (*config.notes, *checks.check_templates(self.project, env),
                *checks.check_files(run.prepared.site, self.project))
        index = {(self.project / doc.source).resolve(): n for n, doc in enumerate(content.documents)}
        self._held = _Held(run, dict(keys), scan(self.out), base, env, index, dict(run.fragments),
                           HeldEnvironments(run.bytecode), _ContentFiles(self.project / config.content_dir))
        # The pages were parsed on the workers, which are gone: parsed here once, in the background, so
        # that the workers of a live build that renders many pages start with their tokens.
        threading.Thread(target=_parse_all, args=(list(run.fragments.values()),), name="handpress-parse",
                         daemon=True).start()

    def _update(self, paths: set[Path], follow: bool) -> BuildResult | None:
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
        found += [*site.notes, *checks.check_site(site, self.project, content.drafts, held.env, files=False,
                                                  exists=held.files.__getitem__)]
        diagnostics = pipeline.settle(found, config, strict=False)
        prepared = pipeline.Prepared(self.project, config, content, site, diagnostics)
        run = held.run
        every_document = (self.project / "templates").is_dir()
        shape = incremental.site_shape(site, every_document)
        if shape != run.shape:
            chapters = printing.ChapterCache(run.memo, run.theme_key, shape)
            run = dataclasses.replace(run, shape=shape, chapters=chapters)
        run = dataclasses.replace(run, prepared=prepared, fragments=fragments)
        pages = incremental.page_units(site, run.theme_key, shape, held.page_keys)
        books = printing.units(site, self.project, run.theme_key, shape, run.assets, pdfs=False)
        maps = sitemaps.units(site, run.theme_key, shape)
        units: dict[Hashable, incremental.Unit] = {**pages, **books, **maps}
        if {rel for unit in units.values() for rel in unit.files} - set(held.keys):
            return None  # a file the last build did not make (cannot happen while the keys' pages are the same)
        stale = [name for name, unit in units.items() if any(held.keys[rel] != unit.key for rel in unit.files)]
        edited = {documents[held.index[path]].source for path in paths}
        shown = set(self.showing())
        first = [u for u in stale if (u in pages and site.page(*u).source in edited)  # what shows the edit,
                 or not shown.isdisjoint(units[u].files)]  # and what open pages show
        first_set = set(first)
        with build_lock(self.out):
            if not self._untouched(held, [rel for name in stale for rel in units[name].files]):
                return None
            rendered = pipeline.render_site(prepared, [u for u in first if u in pages], None, None,
                                            [u for u in first if u in books], run.chapters, run.bytecode,
                                            site_maps=[u.lang for u in first if u in maps], sitemap=False,
                                            make=held.environments)
            previous = {rel: (self.out / rel).read_bytes() for rel, _ in rendered.outputs}
            replace_files(self.out, rendered.outputs)
            held.stats.update((rel, live_after.stat(self.out / rel)) for rel, _ in rendered.outputs)
        self.files = tuple(rel for rel, _ in rendered.outputs)

        def commit() -> None:
            held.run, held.fragments = run, fragments

        rest = live_after.Rest(prepared, [u for u in stale if u in pages and u not in first_set],
                               [u for u in stale if u in books and u not in first_set],
                               [u.lang for u in stale if u in maps and u not in first_set],
                               shape != held.run.shape, previous,
                               {rel: units[name].key for name in stale for rel in units[name].files},
                               search.index_keys(site, pages), commit)
        self._next = (rest, held.keys, held.stats, held.environments, run.chapters, run.bytecode)
        if follow:
            self.follow()
        return BuildResult(out=self.out, pages=len(site.keys), files=len(held.keys) + 1, diagnostics=diagnostics,
                           seconds=time.monotonic() - started, pdfs=(), coverage=pipeline.coverage(site),
                           rendered=len(rendered.outputs))

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
