"""Python-Markdown's ``abbr``: a line ``*[HTML]: Hyper Text Markup Language`` defines an abbreviation for the
whole page, and every whole-word ``HTML`` in its text becomes ``<abbr title="Hyper Text Markup Language">``
(a markdown-it block rule for the definitions, a core rule for the words; code, links' addresses and raw
HTML are left alone). A definition with no words (``*[HTML]:``) removes the abbreviation."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_KEY = "abbreviations"


def abbr_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("list", "abbr_definition", _definition, {"alt": ["paragraph"]})
    md.core.ruler.after("inline", "abbr", _words)


def _definition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    if not line.startswith("*["):
        return False
    close = line.find("]:", 2)
    if close < 3:
        return False
    if silent:
        return True
    word, title = line[2:close].strip(), line[close + 2 :].strip()
    found = state.env.setdefault(_KEY, {})
    if title:
        found[word] = title
    else:
        found.pop(word, None)
    state.line = start + 1
    return True


def _words(state: StateCore) -> None:
    found: dict[str, str] = state.env.get(_KEY) or {}
    if not found:
        return
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True))
                         + r")(?!\w)")
    for tok in state.tokens:
        if tok.type == "inline" and tok.children:
            tok.children = _marked(tok.children, pattern, found)


def _marked(children: list[Token], pattern: re.Pattern[str], found: dict[str, str]) -> list[Token]:
    result: list[Token] = []
    for child in children:
        if child.type != "text" or not pattern.search(child.content):
            result.append(child)
            continue
        done = 0
        for match in pattern.finditer(child.content):
            if match.start() > done:
                result.append(_text(child.content[done : match.start()]))
            opening = Token("abbr_open", "abbr", 1)
            opening.attrs = {"title": found[match.group(1)]}
            result.extend([opening, _text(match.group(1)), Token("abbr_close", "abbr", -1)])
            done = match.end()
        if done < len(child.content):
            result.append(_text(child.content[done:]))
    return result


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
