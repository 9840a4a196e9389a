"""Code blocks and tables as each variant writes them.

On screen, code keeps its lines and scrolls sideways inside itself, and so does a table wider than the
page: each scrolling element is a keyboard stop (``tabindex="0"``) and a named region ("Code: Python",
the table's caption), so people who do not use a mouse can scroll it. On paper (print pages, handbooks)
code wraps and tables fit the page (print.css, handbook.css), so nothing scrolls and nothing is cut off;
text-only and print pages wrap their code on screen too (no keyboard stop then), but a table keeps its
region in every variant: its columns stay readable on a narrow screen. Graphical and print pages and handbooks highlight code whose language Pygments knows
(:mod:`handpress.site.highlight`); text-only pages never do.

The regions of a page are numbered at the parse (:func:`number_regions`), when there is more than one of
a kind, so that every variant names each the same and no two alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token
from markupsafe import Markup, escape

from handpress.site.highlight import SCOPE, highlight, language_name


@dataclass(frozen=True)
class CodeStyle:
    """How a variant writes code: highlighted or not, scrolling (a named keyboard stop) or wrapping."""

    highlights: bool
    scrolls: bool


SCREEN = CodeStyle(highlights=True, scrolls=True)  # graphical pages
PAPER = CodeStyle(highlights=True, scrolls=False)  # print pages and handbooks: lines wrap
PLAIN = CodeStyle(highlights=False, scrolls=False)  # text-only pages: lines wrap, no colour


def number_regions(tokens: Sequence[Token]) -> None:
    """Give each code block, and each table without a caption, its number among the page's blocks of its
    kind (``meta["region"] = (number, how many)``), for the names of the scrolling regions."""
    kinds: dict[str, list[Token]] = {"code": [], "table": []}
    for tok in tokens:
        if tok.type in ("fence", "code_block"):
            kinds["code"].append(tok)
        elif tok.type == "table_open" and not (tok.meta or {}).get("caption"):
            kinds["table"].append(tok)
    for found in kinds.values():
        for number, tok in enumerate(found, 1):
            tok.meta = {**(tok.meta or {}), "region": (number, len(found))}


def fence_language(info: str) -> str:
    """The language a fence names: the first word of its info string (```python title="x.py"``)."""
    words = unescapeAll(info).split(maxsplit=1)
    return words[0] if words else ""


def code(tok: Token, lang: str, style: CodeStyle, labels: Mapping[str, str]) -> str:
    """A fenced or indented code block: ``<pre><code>``, highlighted and named as ``style`` says."""
    spans = highlight(tok.content, lang) if style.highlights and lang else None
    attrs: dict[str, Any] = dict(tok.attrs)
    if lang:
        attrs["class"] = " ".join(filter(None, (str(attrs.get("class", "")), f"language-{lang}")))
    pre: dict[str, Any] = {"class": SCOPE if spans is not None else None, "dir": "ltr"}
    if style.scrolls:
        pre |= {"tabindex": "0", "role": "region", "aria-label": code_label(tok, lang, labels)}
    body = spans if spans is not None else escape(tok.content)
    return Markup(f"<pre{attributes(pre)}><code{attributes(attrs)}>{body}</code></pre>\n")


def code_label(tok: Token, lang: str, labels: Mapping[str, str]) -> str:
    """A code block's accessible name: "Code: Python", "Code 2: YAML", "Code" (no language known)."""
    number, count = (tok.meta or {}).get("region", (1, 1))
    language = language_name(lang) if lang else None
    key = ("code_numbered" if count > 1 else "code") + ("_language" if language else "")
    return labels.get(key, DEFAULT_LABELS[key]) % {"number": number, "language": language}


def table_open(tok: Token, labels: Mapping[str, str], within: str = "") -> str:
    """A table's start (its caption from ``Table: …``) inside its region, which scrolls on screen (the
    stylesheets for paper let it fit the page instead). ``within``: the handbook chapter it is in, added to
    an uncaptioned table's name, so that "Table 2" of one chapter is told from another's on the whole-guide
    page (axe's landmark-unique)."""
    caption = (tok.meta or {}).get("caption")
    if caption:
        name = caption
    else:
        number, count = (tok.meta or {}).get("region", (1, 1))
        key = "table_numbered" if count > 1 else "table"
        name = labels.get(key, DEFAULT_LABELS[key]) % {"number": number}
        name = f"{name} ({within})" if within else name
    region = {"class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": name}
    head = Markup(f"<div{attributes(region)}>\n<table{attributes(dict(tok.attrs))}>\n")
    return head + (Markup(f"<caption>{escape(caption)}</caption>\n") if caption else "")


TABLE_CLOSE = "</table>\n</div>\n"


def attributes(attrs: Mapping[str, Any]) -> Markup:
    """`` name="value"`` for each attribute that has a value (names and values escaped; written with
    f-strings: Markup.format took a tenth of a code-heavy build)."""
    return Markup("".join(f' {escape(k)}="{escape(str(v))}"' for k, v in attrs.items() if v is not None))


# The English words, for a renderer given no translated labels (see renderers.body_labels).
DEFAULT_LABELS = {
    "code": "Code", "code_language": "Code: %(language)s",
    "code_numbered": "Code %(number)s", "code_numbered_language": "Code %(number)s: %(language)s",
    "table": "Table", "table_numbered": "Table %(number)s",
}
