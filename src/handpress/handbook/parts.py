"""The parallel PDF path: a big handbook laid out as several documents at once, merged into one PDF.

One WeasyPrint call lays a book out on one core and holds the whole layout in memory (1.8 GB for
900 pages). Here the front matter (cover, contents) and runs of chapters are separate documents
(:func:`handpress.handbook.pdf.part_documents`), each laid out in its own forked process, all at once:

1. each part is paginated with placeholders for its page numbers and reports its page count and the
   page of each id (:mod:`handpress.handbook.numbers`); chapters start on a new page, so a part paginates
   the same wherever it starts;
2. once every part has reported, the parent gives each its first page, the book's page count and the
   page of every id; each part fills in its numbers, makes its running heads and footers, writes
   its PDF and sends the bytes back (the parent never holds a layout);
3. :func:`handpress.handbook.merge.merge` makes one PDF of them.

Every part must reach step 2 before any can finish, so there is one process per part; but no more
of them lay out at once than there are cores (the next starts when one has reported its pages), and
no more draw at once. A part waiting for its numbers has given the memory its layout no longer needs
back to the system, so all the parts together hold about what one call holds of a finished layout,
never several layouts' working memory at once. When a number does not fit its placeholder (the book
has more pages than the placeholders have digits), the parts are laid out again with wider ones; when
a number cannot fit at all, :func:`render_parts` returns None and the caller makes the book in one call.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import traceback
from multiprocessing.connection import Connection, wait
from typing import Any, Mapping, Sequence

from handpress import errors
from handpress.errors import HandpressError
from handpress.handbook import engine as pdf
from handpress.handbook import merge as pdfmerge
from handpress.handbook import numbers as pdfnumbers
from handpress.handbook.numbers import Numbers


class _Stopped(Exception):
    """The parent called the parts off (another part failed, or the placeholders were too narrow)."""


class _PipeNumbering:
    """:class:`pdfnumbers.Numbering` for a part in a worker: asks the parent over ``pipe``."""

    def __init__(self, pipe: Connection, digits: int):
        self.pipe, self.digits = pipe, digits

    def measured(self, pages: int, anchors: dict[str, int]) -> Numbers:
        _give_back_memory()  # this process now waits, holding its layout: only that
        self.pipe.send(("measured", pages, anchors))
        reply = self.pipe.recv()
        if reply[0] != "numbers":
            raise _Stopped()
        return reply[1]


def _give_back_memory() -> None:
    """Memory freed since the layout began, returned to the system (glibc keeps it otherwise)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: its allocator returns memory its own way
        pass


def _part(pipe: Connection, html: str, options: Mapping[str, Any], digits: int) -> None:
    """A worker: one part laid out and written; its PDF (or what went wrong) sent to the parent."""
    gc.enable()  # forked from a build that paused the collector: a layout's cycles are freed as it goes
    try:
        pipe.send(("done", pdf.render_pdf(html, numbering=_PipeNumbering(pipe, digits), **options)))
    except _Stopped:
        pass
    except pdfnumbers.Renumbered as exc:
        pipe.send(("renumbered", str(exc)))
    except HandpressError as exc:
        pipe.send(("error", type(exc).__name__, exc.diagnostics))
    except Exception:  # not swallowed: a bug, raised again by the parent with this traceback
        pipe.send(("crash", traceback.format_exc()))
    finally:
        pipe.close()


def render_parts(htmls: Sequence[str], options: Mapping[str, Any], estimate: int,
                 slots: int | None = None, levels: Sequence[Sequence[int]] = ()) -> pdf.PdfResult | None:
    """The PDF of the book whose parts are ``htmls`` (front matter first), ``options`` as for
    :func:`pdf.render_pdf`, ``estimate`` its likely page count; None if its numbers cannot be fitted.
    ``slots``: parts laid out (and drawn) at once, default one per core; ``levels``: the bookmark level
    of each part's top bookmarks (:func:`handpress.handbook.merge.merge`)."""
    digits = len(str(estimate * 5 // 4 + 1))
    slots = max(1, slots or _cores())
    for _ in range(3):
        outcome = _attempt(htmls, options, digits, slots, levels)
        if not isinstance(outcome, int):
            return outcome
        digits = outcome
    return None


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _attempt(htmls: Sequence[str], options: Mapping[str, Any], digits: int,
             slots: int, levels: Sequence[Sequence[int]]) -> pdf.PdfResult | int | None:
    """One try with ``digits``-wide placeholders: the PDF, the digits needed, or None (no fit). At most
    ``slots`` parts lay out at once; the others start as those report their pages."""
    context = multiprocessing.get_context("fork")
    pipes: list[Connection] = []
    procs: list[Any] = []

    def start() -> None:
        parent, child = context.Pipe()
        proc = context.Process(target=_part, args=(child, htmls[len(procs)], options, digits), daemon=True)
        proc.start()
        child.close()
        pipes.append(parent)
        procs.append(proc)

    try:
        while len(procs) < min(slots, len(htmls)):
            start()
        measured: dict[int, tuple[Any, ...]] = {}
        while len(measured) < len(htmls):
            for pipe in wait([p for n, p in enumerate(pipes) if n not in measured]):
                n = pipes.index(pipe)  # type: ignore[arg-type]
                measured[n] = _expect(pipe, procs[n], "measured")
                if len(procs) < len(htmls):
                    start()
        firsts, page = [], 1
        for n in range(len(htmls)):
            firsts.append(page)
            page += measured[n][1]
        total = page - 1
        if len(str(total)) > digits:
            return len(str(total))
        anchors: dict[str, int] = {}
        for first, n in zip(firsts, range(len(htmls))):
            for ident, index in measured[n][2].items():
                anchors.setdefault(ident, first + index)
        results: dict[int, Any] = {}
        told = 0
        while len(results) < len(htmls):
            while told < len(htmls) and told - len(results) < slots:  # drawn, a few at a time
                pipes[told].send(("numbers", Numbers(firsts[told], total, anchors)))
                told += 1
            for pipe in wait([pipes[n] for n in range(told) if n not in results]):
                n = pipes.index(pipe)  # type: ignore[arg-type]
                results[n] = _expect(pipe, procs[n], "done")[1]
    except _Renumbered:
        return None
    finally:
        for pipe in pipes:  # a part still waiting for its numbers stops (EOF or "stop")
            try:
                pipe.send(("stop",))
            except OSError:
                pass
            pipe.close()
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join()
    data = pdfmerge.merge([results[n].data for n in range(len(htmls))], levels)
    # Each part reads the same stylesheets: a warning about them is said once, as one call would.
    return pdf.PdfResult(data, total, tuple(dict.fromkeys(d for n in range(len(htmls))
                                                          for d in results[n].diagnostics)))


class _Renumbered(Exception):
    pass


def _expect(pipe: Connection, proc: Any, kind: str) -> tuple[Any, ...]:
    try:
        message = pipe.recv()
    except EOFError:
        raise RuntimeError(f"handpress PDF part stopped unexpectedly (exit code {proc.exitcode}, "
                           f"pid {proc.pid}, parent {os.getpid()})") from None
    if message[0] == kind:
        return message
    if message[0] == "renumbered":
        raise _Renumbered(message[1])
    if message[0] == "error":
        raise getattr(errors, message[1], HandpressError)(message[2])
    if message[0] == "crash":
        raise RuntimeError(f"handpress PDF part failed:\n{message[1]}")
    raise RuntimeError(f"handpress PDF part: unexpected message {message[0]!r}")
