"""``handpress audit`` end to end: real pa11y (htmlcs and axe) in the system Chromium, real files served
on 127.0.0.1. The fault fixture must fail with each expected code from both runners; the clean fixture
must pass; the baseline, the cache, the report files and the exit codes are checked on the way."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handpress.commands.audit import audit

from conftest import FIXTURES

FAULTS = FIXTURES / "audit-faults"
CLEAN = FIXTURES / "audit-clean"

# page → codes that must be reported, from both runners.
EXPECTED = {
    "missing-alt.html": {"WCAG2AA.Principle1.Guideline1_1.1_1_1.H37", "image-alt"},
    "empty-link.html": {"WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent", "link-name"},
    "unlabelled-field.html": {"WCAG2AA.Principle1.Guideline1_3.1_3_1.F68",
                              "WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.InputText.Name", "label"},
    "low-contrast.html": {"WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail", "color-contrast"},
    "skipped-heading.html": {"WCAG2AA.Principle1.Guideline1_3.1_3_1_A.G141", "heading-order"},
    "missing-lang.html": {"WCAG2AA.Principle3.Guideline3_1.3_1_1.H57.2", "html-has-lang"},
}


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(audit, [str(a) for a in args], env=env, catch_exceptions=False)


def project(tmp_path: Path, audit_table: str = "") -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "handpress.toml").write_text(f'title = "Audit test"\nlanguage = "en"\n\n[audit]\n{audit_table}',
                                           encoding="utf-8")
    return folder


def share_cache(proj: Path, other: Path) -> None:
    """Let ``proj`` reuse the audit cache of ``other`` (findings depend on content, not on the project)."""
    (proj / ".handpress-cache").symlink_to(other / ".handpress-cache", target_is_directory=True)


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path]:
    """One audit of the fault fixture (from a cold cache), shared by the tests that read its reports."""
    tmp = tmp_path_factory.mktemp("faults")
    reports = tmp / "reports"
    proj = project(tmp)
    result = run("--project", proj, "--dir", FAULTS, "--out", reports)
    assert "from cache" not in result.output
    return result, reports, proj


def test_faults_exit_2_with_every_expected_code_from_both_runners(faults: tuple[Result, Path, Path]) -> None:
    result, reports, _ = faults
    assert result.exit_code == 2, result.output
    data = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    found = {r["page"]: {i["code"] for i in r["issues"]} for r in data["results"]}
    assert set(found) == set(EXPECTED)
    for page, codes in EXPECTED.items():
        assert codes <= found[page], page
    runners = {i["runner"] for r in data["results"] for i in r["issues"]}
    assert runners == {"htmlcs", "axe"}
    alt = next(i for r in data["results"] for i in r["issues"] if i["code"] == "image-alt")
    assert alt == {"page": "missing-alt.html", "variant": "graphical", "language": "en", "runner": "axe",
                   "code": "image-alt", "type": "error", "message": alt["message"],
                   "selector": "html > body > main > img", "context": '<img src="office.png" width="40" height="40">',
                   "source": "", "line": 0, "new": True, "review": False}
    assert data["summary"]["new"] + data["summary"]["review"] == data["summary"]["issues"] > data["summary"]["new"] > 0


def test_terminal_summary_is_worst_first(faults: tuple[Result, Path, Path]) -> None:
    output = faults[0].output
    assert output.startswith("Audited 6 pages against WCAG2AA with htmlcs, axe in ")
    by_page = output.split("New issues by page (worst first):\n")[1].splitlines()
    assert by_page[0].split() == ["3", "unlabelled-field.html", "(graphical)", "[en]"]
    assert "new issues on 6 of the 6 pages and PDFs audited." in output


def test_junit_has_one_failing_testcase_per_page(faults: tuple[Result, Path, Path]) -> None:
    root = ET.parse(faults[1] / "junit.xml").getroot()
    cases = root.findall("./testsuite/testcase")
    assert sorted(c.get("name") for c in cases) == sorted(EXPECTED)
    assert root.get("tests") == "6" and root.get("failures") == "6" and root.get("errors") == "0"
    alt = next(c for c in cases if c.get("name") == "missing-alt.html")
    failure = alt.find("failure")
    assert failure is not None and failure.get("message") == "2 new accessibility issues"
    assert "[axe: image-alt]" in (failure.text or "") and "[htmlcs: WCAG2AA.Principle1.Guideline1_1.1_1_1.H37]" in (failure.text or "")


def test_the_html_report_is_itself_accessible(faults: tuple[Result, Path, Path], tmp_path: Path) -> None:
    page = tmp_path / "report"
    page.mkdir()
    shutil.copy(faults[1] / "report.html", page / "index.html")
    result = run("--project", tmp_path, "--dir", page, "--out", tmp_path / "out", "--no-cache", "-v")
    assert result.exit_code == 0, result.output
    assert "Audited 1 page " in result.output and "No new issues." in result.output


def test_clean_pages_pass_and_are_cached(tmp_path: Path) -> None:
    proj = project(tmp_path)
    first = run("--project", proj, "--dir", CLEAN, "--out", tmp_path / "r1")
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[0].startswith("Audited 3 pages ")
    assert "No new issues." in first.output
    # Nothing changed: the second run needs neither node nor a browser (an unusable Chromium proves it).
    again = run("--project", proj, "--dir", CLEAN, "--out", tmp_path / "r2", env={"HANDPRESS_CHROMIUM": "/nonexistent"})
    assert again.exit_code == 0, again.output
    assert "3 unchanged (from cache)" in again.output
    assert json.loads((tmp_path / "r2" / "report.json").read_text())["summary"]["cached"] == 3


def test_baseline_then_fixed_and_new_issues(faults: tuple[Result, Path, Path], tmp_path: Path) -> None:
    proj = project(tmp_path)
    share_cache(proj, faults[2])
    site = tmp_path / "site"
    shutil.copytree(FAULTS, site)
    out = tmp_path / "reports"
    recorded = run("--project", proj, "--dir", site, "--out", out, "--update-baseline")
    assert recorded.exit_code == 0, recorded.output
    baseline = json.loads((proj / "audit-baseline.json").read_text(encoding="utf-8"))
    assert {e["code"] for e in baseline["issues"]} >= {"image-alt", "label", "html-has-lang"}

    same = run("--project", proj, "--dir", site, "--out", out)
    assert same.exit_code == 0, same.output
    assert "6 unchanged (from cache)" in same.output and "No new issues." in same.output

    alt = site / "missing-alt.html"
    alt.write_text(alt.read_text().replace('<img src="office.png"', '<img alt="Our office" src="office.png"'))
    link = site / "empty-link.html"
    link.write_text(link.read_text().replace("<p>Read", '<p><img src="office.png" width="40" height="40">Read'))
    changed = run("--project", proj, "--dir", site, "--out", out)
    assert changed.exit_code == 2, changed.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    new = {(r["page"], i["code"]) for r in report["results"] for i in r["issues"] if i["new"]}
    assert new == {("empty-link.html", "WCAG2AA.Principle1.Guideline1_1.1_1_1.H37"), ("empty-link.html", "image-alt")}
    assert {(f["page"], f["code"]) for f in report["fixed"]} == {
        ("missing-alt.html", "WCAG2AA.Principle1.Guideline1_1.1_1_1.H37"), ("missing-alt.html", "image-alt")}
    assert "2 fixed." in changed.output and "fixed: missing-alt.html  image-alt  html > body > main > img" in changed.output

    report_only = run("--project", proj, "--dir", site, "--out", out, "--report-only")
    assert report_only.exit_code == 0 and "2 new issues" in report_only.output


def test_ignore_rules_and_filters(faults: tuple[Result, Path, Path], tmp_path: Path) -> None:
    proj = project(tmp_path, '[[audit.ignore]]\ncode = "WCAG2AA.Principle1.Guideline1_1.*"\n'
                             '[[audit.ignore]]\ncode = "image-alt"\npages = ["missing-*"]\n')
    share_cache(proj, faults[2])
    result = run("--project", proj, "--dir", FAULTS, "--out", tmp_path / "r", "--pages", "missing-alt.html")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert [(r["page"], r["ignored"], r["issues"]) for r in report["results"]] == [("missing-alt.html", 2, [])]


def test_missing_chromium_is_one_clear_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        audit, ["--project", str(tmp_path), "--dir", str(CLEAN), "--out", str(tmp_path / "r"), "--no-cache"],
        env={"HANDPRESS_CHROMIUM": "/nonexistent/chromium"})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "HANDPRESS_CHROMIUM: error: Chromium not found at '/nonexistent/chromium'; install it with "
        "`apt-get install chromium`, or point HANDPRESS_CHROMIUM or [audit] chromium in "
        "handpress.toml at a Chrome or Chromium binary")


def test_missing_node_is_one_clear_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        audit, ["--project", str(tmp_path), "--dir", str(CLEAN), "--out", str(tmp_path / "r"), "--no-cache"],
        env={"PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "node: error: Node.js is not installed; install Node.js 20 or newer (Debian 13: "
        "`apt-get install nodejs npm`)")


def test_nothing_to_audit(tmp_path: Path) -> None:
    result = CliRunner().invoke(audit, ["--project", str(project(tmp_path))])
    assert result.exit_code == 1
    assert result.stderr == "out: error: nothing to audit: out/ does not exist; run `handpress build` first\n"


def test_project_mode_audits_out_and_writes_reports_inside_it(tmp_path: Path) -> None:
    from handpress.build.pipeline import build

    proj = tmp_path / "project"
    shutil.copytree(FIXTURES / "audit-project", proj)
    build(proj, html_only=True)
    result = run("--project", proj, "--variant", "text", "--variant", "graphical")
    assert result.exit_code == 0, result.output
    report = json.loads((proj / "out" / "audit" / "report.json").read_text(encoding="utf-8"))
    assert [(r["page"], r["variant"], r["language"]) for r in report["results"]] == [
        ("index.html", "graphical", "en"), ("site-map/index.html", "graphical", "en"),
        ("text/index.html", "text", "en"), ("text/site-map/index.html", "text", "en")]
    assert (proj / ".handpress-cache" / "audit").is_dir()


def test_pdfs_are_audited_and_reported_like_pages(tmp_path: Path) -> None:
    import pikepdf

    site = tmp_path / "site"
    (site / "pdf").mkdir(parents=True)
    pikepdf.new().save(site / "pdf" / "guide.es.pdf")     # an empty, untagged PDF
    result = run("--project", tmp_path, "--dir", site, "--out", tmp_path / "r", "--no-cache")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Audited 1 PDF against WCAG2AA")
    case = ET.parse(tmp_path / "r" / "junit.xml").getroot().find("./testsuite/testcase")
    assert case is not None and (case.get("classname"), case.get("name")) == ("audit.pdf.es", "pdf/guide.es.pdf")
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    codes = {i["code"] for i in report["results"][0]["issues"]}
    assert {"pdf-not-marked", "pdf-no-lang", "pdf-no-title", "pdf-no-bookmarks"} <= codes
    assert any(code.startswith("ua1:") for code in codes)


def test_exit_codes_follow_pa11y() -> None:
    from handpress.audit.models import AuditReport, Issue, Result, Target
    from handpress.audit.session import exit_code

    target = Target("a.html", "graphical", "en")
    issue = Issue("a.html", "graphical", "en", "axe", "image-alt", "error", "m")
    def report(*results: Result) -> AuditReport:
        return AuditReport(results=results, standard="WCAG2AA", runners=("axe",))
    assert exit_code(report(Result(target))) == 0
    assert exit_code(report(Result(target, (issue,), new=(issue,)))) == 2
    assert exit_code(report(Result(target, (issue,), new=(issue,))), report_only=True) == 0
    assert exit_code(report(Result(target, (issue,)))) == 0          # known from the baseline
    assert exit_code(report(Result(target, error="timed out"))) == 1


def test_a_browser_that_does_not_start_fails_the_tool(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        audit, ["--project", str(tmp_path), "--dir", str(CLEAN), "--out", str(tmp_path / "r"), "--no-cache"],
        env={"HANDPRESS_CHROMIUM": "/bin/true"})
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "pa11y: error: the audit browser failed (/bin/true): Failed to launch the browser process")
