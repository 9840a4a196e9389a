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
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from handpress.errors import Diagnostic
from handpress.site.blocks import number_regions
from handpress.site.characters import has_controls, replace_controls
from handpress.site import extensions
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
    features: frozenset[str] = frozenset()  # what its page's templates need to know (see extensions.features)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False, "xhtmlOut": False})  # <br>, as cleaning writes
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin).use(admon_plugin)
    md.use(attrs_block_plugin)
    md.use(raw_pre_plugin)
    extensions.use(md)
    normalize = md.normalizeLink
    md.normalizeLink = lambda url: _one_fragment(normalize(url))  # type: ignore[method-assign]
    return md


def _one_fragment(url: str) -> str:
    """A link's address with one ``#``: a second one (``…/#/room/#name``) percent-encoded, as a URL's fragment
    cannot hold it (browsers read it the same; HTML validators reject it raw)."""
    head, mark, fragment = url.partition("#")
    return head + mark + fragment.replace("#", "%23")


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
    expanded = doc.snippets.expand(body) if doc.snippets is not None else None
    tokens = md.parse(expanded.text if expanded else body, env)
    if expanded is not None:
        extensions.line_mapped(tokens, expanded.lines)
        for line, message in expanded.problems:
            lint.warn(doc.body_line + line, message, "snippet")
    tokens, title = _take_title(tokens)
    _captions(tokens)
    number_regions(tokens)
    _mark_default_titles(tokens)
    walk = lint.walk(tokens)
    for line, severity, message, code in extensions.notes(walk.noted):
        lint.warn(line, message, code, severity)
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
        features=extensions.features(tokens),
    )


def _take_title(tokens: list[Token]) -> tuple[list[Token], str | None]:
    """A leading ``# Heading`` is the page's h1, which the template renders (:attr:`Page.heading`); it
    names the page too, unless the front matter has a ``title`` (as MkDocs does)."""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
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
