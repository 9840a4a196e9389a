"""The terminal summary: new issues by code and by page, worst first; baseline and fixed counts."""

from __future__ import annotations

from handpress.audit.models import AuditReport
from handpress.audit.reporters import summary

NAME = "terminal"
FILENAME = None
TOP = 20


def render(report: AuditReport, *, verbose: bool = False) -> str:
    lines = [_scope(report)]
    codes = summary.by_code(report)
    if codes:
        lines += ["", "New issues by code (worst first):"]
        lines += [f"  {c.issues:5}  {c.code}  [{c.runner}] on {c.pages} page{'s' if c.pages != 1 else ''}"
                  for c in codes[:TOP]]
        lines += _more(len(codes))
        pages = summary.by_page(report)
        lines += ["", "New issues by page (worst first):"]
        lines += [f"  {n:5}  {t.label}" for t, n in pages[:TOP]]
        lines += _more(len(pages))
    review = summary.by_code(report, review=True)
    if review:
        lines += ["", f"To review ({len(report.review_issues)}, failing nothing):"]
        lines += [f"  {c.issues:5}  {c.code}  [{c.runner}] on {c.pages} page{'s' if c.pages != 1 else ''}"
                  for c in review[:TOP]]
        lines += _more(len(review))
        lines.append(f"  {summary.REVIEW_NOTE}")
    if verbose and report.new_issues:
        lines += [""] + [f"{i.page}: {i.type}: {i.message} [{i.code}]" + (f" at {i.selector}" if i.selector else "")
                         for i in report.new_issues]
    known = report.known
    if report.baseline:
        lines += ["", f"Baseline {report.baseline}: {known} known issue{'s' if known != 1 else ''} still present, "
                      f"{len(report.fixed)} fixed."]
        lines += [f"  fixed: {page}  {code}" + (f"  {selector}" if selector else "")
                  for page, code, selector in report.fixed[:TOP]]
        lines += _more(len(report.fixed))
        if report.fixed:
            lines.append("  Run `handpress audit --update-baseline` to drop the fixed entries.")
    for result in report.errors:
        lines.append(f"{result.target.page}: error: could not audit: {result.error}")
    lines += ["", summary.headline(report)]
    return "\n".join(lines)


def _scope(report: AuditReport) -> str:
    parts = [f"{report.pages} page{'s' if report.pages != 1 else ''}"] if report.pages or not report.pdfs else []
    if report.pdfs:
        parts.append(f"{report.pdfs} PDF{'s' if report.pdfs != 1 else ''}")
    cached = f", {report.cached} unchanged (from cache)" if report.cached else ""
    return (f"Audited {' and '.join(parts)}{summary.part_of(report)} against {report.standard} with "
            f"{', '.join(report.runners)} in {report.seconds:.1f}s{cached}.")


def _more(count: int) -> list[str]:
    return [f"  … and {count - TOP} more (see report.html)"] if count > TOP else []
