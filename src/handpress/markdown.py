"""The Markdown stage: parse once with markdown-it-py, lint the tokens, render per variant.

Parsing happens once per document. Each variant (graphical, text-only, print, handbook) has its
own renderer class in :mod:`handpress.renderers`, which turns the same tokens into its HTML.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError, parse as parse_attrs
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from handpress.content import Document
from handpress.errors import Diagnostic


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    line: int


@dataclass(frozen=True)
class Link:
    href: str
    line: int
    text: str
    target: str | None  # content-relative .md path for links between pages
    anchor: str


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    line: int
    asset: str | None  # content-relative path of a local image


@dataclass(frozen=True)
class Fragment:
    """A parsed document: tokens to render, and what the linter learned from them."""

    source: str
    tokens: tuple[Token, ...]
    title: str | None
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    images: tuple[Image, ...]
    ids: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin).use(admon_plugin)
    md.use(attrs_plugin).use(attrs_block_plugin)
    return md


def parse(doc: Document) -> Fragment:
    """Parse a document's body and lint what it holds (alt text, heading levels, links)."""
    md = parser()
    env: dict[str, Any] = {}
    tokens = md.parse(doc.body, env)
    lint = _Linter(doc)
    tokens, title = _take_title(tokens)
    _captions(tokens)
    headings = lint.headings(tokens, has_title=title is not None or doc.meta.title is not None)
    links, images = lint.references(tokens)
    ids = frozenset(h.id for h in headings) | frozenset(
        t.attrs["id"] for t in _walk(tokens) if isinstance(t.attrs.get("id"), str)
    )
    return Fragment(
        source=doc.source,
        tokens=tuple(tokens),
        title=title,
        headings=tuple(headings),
        links=tuple(links),
        images=tuple(images),
        ids=ids,
        diagnostics=tuple(lint.diagnostics),
    )


def _walk(tokens: list[Token] | tuple[Token, ...]):
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


def _take_title(tokens: list[Token]) -> tuple[list[Token], str | None]:
    """A leading ``# Heading`` is the page title: the template renders it as the page's h1."""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        return tokens[3:], tokens[1].content.strip()
    return tokens, None


def _captions(tokens: list[Token]) -> None:
    """A paragraph ``Table: …`` right before a table becomes the table's caption."""
    i = 0
    while i + 3 < len(tokens):
        para, inline, close, table = tokens[i : i + 4]
        if (
            para.type == "paragraph_open"
            and inline.type == "inline"
            and inline.content.startswith("Table: ")
            and close.type == "paragraph_close"
            and table.type == "table_open"
        ):
            table.meta = {**(table.meta or {}), "caption": inline.content[len("Table: ") :].strip()}
            del tokens[i : i + 3]
        i += 1


class _Linter:
    def __init__(self, doc: Document):
        self.doc = doc
        self.diagnostics: list[Diagnostic] = []
        self.base_dir = posixpath.dirname(doc.base)

    def line(self, token: Token | None) -> int:
        if token is not None and token.map:
            return self.doc.body_line + token.map[0]
        return self.doc.body_line

    def warn(self, token: Token | None, message: str, code: str, severity: str = "warning") -> None:
        self.diagnostics.append(Diagnostic(self.doc.source, self.line(token), severity, message, code))

    def headings(self, tokens: list[Token], has_title: bool) -> list[Heading]:
        found: list[Heading] = []
        used: set[str] = set()
        previous = 1
        for i, tok in enumerate(tokens):
            if tok.type != "heading_open":
                continue
            inline = tokens[i + 1]
            _trailing_attrs(tok, inline)
            level = int(tok.tag[1])
            text = "".join(c.content for c in _walk(inline.children or []) if c.type in ("text", "code_inline"))
            text = text.strip() or inline.content.strip()
            if level == 1:
                self.warn(tok, "a second level-1 heading; the page title is the only h1, use '##' for sections",
                          "heading-h1")
            elif level > previous + 1:
                self.warn(tok, f"heading level skips from h{previous} to h{level}; use h{previous + 1}",
                          "heading-skip")
            previous = level
            ident = tok.attrs.get("id")
            if not isinstance(ident, str) or not ident:
                ident = slugify(text) or "section"
                base, n = ident, 1
                while ident in used:
                    ident, n = f"{base}-{n}", n + 1
                tok.attrs["id"] = ident
            elif ident in used:
                self.warn(tok, f"duplicate id '{ident}'", "duplicate-id", "error")
            used.add(ident)
            found.append(Heading(level, text, ident, self.line(tok)))
        if not has_title and not found:
            self.warn(None, "page has no heading: add a title in the front matter or a '# Heading'",
                      "no-heading")
        return found

    def references(self, tokens: list[Token]) -> tuple[list[Link], list[Image]]:
        links: list[Link] = []
        images: list[Image] = []
        block: Token | None = None
        for tok in tokens:
            if tok.map:
                block = tok
            for i, child in enumerate(tok.children or []):
                if child.type == "link_open":
                    links.append(self._link(child, tok.children, i, block))
                elif child.type == "image":
                    images.append(self._image(child, block))
        return links, images

    def _link(self, tok: Token, siblings: list[Token], i: int, block: Token | None) -> Link:
        href = str(tok.attrs.get("href", ""))
        text = ""
        for sib in siblings[i + 1 :]:
            if sib.type == "link_close":
                break
            text += sib.content if sib.type != "image" else str(sib.content or sib.attrs.get("alt", ""))
        if not text.strip():
            self.warn(block, f"link to '{href}' has no text; screen readers announce it as just 'link'",
                      "empty-link")
        target, anchor = self._target(href)
        tok.meta = {**(tok.meta or {}), "target": target, "anchor": anchor}
        return Link(href, self.line(block), text.strip(), target, anchor)

    def _target(self, href: str) -> tuple[str | None, str]:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("/"):
            return None, ""
        if not parts.path:
            return (self.doc.base if parts.fragment else None), parts.fragment
        if not parts.path.endswith(".md"):
            return None, ""
        path = posixpath.normpath(posixpath.join(self.base_dir, unquote(parts.path)))
        return path, parts.fragment

    def _image(self, tok: Token, block: Token | None) -> Image:
        src = str(tok.attrs.get("src", ""))
        alt = "".join(c.content for c in tok.children or []) if tok.children else tok.content
        decorative = "decorative" in str(tok.attrs.get("class", "")).split()
        if not alt.strip() and not decorative:
            self.warn(block, f"image '{src}' has no alt text: describe it in ![…](…), or mark a purely "
                      "decorative image with ![](…){.decorative}", "image-alt", "error")
        if decorative:
            alt = ""
        tok.meta = {**(tok.meta or {}), "alt": alt}
        parts = urlsplit(src)
        asset = None
        if not parts.scheme and not parts.netloc and not src.startswith("/") and parts.path:
            asset = posixpath.normpath(posixpath.join(self.base_dir, unquote(parts.path)))
        tok.meta["asset"] = asset
        return Image(src, alt, self.line(block), asset)


def _trailing_attrs(heading: Token, inline: Token) -> None:
    """``## Title {#id .class}``: attributes at the end of a heading (the attr_list style)."""
    children = inline.children or []
    if not children or children[-1].type != "text":
        return
    text = children[-1].content
    start = text.rfind("{")
    if start < 0 or not text.rstrip().endswith("}"):
        return
    try:
        length, attrs = parse_attrs(text[start:].rstrip())
    except ParseError:
        return
    if start + length + 1 != len(text.rstrip()):
        return
    children[-1].content = text[:start].rstrip()
    inline.content = inline.content[: inline.content.rfind("{")].rstrip()
    for key, value in attrs.items():
        heading.attrs[key] = value
