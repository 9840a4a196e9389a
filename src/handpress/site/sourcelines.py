"""Where a rendered page came from, line by line: asked for by the audit, never part of a build.

The audit renders a page again with :func:`render_page` and a list to fill; the body's renderer then notes,
for every block token (heading, paragraph, list item, table row, admonition …), the line of the body's HTML
it starts on and the Markdown lines it was parsed from (markdown-it's ``Token.map``). Nothing of it goes
into published HTML: a page rendered this way is byte for byte the page the build wrote.
"""

from __future__ import annotations

import bisect
import gettext
from dataclasses import dataclass
from typing import Any, Sequence

import jinja2
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from handpress.site.model import Site


@dataclass(frozen=True, order=True)
class Span:
    html: int          # 0-based line of the body's HTML where the token's output starts
    first: int         # 0-based Markdown lines of the body it came from: first … last - 1
    last: int


@dataclass(frozen=True)
class Rendered:
    """A page rendered again: its HTML, the body's place in it, and the body's spans."""

    html: str
    template: str            # the page's template as its author knows it (templates/page.html)
    body_line: int           # 1-based line of the page where the body starts (0: no body found)
    body_lines: int          # newlines in the body
    spans: tuple[Span, ...]  # empty when the body's lines could not be followed (cleaned raw HTML)

    def markdown_line(self, line: int) -> int | None:
        """The 0-based body line that produced the page's 1-based ``line``, or None outside the body."""
        if not self.body_line or not self.spans:
            return None
        offset = line - self.body_line
        if not 0 <= offset <= self.body_lines:
            return None
        at = bisect.bisect_right([s.html for s in self.spans], offset) - 1
        if at < 0:
            return self.spans[0].first
        span = self.spans[at]
        return span.first + min(offset - span.html, max(span.last - span.first - 1, 0))


def record(renderer: RendererHTML, tokens: Sequence[Token], options: Any, env: dict[str, Any],
           spans: list[Any]) -> str:
    """What ``RendererHTML.render`` returns, noting each block token's HTML line and Markdown lines in
    ``spans``; its last item is the body's newline count (so a caller can tell if cleaning moved lines)."""
    out: list[str] = []
    newlines = 0
    for i, token in enumerate(tokens):
        if token.map is not None and token.nesting >= 0 and token.block:
            spans.append(Span(newlines, token.map[0], token.map[1]))
        if token.type == "inline":
            piece = renderer.renderInline(token.children, options, env) if token.children else ""
        elif token.type in renderer.rules:
            piece = renderer.rules[token.type](tokens, i, options, env)
        else:
            piece = renderer.renderToken(tokens, i, options, env)
        out.append(piece)
        newlines += piece.count("\n")
    spans.append(newlines)
    return "".join(out)


def render_page(site: Site, env: jinja2.Environment, translations: gettext.NullTranslations, key: str, lang: str,
                variant_name: str) -> Rendered:
    """One page × language × variant as the build renders it, with where its body's lines came from."""
    from handpress.site import render, templating
    from handpress.site.renderers import body_labels

    variant = next(v for v in render.VARIANTS if v.name == variant_name)
    page = site.page(key, lang)
    lines: list[Any] = []
    ctx = render.page_context(site, page, variant, body_labels(translations.gettext), source_lines=lines)
    html = templating.render_template(env, variant, page, ctx)
    name = page.meta.template or "page.html"
    template = env.select_template([variant.prefix + name, variant.prefix + "page.html"])
    body = str(ctx.body)
    start = html.find(body) if body else -1
    spans = tuple(s for s in lines if isinstance(s, Span))
    newlines = body.count("\n")
    if not lines or lines[-1] != newlines:
        spans = ()                     # raw HTML was cleaned and lines moved: the file, not the line
    return Rendered(html, templating.template_path(env, template.filename, template.name),
                    html.count("\n", 0, start) + 1 if start >= 0 else 0, newlines, spans)
