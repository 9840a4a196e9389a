"""The Markdown extensions MkDocs projects use, as markdown-it rules (mdit-py-plugins' where it has them:
admonitions, footnotes, definition lists, the attribute parser; these modules for the rest):

- :mod:`.attrlist` ``{: #id .class }`` and ``{#id}`` · :mod:`.tabbed` ``=== "Tab"`` · :mod:`.tasks` ``- [x]``
- :mod:`.emoji` ``:warning:`` · :mod:`.abbr` ``*[HTML]: …`` · :mod:`.blocks` ``[TOC]`` and ``::: module``
- :mod:`.inlinehilite` `` `#!python code` `` · :mod:`.mdinhtml` ``<div markdown>`` · :mod:`.snippets` ``--8<--``

Collapsible admonitions (``???``, ``???+``: pymdownx.details) are the admonition plugin's; the renderers
write them as ``<details>`` on screen and open everywhere else (:mod:`.rules`).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from markdown_it import MarkdownIt
from markdown_it.token import Token

from handpress.site.extensions.abbr import abbr_plugin
from handpress.site.extensions.attrlist import attr_list_plugin
from handpress.site.extensions.blocks import REFERENCE, blocks_plugin
from handpress.site.extensions.emoji import ICON, emoji_plugin
from handpress.site.extensions.inlinehilite import inlinehilite_plugin
from handpress.site.extensions.mdinhtml import md_in_html_plugin
from handpress.site.extensions.tabbed import tabbed_plugin
from handpress.site.extensions.tasks import tasklist_plugin

NOTED = frozenset({ICON, REFERENCE})  # token types the linter notes at their lines (see :func:`notes`)


def use(md: MarkdownIt) -> None:
    """Every extension on ``md`` (after the admonition and raw-HTML rules they place themselves around)."""
    for plugin in (attr_list_plugin, tabbed_plugin, tasklist_plugin, emoji_plugin, abbr_plugin, blocks_plugin,
                   inlinehilite_plugin, md_in_html_plugin):
        md.use(plugin)


def notes(found: Iterable[tuple[Token, int]]) -> list[tuple[int, str, str, str]]:
    """What the linter says about the extension tokens ``found`` (each at its line): (line, severity,
    message, code). mkdocstrings' blocks are one warning for the page, at the first."""
    result: list[tuple[int, str, str, str]] = []
    references: list[tuple[int, str]] = []
    for tok, line in found:
        if tok.type == ICON:
            result.append((line, "info", f"icon {tok.meta['name']} is left out: it is a theme's SVG icon, not a "
                           "character (use an emoji such as :warning: or words)", "emoji-icon"))
        elif tok.type == REFERENCE:
            references.append((line, tok.content))
    if references:
        line, name = references[0]
        more = f" and {len(references) - 1} more" if len(references) > 1 else ""
        result.append((line, "warning", f"'::: {name}'{more}: mkdocstrings' API reference is not generated "
                       "(handpress runs no Python); the page shows a note in its place", "unsupported"))
    return result


def features(tokens: Iterable[Token]) -> frozenset[str]:
    """What a page's templates need to know it holds: ``tabs`` (graphical pages load tabs.js)."""
    return frozenset({"tabs"}) if any(t.type == "tabbed_set_open" for t in tokens) else frozenset()


def line_mapped(tokens: Iterable[Token], lines: Mapping[int, int] | list[int]) -> None:
    """Token lines of a text expanded by snippets put back on the lines of the file as written."""
    last = len(lines) - 1
    for tok in tokens:
        if tok.map:
            start, stop = tok.map
            first = lines[min(start, last)] if last >= 0 else start
            tok.map = [first, max(first + 1, (lines[min(stop - 1, last)] + 1) if last >= 0 else stop)]
