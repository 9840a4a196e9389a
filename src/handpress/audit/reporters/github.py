"""GitHub Actions annotations: one ``::error file=…,line=…::`` workflow command per new issue, at its source."""

from __future__ import annotations

from handpress import annotations
from handpress.audit.models import AuditReport
from handpress.audit.reporters.findings import findings

NAME = "github"
FILENAME = None


def render(report: AuditReport) -> str:
    return annotations.github(findings(report))
