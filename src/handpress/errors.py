"""The exception family and located diagnostics that users see.

The library raises :class:`HandpressError` subclasses; only ``cli.py`` turns them into
messages and exit codes (0 ok, 1 error, 2 audit found issues).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning", "info"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_ISSUES = 2


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem: ``path:line: severity: message [code]``."""

    path: str
    line: int | None
    severity: Severity
    message: str
    code: str = ""
    configured: bool = False  # its severity was set in handpress.toml ([checks])

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        suffix = f" [{self.code}]" if self.code else ""
        return f"{where}: {self.severity}: {self.message}{suffix}"

    def as_error(self) -> "Diagnostic":
        return Diagnostic(self.path, self.line, "error", self.message, self.code, self.configured)


class Located(ValueError):
    """A problem found by a check across keys of handpress.toml, with the key path it belongs to (for its line)."""

    def __init__(self, loc: tuple[str | int, ...], message: str):
        super().__init__(message)
        self.loc = loc


class HandpressError(Exception):
    """A user-facing error. Carries one or more diagnostics."""

    exit_code = EXIT_ERROR

    def __init__(self, diagnostics: Iterable[Diagnostic] | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("handpress", None, "error", diagnostics)]
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @classmethod
    def at(cls, path: str | Path, line: int | None, message: str, code: str = "") -> "HandpressError":
        return cls([Diagnostic(str(path), line, "error", message, code)])


class ConfigError(HandpressError):
    """handpress.toml is missing, malformed or invalid."""


class ContentError(HandpressError):
    """A content file cannot be read or rendered."""


class TemplateError(HandpressError):
    """A template has a syntax error or uses an undefined name."""


class BuildLocked(HandpressError):
    """Another build of the same project is running."""


class ToolMissing(HandpressError):
    """An external tool (node, pa11y, Chromium, java) is not installed."""
