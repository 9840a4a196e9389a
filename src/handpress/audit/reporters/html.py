"""report.html: the audit as an accessible page (itself audited in the tests)."""

from __future__ import annotations

import jinja2

from handpress.audit.models import AuditReport
from handpress.audit.reporters import summary

NAME = "html"
FILENAME = "report.html"

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("handpress.audit", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(report: AuditReport) -> str:
    failing = [r for r in report.results if r.failed]
    return _ENV.get_template("report.html").render(
        report=report,
        codes=summary.by_code(report),
        review=summary.by_code(report, review=True),
        review_note=summary.REVIEW_NOTE,
        failing=failing,
        passing=[r for r in report.results if not r.failed],
        headline=summary.headline(report),
        part_of=summary.part_of(report),
        known=report.known,
    )
