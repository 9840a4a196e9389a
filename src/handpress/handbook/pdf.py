"""Handbook PDFs: the document of :mod:`handpress.handbook.document` laid out by WeasyPrint, in one call or, for a
big book, as parts laid out at once (:mod:`handpress.handbook.parts`) and merged (:mod:`handpress.handbook.merge`).
WeasyPrint itself loads only when a PDF is made (:mod:`handpress.handbook.engine`)."""

from __future__ import annotations

import gettext
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import jinja2

from handpress import theme, urls
from handpress.errors import Diagnostic
from handpress.handbook import outline
from handpress.handbook.document import (
    Chapter,
    HandbookDocument,
    Part,
    build_document,
    handbook_page,
    pdf_target,
    render_document,
)
from handpress.progress import Reporter, quiet
from handpress.site.model import Handbook, Site
from handpress.site.render import Output

if TYPE_CHECKING:
    from handpress.handbook import engine as pdf


@dataclass(frozen=True)
class HandbookOutputs:
    outputs: tuple[Output, ...]  # the print pages and the PDFs, site-relative
    diagnostics: tuple[Diagnostic, ...]
    pdfs: tuple[str, ...]  # site-relative paths of the PDFs


def render_handbooks(site: Site, project: Path, envs: Mapping[str, jinja2.Environment],
                     translations: Mapping[str, gettext.NullTranslations], *, pdfs: bool = True,
                     progress: Reporter = quiet) -> HandbookOutputs:
    """Every handbook × language: the printer-friendly page and (unless ``pdfs`` is False) the PDF,
    one ``progress`` bar per PDF advancing as its pages are laid out."""
    outputs: list[Output] = []
    found: list[Diagnostic] = []
    written: list[str] = []
    for handbook in site.handbooks:
        for lang in handbook.languages:
            outputs.append(handbook_page(site, handbook, lang, project, envs[lang], translations[lang]))
            if pdfs:
                output, diagnostics = handbook_pdf(site, handbook, lang, project, envs[lang], translations[lang],
                                                   progress=progress)
                outputs.append(output)
                found.extend(diagnostics)
                written.append(output[0])
    return HandbookOutputs(tuple(outputs), tuple(found), tuple(written))


def handbook_pdf(site: Site, handbook: Handbook, lang: str, project: Path, env: jinja2.Environment,
                 translations: gettext.NullTranslations, *, chapters: tuple[Chapter, ...] | None = None,
                 progress: Reporter = quiet, parallel: bool | None = None) -> tuple[Output, tuple[Diagnostic, ...]]:
    """``pdf/<id>.<lang>.pdf`` and what WeasyPrint had to say about it (labelled with that path).
    ``parallel``: lay a big book out in parts on every core (None: when it is big enough)."""
    label = urls.pdf_path(handbook.id, lang)
    doc = build_document(site, handbook, lang, pdf_target(site, project, lang), translations, project, chapters)
    html = render_document(env, doc)
    with progress(f"PDF {label}", _page_estimate(doc)) as advance:
        done = 0

        def laid_out(page: int) -> None:
            nonlocal done
            if page > done:  # a second layout pass starts again from page 1
                advance(page - done)
                done = page

        result = render_handbook_pdf(doc, html, project, label=label, variant=site.config.pdf.variant,
                                     progress=laid_out, env=env, parallel=parallel,
                                     content_dir=site.config.content_dir)
    return (label, result.data), result.diagnostics


def _page_estimate(doc: HandbookDocument) -> int:
    """About how many pages the PDF will have (for a progress bar's length)."""
    return 2 + sum(1 + len(chapter.body) // 4000 for chapter in doc.chapters)


PARALLEL_MIN_PAGES = 150  # estimated pages from which laying out parts at once beats one WeasyPrint call
PAGES_PER_PART = 200  # a part's layout is held by its process: this bounds the largest process


def render_handbook_pdf(doc: HandbookDocument, html: str, project: Path, *, label: str,
                        variant: str = "pdf/ua-1", progress: pdf.Progress | None = None,
                        env: jinja2.Environment | None = None, parallel: bool | None = None,
                        content_dir: str = "content") -> pdf.PdfResult:
    """The PDF of a document rendered for :func:`pdf_target`: one WeasyPrint call, or (``parallel``, or
    None and a big book; ``env`` needed) its parts laid out at once by :mod:`handpress.handbook.parts`. A
    PDF/UA-1 book only: the merge rebuilds what PDF/UA needs, not PDF/A's output intents."""
    from handpress.handbook import engine as pdf

    options = dict(
        base_url=pdf.file_url(project / content_dir),
        allowed_roots=(project, theme.theme_dir("styles")),
        title=doc.title,
        lang=doc.lang,
        author=doc.author,
        subject=doc.description,
        keywords=doc.keywords,
        created=doc.created,
        modified=doc.modified,
        variant=variant,
        label=label,
        pages={chapter.id: str(chapter.source) for chapter in doc.chapters},
    )
    estimate = _page_estimate(doc)
    if parallel is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        parallel = estimate >= PARALLEL_MIN_PAGES and cores > 1
    if parallel and env is not None and variant == "pdf/ua-1" and len(doc.chapters) > 1:
        from handpress.handbook import parts as pdfparts

        count = max(2, min(len(doc.chapters), -(-estimate // PAGES_PER_PART)))
        pieces = part_documents(doc, count)
        htmls = [render_document(env, part) for part in pieces]
        levels = [outline.root_levels([c.depth for c in doc.chapters[p.part.start:p.part.stop]])
                  if p.part and not p.part.front else [] for p in pieces]
        result = pdfparts.render_parts(htmls, options, estimate, levels=levels)
        if result is not None:
            if progress is not None:
                progress(result.pages)
            return result
    return pdf.render_pdf(html, progress=progress, **options)


def part_documents(doc: HandbookDocument, count: int) -> list[HandbookDocument]:
    """The front matter, then ``count`` runs of chapters of about the same size."""
    sizes = [len(chapter.body) for chapter in doc.chapters]
    notes = [_footnotes(chapter.body) for chapter in doc.chapters]
    total = sum(sizes) or 1
    parts = [replace(doc, part=Part(front=True))]
    start, done = 0, 0
    for n in range(1, count + 1):
        stop = start
        while stop < len(sizes) - (count - n) and (stop == start or n == count
                                                    or done + sizes[stop] / 2 <= total * n / count):
            done += sizes[stop]
            stop += 1
        parts.append(replace(doc, part=Part(front=False, start=start, stop=stop, footnotes=sum(notes[:start]))))
        start = stop
    return parts


def _footnotes(body: str) -> int:
    """Footnotes in a chapter's body (``<span class="footnote">``, from the handbook renderer)."""
    import lxml.html

    return len(lxml.html.fragment_fromstring(str(body) or "<p></p>", create_parent="div").find_class("footnote"))
