"""Raw HTML from content is cleaned against an allowlist (nh3, the ammonia sanitiser).

The renderers escape everything they take from Markdown, but Markdown may hold raw HTML, and the
attributes plugin lets authors set attributes. So the whole rendered body of a fragment is cleaned
once per render (one nh3 call; a tag opened in one raw HTML token and closed in another is seen
whole). The allowlist holds everything the renderers emit plus ordinary content markup; scripts,
styles, event handlers, ``javascript:`` URLs, iframes, objects and forms never reach a page.
``trusted_html = true`` in handpress.toml turns cleaning off.

:func:`scan` reads raw HTML with the standard library's HTML parser so the Markdown linter and the
site checks can report what a raw tag lacks (alt text) or what cleaning will remove, by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp",
    "rt", "ruby", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr", "aside", "article",
    "address", "nav",
})
# Removed together with everything inside them (the rest of a disallowed tag's text is kept).
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select",
    "svg", "math", "frame", "frameset", "applet",
})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title", "role", "translate"})
ATTRIBUTE_PREFIXES = frozenset({"aria-"})
ATTRIBUTES = {
    "*": set(GENERIC_ATTRIBUTES),
    "a": {"href", "hreflang", "rel", "type", "download"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "th": {"scope", "colspan", "rowspan", "headers", "abbr"},
    "td": {"colspan", "rowspan", "headers"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "data": {"value"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "details": {"open"},
    "pre": {"tabindex"},  # scrolling code and tables are keyboard stops (site/blocks.py)
    "div": {"tabindex"},
}
DIMENSIONS = frozenset({"width", "height"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean(html: str) -> str:
    """``html`` with everything outside the allowlist removed."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES),
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        attribute_filter=_attribute,
    )


def _attribute(tag: str, name: str, value: str) -> str | None:
    """An image's ``width``/``height`` as HTML wants it, a number of pixels (``400px`` is ``400``)."""
    if tag == "img" and name in DIMENSIONS:
        return pixels(value)
    return value


def pixels(value: str) -> str | None:
    """``value`` as a whole number of CSS pixels, or None when it is none (``50%``, ``auto``)."""
    match = re.fullmatch(r"\s*(\d+)(?:\.\d*)?\s*(?:px)?\s*", value, flags=re.I)
    return str(int(match.group(1))) if match else None


@dataclass(frozen=True)
class RawTag:
    """A start tag found in raw HTML: its line in the source file, and where it is in the raw text
    (``offset`` and ``length`` of the tag as written), so that a renderer can write it anew in place."""

    name: str
    attrs: tuple[tuple[str, str | None], ...]
    line: int
    offset: int = 0
    length: int = 0

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.attrs)


class _Scanner(HTMLParser):
    def __init__(self, html: str, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.starts = [0]  # the offset of each line (the parser counts lines by line feeds alone)
        for text in html.split("\n"):
            self.starts.append(self.starts[-1] + len(text) + 1)
        self.tags: list[RawTag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        written = self.get_starttag_text() or ""
        self.tags.append(RawTag(tag, tuple(attrs), self.first_line + line - 1, self.starts[line - 1] + column,
                                len(written)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def scan(html: str, first_line: int = 1) -> list[RawTag]:
    """Every start tag in a piece of raw HTML; ``first_line`` is the line the raw text starts on."""
    scanner = _Scanner(html, first_line)
    scanner.feed(html)
    scanner.close()
    return scanner.tags


def removed(tag: RawTag) -> list[str]:
    """What :func:`clean` takes away from this tag, in words ('<script>', 'onclick on <a>')."""
    if tag.name in DROPPED_WITH_CONTENT:
        return [f"<{tag.name}> and its content"]
    if tag.name not in TAGS:
        return [f"<{tag.name}>"]
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag.name, set())
    found = []
    for key, value in tag.attrs:
        if key not in allowed and not any(key.startswith(p) for p in ATTRIBUTE_PREFIXES):
            found.append(f"{key}=… on <{tag.name}>")
        elif tag.name == "img" and key in DIMENSIONS and value is not None and pixels(value) is None:
            found.append(f"the {key} '{value}' on <img> (not a number of pixels)")
        elif key in URL_ATTRIBUTES and value and not _safe_url(value):
            found.append(f"the {key} '{value}' on <{tag.name}>")
    return found


def _safe_url(value: str) -> bool:
    try:
        scheme = urlsplit(value.strip()).scheme
    except ValueError:
        return False
    return not scheme or scheme.lower() in URL_SCHEMES
