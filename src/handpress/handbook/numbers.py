"""Page numbers for a part of a book laid out on its own (the parallel PDF path, :mod:`handpress.handbook.parts`).

A part cannot know its page numbers while it is laid out: they depend on how many pages the parts
before it have. Chapters start on a new page, so a part's pagination does not depend on where it
starts, provided no text in its flow changes width. So a part is laid out with every in-document
page reference (the contents' numbers, "(see page N)") showing a placeholder of ``digits`` zeros, in
tabular figures; once paginated, it reports its page count and the page of each element id
(:meth:`Numbering.measured`), is told the real numbers, and before its margin boxes (running heads,
"Page X of Y") are made:

- each placeholder becomes the real number and its text is shaped again; a number with fewer digits is
  narrower, and its line closes up around it (:mod:`.refit`: no gap, as if laid out with the number);
  one wider than its placeholder is a :class:`Renumbered` error (the caller lays the book out another
  way, never prints a wrong number);
- the margin boxes see the page counter moved by the part's first page and ``pages`` set to the book's.

This reaches into WeasyPrint 70's layout (``layout_document`` calls ``make_all_pages`` then
``make_margin_boxes`` page by page); the hooks are installed only around one render.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Protocol
from urllib.parse import quote, unquote

import weasyprint.layout
from weasyprint.formatting_structure.boxes import ParentBox, TextBox
from weasyprint.text.line_break import split_first_line

from handpress.handbook import refit

ATTRIBUTE = "data-page"  # the placeholder's attribute, read by the part's CSS (``attr(data-page)``)
SCHEME = "handpress-xref:"  # a link to an id in another part, made an in-document link by pdfmerge
PLACEHOLDER_DIGIT = "0"  # a tabular digit, as wide as any other


@dataclass(frozen=True)
class Numbers:
    """What a part learns once every part is paginated."""

    first: int  # the printed number of the part's first page
    total: int  # pages in the book
    pages: Mapping[str, int]  # element id -> printed page number, across the book


class Numbering(Protocol):
    """The other parts, as one part sees them."""

    digits: int  # width of a placeholder

    def measured(self, pages: int, anchors: dict[str, int]) -> Numbers:
        """Report this part's page count and the page index (from 0) of each id; get the numbers."""
        ...


class Renumbered(Exception):
    """A number did not fit its placeholder (more digits, or a font without tabular figures)."""


def prepare(root: Any, digits: int) -> None:
    """Before layout: each ``<a href="#id">`` gets a placeholder; one to an id outside the part points
    to ``handpress-xref:id`` (WeasyPrint drops in-document links it cannot resolve)."""
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    for element in root.iter("a"):
        href = element.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            element.set(ATTRIBUTE, PLACEHOLDER_DIGIT * digits)
            target = unquote(href[1:])  # as WeasyPrint reads a fragment
            if target not in ids:
                element.set("href", SCHEME + quote(target, safe=""))


def _target(element: Any) -> str:
    href = element.get("href") or ""
    return unquote(href[len(SCHEME):] if href.startswith(SCHEME) else href[1:])


class _Session:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.pages: list[Any] = []
        self.numbers: Numbers | None = None

    def settle(self, context: Any) -> Numbers:
        """Measure the paginated part, wait for the numbers, put them in its text."""
        anchors: dict[str, int] = {}
        placeholders: list[tuple[Any, list[Any]]] = []
        for index, page in enumerate(self.pages):
            for box, path in _walk(page, []):
                element = box.element
                if element is None:
                    continue
                ident = element.get("id")
                pseudo = "::" in (box.element_tag or "")
                if ident and not pseudo and ident not in anchors:
                    anchors[ident] = index
                if pseudo and isinstance(box, TextBox) and element.get(ATTRIBUTE):
                    placeholders.append((box, path))
        numbers = self.numbering.measured(len(self.pages), anchors)
        digits = self.numbering.digits
        for box, path in placeholders:
            placeholder = box.element.get(ATTRIBUTE)
            if placeholder not in box.text:
                continue  # the text before the number, on the line above it
            number = str(numbers.pages.get(_target(box.element), "?"))
            if len(number) > digits:
                raise Renumbered(f"page {number} has more than {digits} digits")
            _reshape(box, path, box.text.replace(placeholder, number, 1), context)
        return numbers


def _walk(box: Any, path: list[Any]) -> Iterator[tuple[Any, list[Any]]]:
    """Every box under ``box`` with its ancestors, from the page down."""
    yield box, path
    if isinstance(box, ParentBox):
        inner = [*path, box]
        for child in box.children:
            yield from _walk(child, inner)


def _reshape(box: TextBox, path: list[Any], text: str, context: Any) -> None:
    layout, _, _, width, _, _ = split_first_line(text, box.style, context, None, box.justification_spacing,
                                                 is_line_start=False)
    if layout.text != text or width > box.width + refit.EPSILON:
        raise Renumbered(f"{text!r} is {width:.2f}pt wide, more than its placeholder's {box.width:.2f}pt")
    delta = box.width - width
    box.text = layout.text
    box.pango_layout = layout
    box.width = width
    refit.close_up(box, path, delta)


_active: _Session | None = None
_make_all_pages = weasyprint.layout.make_all_pages
_make_margin_boxes = weasyprint.layout.make_margin_boxes


def _all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> list[Any]:
    made = list(_make_all_pages(context, root_box, html, pages))
    if _active is not None:
        _active.pages = made
    return made


def _margin_boxes(context: Any, page: Any, state: Any) -> Any:
    session = _active
    if session is None:
        return _make_margin_boxes(context, page, state)
    if session.numbers is None:
        session.numbers = session.settle(context)
    quote_depth, counters, scopes, groups = state
    counters = dict(counters)
    counters["page"] = [value + session.numbers.first - 1 for value in counters.get("page", [1])]
    counters["pages"] = [session.numbers.total]
    return _make_margin_boxes(context, page, (quote_depth, counters, scopes, groups))


@contextlib.contextmanager
def numbered(numbering: Numbering) -> Iterator[_Session]:
    """Install the hooks for one render (one part per process: not thread-safe, not re-entrant); the
    session's ``numbers`` are known once the render is done."""
    global _active
    _active = _Session(numbering)
    weasyprint.layout.make_all_pages = _all_pages
    weasyprint.layout.make_margin_boxes = _margin_boxes
    try:
        yield _active
    finally:
        weasyprint.layout.make_all_pages = _make_all_pages
        weasyprint.layout.make_margin_boxes = _make_margin_boxes
        _active = None
