"""Progress bars for long work (pages, handbook pages, audits), shown only on a terminal.

The library never prints: long work takes a :data:`Reporter` and calls it as
``with report("Rendering", total) as advance: ... advance(n)``. The default, :func:`quiet`, shows
nothing; the command line passes :func:`terminal`, which draws a tqdm bar on stderr when stderr is
a terminal and stays silent otherwise (logs, CI, pipes).
"""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, ContextManager, Iterator, TextIO

Advance = Callable[[int], None]
Reporter = Callable[[str, int], ContextManager[Advance]]


@contextlib.contextmanager
def quiet(label: str, total: int) -> Iterator[Advance]:
    yield lambda n: None


def terminal(stream: TextIO | None = None, *, min_total: int = 50) -> Reporter:
    """Bars on ``stream`` (default stderr) if it is a terminal; work under ``min_total`` steps gets none."""
    out = stream or sys.stderr
    if not out.isatty():
        return quiet

    @contextlib.contextmanager
    def bar(label: str, total: int) -> Iterator[Advance]:
        if total < min_total:
            yield lambda n: None
            return
        from tqdm import tqdm  # imported only when a bar is drawn

        with tqdm(total=total, desc=label, file=out, leave=False, mininterval=0.2,
                  dynamic_ncols=True) as shown:
            yield shown.update

    return bar
