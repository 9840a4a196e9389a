"""The ``[audit]`` table of handpress.toml as a declared schema (``SiteConfig.audit``).

:mod:`handpress.audit.settings` reads it on its own for the audit commands (which need no content)."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IgnoreRule(_Model):
    """Drop issues with this code, optionally only on pages matching ``pages`` globs and this selector."""

    code: str = Field(min_length=1)
    pages: list[str] = []
    selector: str | None = None


class AuditSettings(_Model):
    standard: Literal["WCAG2A", "WCAG2AA", "WCAG2AAA"] = "WCAG2AA"
    runners: list[Literal["htmlcs", "axe"]] = Field(default=["htmlcs", "axe"], min_length=1)
    ignore: list[IgnoreRule] = []
    baseline: str = "audit-baseline.json"
    concurrency: int = Field(default=2, ge=1, le=16)
    chromium: str | None = None
    timeout_ms: int = Field(default=30000, ge=1000)
    # pa11y's includeWarnings: axe's moderate findings (heading-order, region) and htmlcs's warnings
    # (a skipped heading level, contrast it cannot compute) are reported and fail the run too.
    include_warnings: bool = True
    # HTML_CodeSniffer's warnings ask a person to check something it cannot decide ("if this table is a data
    # table, consider a caption", "should this bold line be a heading?"): "report" lists them for review without
    # failing the audit, as pa11y does by default; "fail" fails on them as on errors. axe's findings always fail.
    htmlcs_warnings: Literal["report", "fail"] = "report"

    def for_review(self, runner: str, kind: str) -> bool:
        """Whether a finding of this runner and type is listed for a person to check instead of failing."""
        return runner == "htmlcs" and kind == "warning" and self.htmlcs_warnings == "report"

    def fingerprint(self) -> str:
        """What changes an HTML page's raw findings (ignore rules and baseline do not: they filter later)."""
        data = {"standard": self.standard, "runners": sorted(self.runners), "warnings": self.include_warnings}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
