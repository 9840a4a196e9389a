"""How the renderers write the extensions' tokens: mixins for :mod:`handpress.site.renderers`.

- :class:`ScreenRules` (every variant): task marks, the ``[TOC]`` contents, the note in place of an
  mkdocstrings reference, collapsible admonitions as ``<details>``/``<summary>``; theme icons left out.
- :class:`ExpandedRules` (text-only, print, handbook): collapsible admonitions written open, as ordinary
  admonitions (nothing is hidden on paper or in a page without scripts); :class:`PaperRules` (print,
  handbook) also spells out an abbreviation at its first use. Tabs need no rule: every variant
  writes them as titled sections one after another, which graphical pages' ``tabs.js`` turns into tabs.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from markdown_it.token import Token
from markupsafe import escape

from handpress.site.highlight import highlight_inline


def labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """The extensions' words in the reader's language."""
    _ = gettext
    return {"task_done": _("Done"), "task_todo": _("Not done"), "toc": _("Contents of this page"),
            "permalink": _("Link to this section"), "reference_title": _("Reference not included"),
            "reference_note": _("The reference for %(name)s is generated from source code by mkdocstrings, "
                                "which handpress does not run.")}


# Token types whose HTML differs between the variants (collapsible admonitions fold only on graphical
# pages; permalinks too), for the renderers' blocks shared between variants.
FOLDING = frozenset({"admonition_open", "admonition_close", "admonition_title_open", "admonition_title_close",
                     "heading_close", "abbr_close", "code_inline"})


def permalink(opener: Token, ctx: Any) -> str:
    """The link to a heading's own anchor, written at its end (``[markdown] permalink``)."""
    ident = opener.attrs.get("id")
    if not ident:
        return ""
    label = escape(ctx.labels.get("permalink", "Link to this section"))
    return f' <a class="headerlink" href="#{escape(ctx.id_prefix + str(ident))}" title="{label}">¶</a>'


def _labels(env: dict[str, Any]) -> dict[str, str]:
    return env["ctx"].labels


def _collapsible(token: Token) -> bool:
    return token.markup.startswith("?")


class ScreenRules:
    """Rules every variant shares (see the module's docstring)."""

    def code_inline(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        """``#!python x`` (inlinehilite) highlighted where the variant highlights code (not text-only)."""
        tok = tokens[idx]
        lang = (tok.meta or {}).get("language")
        if not lang:
            return super().code_inline(tokens, idx, options, env)  # type: ignore[misc]
        spans = highlight_inline(tok.content, lang) if lang and self._code.highlights else None  # type: ignore[attr-defined]
        classes = " ".join(filter(None, (str(tok.attrs.get("class", "")), "highlight" if spans else "")))
        attrs = {**tok.attrs, "class": classes} if classes else dict(tok.attrs)
        inner = "".join(f' {k}="{escape(str(v))}"' for k, v in attrs.items())
        return f"<code{inner}>{spans if spans is not None else escape(tok.content)}</code>"

    def task_mark(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        done = tokens[idx].meta.get("done")
        name = _labels(env).get("task_done" if done else "task_todo", "Done" if done else "Not done")
        return f'<span class="task-mark" role="img" aria-label="{escape(name)}">{"☑" if done else "☐"}</span> '

    def emoji_icon(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return ""

    def mkdocstrings(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        words = _labels(env)
        name = f"<code>{escape(tokens[idx].content)}</code>"
        note = str(escape(words.get("reference_note", "The reference for %(name)s is generated from source code by "
                                "mkdocstrings, which handpress does not run."))).replace("%(name)s", name)
        title = escape(words.get("reference_title", "Reference not included"))
        return (f'<div class="admonition note reference-missing">\n<p class="admonition-title">{title}</p>\n'
                f"<p>{note}</p>\n</div>\n")

    def toc_marker(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        ctx = env["ctx"]
        shown = [h for h in env.get("headings", ()) if h.level <= ctx.toc_depth]
        if not shown or ctx.heading_shift:
            return ""  # a handbook's own contents list the chapter's sections
        label = escape(_labels(env).get("toc", "Contents of this page"))
        html = [f'<nav class="toc" aria-label="{label}">\n']
        levels: list[int] = []
        for heading in shown:
            if levels and heading.level > levels[-1]:
                html.append("\n<ul>\n")
                levels.append(heading.level)
            else:
                while levels and heading.level < levels[-1]:
                    html.append("</li>\n</ul>\n")
                    levels.pop()
                html.append("</li>\n" if levels else "<ul>\n")
                if not levels:
                    levels.append(heading.level)
            html.append(f'<li><a href="#{escape(ctx.id_prefix + heading.id)}">{escape(heading.text)}</a>')
        html.append("</li>\n</ul>\n" * len(levels))
        return "".join(html) + "</nav>\n"

    def admonition_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        tok = tokens[idx]
        classes = " ".join(c for c in str(tok.attrs.get("class", "")).split()
                           if c not in ("is-collapsible", "collapsible-open", "collapsible-closed"))
        if _collapsible(tok) and self._folds:
            return f'<details class="{escape(classes)}"{" open" if tok.markup.endswith("+") else ""}>\n'
        return f'<div class="{escape(classes)}">\n'

    def admonition_close(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return "</details>\n" if _collapsible(tokens[idx]) and self._folds else "</div>\n"

    def admonition_title_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        tag = "summary" if _collapsible(tokens[idx]) and self._folds else "p"
        return f'<{tag} class="admonition-title">'

    def admonition_title_close(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        opener = tokens[idx - 2] if idx >= 2 else tokens[idx]
        return "</summary>\n" if _collapsible(opener) and self._folds else "</p>\n"

    _folds = True  # collapsible admonitions as <details> (graphical pages)


class ExpandedRules:
    """Collapsible admonitions written open (text-only, print, handbook)."""

    _folds = False


class PaperRules(ExpandedRules):
    """What paper cannot show on hover, written out (print, handbook): an abbreviation's first use on a page
    is followed by its words, "WHO (World Health Organization)"."""

    def abbr_close(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        opener = next((t for t in reversed(tokens[:idx]) if t.type == "abbr_open"), None)
        title = str(opener.attrs.get("title", "")) if opener is not None else ""
        seen = env.setdefault("abbreviations", set())
        if not title or title in seen:
            return "</abbr>"
        seen.add(title)
        return f"</abbr> ({escape(title)})"
