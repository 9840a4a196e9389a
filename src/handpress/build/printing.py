"""Handbooks in the build: each handbook's print page and PDF, made again only when one of their inputs
changed. A PDF is also kept in the cache, so a deleted out/ does not cost a new layout.

A handbook's key covers everything its page and PDF are made from: the theme key (templates,
translations, config, handpress), the site's shape, every chapter's document, the handbook's
settings, the bytes of the images and styles the PDF embeds, and the dates the PDF carries (which
may come from ``SOURCE_DATE_EPOCH``, see :func:`handpress.handbook.dates.handbook_dates`).
"""

from __future__ import annotations

import difflib
import gettext
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from handpress import digest, urls
from handpress.build.cache import Record, Store
from handpress.build.incremental import Memo, Unit, decode, document_key, encode
from handpress.build.parallel import Advance, Environments, Task, Workers
from handpress.config import CONFIG_NAME
from handpress.errors import Diagnostic, HandpressError
from handpress.handbook import document as handbook
from handpress.handbook.dates import handbook_dates
from handpress.handbook import pdf as handbookpdf
from handpress.progress import Reporter, quiet
from handpress.shards import Shard, deal
from handpress.site.model import Site
from handpress.site.render import Output


@dataclass(frozen=True, order=True)
class Book:
    """One handbook in one language: a unit of work for the build."""

    id: str
    lang: str


@dataclass(frozen=True)
class Made:
    outputs: tuple[Output, ...]
    diagnostics: tuple[Diagnostic, ...]  # what WeasyPrint said, for the PDFs made or kept
    fresh: Mapping[str, tuple[bytes, tuple[Diagnostic, ...]]]  # key -> PDF laid out by this build


def units(site: Site, project: Path, theme: str, shape: str, assets: Sequence[tuple[str, Path]], *,
          pdfs: bool) -> dict[Book, Unit]:
    """Each handbook × language with its key and files: the print page, and the PDF unless ``pdfs`` is
    False. ``theme`` and ``shape`` are the pages' (:mod:`handpress.build.incremental`); ``assets`` the
    (output path, file) pairs copied into out/."""
    embedded = digest.text(*(f"{rel}\0{digest.file(path)}" for rel, path in assets))
    found = {}
    for book in site.handbooks:
        for lang in book.languages:
            pages = [site.page(key, lang) for key in book.keys]
            dates = handbook_dates(book.config.date, pages, project)
            key = digest.text(theme, shape, embedded, repr(book), lang, repr(dates),
                              *(document_key(page.doc) for page in pages))
            files = (urls.handbook_dir(book.id, lang, site.default_language) + "index.html",)
            found[Book(book.id, lang)] = Unit(key, files + ((urls.pdf_path(book.id, lang),) if pdfs else ()))
    return found


def all_books(site: Site) -> list[Book]:
    return [Book(spec.id, lang) for spec in site.handbooks for lang in spec.languages]


def select(site: Site, ids: Sequence[str], langs: Sequence[str]) -> list[Book]:
    """The handbooks named (all if none) in the languages named (each one's own if none). A name the
    project does not have is a user error, reported against handpress.toml with the names it has."""
    specs = {spec.id: spec for spec in site.handbooks}
    problems = []
    for wanted in dict.fromkeys(ids):
        if wanted not in specs:
            close = difflib.get_close_matches(wanted, list(specs), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (it has: {', '.join(specs) or 'none'})"
            problems.append(Diagnostic(CONFIG_NAME, None, "error", f"no handbook '{wanted}' in this project{hint}",
                                       "pdf-handbook"))
    chosen = [specs[i] for i in dict.fromkeys(ids) if i in specs] or ([] if ids else list(specs.values()))
    for lang in dict.fromkeys(langs):
        lacking = [spec.id for spec in chosen if lang not in spec.languages]
        if lacking and (ids or len(lacking) == len(chosen)):
            known = sorted({code for spec in chosen for code in spec.languages})
            problems.append(Diagnostic(CONFIG_NAME, None, "error", f"handbook {', '.join(map(repr, lacking))} is not "
                                       f"published in '{lang}' (languages: {', '.join(known)})", "pdf-language"))
    if problems:
        raise HandpressError(problems)
    return [Book(spec.id, lang) for spec in chosen for lang in spec.languages if not langs or lang in langs]


def shard_books(site: Site, books: Sequence[Book], shard: Shard) -> list[Book]:
    """The handbooks × languages of one CI shard, dealt out by the length of their chapters' Markdown."""
    def size(book: Book) -> int:
        spec = next(h for h in site.handbooks if h.id == book.id)
        return sum(len(site.page(key, book.lang).doc.body) for key in spec.keys)

    return deal(list(books), shard, size, key=lambda book: (book.id, book.lang))


def page_count(data: bytes) -> int:
    """The pages of a PDF (read with pikepdf)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as document:
        return len(document.pages)


def chapters_task(prepared: Any, translations: Mapping[str, gettext.NullTranslations], envs: Mapping[str, Any],
                  book_id: str, lang: str, target: str, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """A :class:`parallel.Task`: chapters of a handbook rendered for the ``web`` page or the ``pdf``, each
    with the JSON the cache keeps of it (made here, in the worker)."""
    site = prepared.site
    spec = next(h for h in site.handbooks if h.id == book_id)
    aim = (handbook.web_target(site, spec, lang) if target == "web"
           else handbook.pdf_target(site, prepared.project, lang))
    return tuple((chapter, encode(chapter)) for chapter in handbook.render_chapters(site, spec, lang, aim,
                                                                                   translations[lang], keys))


class ChapterCache:
    """Rendered chapters in the cache, by the key of what each is made from: its page's document, the
    handbook (chapter ids), the target, and what every page depends on (``theme``, ``shape``)."""

    def __init__(self, memo: Memo, theme: str, shape: str):
        self.memo, self.theme, self.shape = memo, theme, shape
        self._specs: dict[str, str] = {}  # handbook id -> digest of its spec (asked for each chapter)

    def key(self, site: Site, project: Path, book: Book, target: str, page: str) -> str:
        spec = self._specs.get(book.id)
        if spec is None:
            spec = self._specs[book.id] = digest.text(repr(next(h for h in site.handbooks if h.id == book.id)))
        doc = site.page(page, book.lang).doc
        return digest.text(self.theme, self.shape, spec, book.lang, target, page, document_key(doc),
                           str(project) if target == "pdf" else "")


def chapters(prepared: Any, books: Sequence[Book], target: str, workers: Workers, environments: Environments,
             cache: ChapterCache | None = None, tasks_before: Sequence[Task] = (),
             advance: Advance | None = None) -> tuple[list[Any], dict[Book, tuple]]:
    """The chapters of ``books`` rendered for ``target`` (``web`` or ``pdf``), by book, each on the worker
    that parsed its page; those ``cache`` holds are not rendered again. ``tasks_before`` run in the same
    pass (the site's pages): their results come first."""
    site, project = prepared.site, prepared.project
    specs = {h.id: h for h in site.handbooks}
    wanted = [(book, page) for book in books for page in specs[book.id].keys]
    keys = {item: cache.key(site, project, item[0], target, item[1]) for item in wanted} if cache else {}
    stored = cache.memo.get(keys.values()) if cache else {}
    found: dict[tuple[Book, str], Any] = {}
    for item, key in keys.items():
        if key in stored and (chapter := decode(stored[key], handbook.Chapter)) is not None:
            found[item] = chapter
    todo = [item for item in wanted if item not in found]
    tasks = list(tasks_before) + [Task(chapters_task, (book.id, book.lang, target, (page,)),
                                       site.page(page, book.lang).source) for book, page in todo]
    results = workers.run(prepared, tasks, environments, advance) if tasks else []
    for item, result in zip(todo, results[len(tasks_before):]):
        found[item], encoded = result[0]
        if cache:
            cache.memo.put(keys[item], found[item], encoded)
    by_book = {book: tuple(found[(book, page)] for page in specs[book.id].keys) for book in books}
    return results[: len(tasks_before)], by_book


def print_pages(site: Site, project: Path, chapters: Mapping[Book, tuple], envs: Mapping[str, Any],
                translations: Mapping[str, gettext.NullTranslations]) -> list[Output]:
    """Each handbook's "print the whole guide" page, from its chapters rendered for the web."""
    specs = {h.id: h for h in site.handbooks}
    return [handbook.handbook_page(site, specs[book.id], book.lang, project, envs[book.lang],
                                   translations[book.lang], chapters=found) for book, found in chapters.items()]


def make_pdfs(prepared: Any, books: Sequence[Book], units: Mapping[Book, Unit], workers: Workers,
              environments: Environments, store: Store, cache: ChapterCache | None = None,
              progress: Reporter = quiet) -> Made:
    """The PDFs of ``books``; one whose key the cache holds is not laid out again."""
    site, project = prepared.site, prepared.project
    specs = {h.id: h for h in site.handbooks}
    outputs: list[Output] = []
    found: list[Diagnostic] = []
    fresh: dict[str, tuple[bytes, tuple[Diagnostic, ...]]] = {}
    cached = {book: store.pdf(units[book].key) for book in books}
    todo = [book for book in books if cached[book] is None]
    _, rendered = chapters(prepared, todo, "pdf", workers, environments, cache)
    translations, envs = environments(prepared)
    for book in books:
        label = urls.pdf_path(book.id, book.lang)
        if book in rendered:
            (_, data), diagnostics = handbookpdf.handbook_pdf(site, specs[book.id], book.lang, project,
                                                           envs[book.lang], translations[book.lang],
                                                           chapters=rendered[book], progress=progress)
            fresh[units[book].key] = (data, diagnostics)
        else:
            data, diagnostics = cached[book]  # type: ignore[misc]
        outputs.append((label, data))
        found.extend(diagnostics)
    return Made(tuple(outputs), tuple(found), fresh)


def kept_diagnostics(record: Record | None, kept: Mapping[str, Path]) -> tuple[Diagnostic, ...]:
    """What WeasyPrint said about the PDFs kept from the last build (their diagnostics carry their path)."""
    if record is None:
        return ()
    return tuple(d for d in record.result.diagnostics if d.path.startswith("pdf/") and d.path in kept)
