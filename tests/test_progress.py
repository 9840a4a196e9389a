"""Progress bars: drawn on a terminal, silent anywhere else."""

from __future__ import annotations

import io

from handpress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_when_the_output_is_not_a_terminal() -> None:
    stream = io.StringIO()
    report = progress.terminal(stream)
    assert report is progress.quiet
    with report("Rendering", 900) as advance:
        advance(900)
    assert stream.getvalue() == ""


def test_a_bar_is_drawn_on_a_terminal_and_cleared_when_done() -> None:
    stream = Terminal()
    with progress.terminal(stream, min_total=10)("Rendering", 30) as advance:
        for _ in range(30):
            advance(1)
    drawn = stream.getvalue()
    assert drawn.startswith("\rRendering:   0%|") and "0/30" in drawn
    assert drawn.endswith("\r") and drawn.rstrip("\r").split("\r")[-1].strip() == ""  # cleared: the summary follows


def test_short_work_gets_no_bar() -> None:
    stream = Terminal()
    with progress.terminal(stream, min_total=50)("Rendering", 12) as advance:
        advance(12)
    assert stream.getvalue() == ""
