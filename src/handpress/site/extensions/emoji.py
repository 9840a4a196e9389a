"""pymdownx.emoji shortcodes (a markdown-it inline rule): ``:warning:`` becomes its Unicode character, from
the twemoji index MkDocs Material uses (pymdown-extensions' ``twemoji_db``). Icon sets drawn as SVG by a theme
(``:material-check:``, ``:fontawesome-brands-github:``, ``:octicons-…:``, ``:simple-…:``) have no character:
they are left out, and the linter notes each at its line. Any other ``:word:`` stays as written."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

ICON = "emoji_icon"
ICON_SETS = ("material-", "fontawesome-", "octicons-", "simple-")


def emoji_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("emphasis", "emoji", _inline)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    from pymdownx import twemoji_db

    chars = {name: "".join(chr(int(code, 16)) for code in (entry.get("unicode_alt") or entry["unicode"]).split("-"))
             for name, entry in twemoji_db.emoji.items()}
    chars.update((alias, chars[name]) for alias, name in twemoji_db.aliases.items() if name in chars)
    return chars


def _name_char(char: str) -> bool:
    return char.isalnum() or char in "+-_"


def _inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != ":":
        return False
    end = pos + 1
    while end < state.posMax and _name_char(src[end]):
        end += 1
    if end >= state.posMax or src[end] != ":" or end == pos + 1:
        return False
    name = src[pos : end + 1]
    char = _index().get(name)
    if char is None and not name[1:].startswith(ICON_SETS):
        return False
    if not silent:
        if char is None:
            token = state.push(ICON, "", 0)
            token.meta = {"name": name}
        else:
            token = state.push("text", "", 0)
            token.content = char
    state.pos = end + 1
    return True
