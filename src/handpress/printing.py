"""Handbooks in the build: each handbook's print page and PDF, made again only when one of their inputs
changed. A PDF is also kept in the cache, so a deleted out/ does not cost a new layout.

A handbook's key covers everything its page and PDF are made from: the theme key (templates,
translations, config, handpress), the site's shape, every chapter's document, the handbook's
settings, the bytes of the images and styles the PDF embeds, and the dates the PDF carries (which
may come from ``SOURCE_DATE_EPOCH`` or the pages' file times, see :func:`handbook.handbook_dates`).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from handpress import digest, handbook, urls
from handpress.cache import Record, Store
from handpress.errors import Diagnostic
from handpress.incremental import Unit, document_key
from handpress.model import Site
from handpress.parallel import Environments, Task, Workers
from handpress.progress import Reporter, quiet
from handpress.render import Output


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
    False. ``theme`` and ``shape`` are the pages' (:mod:`handpress.incremental`); ``assets`` the
    (output path, file) pairs copied into out/."""
    embedded = digest.text(*(f"{rel}\0{digest.file(path)}" for rel, path in assets))
    found = {}
    for book in site.handbooks:
        for lang in book.languages:
            pages = [site.page(key, lang) for key in book.keys]
            dates = handbook.handbook_dates(book.config.date, pages, project)
            key = digest.text(theme, shape, embedded, repr(book), lang, repr(dates),
                              *(document_key(page.doc) for page in pages))
            files = (urls.handbook_dir(book.id, lang, site.default_language) + "index.html",)
            found[Book(book.id, lang)] = Unit(key, files + ((urls.pdf_path(book.id, lang),) if pdfs else ()))
    return found


def all_books(site: Site) -> list[Book]:
    return [Book(spec.id, lang) for spec in site.handbooks for lang in spec.languages]


def chapters_task(prepared: Any, translations: Mapping[str, gettext.NullTranslations], envs: Mapping[str, Any],
                  book_id: str, lang: str, target: str, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """A :class:`parallel.Task`: chapters of a handbook rendered for the ``web`` page or the ``pdf``."""
    site = prepared.site
    spec = next(h for h in site.handbooks if h.id == book_id)
    aim = (handbook.web_target(site, spec, lang) if target == "web"
           else handbook.pdf_target(site, prepared.project, lang))
    return handbook.render_chapters(site, spec, lang, aim, translations[lang], keys)


def chapter_tasks(site: Site, books: Sequence[Book], target: str) -> list[Task]:
    """One task per chapter, so each runs where its page's document was parsed."""
    specs = {h.id: h for h in site.handbooks}
    return [Task(chapters_task, (book.id, book.lang, target, (key,)), site.page(key, book.lang).source)
            for book in books for key in specs[book.id].keys]


def chapters_of(site: Site, books: Sequence[Book], results: Sequence[tuple[Any, ...]]) -> dict[Book, tuple]:
    """The results of :func:`chapter_tasks` (in their order) gathered by book."""
    specs = {h.id: h for h in site.handbooks}
    found, at = {}, 0
    for book in books:
        count = len(specs[book.id].keys)
        found[book] = tuple(chapter for part in results[at : at + count] for chapter in part)
        at += count
    return found


def print_pages(site: Site, project: Path, chapters: Mapping[Book, tuple], envs: Mapping[str, Any],
                translations: Mapping[str, gettext.NullTranslations]) -> list[Output]:
    """Each handbook's "print the whole guide" page, from its chapters rendered for the web."""
    specs = {h.id: h for h in site.handbooks}
    return [handbook.handbook_page(site, specs[book.id], book.lang, project, envs[book.lang],
                                   translations[book.lang], chapters=found) for book, found in chapters.items()]


def make_pdfs(prepared: Any, books: Sequence[Book], units: Mapping[Book, Unit], workers: Workers,
              environments: Environments, store: Store, progress: Reporter = quiet) -> Made:
    """The PDFs of ``books``; one whose key the cache holds is not laid out again."""
    site, project = prepared.site, prepared.project
    specs = {h.id: h for h in site.handbooks}
    outputs: list[Output] = []
    found: list[Diagnostic] = []
    fresh: dict[str, tuple[bytes, tuple[Diagnostic, ...]]] = {}
    cached = {book: store.pdf(units[book].key) for book in books}
    todo = [book for book in books if cached[book] is None]
    chapters = chapters_of(site, todo, workers.run(prepared, chapter_tasks(site, todo, "pdf"), environments))
    translations, envs = environments(prepared)
    for book in books:
        label = urls.pdf_path(book.id, book.lang)
        if book in chapters:
            (_, data), diagnostics = handbook.handbook_pdf(site, specs[book.id], book.lang, project,
                                                           envs[book.lang], translations[book.lang],
                                                           chapters=chapters[book], progress=progress)
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
