"""One Markdown renderer per variant. Each is a small subclass that changes only what differs.

- :class:`SiteRenderer` (graphical): links between pages resolved, tables with scope, images.
- :class:`TextRenderer`: images become "[Image: alt]", decorative ones vanish.
- :class:`PrintRenderer`: links numbered in the text and collected for "Links in this page".
- :class:`HandbookRenderer`: one chapter of a handbook: headings shifted, ids prefixed, links to
  other chapters become in-document cross-references, footnotes inline for ``float: footnote``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Sequence

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup, escape

from handpress.site import blocks, sanitize, sourcelines
from handpress.site.extensions import rules
from handpress.site.markdown import Fragment, parser
from handpress.site.references import URL_ATTRIBUTES, Attrs, Ref, is_remote, rewrite, start_tag
from handpress.site.tokens import SharedBlocks, prefixed_ids, split_footnotes

__all__ = ["HandbookRenderer", "PrintRenderer", "RenderContext", "SharedBlocks", "SiteRenderer", "TextRenderer",
           "body_labels", "render", "renderer"]


@dataclass
class RenderContext:
    """What a renderer needs from the site: how to turn references into URLs."""

    resolve_page: Callable[[str, str], str | None]  # (content .md path, anchor) -> href
    resolve_asset: Callable[[str], str]  # content-relative asset path -> href
    absolute: Callable[[str], str] = lambda href: href  # href -> full URL (print link list)
    id_prefix: str = ""
    heading_shift: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # translated UI words ("Image", "see page")
    print_links: list[tuple[int, str, str]] = field(default_factory=list)  # (n, text, url)
    trusted_html: bool = False  # True: raw HTML passes as written (handpress.toml trusted_html)
    permalink: bool = False  # a link to each heading's own anchor in it ([markdown] permalink)
    toc_depth: int = 6  # the deepest heading level a [TOC] marker lists
    chapter: str = ""  # a handbook chapter's title: in its tables' region names, unique in the whole book
    source_lines: list[Any] | None = None  # given by the audit: filled as site/sourcelines.py says


def _ctx(env: dict[str, Any]) -> RenderContext:
    return env["ctx"]


class SiteRenderer(rules.ScreenRules, RendererHTML):
    def render(self, tokens: Sequence[Token], options: Any, env: dict[str, Any]) -> str:
        if _ctx(env).source_lines is not None:
            return sourcelines.record(self, tokens, options, env, _ctx(env).source_lines)
        shared: SharedBlocks | None = env.get("shared")
        if shared is None:
            return super().render(tokens, options, env)
        pieces = []
        for start, stop, same in shared.of(tokens, VARIANT_RULES):
            html = shared.html.get(start) if same else None
            if html is None:
                html = super().render(tokens[start:stop], options, env)
                if same:
                    shared.html[start] = html
            pieces.append(html)
        return "".join(pieces)

    def link_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        tok = tokens[idx]
        meta = tok.meta or {}
        attrs = dict(tok.attrs)
        if meta.get("target"):
            href = _ctx(env).resolve_page(meta["target"], meta.get("anchor", ""))
            if href is not None:
                attrs["href"] = href
        elif meta.get("asset"):
            attrs["href"] = _ctx(env).resolve_asset(meta["asset"]) + meta.get("suffix", "")
        return "<a" + _attrs(attrs) + ">"

    def image(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        tok = tokens[idx]
        attrs = {k: v for k, v in tok.attrs.items() if k not in ("alt", "class")}
        if tok.meta.get("asset"):
            attrs["src"] = _ctx(env).resolve_asset(tok.meta["asset"])
        alt = tok.meta.get("alt", "")
        if not alt and not tok.meta.get("decorative", True):
            alt = self._missing_alt(_ctx(env))  # an image-alt problem set to a warning in handpress.toml
        classes = str(tok.attrs.get("class", ""))
        extra = {"class": classes} if classes else {}
        return "<img" + _attrs({"src": attrs.pop("src", ""), "alt": alt, **extra, **attrs}) + ">"

    def html_block(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return self._raw(tokens[idx], _ctx(env))

    def html_inline(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return self._raw(tokens[idx], _ctx(env))

    def _raw(self, tok: Token, ctx: RenderContext) -> str:
        """Raw HTML as written, its paths adjusted like Markdown ones (see :mod:`handpress.site.references`)."""
        meta = tok.meta or {}
        refs: dict[str, Ref] = meta.get("refs") or {}
        if not refs and not ctx.id_prefix and not self._rewrites_images:
            return tok.content
        return rewrite(tok.content, lambda name, attrs: self._raw_tag(name, attrs, refs, ctx), meta.get("tags"))

    _rewrites_images = False  # True: the variant writes raw <img> differently (see _raw_image)

    def _raw_tag(self, name: str, attrs: Attrs, refs: dict[str, Ref], ctx: RenderContext) -> str | None:
        if name == "img" and self._rewrites_images:
            alt = next((value or "" for key, value in attrs if key == "alt"), "")
            src = next((value or "" for key, value in attrs if key == "src"), "")
            replaced = self._raw_image(src, alt, ctx)
            if replaced is not None:
                return replaced
        url = URL_ATTRIBUTES.get(name)
        changed: Attrs = []
        for key, value in attrs:
            if key == url and value in refs:
                value = _href(refs[value], ctx) or value
            elif key == "id" and value and ctx.id_prefix:
                value = ctx.id_prefix + value
            changed.append((key, value))
        if name == "img" and all(key != "alt" for key, _ in attrs) and (alt := self._missing_alt(ctx)) is not None:
            changed.append(("alt", alt))
        return start_tag(name, changed) if changed != attrs else None

    def _missing_alt(self, ctx: RenderContext) -> str | None:
        """The alt text of an image its author gave none (allowed by a lowered ``image-alt``): none on web
        pages, where the audit finds it."""
        return None

    def _raw_image(self, src: str, alt: str, ctx: RenderContext) -> str | None:
        """What the variant writes for a raw ``<img>`` instead of it, or None to keep it."""
        return None

    _code = blocks.SCREEN  # how the variant writes code (see handpress.site.blocks)

    def fence(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        lang = blocks.fence_language(tokens[idx].info)
        return blocks.code(tokens[idx], lang, self._code, _ctx(env).labels)

    def code_block(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return blocks.code(tokens[idx], "", self._code, _ctx(env).labels)

    def table_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return blocks.table_open(tokens[idx], _ctx(env).labels, _ctx(env).chapter)

    def table_close(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return blocks.TABLE_CLOSE

    def th_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        if not tokens[idx].attrs:
            return '<th scope="col">'
        return "<th" + _attrs({"scope": "col", **_cell_attrs(tokens[idx])}) + ">"

    def td_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        if not tokens[idx].attrs:
            return "<td>"
        return "<td" + _attrs(_cell_attrs(tokens[idx])) + ">"

    def heading_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        tok = tokens[idx]
        level = min(int(tok.tag[1]) + _ctx(env).heading_shift, 6)
        attrs = dict(tok.attrs)
        if "id" in attrs:
            attrs["id"] = _ctx(env).id_prefix + str(attrs["id"])
        return f"<h{level}" + _attrs(attrs) + ">"

    def heading_close(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        level, ctx = min(int(tokens[idx].tag[1]) + _ctx(env).heading_shift, 6), _ctx(env)
        return rules.permalink(tokens[idx - 2], ctx) * (ctx.permalink and self._folds) + f"</h{level}>\n"

    def footnote_anchor(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
        if tokens[idx].meta.get("subId", -1) > 0:
            ident += ":" + str(tokens[idx].meta["subId"])
        label = escape(_ctx(env).labels.get("back_to_reference", "Back to reference"))
        return f' <a href="#fnref{ident}" class="footnote-backref" aria-label="{label}">\u21a9\ufe0e</a>'

    def footnote_block_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        label = escape(_ctx(env).labels.get("footnotes", "Footnotes"))
        return f'<section class="footnotes" aria-label="{label}">\n<ol class="footnotes-list">\n'


class TextRenderer(rules.ExpandedRules, SiteRenderer):
    _rewrites_images = True
    _code = blocks.PLAIN

    def image(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return _image_alt(tokens[idx].meta.get("alt", ""), _ctx(env))

    def _raw_image(self, src: str, alt: str, ctx: RenderContext) -> str | None:
        return _image_alt(alt, ctx)


def _image_alt(alt: str, ctx: RenderContext) -> str:
    """An image as its words: "[Image: a map of the city]" (nothing for a decorative one)."""
    if not alt:
        return ""
    word = ctx.labels.get("image", "Image")
    return f'<span class="image-alt">[{escape(word)}: {escape(alt)}]</span>'


def _remote_image(src: str, alt: str, ctx: RenderContext) -> str:
    """An image on another server, in a handbook: its words and its address (it is never fetched)."""
    if not alt:
        return ""
    word = ctx.labels.get("image", "Image")
    return (f'<span class="remote-image">[{escape(word)}: {escape(alt)}] '
            f'<span class="image-address">{escape(src)}</span></span>')


def _href(ref: Ref, ctx: RenderContext) -> str | None:
    """The URL of a page or file of the project from where ``ctx`` renders (None: no such page)."""
    if ref.target is not None:
        return ctx.resolve_page(ref.target, ref.anchor)
    return ctx.resolve_asset(ref.asset or "") + ref.suffix


class PrintRenderer(rules.PaperRules, SiteRenderer):
    _code = blocks.PAPER

    def link_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        html = super().link_open(tokens, idx, options, env)
        env.setdefault("open_links", []).append((_href_of(html), idx))
        return html

    def link_close(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        href, start = env["open_links"].pop()
        if not href or href.startswith("#"):
            return "</a>"
        ctx = _ctx(env)
        n = len(ctx.print_links) + 1
        text = "".join(t.content for t in tokens[start + 1 : idx])
        ctx.print_links.append((n, text, ctx.absolute(href)))
        return f'</a><sup class="link-number">[{n}]</sup>'


# The token types whose rules differ between the web variants (see SharedBlocks): the rules TextRenderer and
# PrintRenderer define, raw HTML (text-only pages write its images as words) and code (each variant's CodeStyle).
VARIANT_RULES = frozenset(name for kind in (TextRenderer, PrintRenderer) for name in vars(kind)
                          if not name.startswith("_") and callable(vars(kind)[name])) | {
                              "html_block", "html_inline", "fence", "code_block"} | rules.FOLDING


class HandbookRenderer(rules.PaperRules, SiteRenderer):
    """Renders one chapter of a handbook document."""

    _rewrites_images = True
    _code = blocks.PAPER

    def render(self, tokens: Sequence[Token], options: Any, env: dict[str, Any]) -> str:
        body, notes = split_footnotes(prefixed_ids(list(tokens), _ctx(env).id_prefix))
        env["footnotes"] = {}  # a reference inside a footnote (even to itself) renders as nothing
        env["footnotes"] = {
            ident: " ".join(self.renderInline(t.children or [], options, env) for t in inner)
            for ident, inner in notes.items()
        }
        return super().render(body, options, env)

    def link_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        html = super().link_open(tokens, idx, options, env)
        if _href_of(html).startswith("#"):
            return html.replace("<a ", '<a class="xref" ', 1)
        return html

    def footnote_ref(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        note = env["footnotes"].get(tokens[idx].meta["id"], "")
        return f'<span class="footnote">{note}</span>'

    def image(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        src = str(tokens[idx].attrs.get("src", ""))
        if is_remote(src):
            return _remote_image(src, tokens[idx].meta.get("alt", ""), _ctx(env))
        return super().image(tokens, idx, options, env)

    def _raw_image(self, src: str, alt: str, ctx: RenderContext) -> str | None:
        return _remote_image(src, alt, ctx) if is_remote(src) else None

    def _missing_alt(self, ctx: RenderContext) -> str | None:
        """A tagged PDF's figure needs its words: the reader is told the image is there, undescribed."""
        return ctx.labels.get("image_undescribed", "Image without a description")


def _cell_attrs(token: Token) -> dict[str, Any]:
    """Column alignment as a class (``align-right``), not an inline style."""
    attrs = dict(token.attrs)
    style = str(attrs.pop("style", ""))
    if style.startswith("text-align:"):
        attrs["class"] = "align-" + style.removeprefix("text-align:")
    return attrs


def _href_of(html: str) -> str:
    start = html.find('href="')
    if start < 0:
        return ""
    end = html.find('"', start + 6)
    return Markup(html[start + 6 : end]).unescape()


def _attrs(attrs: dict[str, Any]) -> str:
    return "".join(f' {k}="{escape(str(v))}"' for k, v in attrs.items() if v is not None)


@lru_cache(maxsize=None)
def renderer(kind: type[SiteRenderer]) -> SiteRenderer:
    """A renderer of ``kind`` carrying the plugins' rules for what it does not override."""
    instance = kind()
    for name, rule in parser().renderer.rules.items():
        if name not in instance.rules or name not in dir(kind):
            instance.rules[name] = rule.__func__.__get__(instance) if hasattr(rule, "__func__") else rule
    for name in dir(kind):
        if not name.startswith("_") and name in instance.rules and callable(getattr(instance, name)):
            instance.rules[name] = getattr(instance, name)
    return instance


def body_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """The interface words the renderers write into bodies, translated: the image and footnote words, the
    names of scrolling code and tables (see :mod:`handpress.site.blocks`), and the default titles of the
    admonition kinds (``!!! note`` without a title)."""
    _ = gettext
    return {"image": _("Image"),
            # Translators: what a handbook's reader hears of an image its author gave no description
            "image_undescribed": _("Image without a description"), "footnotes": _("Footnotes"), "back_to_reference": _("Back to reference"),
            # Translators: the name of a block of program code that scrolls sideways (no language known)
            "code": _("Code"),
            # Translators: a block of program code in a language named by Pygments ("Code: Python")
            "code_language": _("Code: %(language)s"),
            # Translators: the second, third … block of code on a page, no language known ("Code 2")
            "code_numbered": _("Code %(number)s"),
            # Translators: the second, third … block of code on a page ("Code 2: Python")
            "code_numbered_language": _("Code %(number)s: %(language)s"),
            # Translators: the name of a table without a caption that scrolls sideways
            "table": _("Table"), "table_numbered": _("Table %(number)s"),
            "admonition:note": _("Note"), "admonition:tip": _("Tip"), "admonition:hint": _("Hint"),
            "admonition:important": _("Important"), "admonition:warning": _("Warning"),
            "admonition:caution": _("Caution"), "admonition:danger": _("Danger"),
            "admonition:attention": _("Attention"), "admonition:error": _("Error"), "admonition:info": _("Info"),
            "admonition:seealso": _("See also"), **rules.labels(_)}


def _translated_titles(tokens: list[Token], labels: dict[str, str]) -> list[Token]:
    """``tokens`` with each untitled admonition's English word replaced by the reader's (copies: the
    parsed tokens are shared by every variant and language)."""
    for index, token in enumerate(tokens[:-1]):
        kind = (token.meta or {}).get("default_title") if token.type == "admonition_title_open" else None
        words = labels.get(f"admonition:{kind}") if kind else None
        if words and tokens[index + 1].type == "inline":
            inline = tokens[index + 1].copy()
            text = Token("text", "", 0)
            text.content = inline.content = words
            inline.children = [text]
            tokens[index + 1] = inline
    return tokens


def render(fragment: Fragment, kind: type[SiteRenderer], ctx: RenderContext, doc_id: str | None = None,
           shared: SharedBlocks | None = None) -> Markup:
    """``fragment`` as ``kind`` renders it; ``shared``: the blocks a page's web variants have in common."""
    env: dict[str, Any] = {"ctx": ctx, "headings": fragment.headings}
    if doc_id:
        env["docId"] = doc_id
    if shared is not None:
        env["shared"] = shared
    tokens = _translated_titles(list(fragment.tokens), ctx.labels)
    html = renderer(kind).render(tokens, parser().options, env)
    return Markup(html if ctx.trusted_html or fragment.plain else sanitize.clean(html))
