"""Counts shared by the human-facing reporters: new issues grouped by code and by page, worst first."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from handpress.audit.models import AuditReport, Target


@dataclass(frozen=True)
class CodeCount:
    code: str
    runner: str
    issues: int
    pages: int
    message: str


def by_code(report: AuditReport, review: bool = False) -> list[CodeCount]:
    """The new issues (or, with ``review``, those for a person to check) by code, most first."""
    counts: Counter[str] = Counter()
    pages: dict[str, set[str]] = {}
    first: dict[str, tuple[str, str]] = {}
    for issue in report.review_issues if review else report.new_issues:
        counts[issue.code] += 1
        pages.setdefault(issue.code, set()).add(f"{issue.page}\0{issue.variant}\0{issue.language}")
        first.setdefault(issue.code, (issue.runner, issue.message))
    return [CodeCount(code, first[code][0], n, len(pages[code]), first[code][1])
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def by_page(report: AuditReport) -> list[tuple[Target, int]]:
    rows = [(r.target, len(r.new)) for r in report.results if r.new]
    return sorted(rows, key=lambda row: (-row[1], row[0].page))


def headline(report: AuditReport) -> str:
    new = len(report.new_issues)
    if report.errors:
        return f"{len(report.errors)} could not be audited; {new} new issues."
    if new:
        pages = sum(1 for r in report.results if r.new)
        total = len(report.results)
        return f"{new} new issue{'s' if new != 1 else ''} on {pages} of the {total} pages and PDFs audited."
    review = len(report.review_issues)
    return f"No new issues ({review} to review)." if review else "No new issues."


REVIEW_NOTE = ("HTML_CodeSniffer's warnings ask a person to check what it cannot decide (whether a table holds "
               "data, a bold line is a heading, a row of links is a menu); they do not fail the audit "
               "unless [audit] htmlcs_warnings = \"fail\".")


def part_of(report: AuditReport) -> str:
    """' (shard 2/4 of 40 pages and PDFs)', ' (4 shards merged)' or ''."""
    if report.shard is not None:
        return f" (shard {report.shard} of {report.targets} pages and PDFs)"
    if report.merged > 1:
        return f" ({report.merged} shards merged)"
    return ""
