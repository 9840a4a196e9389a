"""The ``[audit]`` table of handpress.toml as a declared schema.

``handpress.config`` nests :class:`AuditSettings` as ``SiteConfig.audit``. Until that lands everywhere,
:func:`read_project` reads the table (and the language codes the audit needs) with :mod:`tomllib`.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from handpress.errors import ConfigError, Diagnostic

CONFIG_NAME = "handpress.toml"


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

    def fingerprint(self) -> str:
        """What changes an HTML page's raw findings (ignore rules and baseline do not: they filter later)."""
        data = {"standard": self.standard, "runners": sorted(self.runners), "warnings": self.include_warnings}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class ProjectAudit:
    """What the audit needs from a project: its settings and its language codes, default first."""

    settings: AuditSettings
    languages: tuple[str, ...]


def read_project(project: Path) -> ProjectAudit:
    """Read ``[audit]``, ``language`` and ``languages`` from ``project/handpress.toml``.

    A project without handpress.toml gets the defaults and no language layout.
    """
    path = project / CONFIG_NAME
    if not path.is_file():
        return ProjectAudit(AuditSettings(), ())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError.at(CONFIG_NAME, None, f"invalid TOML: {exc}") from None
    settings = parse_settings(data.get("audit", {}))
    default = data.get("language", "en")
    others = [code for code in data.get("languages", []) if code != default]
    return ProjectAudit(settings, (default, *others))


def parse_settings(table: object) -> AuditSettings:
    try:
        return AuditSettings.model_validate(table)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in ("audit", *err["loc"]))
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown key"
            problems.append(Diagnostic(CONFIG_NAME, None, "error", f"'{where}': {message}"))
        raise ConfigError(problems) from None
