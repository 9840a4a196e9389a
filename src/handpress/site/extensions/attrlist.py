"""Python-Markdown's ``attr_list`` in both of its forms, ``{: #id .class key=value }`` and ``{#id .class}``
(an inline rule and a core rule on markdown-it's API; the attributes themselves are read by mdit-py-plugins'
attrs parser).

Where the list stands decides what it sets, as in Python-Markdown:

- right after a link, an image, a code span or an emphasis: that element (``[Docs](x.md){: .button }``);
- at the end of a heading, a paragraph (alone on its last line, or after its last words), a list item,
  a table cell or a definition: that block (``## Install {: #install }``, ``Text⏎{: .note }``);
- anywhere else it stays the text it was written as.

Values may be quoted either way, as Python-Markdown allows (``data-toc-label='Registry.register'``): the attrs
parser knows double quotes only, so a single-quoted value is read as the same value in double quotes.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs

TOKEN = "attr_list"
_AFTER = {"image", "code_inline"}  # inline elements that take the attributes themselves
_CLOSERS = {"link_close": "link_open", "em_close": "em_open", "strong_close": "strong_open", "s_close": "s_open"}
_SINGLE_QUOTED = re.compile(r"(?<==)'([^'\"\n]*)'")  # key='value': the same length as key="value"
_BLOCKS = {"heading_open", "paragraph_open", "list_item_open", "th_open", "td_open", "dt_open", "dd_open"}


def attr_list_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("text", TOKEN, _inline)
    md.core.ruler.after("inline", TOKEN, _attach)


def _inline(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    text = state.src[state.pos : state.posMax]
    colon = text.startswith("{:")
    source = "{" + text[2:] if colon else text
    try:
        length, attrs = parse_attrs(source)
    except ParseError:
        try:
            length, attrs = parse_attrs(_SINGLE_QUOTED.sub(r'"\1"', source))
        except ParseError:
            return False
    if not attrs and not colon:
        return False  # "{ }" in running text is text
    if not silent:
        token = state.push(TOKEN, "", 0)
        token.content = text[: length + (2 if colon else 1)]
        token.meta = {"attrs": attrs}
    state.pos += length + (2 if colon else 1)
    return True


def _attach(state: StateCore) -> None:
    tokens = state.tokens
    for index, tok in enumerate(tokens):
        if tok.type == "inline" and tok.children and any(c.type == TOKEN for c in tok.children):
            owner = _owner(tokens, index)
            tok.children = _resolve(tok.children, owner)


def _owner(tokens: list[Token], index: int) -> Token | None:
    """The block an inline token's trailing attributes belong to: its paragraph or heading, and for a
    paragraph that is the first thing in a list item, cell or definition whose only line it is, that."""
    opener = tokens[index - 1] if index else None
    if opener is None or opener.type not in _BLOCKS:
        return None
    if opener.type == "paragraph_open" and opener.hidden and index >= 2 and tokens[index - 2].type in _BLOCKS:
        return tokens[index - 2]  # a tight list's item
    return opener


def _resolve(children: list[Token], owner: Token | None) -> list[Token]:
    result: list[Token] = []
    last = max(i for i, c in enumerate(children) if c.type != "text" or c.content.strip())
    for i, child in enumerate(children):
        if child.type != TOKEN:
            result.append(child)
            continue
        attrs = child.meta["attrs"]
        before = result[-1] if result else None
        if before is not None and before.type in _AFTER:
            _merge(before, attrs)
        elif before is not None and before.type in _CLOSERS:
            _merge(_opening(result, _CLOSERS[before.type]), attrs)
        elif i == last and owner is not None:
            _merge(owner, attrs)
            while result and (result[-1].type == "softbreak" or (result[-1].type == "text"
                                                                  and not result[-1].content.strip())):
                result.pop()
            if result and result[-1].type == "text":
                result[-1].content = result[-1].content.rstrip()
        else:
            text = Token("text", "", 0)
            text.content = child.content
            result.append(text)
    return result


def _opening(tokens: list[Token], kind: str) -> Token:
    depth = 0
    for tok in reversed(tokens):
        if tok.nesting == -1:
            depth += 1
        elif tok.nesting == 1:
            depth -= 1
            if depth == 0 and tok.type == kind:
                return tok
    return tokens[-1]


def _merge(token: Token, attrs: dict[str, str]) -> None:
    for key, value in attrs.items():
        if key == "class" and token.attrs.get("class"):
            token.attrs["class"] = f"{token.attrs['class']} {value}"
        else:
            token.attrs[key] = value
