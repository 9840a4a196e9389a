"""The audit's settings read from a project: the ``[audit]`` table (schema: :mod:`handpress.config.audit`)
and the language codes, read with :mod:`tomllib` alone, without the rest of the project.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from handpress.config.audit import AuditSettings, IgnoreRule
from handpress.errors import ConfigError, Diagnostic

CONFIG_NAME = "handpress.toml"
__all__ = ["CONFIG_NAME", "AuditSettings", "IgnoreRule", "ProjectAudit", "parse_settings", "read_project"]


@dataclass(frozen=True)
class ProjectAudit:
    """What the audit needs from a project: its settings and its language codes, default first."""

    settings: AuditSettings
    languages: tuple[str, ...]


def read_project(project: Path) -> ProjectAudit:
    """Read ``[audit]``, ``language`` and ``languages`` from ``project/handpress.toml``.

    An MkDocs project (mkdocs.yml, no handpress.toml) gets the defaults and its languages; a folder with
    neither, the defaults and no language layout.
    """
    path = project / CONFIG_NAME
    if not path.is_file():
        from handpress.config import mkdocs

        if mkdocs.find(project) is None:
            return ProjectAudit(AuditSettings(), ())
        config = mkdocs.load(project)  # an MkDocs project: its languages (mkdocs.yml has no [audit])
        return ProjectAudit(AuditSettings(), (config.default_language,
                                              *(c for c in config.languages if c != config.default_language)))
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
