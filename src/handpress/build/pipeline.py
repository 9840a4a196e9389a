"""The build, top to bottom: read everything, check it, render it, then write it in one step."""

from __future__ import annotations

import dataclasses
import functools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import jinja2

from handpress import digest, theme, urls
from handpress.build import incremental, parallel, printing, search, sitemaps, writer
from handpress.build.cache import Store
from handpress.build.cache import options as cache_options
from handpress.build.writer import build_lock, copy_files, link_files, staging, write_files
from handpress.config import SiteConfig, languages_only, load_config
from handpress.errors import Diagnostic, HandpressError
from handpress.i18n import catalogs as i18n
from handpress.progress import Advance, Reporter, quiet
from handpress.result import BuildResult
from handpress.shards import Shard
from handpress.site import checks, markdown
from handpress.site.content import Content, content_files, read_content
from handpress.site.markdown import Fragment
from handpress.site.model import Site, build_site
from handpress.site.render import Output
from handpress.site.site_map import render_site_maps

ASSET_SUFFIXES = frozenset({".md", ".yaml", ".yml"})


Parse = Callable[[SiteConfig, Content], dict[str, Fragment]]  # the parse stage: fragments by source


@dataclass(frozen=True)
class Prepared:
    """Everything read and checked, nothing written yet."""

    project: Path
    config: SiteConfig
    content: Content
    site: Site
    diagnostics: tuple[Diagnostic, ...]
    pseudo: bool = False  # pseudo-localised (see handpress.i18n.pseudo)


def prepare(project: Path, *, strict: bool = False, pseudo: bool = False, parse: Parse | None = None) -> Prepared:
    """Read config and content, parse and check everything. Raises on errors (and warnings if strict).

    Problems are collected across stages where a later stage can still run (a broken handpress.toml
    does not hide a broken template), and reported together with the warnings.
    """
    project = project.resolve()
    found: list[Diagnostic] = []
    site = content = config = None
    try:
        config = load_config(project)
        found += config.notes
    except HandpressError as exc:
        found += exc.diagnostics
    env = theme.environment(project)
    found += checks.check_templates(project, env)
    readable = config or languages_only(project)  # content problems are worth reporting with config ones
    if readable is not None:
        try:
            content, unreadable = read_content(project, readable)
            if pseudo:
                from handpress.i18n import pseudo as pseudo_localise  # only for --pseudo (it loads the translate hook)

                content = pseudo_localise.localise_content(content)
            found += unreadable
            fragments = (parse or parse_all)(readable, content)
            found += [d for frag in fragments.values() for d in frag.diagnostics]
            if config is not None and not unreadable:
                site = build_site(config, content, fragments)
                found += site.notes
                found += checks.check_site(site, project, content.drafts, env)
        except HandpressError as exc:
            found += exc.diagnostics
    diagnostics = settle(found, config, strict, complete=content is not None and site is not None)
    assert config is not None and content is not None and site is not None  # else settle raised
    return Prepared(project, config, content, site, diagnostics, pseudo)


def settle(found: list[Diagnostic], config: SiteConfig | None, strict: bool, complete: bool = True
           ) -> tuple[Diagnostic, ...]:
    """What was found reading and checking a project, with the severities set in handpress.toml
    ([checks]), in order; raises if any is fatal (or the project could not be read, not ``complete``)."""
    if config is not None:
        found = config.checks.apply(found)
    found.sort(key=lambda d: (d.path, d.line or 0, d.message))
    fatal = [d for d in found if d.severity == "error" or (strict and d.severity == "warning")]
    if fatal or config is None or not complete:
        raise HandpressError([d.as_error() if d in fatal else d for d in found if d.severity != "info"])
    return tuple(found)


def build(project: Path, out: Path | None = None, *, strict: bool = False, html_only: bool = False,
          jobs: int | None = None, pseudo: bool = False, cache: bool = True,
          progress: Reporter = quiet, inputs: str | None = None,
          keep: Callable[[Run, Mapping[str, str]], None] | None = None) -> BuildResult:
    """Build the site into ``out``, ``jobs`` processes at a time (default: one per core).

    What the cache (:mod:`handpress.build.cache`) shows to be unchanged since the last build is not parsed or
    rendered again: unchanged files are linked from the previous out/. ``cache=False`` renders
    everything; the output is byte for byte the same either way. ``inputs``: the digest of the inputs
    (:func:`digest.inputs`) when the caller took it and found the last build's out of date. ``keep``
    is given what a good build read and the key of every file it left in out/ (the live preview).
    """
    started = time.monotonic()
    project = project.resolve()
    out = (out or project / "out").resolve()
    options = cache_options(strict=strict, html_only=html_only, pseudo=pseudo)  # all that changes the output
    with Store.open(project, enabled=cache) as store, parallel.Workers(jobs) as workers, parallel.paused_gc():
        if inputs is None:
            inputs = digest.inputs(project, options)  # before reading: an edit made during the build is seen next time
            if (done := store.unchanged(out, inputs)) is not None:
                return done
        run = prepare_run(project, store, workers, strict=strict, pseudo=pseudo, cache=cache)
        prepared, site, record = run.prepared, run.prepared.site, store.record(out)
        units = incremental.page_units(site, run.theme_key, run.shape)
        books = printing.units(site, project, run.theme_key, run.shape, run.assets, pdfs=not html_only)
        maps = sitemaps.units(site, run.theme_key, run.shape)
        plan = incremental.plan({**units, **maps, **books}, run.assets, record, out)
        indexes = search.plan(site, units, record, out)
        plan = search.joined(plan, indexes, record)
        pages = [unit for unit in plan.render if unit in units]
        handbooks = [unit for unit in plan.render if unit in books]
        site_maps = [unit.lang for unit in plan.render if unit in maps]
        with build_lock(out):
            # The workers write the pages into the staging folder as they render them; if the build
            # fails they are stopped before the folder is removed.
            with staging(out) as tmp, workers.stopped_on_failure():
                with progress("Rendering", 3 * len(pages)) as advance:
                    rendered = render_site(prepared, pages, workers, advance, handbooks, run.chapters, run.bytecode,
                                           tmp, site_maps)
                made = printing.make_pdfs(prepared, [] if html_only else handbooks, books, workers, run.environments,
                                          store, run.chapters, progress)
                outputs = rendered.outputs + list(made.outputs)
                said = printing.kept_diagnostics(record, plan.kept) + made.diagnostics
                fail_on_pdf_problems(said, strict)
                incremental.check_kept(plan, out)
                files = (len(rendered.written) + write_files(tmp, outputs) + link_files(tmp, plan.kept.items())
                         + copy_files(tmp, plan.copies))
                indexed = search.build_indexes(site, tmp, indexes.todo, indexes.keys)  # reads the pages in tmp
                files += len(indexed)
                plan = dataclasses.replace(plan, keys={**plan.keys, **indexed})
            result = BuildResult(
                out=out,
                pages=len(site.keys),
                files=files,
                diagnostics=prepared.diagnostics + said,
                seconds=time.monotonic() - started,
                pdfs=tuple(sorted(rel for book in books.values() for rel in book.files if rel.startswith("pdf/"))),
                coverage=coverage(site),
                rendered=len(rendered.written) + len(outputs) + len(plan.copies) + len(indexed),
            )
            written = [*rendered.written, *(rel for rel, _ in outputs), *(rel for rel, _ in plan.copies), *indexed,
                       writer.MARKER]
            store.save(out, inputs, result, incremental.manifest(out, plan, written), run.memo.fresh, run.memo.used)
            store.put_pdfs(made.fresh, [books[book].key for book in books if not html_only])
        run.done()
        if keep is not None:
            keep(run, plan.keys)
    return result


@dataclass(frozen=True)
class Run:
    """What a build of the site and a build of its PDFs start from: the project read and checked, with
    the cache's memo, the keys every output's key holds, and the compiled templates."""

    prepared: Prepared
    memo: incremental.Memo
    assets: list[tuple[str, Path]]
    theme_key: str
    shape: str
    chapters: printing.ChapterCache
    bytecode: incremental.TemplateBytecode | None
    fragments: Mapping[str, Fragment]  # the parsed documents by source (tokens perhaps deferred)

    @property
    def environments(self) -> Callable[[Prepared], tuple[dict, dict]]:
        return functools.partial(environments, bytecode=self.bytecode)

    def done(self) -> None:
        """After a good build: keep the templates it compiled."""
        if self.bytecode is not None:
            self.bytecode.flush()


def prepare_run(project: Path, store: Store, workers: parallel.Workers, *, strict: bool, pseudo: bool = False,
                cache: bool = True) -> Run:
    """Read and check the project (parsing on ``workers``, fragments from ``store``'s cache)."""
    memo = incremental.Memo(store)
    cached = incremental.CachedParser(memo, workers.parse)
    fragments: dict[str, Fragment] = {}

    def parse(config: SiteConfig, content: Content) -> dict[str, Fragment]:
        fragments.update(found := cached(config, content))
        return found

    prepared = prepare(project, strict=strict, pseudo=pseudo, parse=parse)
    theme_key, shape = keys(prepared)
    return Run(prepared, memo, list(asset_files(project, prepared.site)), theme_key, shape,
               printing.ChapterCache(memo, theme_key, shape), incremental.TemplateBytecode() if cache else None,
               fragments)


def keys(prepared: Prepared) -> tuple[str, str]:
    """The theme key and the site's shape (:mod:`handpress.build.incremental`) that every page's key holds."""
    project = prepared.project
    theme_key = incremental.theme_key(project, prepared.config, list(theme.style_files(project)),
                                      f"pseudo={prepared.pseudo}")  # the one option pages depend on
    every_document = (project / "templates").is_dir()  # a project's templates may read any page
    return theme_key, incremental.site_shape(prepared.site, every_document)


def fail_on_pdf_problems(diagnostics: Sequence[Diagnostic], strict: bool) -> None:
    """WeasyPrint only logs what goes wrong (a missing image, a refused file) and writes the PDF anyway;
    here its errors, and with ``strict`` its warnings, fail the build before anything is written."""
    fatal = [d for d in diagnostics if d.severity == "error" or (strict and d.severity == "warning")]
    if fatal:
        raise HandpressError([d.as_error() if d in fatal else d for d in diagnostics if d.severity != "info"])


def environments(prepared: Prepared, bytecode: jinja2.BytecodeCache | None = None) -> tuple[dict, dict]:
    """The translations and template environments of each language (compiled templates in ``bytecode``)."""
    site = prepared.site
    if prepared.pseudo:
        from handpress.i18n import pseudo as pseudo_localise

        translations = dict.fromkeys(site.languages, pseudo_localise.translations(prepared.project))
    else:
        translations = {lang: i18n.load_translations(prepared.project, lang) for lang in site.languages}
    envs = {lang: i18n.install_formatters(theme.environment(prepared.project, translations[lang]), lang)
            for lang in site.languages}
    for env in envs.values():
        env.bytecode_cache = bytecode
    return translations, envs


@dataclass(frozen=True)
class Rendered:
    """What :func:`render_site` made: files to write, and the files the workers wrote themselves."""

    outputs: list[Output]
    written: list[str]


def render_site(prepared: Prepared, pages: Sequence[tuple[str, str]] | None = None,
                workers: parallel.Workers | None = None, advance: Advance | None = None,
                handbooks: Sequence[printing.Book] | None = None, chapters: printing.ChapterCache | None = None,
                bytecode: jinja2.BytecodeCache | None = None, into: Path | None = None,
                site_maps: Sequence[str] | None = None, *, sitemap: bool = True,
                make: Callable[[Prepared], tuple[dict, dict]] | None = None) -> Rendered:
    """The files of ``pages`` ((key, language) pairs), of the handbooks' print pages (``handbooks``) and
    of the site maps in ``site_maps`` (languages), and the sitemap unless not ``sitemap``; everything
    when they are None. Pages and chapters render on ``workers``, which write the pages into ``into``
    if given; chapters ``chapters`` holds are not rendered again; templates compiled before come from
    ``bytecode``; ``make`` makes the translations and environments (default :func:`environments`)."""
    site = prepared.site
    pages = list(site.pages) if pages is None else pages
    handbooks = printing.all_books(site) if handbooks is None else handbooks
    make = make or functools.partial(environments, bytecode=bytecode)
    tasks = [parallel.page_task(prepared, page, into) for page in pages]
    results, by_book = printing.chapters(prepared, handbooks, "web", workers or parallel.Workers(1), make,
                                         chapters, tasks, advance)
    translations, envs = make(prepared)
    outputs = [file for files, _ in results for file in files]
    outputs += printing.print_pages(site, prepared.project, by_book, envs, translations)
    outputs += render_site_maps(site, envs, translations, site_maps)
    if sitemap:
        outputs.append(("sitemap.xml", sitemaps.sitemap_xml(site, envs[site.default_language])))
    return Rendered(outputs, [rel for _, names in results for rel in names])


def parse_all(config: SiteConfig, content: Content) -> dict[str, Fragment]:
    return {doc.source: markdown.parse(doc) for doc in content.documents}


def asset_files(project: Path, site: Site) -> Iterable[tuple[str, Path]]:
    for name, path in theme.style_files(project).items():
        yield urls.ASSETS + name, path
    content = project / site.config.content_dir
    for path in content_files(content, site.config):
        if path.is_file() and path.suffix not in ASSET_SUFFIXES:
            yield path.relative_to(content).as_posix(), path


def coverage(site: Site) -> dict[str, tuple[int, int, int]]:
    """Per language: (pages translated by people, machine drafts not yet checked, pages)."""
    found = {}
    for lang in site.languages:
        pages = [site.page(k, lang) for k in site.keys]
        drafts = sum(1 for p in pages if not p.is_fallback and p.machine_translated)
        found[lang] = (sum(1 for p in pages if not p.is_fallback) - drafts, drafts, len(pages))
    return found


@dataclass(frozen=True)
class PdfRun:
    """What ``handpress pdf`` made."""

    out: Path
    pdfs: tuple[str, ...]  # out/-relative paths written
    pages: int  # pages in them
    diagnostics: tuple[Diagnostic, ...]
    seconds: float


def build_pdfs(project: Path, out: Path | None = None, *, ids: Sequence[str] = (), langs: Sequence[str] = (),
               strict: bool = False, jobs: int | None = None, cache: bool = True, shard: Shard | None = None,
               progress: Reporter = quiet) -> PdfRun:
    """Only the PDF handbooks (``ids``, default all; in ``langs``, default each handbook's languages; of those,
    one CI ``shard``'s part), written into ``out``/pdf/ with the rest of ``out`` left as it is. Made exactly
    as ``build`` makes them, from the same cache, so the files are the same bytes."""
    started = time.monotonic()
    project = project.resolve()
    out = (out or project / "out").resolve()
    with Store.open(project, enabled=cache) as store, parallel.Workers(jobs) as workers:
        run = prepare_run(project, store, workers, strict=strict, cache=cache)
        prepared, site = run.prepared, run.prepared.site
        books = printing.select(site, ids, langs)
        if shard is not None:
            books = printing.shard_books(site, books, shard)
        units = printing.units(site, project, run.theme_key, run.shape, run.assets, pdfs=True)
        made = printing.make_pdfs(prepared, books, units, workers, run.environments, store, run.chapters, progress)
        fail_on_pdf_problems(made.diagnostics, strict)
        with build_lock(out):
            writer.replace_files(out, made.outputs)
        store.put_pdfs(made.fresh, [unit.key for unit in units.values()])
        run.done()
    return PdfRun(out, tuple(rel for rel, _ in made.outputs), sum(printing.page_count(d) for _, d in made.outputs),
                  prepared.diagnostics + made.diagnostics, time.monotonic() - started)
