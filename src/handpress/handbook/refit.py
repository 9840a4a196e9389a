"""A line closed up around a page number that came out narrower than its placeholder (:mod:`.numbers`).

A part of a book is laid out with a placeholder of ``digits`` tabular zeros for each page number it
shows; a real number with fewer digits is narrower. Padding it to the placeholder's width would leave a
visible gap ("see page  46"), so the line is closed up instead, in the line's own direction:

- in running text ("(see page 46)"), the number's box narrows and what follows it on the line moves back
  by the difference: the line ends that much shorter, as it would had it been laid out with the number;
- in a line with a leader (the contents' "Chapter ........ 46"), the number stays flush with the line's
  end and the leader runs on to it, with as many more dots as fit on its grid.
"""

from __future__ import annotations

from typing import Any, Sequence

from weasyprint.formatting_structure.boxes import LineBox, ParentBox
from weasyprint.layout.leader import leader_index

EPSILON = 0.01


def close_up(box: Any, path: Sequence[Any], delta: float) -> None:
    """``box``, inside ``path`` (its ancestors from the page down), is ``delta`` points narrower than when
    laid out: set it and its line out again without the gap. Its width is already the new one."""
    lines = [i for i, ancestor in enumerate(path) if isinstance(ancestor, LineBox)]
    if delta <= EPSILON or not lines:
        return
    line = path[lines[-1]]
    inside = list(path[lines[-1] + 1:])
    rtl = line.style["direction"] == "rtl"
    left, right = box.position_x, box.position_x + box.width + delta  # where it was laid out
    _, leader = leader_index(line)
    if leader is not None:
        if not rtl:
            box.translate(dx=delta)  # flush with the line's end; the leader grows into the gap
        leader.width += delta
        if rtl:
            leader.position_x -= delta
        _more_dots(leader)
        return
    if rtl:
        box.position_x += delta
    on_path = {id(b) for b in inside} | {id(box)}
    for level in [line, *inside]:
        for child in level.children:
            if id(child) in on_path:
                continue
            if not rtl and child.position_x >= right - EPSILON:
                child.translate(dx=-delta)
            elif rtl and child.position_x + child.margin_width() <= left + EPSILON:
                child.translate(dx=delta)
    for ancestor in inside:
        ancestor.width -= delta
        if rtl:
            ancestor.position_x += delta


def _more_dots(leader: ParentBox) -> None:
    """Fill the leader's box with its dots, on the grid the ones already there are on."""
    dots = sorted(leader.children, key=lambda dot: dot.position_x)
    if not dots:
        return
    step = dots[0].width
    if step <= 0:
        return
    start, stop = leader.position_x, leader.position_x + leader.width
    added = []
    x = dots[0].position_x - step
    while x >= start - EPSILON:
        added.append(x)
        x -= step
    x = dots[-1].position_x + step
    while x + step <= stop + EPSILON:
        added.append(x)
        x += step
    for x in added:
        dot = dots[0].copy()
        dot.position_x = x
        dots.append(dot)
    leader.children = tuple(sorted(dots, key=lambda dot: dot.position_x))
