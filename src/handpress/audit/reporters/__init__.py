"""Reporters: adapters with one shape, one module each.

Every reporter module has ``NAME``, ``FILENAME`` (``None`` for the terminal) and
``render(report: AuditReport) -> str``. Adding a format is one small file and one line below.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from handpress.audit.models import AuditReport
from handpress.audit.reporters import github, html, json, junit, sarif, terminal

REPORTERS: tuple[ModuleType, ...] = (json, junit, html, sarif, terminal, github)
FILE_REPORTERS: tuple[ModuleType, ...] = tuple(r for r in REPORTERS if r.FILENAME)


FORMATS = ("terminal", "github", "sarif")  # what --format prints on stdout


def write_reports(report: AuditReport, folder: Path) -> list[Path]:
    """Write every file reporter's output into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for reporter in FILE_REPORTERS:
        path = folder / reporter.FILENAME
        path.write_text(reporter.render(report), encoding="utf-8")
        written.append(path)
    return written
