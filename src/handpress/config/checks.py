"""The ``[checks]`` table of handpress.toml: a content check's severity for the whole project or for
paths, for a team adopting content written elsewhere (in the manner of ruff's per-file-ignores)::

    [checks.severity]              # the whole project
    missing-anchor = "error"

    [checks.paths."legacy/**"]     # files under content/legacy/
    image-alt = "warning"

Defaults are unchanged; what a setting lowers is still reported, counted in the build's summary and
found by the audit (a raw image without alt text is published without one). When several patterns
match a file, the last one wins; a path's setting wins over the project's. Patterns are globs
relative to ``content/`` (``content/legacy/**`` is read the same), and a folder (``legacy/``)
holds everything under it. Problems that stop a build by their nature (two pages at one URL, a
missing template) cannot be lowered."""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import replace
from typing import Annotated, Iterable, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from handpress.errors import Diagnostic

Level = Literal["error", "warning", "info"]

# The content checks (docs/checks.md) whose severity a project may set.
ADJUSTABLE = frozenset({
    "missing-page", "draft-link", "missing-anchor", "missing-file", "image-alt", "heading-skip", "heading-h1",
    "no-heading", "duplicate-id", "empty-link", "unsafe-html", "unreachable", "untranslated", "remote-image",
    "control-character",
})
# The checks whose findings stop a build by their nature: nothing could be published in their place.
FIXED = frozenset({"collection", "missing-template", "template", "reserved-url", "outside-content",
                   "duplicate-url", "no-original", "handbook-page"})
CONTENT = "content/"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known(code: str) -> str:
    if code in FIXED:
        raise ValueError(f"the severity of '{code}' cannot be set: a build cannot go on past it")
    if code not in ADJUSTABLE:
        close = difflib.get_close_matches(code, sorted(ADJUSTABLE), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (one of: {', '.join(sorted(ADJUSTABLE))})"
        raise ValueError(f"unknown check '{code}'{hint}")
    return code


Code = Annotated[str, AfterValidator(_known)]


class ChecksConfig(_Model):
    severity: dict[Code, Level] = {}  # check code -> its severity in the whole project
    paths: dict[str, dict[Code, Level]] = {}  # glob under content/ -> {check code: severity}

    @field_validator("paths")
    @classmethod
    def _paths(cls, value: dict[str, dict[str, Level]]) -> dict[str, dict[str, Level]]:
        if any(not pattern.strip() for pattern in value):
            raise ValueError("a path pattern is empty; write a glob under content/ such as 'legacy/**'")
        return {pattern.strip().removeprefix(CONTENT): codes for pattern, codes in value.items()}

    def level(self, code: str, path: str) -> Level | None:
        """The severity handpress.toml sets for ``code`` in the file ``path`` (``content/…``), if it does."""
        chosen = self.severity.get(code)
        if path.startswith(CONTENT):
            inside = path.removeprefix(CONTENT)
            for pattern, codes in self.paths.items():
                if code in codes and _matches(inside, pattern):
                    chosen = codes[code]
        return chosen

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """``diagnostics`` at the severities set here (each marked ``configured`` when one changes)."""
        if not self.severity and not self.paths:
            return list(diagnostics)
        found = []
        for d in diagnostics:
            level = self.level(d.code, d.path) if d.code in ADJUSTABLE else None
            found.append(replace(d, severity=level, configured=True) if level and level != d.severity else d)
        return found


def _matches(path: str, pattern: str) -> bool:
    if fnmatch.fnmatchcase(path, pattern):
        return True
    folder = pattern.rstrip("/")
    return not any(ch in folder for ch in "*?[") and path.startswith(folder + "/")
