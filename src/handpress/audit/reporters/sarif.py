"""report.sarif: the new issues as a SARIF 2.1.0 log (code scanning), each at its source file and line."""

from __future__ import annotations

from handpress import __version__, annotations
from handpress.audit.models import AuditReport
from handpress.audit.reporters.findings import findings

NAME = "sarif"
FILENAME = "report.sarif"


def render(report: AuditReport) -> str:
    return annotations.sarif(findings(report), tool="handpress audit", version=__version__)
