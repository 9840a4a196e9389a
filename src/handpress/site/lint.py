"""The Markdown linter: one pass over a document's tokens, each at its source line, gathering what
the checks read (raw HTML, ids the author set, footnotes, links and images) and warning at ``file:line``
about what a reader would miss (alt text, heading levels, links that lead nowhere).

:func:`handpress.site.markdown.parse` runs it; its findings travel in the Fragment."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Mapping, Sequence

from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify

from handpress.errors import Diagnostic
from handpress.site import sanitize
from handpress.site.extensions import NOTED
from handpress.site.content import Document
from handpress.site.references import URL_ATTRIBUTES, Ref, resolve, rewritable
from handpress.site.sanitize import RawTag, scan

# Ids the page templates give their own elements (landmarks, skip-link targets, section titles).
# A heading's generated id steps around them; an id an author sets to one of them is an error.
RESERVED_IDS = frozenset({"main", "breadcrumbs", "global-nav", "section-nav", "section-nav-title",
                          "children-title", "print-links-title", "site-map-title", "site-search", "site-search-field",
                          "site-search-status", "site-search-results", "site-search-results-title"})


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


def plain(tokens: Sequence[Token]) -> bool:
    """True if the rendered body can hold nothing the sanitiser would remove: no raw HTML, only tags and
    attributes it allows, only URLs with schemes it allows. Such a body skips cleaning (a tenth of the
    build's time); anything else is cleaned."""
    return all(plain_token(tok) for tok in walk_tokens(tokens))


def plain_token(tok: Token) -> bool:
    """:func:`plain` for one token, not its children. Column alignment (``style="text-align:…"`` on a
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


def walk_tokens(tokens: Sequence[Token]) -> Iterator[Token]:
    for tok in tokens:
        yield tok
        if tok.children:
            yield from walk_tokens(tok.children)


def plain_text(inline: Token) -> str:
    """The words of an inline token, without Markdown syntax (``*very* `big` `` -> ``very big``)."""
    words = {"text": None, "code_inline": None, "softbreak": " ", "hardbreak": " "}
    text = "".join(c.content if words[c.type] is None else str(words[c.type])
                   for c in walk_tokens(inline.children or []) if c.type in words)
    return text.strip() or inline.content.strip()


@dataclass
class Walk:
    """What one pass over a document's tokens found (:meth:`Linter.walk`)."""

    raw: list[tuple[Token, int]] = field(default_factory=list)  # raw HTML tokens, at their lines
    authored: list[tuple[int, str]] = field(default_factory=list)  # (line, id) the author set
    footnotes: dict[str, int] = field(default_factory=dict)  # footnote ids, at their first line
    lines: dict[int, int] = field(default_factory=dict)  # id(link or image token) -> its line
    noted: list[tuple[Token, int]] = field(default_factory=list)  # extension tokens to note, at their lines
    plain: bool = True  # see plain

    def visit(self, tok: Token, line: int) -> None:
        kind = tok.type
        if kind == "html_block" or kind == "html_inline":
            self.raw.append((tok, line))
        elif kind == "link_open" or kind == "image":
            self.lines[id(tok)] = line
        elif kind == "footnote_ref" or kind == "footnote_open":
            for name in _footnote_ids(tok):
                self.footnotes.setdefault(name, line)
        elif kind in NOTED:
            self.noted.append((tok, line))
        if tok.attrs:
            ident = tok.attrs.get("id")
            if isinstance(ident, str) and ident:
                self.authored.append((line, ident))
        if self.plain and not plain_token(tok):
            self.plain = False


class Linter:
    def __init__(self, doc: Document):
        self.doc = doc
        self.diagnostics: list[Diagnostic] = []
        self.base_dir = posixpath.dirname(doc.base)
        self.raw_links: list[Link] = []  # <a href> in raw HTML to a page or file of the project
        self.raw_images: list[Image] = []

    def line(self, token: Token | None) -> int:
        if token is not None and token.map:
            return self.doc.body_line + token.map[0]
        return self.doc.body_line

    def warn(self, token: Token | int | None, message: str, code: str, severity: str = "warning") -> None:
        line = token if isinstance(token, int) else self.line(token)
        self.diagnostics.append(Diagnostic(self.doc.source, line, severity, message, code))

    def walk(self, tokens: list[Token]) -> Walk:
        """One pass over the tokens and their inline children, each at the source line it starts on
        (children counted by line breaks), gathering what the checks read."""
        walk = Walk()
        line = self.doc.body_line
        for tok in tokens:
            if tok.map:
                line = self.line(tok)
            walk.visit(tok, line)
            offset = 0
            for child in tok.children or ():
                walk.visit(child, line + offset)
                if child.children and walk.plain:  # an image's alt text
                    walk.plain = plain(child.children)
                offset += 1 if child.type in ("softbreak", "hardbreak") else child.content.count("\n")
        return walk

    def raw_html(self, walk: Walk) -> list[RawTag]:
        """Start tags in raw HTML; a raw ``<img>`` needs alt text like a Markdown one. Paths in raw
        ``<a href>`` and ``<img src>`` are resolved like Markdown ones (kept in the token's ``refs``
        for the renderers, and listed with the page's links and images for the site checks)."""
        found: list[RawTag] = []
        for tok, line in walk.raw:
            tags = scan(tok.content, first_line=line)
            refs: dict[str, Ref] = {}
            for tag in tags:
                self._raw_tag(tag, refs)
            tok.meta = {**(tok.meta or {}), "tags": rewritable(tags, refs), **({"refs": refs} if refs else {})}
            found.extend(tags)
        return found

    def _raw_tag(self, tag: RawTag, refs: dict[str, Ref]) -> None:
        attr = URL_ATTRIBUTES.get(tag.name)
        value = tag.get(attr) if attr else None
        if tag.name == "img" and not tag.has("alt"):
            self.warn(tag.line, f"raw HTML image '{value or ''}' has no alt attribute: describe it in alt=\"…\", "
                      "or write alt=\"\" if it is purely decorative", "image-alt", "error")
        if not value:
            return
        ref = resolve(value, self.base_dir, self.doc.base)
        if ref is not None:
            refs[value] = ref
        if tag.name == "img":
            asset = (ref.asset or ref.target) if ref else None
            self.raw_images.append(Image(value, tag.get("alt") or "", tag.line, asset))
        elif ref is not None:
            self.raw_links.append(Link(value, tag.line, "", ref.target, ref.anchor, ref.asset))

    def explicit_ids(self, walk: Walk, raw_tags: list[RawTag]) -> dict[str, int]:
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
        outline = Outline()
        for i, tok in enumerate(tokens):
            if tok.type != "heading_open":
                continue
            inline = tokens[i + 1]
            level = int(tok.tag[1])
            text = plain_text(inline)
            if level == 1:
                self.warn(tok, "a second level-1 heading; the page title is the only h1, use '##' for sections",
                          "heading-h1")
            elif level > previous + 1:
                self.warn(tok, f"heading level skips from h{previous} to h{level}; use h{previous + 1}",
                          "heading-skip")
            previous = level
            level = outline.level(level)
            if tok.tag != f"h{level}":  # published one below its parent: the page's outline has no gaps
                tok.tag = tokens[i + 2].tag = f"h{level}"
            ident = tok.attrs.get("id")
            if (not isinstance(ident, str) or not ident) and self.doc.heading_ids == "python-markdown":
                ident = tok.attrs["id"] = _python_markdown_id(text, used)
            elif not isinstance(ident, str) or not ident:
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

    def references(self, tokens: list[Token], walk: Walk) -> tuple[list[Link], list[Image]]:
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
        ref = resolve(href, self.base_dir, self.doc.base)
        target, anchor, asset = (ref.target, ref.anchor, ref.asset) if ref else (None, "", None)
        if ref is not None and asset is not None:
            tok.meta = {**(tok.meta or {}), "asset": asset, "suffix": ref.suffix}
        tok.meta = {**(tok.meta or {}), "target": target, "anchor": anchor}
        return Link(href, line, text.strip(), target, anchor, asset)

    def _image(self, tok: Token, line: int) -> Image:
        src = str(tok.attrs.get("src", ""))
        alt = "".join(c.content for c in tok.children or []) if tok.children else tok.content
        decorative = "decorative" in str(tok.attrs.get("class", "")).split()
        if not alt.strip() and not decorative:
            self.warn(line, f"image '{src}' has no alt text: describe it in ![…](…), or mark a purely "
                      "decorative image with ![](…){.decorative}", "image-alt", "error")
        if decorative:
            alt = ""
        tok.meta = {**(tok.meta or {}), "alt": alt, "decorative": decorative}
        ref = resolve(src, self.base_dir, self.doc.base)
        asset = (ref.asset or ref.target) if ref else None
        tok.meta["asset"] = asset
        return Image(src, alt, line, asset)


def _python_markdown_id(text: str, used: set[str]) -> str:
    """A heading's id as MkDocs (Python-Markdown's toc) makes it: ``Cross-references / inventories`` ->
    ``cross-references-inventories``, the second ``Install`` -> ``install_1``; around the template's ids."""
    from markdown.extensions.toc import slugify as toc_slugify, unique

    taken = used | RESERVED_IDS
    ident = unique(toc_slugify(text, "-"), taken)
    used.add(ident)
    return ident


def _footnote_ids(tok: Token) -> list[str]:
    """The ids the footnote plugin gives a reference (``fnref1``, ``fnref1:1``) or a note (``fn1``)."""
    meta = tok.meta or {}
    if tok.type == "footnote_ref" and isinstance(meta.get("id"), int):
        sub = meta.get("subId", 0)
        return [f"fnref{meta['id'] + 1}" + (f":{sub}" if sub else "")]
    if tok.type == "footnote_open" and isinstance(meta.get("id"), int):
        return [f"fn{meta['id'] + 1}"]
    return []


class Outline:
    """Published heading levels without gaps: a heading goes one level below the nearest heading before it
    with a lower level as written (``# A`` ``### B`` ``### C`` ``## D`` is published h1 h2 h2 h2)."""

    def __init__(self) -> None:
        self.open: list[tuple[int, int]] = [(1, 1)]  # (written, published) of the headings still open; the h1

    def level(self, written: int) -> int:
        while self.open and self.open[-1][0] >= written:
            self.open.pop()
        published = self.open[-1][1] + 1 if self.open else written
        self.open.append((written, published))
        return published
