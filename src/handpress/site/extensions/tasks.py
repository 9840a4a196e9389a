"""pymdownx.tasklist: ``- [ ] to do`` and ``- [x] done`` (a markdown-it core rule).

A task's state is written as a mark with a text name (``☑`` named "Done", ``☐`` named "Not done"), which
screen readers read and every variant, print and PDF show; there are no form controls on the page, so none
is left without a label.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

TOKEN = "task_mark"


def tasklist_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "tasklist", _tasks)


def _state(inline: Token) -> bool | None:
    """True (done), False (to do) or None (not a task) for the first line of a list item."""
    first = (inline.children or [None])[0]
    if first is None or first.type != "text":
        return None
    head = first.content[:4]
    if len(head) < 4 or head[0] != "[" or head[2] != "]" or head[3] not in " \t" or head[1] not in " xX":
        return None
    return head[1] != " "


def _tasks(state: StateCore) -> None:
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "list_item_open" or i + 2 >= len(tokens):
            continue
        para, inline = tokens[i + 1], tokens[i + 2]
        if para.type != "paragraph_open" or inline.type != "inline":
            continue
        done = _state(inline)
        if done is None:
            continue
        children = list(inline.children or [])
        children[0] = children[0].copy()
        children[0].content = children[0].content[4:].lstrip(" \t")
        mark = Token(TOKEN, "span", 0)
        mark.meta = {"done": done}
        inline.children = [mark, *children]
        inline.content = inline.content[4:].lstrip(" \t")
        tok.attrs["class"] = "task-list-item"
        parent = _list_of(tokens, i)
        if parent is not None:
            parent.attrs["class"] = "task-list"


def _list_of(tokens: list[Token], index: int) -> Token | None:
    level = tokens[index].level
    for tok in reversed(tokens[:index]):
        if tok.level == level - 1 and tok.type in ("bullet_list_open", "ordered_list_open"):
            return tok
        if tok.level < level - 1:
            return None
    return None
