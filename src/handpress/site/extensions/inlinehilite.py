"""pymdownx.inlinehilite: a code span that starts with a language shebang, `` `#!python print(1)` ``, is code
in that language (a markdown-it core rule). The shebang is taken out and the language kept as the span's
``language-…`` class."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


def inlinehilite_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "inlinehilite", _spans)


def _spans(state: StateCore) -> None:
    for tok in state.tokens:
        for child in tok.children or ():
            if child.type == "code_inline" and child.content.startswith("#!"):
                lang, space, code = child.content[2:].partition(" ")
                if space and lang and all(c.isalnum() or c in "+-_." for c in lang):
                    child.content = code
                    child.attrs["class"] = f"language-{lang}"
                    child.meta = {**(child.meta or {}), "language": lang}
