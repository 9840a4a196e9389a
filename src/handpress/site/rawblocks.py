"""Raw HTML blocks that open a ``<pre>`` keep its blank lines (a markdown-it block rule).

CommonMark ends a raw HTML block that starts with a block-level tag (``<div>``, ``<details>`` …) at
the first blank line, and reads what follows as Markdown. Inside a ``<pre>`` that makes the rest of
the preformatted text into paragraphs: ``<div><pre>a⏎⏎b</pre></div>`` becomes ``<p>`` inside
``<pre>``, which is invalid HTML and not what the author wrote. Browsers and Python-Markdown keep
the preformatted text whole; so does this rule: a raw HTML block whose first line opens a ``<pre>``
(after another tag: a ``<pre>`` at the start of a line is CommonMark's own kind of block, which
already runs to ``</pre>``) runs to the line that closes it, then to the next blank line like any
other block. Everywhere else a blank line still ends raw HTML, so Markdown inside ``<details>``
or ``<div>`` stays Markdown.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import HTML_SEQUENCES

_BLOCK_START = HTML_SEQUENCES[5][0]  # a block-level tag at the start of the line (CommonMark's type 6)


class _PreDepth(HTMLParser):
    """How many ``<pre>`` elements are open after the text fed so far."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self.depth:
            self.depth -= 1


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def raw_pre_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start) or not state.md.options.get("html"):
        return False
    text = _line(state, start)
    if not text.startswith("<") or not _BLOCK_START.search(text):
        return False
    depth = _PreDepth()
    depth.feed(text + "\n")
    if not depth.depth:
        return False
    line = start + 1
    while line < end and depth.depth:
        depth.feed(state.src[state.bMarks[line] : state.eMarks[line]] + "\n")
        line += 1
    if depth.depth:
        return False  # never closed: CommonMark's reading stands
    while line < end and not state.isEmpty(line):
        line += 1
    if silent:
        return True
    state.line = line
    token = state.push("html_block", "", 0)
    token.map = [start, line]
    token.content = state.getLines(start, line, state.blkIndent, True)
    return True


def raw_pre_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "raw_pre", raw_pre_block,
                          {"alt": ["paragraph", "reference", "blockquote"]})
