"""pymdownx.tabbed: ``=== "Title"`` followed by content indented four spaces is one tab; tabs written one
after another are one set (``===!`` starts a new set, ``===+`` selects a tab). A markdown-it block rule and a
core rule.

The tokens are titled blocks inside a set (``tabbed_set`` > ``tabbed_block`` > ``tabbed_title`` + content),
which every variant renders as successive titled sections, readable as they are; graphical pages turn each
set into WAI-ARIA tabs with a small script (``tabs.js``).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_MARKERS = ("===!", "===+", "===")
INDENT = 4


def tabbed_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "tabbed", _block, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.after("block", "tabbed_sets", _sets)


def _title(rest: str) -> str | None:
    """The title of ``=== "Title"`` (quoted with " or '), or None if the line is not a tab."""
    rest = rest.strip()
    if len(rest) < 2 or rest[0] not in "\"'" or rest[-1] != rest[0]:
        return None
    return rest[1:-1].strip()


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos : state.eMarks[start]]
    if not line.startswith("==="):
        return False
    marker = next(m for m in _MARKERS if line.startswith(m))
    title = _title(line[len(marker) :])
    if title is None or (marker == "===" and line[3:4] not in (" ", "\t", '"', "'")):
        return False
    if silent:
        return True
    indent = state.sCount[start] + INDENT
    last = start + 1
    while last < end:
        if state.isEmpty(last):
            last += 1
            continue
        if state.sCount[last] < indent:
            break
        last += 1
    while last > start + 1 and state.isEmpty(last - 1):
        last -= 1  # blank lines after the tab belong to what follows
    old = state.parentType, state.lineMax, state.blkIndent
    state.parentType, state.lineMax = "tabbed", last  # type: ignore[assignment]
    state.blkIndent = indent
    token = state.push("tabbed_block_open", "div", 1)
    token.attrs = {"class": "tabbed-block tabbed-selected" if marker == "===+" else "tabbed-block"}
    token.markup = marker
    token.map = [start, last]
    token.meta = {"new": marker == "===!", "selected": marker == "===+"}
    token = state.push("tabbed_title_open", "p", 1)
    token.attrs = {"class": "tabbed-title"}
    token.map = [start, start + 1]
    token = state.push("inline", "", 0)
    token.content = title
    token.map = [start, start + 1]
    token.children = []
    state.push("tabbed_title_close", "p", -1)
    state.md.block.tokenize(state, start + 1, last)
    state.push("tabbed_block_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = old
    state.line = last
    return True


def _sets(state: StateCore) -> None:
    """Tabs next to each other (at one level, nothing between them) wrapped in one ``tabbed_set``."""
    tokens = state.tokens
    if not any(t.type == "tabbed_block_open" for t in tokens):
        return
    result: list[Token] = []
    for i, tok in enumerate(tokens):
        if tok.type == "tabbed_block_open" and not _joins(tokens[i - 1] if i else None, tok):
            result.append(_set_token("tabbed_set_open", 1, tok.level, tok.map))
        result.append(tok)
        if tok.type == "tabbed_block_close" and not _joins(tok, tokens[i + 1] if i + 1 < len(tokens) else None):
            result.append(_set_token("tabbed_set_close", -1, tok.level))
    _levels(result)
    state.tokens = result


def _joins(before: Token | None, tab: Token | None) -> bool:
    """Whether the tab ``tab`` goes on the set of the tab that closes with ``before``."""
    return (before is not None and tab is not None and before.type == "tabbed_block_close"
            and tab.type == "tabbed_block_open" and before.level == tab.level and not tab.meta["new"])


def _set_token(kind: str, nesting: int, level: int, where: list[int] | None = None) -> Token:
    token = Token(kind, "div", nesting)
    token.block = True
    token.level = level
    if nesting == 1:
        token.attrs = {"class": "tabbed-set"}
        token.map = where
    return token


def _levels(tokens: list[Token]) -> None:
    level = 0
    for tok in tokens:
        if tok.nesting == -1:
            level -= 1
        tok.level = level
        if tok.nesting == 1:
            level += 1
