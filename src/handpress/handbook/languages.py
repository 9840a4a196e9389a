"""Every run of text in a handbook PDF carries its language when it is not the document's (``/Lang``).

WeasyPrint 70 tags a PDF with the document's language only (the catalog's ``/Lang``), so a chapter shown
in English inside an Arabic handbook, a ``<span lang="ja">`` or an English book title read as Arabic by a
screen reader. Two hooks, installed once when the engine is imported:

- each text run's marked content gets ``/Lang`` in its property list (PDF 1.7, 14.9.2) when the text's
  language (its element's ``lang``) is not the document's;
- running heads are generated content (``string-set`` copied into a margin box), which WeasyPrint sets
  in the page's language; a named string keeps the language of the element that set it, and the text
  a margin box shows from it takes that language.

The document's language is set around one render by :func:`document`.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

import pydyf
import weasyprint.formatting_structure.build as build
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.pdf.stream import Stream

_state: dict[str, str | None] = {"lang": None}
_marked = Stream.marked
_compute_string_set = build.compute_string_set
_content_to_boxes = build.content_to_boxes


class _Named(str):
    """A named string's text, with the language of the element that set it."""

    lang: str | None = None


@contextlib.contextmanager
def document(lang: str | None) -> Iterator[None]:
    """Within: text in a language other than ``lang`` is tagged with its own."""
    saved = _state["lang"]
    _state["lang"] = lang
    try:
        yield
    finally:
        _state["lang"] = saved


@contextlib.contextmanager
def _marked_in_language(self: Stream, box: Any, tag: str) -> Iterator[None]:
    with _marked(self, box, tag):
        lang = box.style["lang"] if isinstance(box, TextBox) else None
        if self._tags is not None and box in self._tags and lang and lang.lower() != (_state["lang"] or "").lower():
            mcid = self._tags[box]["mcid"]
            for item in reversed(self.stream):
                if isinstance(item, pydyf.Dictionary) and item.get("MCID") == mcid:
                    item["Lang"] = pydyf.String(lang)
                    break
        yield


def _string_set(element: Any, box: Any, string_name: str, *args: Any) -> None:
    _compute_string_set(element, box, string_name, *args)
    for index, (name, text) in enumerate(box.string_set):
        if name == string_name and not isinstance(text, _Named):
            named = _Named(text)
            named.lang = box.style["lang"]
            box.string_set[index] = (name, named)


def _generated(style: Any, parent_box: Any, *args: Any) -> list[Any]:
    made = _content_to_boxes(style, parent_box, *args)
    context, page = (args[5], args[6]) if len(args) >= 7 else (None, None)
    if context is None or page is None or not isinstance(style["content"], (list, tuple)):
        return made
    langs = set()
    for kind, value in style["content"]:
        if kind == "string()":
            langs.update(getattr(text, "lang", None) for text in context.get_string_set_for(page, *value))
    if len(langs) == 1 and None not in langs and next(iter(langs)) != style["lang"]:  # one source, another language
        lang = next(iter(langs))
        for box in made:
            if isinstance(box, TextBox):
                box.style = box.style.copy()
                box.style["lang"] = lang
    return made


def install() -> None:
    Stream.marked = _marked_in_language
    build.compute_string_set = _string_set
    build.content_to_boxes = _generated
