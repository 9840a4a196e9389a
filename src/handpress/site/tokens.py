"""Token streams cut and copied for the renderers: a page's top-level blocks (rendered once for the web
variants that write them alike), a handbook chapter's footnotes taken out, authors' ids prefixed."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from typing import Sequence

from markdown_it.token import Token


@dataclass
class SharedBlocks:
    """A page's top-level blocks that its web variants render alike, rendered once for all three.

    The variants' renderers differ only in the rules :class:`~handpress.site.renderers.TextRenderer` and
    :class:`~handpress.site.renderers.PrintRenderer` override (images, links, code); a block holding none
    of those tokens comes out the same in each, so the first variant's HTML serves the others. Pass one
    object to the three :func:`~handpress.site.renderers.render` calls of a page."""

    spans: list[tuple[int, int, bool]] | None = None  # (start, stop, the same in every variant)
    html: dict[int, str] = field(default_factory=dict)  # start -> the block's HTML

    def of(self, tokens: Sequence[Token], variant_rules: Set[str]) -> list[tuple[int, int, bool]]:
        if self.spans is None:
            self.spans = top_level_blocks(tokens, variant_rules)
        return self.spans


def top_level_blocks(tokens: Sequence[Token], variant_rules: Set[str]) -> list[tuple[int, int, bool]]:
    """(start, stop, shared) of each top-level block (a paragraph, a list, a table …): ``shared`` when no
    token in it is one of ``variant_rules``, which the web variants render differently. A block's rules
    never look past its ends (the tight-list and line-feed checks look at neighbours inside it), so blocks
    render apart alike."""
    spans = []
    start = depth = 0
    same = True
    for i, tok in enumerate(tokens):
        depth += tok.nesting
        if tok.type in variant_rules or any(child.type in variant_rules for child in tok.children or ()):
            same = False
        if depth == 0:
            spans.append((start, i + 1, same))
            start, same = i + 1, True
    if start < len(tokens):
        spans.append((start, len(tokens), False))
    return spans


def prefixed_ids(tokens: list[Token], prefix: str) -> list[Token]:
    """The ids authors set on anything but headings (``{#id}``), prefixed with the chapter's like the
    headings' (copies: the parsed tokens are shared by every variant and language)."""
    def renamed(tok: Token) -> Token:
        ident = tok.attrs.get("id") if tok.attrs else None
        if tok.type != "heading_open" and isinstance(ident, str) and ident:
            tok = tok.copy()
            tok.attrs = {**tok.attrs, "id": prefix + ident}
        if tok.children:
            children = [renamed(child) for child in tok.children]
            if any(new is not old for new, old in zip(children, tok.children)):
                tok = tok.copy()
                tok.children = children
        return tok
    return [renamed(tok) for tok in tokens] if prefix else tokens


def split_footnotes(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    """Take the footnote block out of a token stream: (body, {footnote id: its inline tokens})."""
    body: list[Token] = []
    notes: dict[int, list[Token]] = {}
    current: int | None = None
    inside = False
    for tok in tokens:
        if tok.type == "footnote_block_open":
            inside = True
        elif tok.type == "footnote_block_close":
            inside = False
        elif inside and tok.type == "footnote_open":
            current = tok.meta["id"]
            notes[current] = []
        elif inside and tok.type == "inline" and current is not None:
            notes[current].append(tok)
        elif not inside:
            body.append(tok)
    return body, notes
