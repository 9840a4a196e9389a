"""What a build reports. Kept apart from build.py so the no-op check can answer without importing
the stages (the command line starts faster)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from handpress.errors import Diagnostic


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    files: int
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    pdfs: tuple[str, ...] = ()
    coverage: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # lang -> (translated, drafts, total)
    rendered: int = 0  # files rendered by this build; the others were unchanged and kept
