"""The audit's failing findings as :class:`handpress.annotations.Finding` records, shared by the github and
sarif reporters: each new issue at the Markdown line or template it came from (else the built file), one
finding for an issue that several variants or languages of a page share; each target that could not be
audited."""

from __future__ import annotations

from handpress.annotations import Finding
from handpress.audit.models import AuditReport, Issue

LEVELS = {"error": "error", "warning": "warning", "notice": "notice"}


def where(report: AuditReport, issue: Issue) -> tuple[str, int | None]:
    if issue.source:
        return _in_project(report.project, issue.source), issue.line or None
    return _built(report, issue.page), None


def _in_project(project: str, path: str) -> str:
    return path if project in ("", ".") else f"{project.rstrip('/')}/{path}"


def _built(report: AuditReport, page: str) -> str:
    """The built file, relative to where the audit ran when it is below it (out/about/index.html)."""
    return f"{report.root.rstrip('/')}/{page}" if report.root else page


def findings(report: AuditReport) -> list[Finding]:
    grouped: dict[tuple[str, int | None, str, str, str], list[Issue]] = {}
    for issue in report.new_issues:
        file, line = where(report, issue)
        grouped.setdefault((file, line, issue.code, issue.type, issue.message), []).append(issue)
    found = []
    for (file, line, code, kind, message), issues in grouped.items():
        pages = ", ".join(dict.fromkeys(_label(i) for i in issues))
        runner = issues[0].runner
        found.append(Finding(file, line, LEVELS.get(kind, "error"), code,  # type: ignore[arg-type]
                             f"{message} [{runner}] on {pages}", title=f"{runner}: {code}", help=message))
    for result in report.errors:
        found.append(Finding(_built(report, result.target.page), None, "error", "audit-error",
                             f"could not audit {result.target.label}: {result.error}", title="audit error"))
    return sorted(found)


def _label(issue: Issue) -> str:
    where = f"{issue.variant}, {issue.language}" if issue.language else issue.variant
    return f"{issue.page} ({where})"
