"""The Markdown stage: parse once with markdown-it-py, lint the tokens, render per variant.

Parsing happens once per document. Each variant (graphical, text-only, print, handbook) has its
own renderer class in :mod:`handpress.site.renderers`, which turns the same tokens into its HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from handpress.errors import Diagnostic
from handpress.site.characters import has_controls, replace_controls
from handpress.site.content import Document
from handpress.site.lint import Heading, Image, Link, Linter, plain_text
from handpress.site.rawblocks import raw_pre_plugin
from handpress.site.sanitize import RawTag


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
    raw_tags: tuple[RawTag, ...] = ()  # start tags in raw HTML, for the site checks
    plain: bool = False  # nothing in it that cleaning would change (see :func:`plain`)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False, "xhtmlOut": False})  # <br>, as cleaning writes
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin).use(admon_plugin)
    md.use(attrs_plugin).use(attrs_block_plugin)
    md.use(raw_pre_plugin)
    return md


def _mark_default_titles(tokens: list[Token]) -> None:
    """An admonition written without a title (``!!! note``) gets the plugin's English word ("Note");
    its title token is marked with the kind, so the renderers can put the reader's word instead."""
    for here, after in zip(tokens, tokens[1:]):
        if here.type == "admonition_open" and after.type == "admonition_title_open" and " " not in here.info.strip():
            after.meta = {**(after.meta or {}), "default_title": here.meta.get("tag", "")}


def parse(doc: Document) -> Fragment:
    """Parse a document's body and lint what it holds (alt text, heading levels, links)."""
    md = parser()
    env: dict[str, Any] = {}
    lint = Linter(doc)
    body = doc.body
    if has_controls(body):
        body, controls = replace_controls(body)
        for offset, names in controls.items():
            lint.warn(doc.body_line + offset, f"control character{'s' if len(names) > 1 else ''} "
                      f"{', '.join(names)} cannot be published (HTML forbids them, fonts have no glyph): shown as "
                      "a stand-in (␂, �); remove or describe it", "control-character")
    tokens = md.parse(body, env)
    tokens, title = _take_title(tokens)
    _captions(tokens)
    _mark_default_titles(tokens)
    for i, tok in enumerate(tokens[:-1]):
        if tok.type == "heading_open":
            _trailing_attrs(tok, tokens[i + 1])  # ``## Title {#id}``
    walk = lint.walk(tokens)
    raw_tags = lint.raw_html(walk)
    taken = lint.explicit_ids(walk, raw_tags)
    headings = lint.headings(tokens, has_title=title is not None or doc.meta.title is not None, taken=taken)
    links, images = lint.references(tokens, walk)
    ids = frozenset(h.id for h in headings) | frozenset(taken)
    return Fragment(
        source=doc.source,
        tokens=tuple(tokens),
        title=title,
        headings=tuple(headings),
        links=tuple(links + lint.raw_links),
        images=tuple(images + lint.raw_images),
        ids=ids,
        diagnostics=tuple(lint.diagnostics),
        raw_tags=tuple(raw_tags),
        plain=walk.plain,
    )


def _take_title(tokens: list[Token]) -> tuple[list[Token], str | None]:
    """A leading ``# Heading`` is the page's h1, which the template renders (:attr:`Page.heading`); it
    names the page too, unless the front matter has a ``title`` (as MkDocs does)."""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        _trailing_attrs(tokens[0], tokens[1])
        return tokens[3:], plain_text(tokens[1])
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
