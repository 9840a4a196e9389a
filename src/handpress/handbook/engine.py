"""The WeasyPrint adapter: one HTML document in, one tagged PDF out, with located diagnostics.

:func:`render_pdf` is the only entry point. It

- fetches nothing but files under ``allowed_roots`` (symlinks resolved) and small ``data:`` URLs;
  every other reference (``file:`` elsewhere, ``../`` escapes, symlinks pointing out, ``http(s):``)
  is refused, never fetched, and reported as an error naming the handbook and the URL;
- turns what WeasyPrint logs during the render into diagnostics (ERROR -> error, WARNING -> warning);
- writes PDF/UA-1 by default (``pdf/a-3u`` is tagged too), fonts embedded and subset;
- takes every date from its arguments, so two renders of the same input are byte-identical.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint
from weasyprint.formatting_structure.boxes import FootnoteAreaBox
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from handpress.errors import Diagnostic, HandpressError
from handpress.handbook import numbers as pdfnumbers
from handpress.handbook import faces, languages, tagging, tounicode

VARIANTS = ("pdf/ua-1", "pdf/ua-2", "pdf/a-3u", "pdf/a-3a")
DATA_URL_LIMIT = 32 * 1024  # characters of a data: URL; larger ones belong in a file
Progress = Callable[[int], None]  # called with the number of the page just laid out

faces.install()
tounicode.install()
languages.install()

_LOGGER = logging.getLogger("weasyprint")
_PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")
_LAYOUT_STEP = "Step 5 - Creating layout - Page %d"
# What WeasyPrint raises when it fails on a document. The render is a boundary with a third-party
# engine: these are wrapped in a HandpressError naming the handbook (the cause stays chained).
_ENGINE_FAILURES = (ArithmeticError, AssertionError, AttributeError, LookupError, OSError, RuntimeError,
                    TypeError, ValueError, FatalURLFetchingError)


@dataclass(frozen=True)
class PdfResult:
    data: bytes
    pages: int
    diagnostics: tuple[Diagnostic, ...]


class RefusedURL(ValueError):
    """Raised by the fetcher for a URL it will not serve; WeasyPrint skips the resource."""


class ProjectFetcher(URLFetcher):
    """Serves files under the allowed roots and small ``data:`` URLs; refuses everything else.

    WeasyPrint calls :meth:`fetch` for every resource it would embed: stylesheets, images, fonts,
    attachments. Each refusal is remembered as ``(url, reason)`` for the caller to report.
    """

    def __init__(self, allowed_roots: Sequence[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(Path(root).resolve() for root in allowed_roots)
        self.refused: dict[str, str] = {}

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            if len(url) > DATA_URL_LIMIT:
                self._refuse(url, f"data: URL larger than {DATA_URL_LIMIT // 1024} KiB; save it as a file "
                                  "in the project")
            return super().fetch(url, headers)
        if scheme != "file":
            self._refuse(url, "not a file in the project (handbooks embed only local files)")
        path = Path(url2pathname(urlsplit(url).path))  # url2pathname decodes %XX once
        resolved = path.resolve()
        if not any(resolved.is_relative_to(root) for root in self.roots):
            why = "a symbolic link to a file" if resolved != path.absolute() else "a file"
            self._refuse(url, f"{why} outside the project and the theme")
        body = resolved.read_bytes()  # FileNotFoundError: WeasyPrint logs it, the handler reports it
        mime = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    def _refuse(self, url: str, reason: str) -> None:
        self.refused.setdefault(url, reason)
        raise RefusedURL(f"refused {url}: {reason}")


class _Collector(logging.Handler):
    """Collects WeasyPrint's warnings and errors from the rendering thread as diagnostics."""

    def __init__(self, label: str, fetcher: ProjectFetcher, progress: Progress | None):
        super().__init__(logging.INFO)
        self.label = label
        self.fetcher = fetcher
        self.progress = progress
        self.thread = threading.get_ident()
        self.found: list[Diagnostic] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        if record.name == _PROGRESS_LOGGER.name:
            if self.progress is not None and record.msg == _LAYOUT_STEP and record.args:
                self.progress(int(record.args[0]))  # type: ignore[index]
            return
        if record.levelno < logging.WARNING:
            return
        message = record.getMessage()
        if any(url in message for url in self.fetcher.refused):
            return  # already reported, with the reason, by the fetcher
        severity = "error" if record.levelno >= logging.ERROR else "warning"
        self.found.append(Diagnostic(self.label, None, severity, f"PDF: {message}", "pdf-render"))


@contextmanager
def _capture(handler: _Collector) -> Iterator[None]:
    saved = (_LOGGER.level, _PROGRESS_LOGGER.level, _PROGRESS_LOGGER.propagate)
    _LOGGER.setLevel(logging.WARNING)
    _PROGRESS_LOGGER.setLevel(logging.INFO if handler.progress else logging.WARNING)
    _PROGRESS_LOGGER.propagate = False
    _LOGGER.addHandler(handler)
    _PROGRESS_LOGGER.addHandler(handler)
    try:
        yield
    finally:
        _LOGGER.removeHandler(handler)
        _PROGRESS_LOGGER.removeHandler(handler)
        _LOGGER.setLevel(saved[0])
        _PROGRESS_LOGGER.setLevel(saved[1])
        _PROGRESS_LOGGER.propagate = saved[2]


def render_pdf(
    html: str,
    *,
    base_url: str,
    allowed_roots: Sequence[Path],
    title: str,
    lang: str,
    author: str,
    subject: str,
    keywords: Sequence[str],
    created: datetime | None,
    modified: datetime | None,
    variant: str = "pdf/ua-1",
    label: str,
    progress: Progress | None = None,
    pages: Mapping[str, str] | None = None,
    numbering: pdfnumbers.Numbering | None = None,
) -> PdfResult:
    """Lay out ``html`` and write it as a tagged PDF.

    ``base_url`` resolves the document's relative URLs (a ``file:`` URL of a folder, ending in
    ``/``); ``label`` names the handbook in diagnostics (e.g. ``pdf/briefing.en.pdf``). ``pages`` maps
    the id of an element holding one page of content (a chapter) to that page's source file: a problem
    with a resource inside it is reported at that file. Raises :class:`HandpressError` if WeasyPrint
    itself fails. With ``numbering`` the document is one part of a book (:mod:`handpress.handbook.numbers`):
    its page numbers come from the other parts, and :class:`pdfnumbers.Renumbered` is raised when
    a number does not fit the space laid out for it.
    """
    if variant not in VARIANTS:
        raise HandpressError([Diagnostic(label, None, "error", f"unknown PDF variant '{variant}' "
                                         f"(expected one of {', '.join(VARIANTS)})", "pdf-variant")])
    fetcher = ProjectFetcher(allowed_roots)
    handler = _Collector(label, fetcher, progress)
    options = {
        "pdf_variant": variant,
        "pdf_tags": True,  # pdf/a-3u alone is untagged
        "full_fonts": False,  # embed subsets
        "hinting": False,
        "uncompressed_pdf": False,
        "custom_metadata": False,
        "presentational_hints": False,
    }
    try:
        with _capture(handler), _numbered(numbering) as session:
            source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            kinds, owners = _resource_kinds(source, pages or {})
            if numbering is not None:
                pdfnumbers.prepare(source.etree_element, numbering.digits)
            document = source.render(**options)
            first = session.numbers.first if session and session.numbers else 1
            lost = [(page + first - 1, text) for page, text in _lost_footnotes(document)]
            _set_metadata(document.metadata, title=title, lang=lang, author=author, subject=subject,
                          keywords=keywords, created=created, modified=modified)
            with languages.document(lang):
                data = document.write_pdf(finisher=_finisher(modified), **options)
    except _ENGINE_FAILURES as exc:
        raise HandpressError([Diagnostic(label, None, "error", f"PDF: WeasyPrint failed: "
                                         f"{type(exc).__name__}: {exc}", "pdf-render")]) from exc
    refused = [
        _at_page(Diagnostic(label, None, "error", f"refused to embed the {kinds.get(url, 'resource')} "
                            f"'{_short(url)}': {reason}", "pdf-resource"), owners.get(url))
        for url, reason in fetcher.refused.items()
    ]
    said = [_at_page(d, next((owners[url] for url in owners if url in d.message), None)) for d in handler.found]
    dropped = [
        Diagnostic(label, None, "error", f"PDF: the footnote called on page {page} was lost in layout "
                   f"(\"{_short(text, 60)}\"); WeasyPrint drops a footnote in some page breaks: move or "
                   "reword the sentence, or make the note part of the text", "pdf-footnote")
        for page, text in lost
    ]
    return PdfResult(bytes(data), len(document.pages), tuple(refused + said + dropped))


@contextmanager
def _numbered(numbering: pdfnumbers.Numbering | None) -> Iterator[Any]:
    if numbering is None:
        yield None
    else:
        with pdfnumbers.numbered(numbering) as session:
            yield session


def _at_page(diagnostic: Diagnostic, source: str | None) -> Diagnostic:
    """A handbook's diagnostic moved to the page whose content caused it, the handbook named in the message."""
    if source is None:
        return diagnostic
    return Diagnostic(source, None, diagnostic.severity, f"in {diagnostic.path}: {diagnostic.message}",
                      diagnostic.code)


def _lost_footnotes(document: weasyprint.Document) -> list[tuple[int, str]]:
    """(page, text) of each footnote whose call was laid out but whose note is on no page.

    WeasyPrint 70 can drop a note when it moves content back after placing it (Kozea/WeasyPrint
    #1564, #2432 are relatives); content must never vanish silently. Reads the laid-out boxes.
    """
    calls: dict[int, tuple[int, str]] = {}
    placed: set[int] = set()
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if isinstance(box, FootnoteAreaBox):
                placed.update(id(child.element) for child in box.children)
            note = getattr(box, "footnote", None)
            if note is not None and box.element_tag.endswith("::footnote-call"):
                text = " ".join("".join(note.element.itertext()).split())
                calls.setdefault(id(note.element), (number, text))
    return [where for key, where in calls.items() if key not in placed]


def _resource_kinds(source: weasyprint.HTML, pages: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """What the document's own elements fetch, by absolute URL: the kind of each, to name it in
    diagnostics, and the source file of the page (``pages``: element id -> file) holding it."""
    kinds: dict[str, str] = {}
    owners: dict[str, str] = {}

    def visit(element: Any, owner: str | None) -> None:
        owner = pages.get(str(element.get("id", "")), owner)
        rel = set(str(element.get("rel", "")).lower().split())
        found = None
        if element.tag == "img" and element.get("src"):
            found = urljoin(source.base_url, element.get("src")), "image"
        elif element.tag in ("link", "a") and "attachment" in rel and element.get("href"):
            found = urljoin(source.base_url, element.get("href")), "attachment"
        elif element.tag == "link" and "stylesheet" in rel and element.get("href"):
            found = urljoin(source.base_url, element.get("href")), "stylesheet"
        if found:
            kinds[found[0]] = found[1]
            if owner is not None:
                owners.setdefault(found[0], owner)
        for child in element:
            visit(child, owner)

    visit(source.etree_element, None)
    return kinds, owners


def _set_metadata(metadata: weasyprint.document.DocumentMetadata, *, title: str, lang: str, author: str,
                  subject: str, keywords: Sequence[str], created: datetime | None,
                  modified: datetime | None) -> None:
    """The PDF's metadata from the arguments, not from whatever the HTML's <meta> says (an undated
    handbook has no dates)."""
    metadata.title = title
    metadata.lang = lang
    metadata.authors = [author] if author else []
    metadata.description = subject or None
    metadata.keywords = [k for k in keywords if k]
    metadata.generator = f"handpress (WeasyPrint {weasyprint.__version__})"
    metadata.created = w3c_date(created) if created else None
    metadata.modified = w3c_date(modified) if modified else None
    for attachment in metadata.attachments if modified else ():
        attachment.created = attachment.modified = modified


def _finisher(when: datetime | None) -> Callable[[object, pydyf.PDF], None]:
    """Last touches on the PDF objects before WeasyPrint writes them:

    - embedded files (``<a rel=attachment>`` is dated "now" by WeasyPrint) get the document's
      date, or none in an undated handbook, so the output does not depend on the clock;
    - the XMP metadata stream is left uncompressed, as PDF/A wants and metadata readers expect;
    - the structure tree's list items and links repaired (:mod:`handpress.handbook.tagging`).
    """
    stamp = pydyf.String(_utc(when).strftime("D:%Y%m%d%H%M%SZ")) if when else None

    def finish(document: object, pdf: pydyf.PDF) -> None:
        for obj in pdf.objects:
            extra = getattr(obj, "extra", None)
            if not isinstance(extra, dict):
                continue
            if extra.get("Type") == "/EmbeddedFile" and "Params" in extra:
                for key in ("CreationDate", "ModDate"):
                    if stamp is None:
                        extra["Params"].pop(key, None)
                    else:
                        extra["Params"][key] = stamp
            elif extra.get("Type") == "/Metadata" and extra.get("Subtype") == "/XML":
                obj.compress = False
        tagging.repair(pdf)  # list bodies and links as PDF/UA wants them (handbook.tagging)

    return finish


def w3c_date(when: datetime) -> str:
    """``2026-11-01T00:00:00Z``: the W3C date format WeasyPrint writes to /Info and XMP."""
    return _utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def _short(text: str, limit: int = 80) -> str:
    """A data: URL or a quoted text cut to ``limit`` characters; file and web addresses are whole."""
    if len(text) <= limit or text.startswith(("file:", "http:", "https:")):
        return text
    return text[: limit - 1] + "…"


def file_url(path: Path) -> str:
    """The ``file:`` URL of a folder or file, a folder's ending in ``/`` (for ``base_url``)."""
    url = path.resolve().as_uri()
    return url + "/" if path.is_dir() and not url.endswith("/") else url

