"""The translatable text of a Markdown body, found with markdown-it, and put back line by line.

Each *block* is one ``inline`` token of the parse: a paragraph, a heading, a table cell, a term, an
admonition title. Its text becomes a segment for a translation hook in which whatever must not
change is a placeholder ``<x id="N"/>``: code spans, link and image targets, autolinks, raw HTML,
entities, footnote references, ``{attributes}``, hard line breaks, a table's ``Table:`` prefix.
Link texts and image descriptions stay translatable. The positions of those constructs come from
markdown-it's own inline rules (each is wrapped to note where it matched), never from re-parsing.

A translation goes back in place of the block's text on its source lines, so indentation, ``>``,
list markers, ``#`` and table pipes stay as they were; fenced code, HTML blocks, link reference
definitions and front matter are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs

from handpress.site import markdown

PLACEHOLDER = re.compile(r'<x\s+id="(\d+)"\s*/>')
_PROTECTED_RULES = frozenset({"backticks", "autolink", "html_inline", "entity", "footnote_ref",
                              "footnote_inline", "attr"})
_BREAK_RULES = frozenset({"newline", "escape"})
_LABELLED_RULES = {"link": 0, "image": 1}  # offset of the label's "[" from where the rule matched
_CAPTION = "Table: "
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def placeholder(n: int) -> str:
    return f'<x id="{n}"/>'


@dataclass(frozen=True)
class Block:
    """One translatable block of a body."""

    line: int  # 0-based body line where its text starts
    spans: tuple[tuple[int, int, int], ...]  # (body line, start, end) of its text on each source line
    text: str  # Markdown inline text with placeholders
    originals: tuple[str, ...]  # the source each placeholder stands for
    table_cell: bool = False


@dataclass(frozen=True)
class Unplaced:
    """A block whose text could not be located on its source lines (left as it is)."""

    line: int


def restore(translation: str, originals: Sequence[str]) -> str | None:
    """Put the originals back; None unless every placeholder appears exactly once."""
    found = sorted(int(n) for n in PLACEHOLDER.findall(translation))
    if found != list(range(len(originals))):
        return None
    return PLACEHOLDER.sub(lambda m: originals[int(m.group(1))], translation)


def blocks(body: str) -> tuple[tuple[Block, ...], tuple[Unplaced, ...]]:
    """The translatable blocks of a Markdown body, in reading order."""
    md, recorder = _recording_parser()
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    lines = body.split("\n")
    cursors: dict[int, int] = {}
    found: list[Block] = []
    unplaced: list[Unplaced] = []
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or tok.map is None or not tok.content.strip():
            continue
        parent = tokens[i - 1].type if i else ""
        regions = recorder.regions(md, tok.content, env)
        if parent == "heading_open":
            regions += _trailing_attrs(tok.content)
        if parent == "paragraph_open" and tok.content.startswith(_CAPTION) and _before_table(tokens, i):
            regions.append((0, len(_CAPTION), "protect"))
        text, originals = _segment(tok.content, regions)
        if not any(ch.isalpha() for ch in PLACEHOLDER.sub("", text)):
            continue
        spans = _locate(lines, tok.map[0], tok.content.split("\n"), cursors)
        if spans is None:
            unplaced.append(Unplaced(tok.map[0]))
            continue
        found.append(Block(tok.map[0], spans, text, originals, parent in ("th_open", "td_open")))
    return tuple(found), tuple(unplaced)


def apply(body: str, translated: Sequence[tuple[Block, str]]) -> str:
    """The body with each block's text replaced by its (restored) translation."""
    lines = body.split("\n")
    edits: dict[int, list[tuple[int, int, str]]] = {}
    dropped: set[int] = set()
    for block, text in translated:
        if block.table_cell:
            text = _UNESCAPED_PIPE.sub(r"\\|", text)
        parts = text.split("\n")
        n = len(block.spans)
        if len(parts) > n:
            if n == 1:  # a one-line block keeps one line; soft breaks read as spaces anyway
                parts = [" ".join(p.strip() for p in parts)]
            else:  # more lines than the source: the extra ones take the last line's prefix
                last, start, _ = block.spans[-1]
                prefix = lines[last][:start]
                parts = parts[: n - 1] + ["\n".join([parts[n - 1]] + [prefix + p.lstrip() for p in parts[n:]])]
        for k, (line, start, end) in enumerate(block.spans):
            if k < len(parts):
                edits.setdefault(line, []).append((start, end, parts[k].lstrip() if k else parts[k]))
            else:
                dropped.add(line)
    out: list[str] = []
    for number, line in enumerate(lines):
        if number in dropped:
            continue
        for start, end, new in sorted(edits.get(number, ()), reverse=True):
            line = line[:start] + new + line[end:]
        out.append(line)
    return "\n".join(out)


def structure(body: str) -> list[tuple[str, str, int]]:
    """The block structure of a body (token types, tags, nesting), to compare a translation with its source."""
    return [(t.type, t.tag, t.level) for t in markdown.parser().parse(body, {}) if t.type != "inline"]


# --- finding the constructs that must not change ------------------------------------------------


class _Recorder:
    """Notes where the wrapped inline rules matched, for the one state being examined."""

    def __init__(self) -> None:
        self.state: StateInline | None = None
        self.found: list[tuple[str, int, int, str, int]] = []  # rule, start, end, token type, label end

    def wrap(self, name: str, rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
        def recorded(state: StateInline, silent: bool) -> bool:
            start = state.pos
            matched = rule(state, silent)
            if matched and not silent and state is self.state:
                label_end = -1
                if name in _LABELLED_RULES:
                    label_end = state.md.helpers.parseLinkLabel(state, start + _LABELLED_RULES[name], name == "link")
                kind = state.tokens[-1].type if state.tokens else ""
                self.found.append((name, start, state.pos, kind, label_end))
            return matched

        return recorded

    def regions(self, md: MarkdownIt, content: str, env: dict[str, Any]) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every construct to keep ("protect") and soft line break ("soft")."""
        self.state = StateInline(content, md, env, [])
        self.found = []
        try:
            md.inline.tokenize(self.state)
        finally:
            self.state = None
        regions: list[tuple[int, int, str]] = []
        for name, start, end, kind, label_end in self.found:
            if name in _PROTECTED_RULES:
                regions.append((start, end, "protect"))
            elif name in _LABELLED_RULES:
                tail = content[label_end:end]
                if label_end < 0 or tail in ("]", "][]"):  # a shortcut reference: its text is its key
                    regions.append((start, end, "protect"))
                else:
                    regions += [(start, start + _LABELLED_RULES[name] + 1, "protect"), (label_end, end, "protect")]
            elif name in _BREAK_RULES and kind == "hardbreak":
                while start > 0 and content[start - 1] == " ":
                    start -= 1
                regions.append((start, end, "protect"))
            elif name == "newline" and kind == "softbreak":
                regions.append((start, end, "soft"))
        return regions


def _recording_parser() -> tuple[MarkdownIt, _Recorder]:
    """A fresh copy of handpress's Markdown parser whose position-taking inline rules are recorded."""
    md = markdown.parser.__wrapped__()  # a new instance, not the shared cached one
    recorder = _Recorder()
    for rule in list(md.inline.ruler.__rules__):
        if rule.name in _PROTECTED_RULES | _BREAK_RULES | set(_LABELLED_RULES):
            md.inline.ruler.at(rule.name, recorder.wrap(rule.name, rule.fn))
    return md, recorder


def _trailing_attrs(content: str) -> list[tuple[int, int, str]]:
    """``## Title {#id .class}``: the attributes markdown.py reads off a heading's end."""
    start = content.rfind("{")
    if start < 0 or not content.rstrip().endswith("}"):
        return []
    try:
        length, _ = parse_attrs(content[start:].rstrip())
    except ParseError:
        return []
    if start + length + 1 != len(content.rstrip()):
        return []
    while start > 0 and content[start - 1] == " ":
        start -= 1
    return [(start, len(content), "protect")]


def _before_table(tokens: list[Token], i: int) -> bool:
    return i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_close" and tokens[i + 2].type == "table_open"


def _segment(content: str, regions: list[tuple[int, int, str]]) -> tuple[str, tuple[str, ...]]:
    pieces: list[str] = []
    originals: list[str] = []
    pos = 0
    for start, end, kind in sorted(regions, key=lambda r: (r[0], -r[1])):
        if start < pos:  # inside a construct already kept whole
            continue
        pieces.append(content[pos:start])
        if kind == "soft":
            pieces.append("\n")
        else:
            pieces.append(placeholder(len(originals)))
            originals.append(content[start:end])
        pos = end
    pieces.append(content[pos:])
    return "".join(pieces), tuple(originals)


def _locate(lines: list[str], first: int, parts: list[str],
            cursors: dict[int, int]) -> tuple[tuple[int, int, int], ...] | None:
    """Where each line of an inline token's content sits on its source line."""
    spans = []
    for k, part in enumerate(parts):
        number = first + k
        if number >= len(lines):
            return None
        line = lines[number]
        cursor = cursors.get(number, 0)
        stripped = line.rstrip()
        if line.endswith(part) and len(line) - len(part) >= cursor:
            start = len(line) - len(part)
        elif stripped.endswith(part) and len(stripped) - len(part) >= cursor:
            start = len(stripped) - len(part)
        else:
            start = line.find(part, cursor)
            if start < 0:
                return None
        spans.append((number, start, start + len(part)))
    for number, _, end in spans:
        cursors[number] = end
    return tuple(spans)
