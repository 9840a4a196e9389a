"""Python-Markdown's ``md_in_html``: a block-level HTML element whose start tag has a ``markdown`` attribute
(``<div class="grid" markdown>``, ``<figure markdown="1">``) holds Markdown, read as Markdown (a markdown-it
block rule; tags are read with the standard library's HTML parser).

The start tag must be alone on its first line and the end tag alone on a later one, as Python-Markdown
writes them; anything else stays raw HTML, as CommonMark reads it. The element is a pair of tokens
(``md_in_html_open`` with the tag's attributes, less ``markdown``; ``md_in_html_close``) around the Markdown
inside, so the linter, the checks and every renderer see that Markdown like the rest of the page.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

OPEN, CLOSE = "md_in_html_open", "md_in_html_close"
_BLOCK_TAGS = frozenset({"div", "section", "article", "aside", "figure", "figcaption", "details", "summary",
                         "blockquote", "header", "footer", "main", "nav", "dl", "dd", "dt", "li", "ol", "ul",
                         "p", "td", "th"})


class _Tags(HTMLParser):
    """The start and end tags in a line, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, list[tuple[str, str | None]]]] = []  # (start|end, name, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(("start", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.found.append(("end", tag, []))


def _tags(text: str) -> list[tuple[str, str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.found


def md_in_html_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("raw_pre", "md_in_html", _block, {"alt": ["paragraph", "reference", "blockquote"]})


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].strip()


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start) or not state.md.options.get("html"):
        return False
    text = _line(state, start)
    if not text.startswith("<") or not text.endswith(">") or "markdown" not in text:
        return False
    found = _tags(text)
    if len(found) != 1 or found[0][0] != "start":
        return False
    _, name, attrs = found[0]
    if name not in _BLOCK_TAGS or not any(key == "markdown" for key, _ in attrs):
        return False
    close = _closing(state, start + 1, end, name)
    if close is None:
        return False
    if silent:
        return True
    old = state.parentType, state.lineMax, state.blkIndent
    token = state.push(OPEN, name, 1)
    token.block = True
    token.attrs = {key: value or "" for key, value in attrs if key != "markdown"}
    token.map = [start, close + 1]
    state.parentType, state.lineMax = "md_in_html", close  # type: ignore[assignment]
    state.blkIndent = state.sCount[start]
    state.md.block.tokenize(state, start + 1, close)
    state.parentType, state.lineMax, state.blkIndent = old
    token = state.push(CLOSE, name, -1)
    token.block = True
    state.line = close + 1
    return True


def _closing(state: StateBlock, line: int, end: int, name: str) -> int | None:
    """The line of the end tag that closes the element opened before ``line`` (elements of the same name
    opened and closed between them counted)."""
    depth = 1
    while line < end:
        for kind, tag, _ in _tags(_line(state, line)):
            if tag == name:
                depth += 1 if kind == "start" else -1
                if depth == 0:
                    return line if _line(state, line) == f"</{name}>" else None
        line += 1
    return None
