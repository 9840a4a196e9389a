"""Findings as CI annotations at their source: GitHub Actions workflow commands and SARIF 2.1.0 logs.

Both ``handpress check`` (content diagnostics) and ``handpress audit`` (accessibility issues, placed at the
Markdown line or template they came from) hand :class:`Finding` records here; the audit's reporters and the
check command are thin adapters over :func:`github` and :func:`sarif`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

from handpress.errors import Diagnostic

Level = Literal["error", "warning", "notice"]
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "notice": "note"}


@dataclass(frozen=True, order=True)
class Finding:
    """One finding: where (a project-relative file, its line if known), what rule, how bad, what is wrong."""

    file: str
    line: int | None
    level: Level
    rule: str
    message: str
    title: str = ""           # the annotation's title (default: the rule)
    help: str = ""            # the rule's description, for SARIF's rule list


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(finding: Finding) -> str:
    """``::error file=content/a.md,line=3,title=image-alt::message`` (escaped as GitHub Actions reads it)."""
    props = [f"file={_property(finding.file)}"] if finding.file else []
    if finding.line is not None:
        props.append(f"line={finding.line}")
    title = finding.title or finding.rule
    if title:
        props.append(f"title={_property(title)}")
    return f"::{finding.level} {','.join(props)}::{_data(finding.message)}"


def github(findings: Iterable[Finding]) -> str:
    return "".join(github_line(f) + "\n" for f in findings)


def sarif(findings: Iterable[Finding], *, tool: str, version: str, uri: str = "") -> str:
    """A SARIF 2.1.0 log with one run: the rules seen, and each finding at its file and line."""
    found = list(findings)
    rules: dict[str, Finding] = {}
    for finding in found:
        rules.setdefault(finding.rule, finding)
    index = {rule: i for i, rule in enumerate(rules)}
    driver: dict[str, object] = {
        "name": tool,
        "version": version,
        "rules": [{"id": rule, "shortDescription": {"text": (f.help or f.title or rule)[:1000]}}
                  for rule, f in rules.items()],
    }
    if uri:
        driver["informationUri"] = uri
    results = []
    for finding in found:
        location: dict[str, object] = {"artifactLocation": {"uri": finding.file or "."}}
        if finding.line is not None:
            location["region"] = {"startLine": max(finding.line, 1)}
        results.append({
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": SARIF_LEVELS[finding.level],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": location}],
        })
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
    return json.dumps(log, indent=1, ensure_ascii=False) + "\n"


def from_diagnostic(diagnostic: Diagnostic, within: Path = Path(".")) -> Finding:
    """A content check's diagnostic (``content/a.md:3: warning: … [code]``) as a finding; its project-relative
    path is given from the working directory when the project is ``within`` another folder."""
    level: Level = "notice" if diagnostic.severity == "info" else diagnostic.severity
    return Finding(in_folder(within, diagnostic.path), diagnostic.line, level, diagnostic.code or "handpress",
                   diagnostic.message)


def in_folder(folder: Path, path: str) -> str:
    """``path`` (relative to ``folder``) relative to the working directory, when ``folder`` is inside it."""
    try:
        prefix = folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path
    return path if prefix == "." else f"{prefix}/{path}"
