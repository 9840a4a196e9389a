"""HTML_CodeSniffer's warnings are for a person to check: a default audit lists them without failing (as pa11y
leaves them out by default), ``[audit] htmlcs_warnings = "fail"`` fails on them; errors and axe's findings always
fail. Real pa11y in the system Chromium on a page whose only finding is such a warning: a data table without a
caption, which an author's pipe table is unless a ``Table:`` line gives it one."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from handpress.commands.audit import audit

NO_CAPTION = "WCAG2AA.Principle1.Guideline1_3.1_3_1.H39.3.NoCaption"
PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Fees</title></head>
<body>
<main>
<h1>Fees</h1>
<table>
<thead><tr><th scope="col">Service</th><th scope="col">Fee</th></tr></thead>
<tbody><tr><td>Passport</td><td>40</td></tr><tr><td>Visa</td><td>25</td></tr></tbody>
</table>
</main>
</body>
</html>
"""


def audited(tmp_path: Path, name: str, table: str = "") -> tuple[Result, dict[str, object]]:
    site = tmp_path / "site"
    if not site.is_dir():
        site.mkdir()
        (site / "index.html").write_text(PAGE, encoding="utf-8")
    project = tmp_path / name
    project.mkdir()
    (project / "handpress.toml").write_text(f'title = "Review"\n\n[audit]\n{table}', encoding="utf-8")
    reports = tmp_path / f"{name}-reports"
    result = CliRunner().invoke(audit, ["--project", str(project), "--dir", str(site), "--out", str(reports),
                                        "--no-cache"], catch_exceptions=False)
    return result, json.loads((reports / "report.json").read_text(encoding="utf-8"))


def test_a_default_audit_lists_htmlcs_warnings_for_review_and_passes(tmp_path: Path) -> None:
    result, report = audited(tmp_path, "default")
    assert result.exit_code == 0, result.output
    [issue] = [i for r in report["results"] for i in r["issues"]]  # type: ignore[index,union-attr]
    assert (issue["runner"], issue["type"], issue["code"], issue["new"], issue["review"]) == (
        "htmlcs", "warning", NO_CAPTION, False, True)
    assert report["summary"] == {**report["summary"], "issues": 1, "new": 0, "review": 1}  # type: ignore[dict-item]
    assert "To review (1, failing nothing):" in result.output and NO_CAPTION in result.output
    assert 'unless [audit] htmlcs_warnings = "fail"' in result.output
    assert result.output.rstrip().splitlines()[-2] == "No new issues (1 to review)."
    html = (tmp_path / "default-reports" / "report.html").read_text(encoding="utf-8")
    assert "To review: 1, failing nothing" in html and "1 to review" in html


def test_htmlcs_warnings_fail_when_the_project_says_so(tmp_path: Path) -> None:
    result, report = audited(tmp_path, "strict", 'htmlcs_warnings = "fail"\n')
    assert result.exit_code == 2, result.output
    [issue] = [i for r in report["results"] for i in r["issues"]]  # type: ignore[index,union-attr]
    assert (issue["code"], issue["new"], issue["review"]) == (NO_CAPTION, True, False)
    assert "To review" not in result.output and "1 new issue on 1 of the 1 pages" in result.output
