"""The Markdown stage: parse once with markdown-it-py, lint the tokens, render per variant.

Parsing happens once per document. Each variant (graphical, text-only, print, handbook) has its
own renderer class in :mod:`handpress.renderers`, which turns the same tokens into its HTML.
"""

from __future__ import annotations

import posixpath
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Mapping, Sequence
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
from handpress import sanitize
from handpress.sanitize import RawTag, scan

# Ids the page templates give their own elements (landmarks, skip-link targets, section titles).
# A heading's generated id steps around them; an id an author sets to one of them is an error.
RESERVED_IDS = frozenset({"main", "breadcrumbs", "global-nav", "section-nav", "section-nav-title",
                          "children-title", "print-links-title"})


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
    asset: str | None = None  # content-relative path of a local file (a PDF, a spreadsheet)


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
    raw_tags: tuple[RawTag, ...] = ()  # start tags in raw HTML, for the site checks
    plain: bool = False  # nothing in it that cleaning would change (see :func:`_plain`)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False, "xhtmlOut": False})  # <br>, as cleaning writes
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin).use(admon_plugin)
    md.use(attrs_plugin).use(attrs_block_plugin)
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
    tokens = md.parse(doc.body, env)
    lint = _Linter(doc)
    first = tokens[0] if tokens else None
    tokens, title = _take_title(tokens)
    if title is not None and doc.meta.title and doc.meta.title.strip() != title:
        lint.warn(first, f"the front matter title '{doc.meta.title.strip()}' is the page's h1, so the heading "
                  f"'# {title}' is not shown; remove one of them", "heading-h1")
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
        links=tuple(links),
        images=tuple(images),
        ids=ids,
        diagnostics=tuple(lint.diagnostics),
        raw_tags=tuple(raw_tags),
        plain=walk.plain,
    )


def _plain(tokens: Sequence[Token]) -> bool:
    """True if the rendered body can hold nothing the sanitiser would remove: no raw HTML, only tags and
    attributes it allows, only URLs with schemes it allows. Such a body skips cleaning (a tenth of the
    build's time); anything else is cleaned."""
    return all(_plain_token(tok) for tok in _walk(tokens))


def _plain_token(tok: Token) -> bool:
    """:func:`_plain` for one token, not its children. Column alignment (``style="text-align:…"`` on a
    cell) is allowed because the renderers turn it into a class."""
    if tok.type in ("html_block", "html_inline"):
        return False
    if not tok.tag:
        return True
    if not tok.attrs:
        return not _cleaned(tok.tag, ())
    attrs = tuple((k, str(v)) for k, v in tok.attrs.items()
                  if not (k == "style" and tok.tag in ("th", "td") and str(v).startswith("text-align:")))
    return not _cleaned(tok.tag, attrs)


@lru_cache(maxsize=1024)
def _cleaned(tag: str, attrs: tuple[tuple[str, str], ...]) -> bool:
    """Whether cleaning would change this tag (most are a bare <p>, <li>, <td>: asked once each)."""
    return bool(sanitize.removed(RawTag(tag, attrs, 0)))


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


def _take_title(tokens: list[Token]) -> tuple[list[Token], str | None]:
    """A leading ``# Heading`` is the page title: the template renders it as the page's h1."""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        _trailing_attrs(tokens[0], tokens[1])
        return tokens[3:], _plain_text(tokens[1])
    return tokens, None


def _plain_text(inline: Token) -> str:
    """The words of an inline token, without Markdown syntax (``*very* `big` `` -> ``very big``)."""
    words = {"text": None, "code_inline": None, "softbreak": " ", "hardbreak": " "}
    text = "".join(c.content if words[c.type] is None else str(words[c.type])
                   for c in _walk(inline.children or []) if c.type in words)
    return text.strip() or inline.content.strip()


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


@dataclass
class _Walk:
    """What one pass over a document's tokens found (:meth:`_Linter.walk`)."""

    raw: list[tuple[Token, int]] = field(default_factory=list)  # raw HTML tokens, at their lines
    authored: list[tuple[int, str]] = field(default_factory=list)  # (line, id) the author set
    footnotes: dict[str, int] = field(default_factory=dict)  # footnote ids, at their first line
    lines: dict[int, int] = field(default_factory=dict)  # id(link or image token) -> its line
    plain: bool = True  # see _plain

    def visit(self, tok: Token, line: int) -> None:
        kind = tok.type
        if kind == "html_block" or kind == "html_inline":
            self.raw.append((tok, line))
        elif kind == "link_open" or kind == "image":
            self.lines[id(tok)] = line
        elif kind == "footnote_ref" or kind == "footnote_open":
            for name in _footnote_ids(tok):
                self.footnotes.setdefault(name, line)
        if tok.attrs:
            ident = tok.attrs.get("id")
            if isinstance(ident, str) and ident:
                self.authored.append((line, ident))
        if self.plain and not _plain_token(tok):
            self.plain = False


class _Linter:
    def __init__(self, doc: Document):
        self.doc = doc
        self.diagnostics: list[Diagnostic] = []
        self.base_dir = posixpath.dirname(doc.base)

    def line(self, token: Token | None) -> int:
        if token is not None and token.map:
            return self.doc.body_line + token.map[0]
        return self.doc.body_line

    def warn(self, token: Token | int | None, message: str, code: str, severity: str = "warning") -> None:
        line = token if isinstance(token, int) else self.line(token)
        self.diagnostics.append(Diagnostic(self.doc.source, line, severity, message, code))

    def walk(self, tokens: list[Token]) -> _Walk:
        """One pass over the tokens and their inline children, each at the source line it starts on
        (children counted by line breaks), gathering what the checks read."""
        walk = _Walk()
        line = self.doc.body_line
        for tok in tokens:
            if tok.map:
                line = self.line(tok)
            walk.visit(tok, line)
            offset = 0
            for child in tok.children or ():
                walk.visit(child, line + offset)
                if child.children and walk.plain:  # an image's alt text
                    walk.plain = _plain(child.children)
                offset += 1 if child.type in ("softbreak", "hardbreak") else child.content.count("\n")
        return walk

    def raw_html(self, walk: _Walk) -> list[RawTag]:
        """Start tags in raw HTML; a raw ``<img>`` needs alt text like a Markdown one."""
        found: list[RawTag] = []
        for tok, line in walk.raw:
            found.extend(scan(tok.content, first_line=line))
        for tag in found:
            src = tag.get("src") if tag.name == "img" else tag.get("href") if tag.name == "a" else None
            if tag.name == "img" and not tag.has("alt"):
                self.warn(tag.line, f"raw HTML image '{src or ''}' has no alt attribute: describe it in alt=\"…\", "
                          "or write alt=\"\" if it is purely decorative", "image-alt", "error")
            if src and _local(src) and not src.startswith("#"):
                self.warn(tag.line, f"the path '{src}' in raw HTML <{tag.name}> is not adjusted to the page's URL and "
                          "will not be found; use a Markdown link or image instead", "raw-html-path")
        return found

    def explicit_ids(self, walk: _Walk, raw_tags: list[RawTag]) -> dict[str, int]:
        """Ids the author set (``{#id}``, raw HTML) and the footnotes' ids, in page order; reports clashes."""
        authored = walk.authored + [(tag.line, str(tag.get("id"))) for tag in raw_tags if tag.get("id")]
        seen: dict[str, int] = {}
        for line, ident in sorted(authored, key=lambda pair: pair[0]):
            self._claim(seen, ident, line)
        return {**walk.footnotes, **seen}

    def _claim(self, seen: dict[str, int], ident: str, line: int) -> None:
        if ident in RESERVED_IDS:
            self.warn(line, f"id '{ident}' is used by the page template ({', '.join(sorted(RESERVED_IDS))} are "
                      "reserved); choose another id", "duplicate-id", "error")
        elif ident in seen:
            self.warn(line, f"duplicate id '{ident}' (first used on line {seen[ident]}); ids must be unique "
                      "in a page", "duplicate-id", "error")
        seen.setdefault(ident, line)

    def headings(self, tokens: list[Token], has_title: bool, taken: Mapping[str, int] | None = None) -> list[Heading]:
        """The page's headings with their ids; generated ids step around ``taken`` and reserved ones."""
        found: list[Heading] = []
        used: set[str] = set(taken or {})
        previous = 1
        for i, tok in enumerate(tokens):
            if tok.type != "heading_open":
                continue
            inline = tokens[i + 1]
            level = int(tok.tag[1])
            text = _plain_text(inline)
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
                while ident in used or ident in RESERVED_IDS:
                    ident, n = f"{base}-{n}", n + 1
                tok.attrs["id"] = ident
            used.add(ident)
            found.append(Heading(level, text, ident, self.line(tok)))
        if not has_title and not found:
            self.warn(None, "page has no heading: add a title in the front matter or a '# Heading'",
                      "no-heading")
        return found

    def references(self, tokens: list[Token], walk: _Walk) -> tuple[list[Link], list[Image]]:
        links: list[Link] = []
        images: list[Image] = []
        for tok in tokens:
            children = tok.children
            if not children:  # links and images are inline children
                continue
            for i, child in enumerate(children):
                if child.type == "link_open":
                    links.append(self._link(child, children, i, walk.lines[id(child)]))
                elif child.type == "image":
                    images.append(self._image(child, walk.lines[id(child)]))
        return links, images

    def _link(self, tok: Token, siblings: list[Token], i: int, line: int) -> Link:
        href = str(tok.attrs.get("href", ""))
        text = ""
        for sib in siblings[i + 1 :]:
            if sib.type == "link_close":
                break
            text += sib.content if sib.type != "image" else str(sib.content or sib.attrs.get("alt", ""))
        if not text.strip():
            self.warn(line, f"link to '{href}' has no text; screen readers announce it as just 'link'",
                      "empty-link")
        target, anchor = self._target(href)
        parts = urlsplit(href)
        asset = None
        if target is None and _local(href) and parts.path:
            asset = posixpath.normpath(posixpath.join(self.base_dir, unquote(parts.path)))
            suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
            tok.meta = {**(tok.meta or {}), "asset": asset, "suffix": suffix}
        tok.meta = {**(tok.meta or {}), "target": target, "anchor": anchor}
        return Link(href, line, text.strip(), target, anchor, asset)

    def _target(self, href: str) -> tuple[str | None, str]:
        parts = urlsplit(href)
        if not _local(href):
            return None, ""
        if not parts.path:
            return (self.doc.base if parts.fragment else None), parts.fragment
        if not parts.path.endswith(".md"):
            return None, ""
        path = posixpath.normpath(posixpath.join(self.base_dir, unicodedata.normalize("NFC", unquote(parts.path))))
        return path, parts.fragment

    def _image(self, tok: Token, line: int) -> Image:
        src = str(tok.attrs.get("src", ""))
        alt = "".join(c.content for c in tok.children or []) if tok.children else tok.content
        decorative = "decorative" in str(tok.attrs.get("class", "")).split()
        if not alt.strip() and not decorative:
            self.warn(line, f"image '{src}' has no alt text: describe it in ![…](…), or mark a purely "
                      "decorative image with ![](…){.decorative}", "image-alt", "error")
        if decorative:
            alt = ""
        tok.meta = {**(tok.meta or {}), "alt": alt}
        parts = urlsplit(src)
        asset = None
        if _local(src) and parts.path:
            asset = posixpath.normpath(posixpath.join(self.base_dir, unquote(parts.path)))
        tok.meta["asset"] = asset
        return Image(src, alt, line, asset)


def _local(href: str) -> bool:
    """A relative reference inside the project (not ``https:``, ``mailto:``, ``//host`` or ``/root``)."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc and not href.startswith("/")


def _footnote_ids(tok: Token) -> list[str]:
    """The ids the footnote plugin gives a reference (``fnref1``, ``fnref1:1``) or a note (``fn1``)."""
    meta = tok.meta or {}
    if tok.type == "footnote_ref" and isinstance(meta.get("id"), int):
        sub = meta.get("subId", 0)
        return [f"fnref{meta['id'] + 1}" + (f":{sub}" if sub else "")]
    if tok.type == "footnote_open" and isinstance(meta.get("id"), int):
        return [f"fn{meta['id'] + 1}"]
    return []


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
