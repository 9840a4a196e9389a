"""One-line blocks MkDocs projects write (markdown-it block rules):

- ``[TOC]`` alone on a line (Python-Markdown's ``toc`` marker): the page's table of contents, which the
  renderers write from its headings down to ``toc_depth``;
- ``::: package.module`` (mkdocstrings) and the indented options below it: an API reference generated from
  Python source, which handpress does not run. The renderers put a visible note in its place; the linter
  warns once per page (``unsupported``).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

TOC = "toc_marker"
REFERENCE = "mkdocstrings"


def blocks_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", TOC, _toc)
    md.block.ruler.before("paragraph", REFERENCE, _reference, {"alt": ["paragraph"]})


def _text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _toc(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start) or _text(state, start).strip() != "[TOC]":
        return False
    if not silent:
        token = state.push(TOC, "nav", 0)
        token.map = [start, start + 1]
    state.line = start + 1
    return True


def _identifier(text: str) -> bool:
    return bool(text) and all(part.isidentifier() for part in text.replace(":", ".").split("."))


def _reference(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    text = _text(state, start)
    if not text.startswith(":::") or not _identifier(text[3:].strip()):
        return False
    if silent:
        return True
    line = start + 1
    while line < end and (state.isEmpty(line) or state.sCount[line] > state.sCount[start]):
        line += 1  # its options, indented under it (YAML)
    while line > start + 1 and state.isEmpty(line - 1):
        line -= 1
    token = state.push(REFERENCE, "div", 0)
    token.map = [start, line]
    token.content = text[3:].strip()
    state.line = line
    return True
