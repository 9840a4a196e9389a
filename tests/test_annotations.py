"""GitHub Actions workflow commands and SARIF 2.1.0 logs, as their readers parse them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handpress import annotations
from handpress.annotations import Finding
from handpress.errors import Diagnostic


def test_github_lines_escape_what_the_runner_would_read_as_syntax() -> None:
    finding = Finding("content/a, b.md", 3, "error", "x:y", "50% done\nnext line", title="t: 1, 2")
    assert annotations.github_line(finding) == (
        "::error file=content/a%2C b.md,line=3,title=t%3A 1%2C 2::50%25 done%0Anext line")
    assert annotations.github_line(Finding("out/a.html", None, "notice", "r", "m")) == "::notice file=out/a.html,title=r::m"


def test_a_sarif_log_lists_each_rule_once_and_each_finding_at_its_place() -> None:
    log = json.loads(annotations.sarif([
        Finding("content/a.md", 3, "error", "image-alt", "no alt", help="Images need alt text"),
        Finding("content/b.md", None, "warning", "heading-skip", "h2 to h4"),
        Finding("content/c.md", 9, "notice", "image-alt", "no alt"),
    ], tool="handpress check", version="1.2"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("handpress check", "1.2")
    assert driver["rules"] == [{"id": "image-alt", "shortDescription": {"text": "Images need alt text"}},
                               {"id": "heading-skip", "shortDescription": {"text": "heading-skip"}}]
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("image-alt", 0, "error"), ("heading-skip", 1, "warning"), ("image-alt", 0, "note")]
    assert results[0]["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "content/a.md"},
                                                             "region": {"startLine": 3}}}]
    assert results[1]["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "content/b.md"}}}]


def test_a_diagnostic_is_placed_from_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    diagnostic = Diagnostic("content/a.md", 4, "info", "not translated", "untranslated")
    assert annotations.from_diagnostic(diagnostic, Path("docs")) == Finding(
        "docs/content/a.md", 4, "notice", "untranslated", "not translated")
    assert annotations.from_diagnostic(diagnostic).file == "content/a.md"
