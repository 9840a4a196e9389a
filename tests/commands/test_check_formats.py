"""`handpress check --format github|sarif`: the content checks' findings as CI annotations at file and line,
for a passing check and for one that fails (exit 1), with paths from the working directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from handpress.commands.cli import cli

from conftest import copy_fixture


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return copy_fixture("audit-sources", tmp_path)


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", "--project", "audit-sources", *args])
    return result.exit_code, result.stdout, result.stderr


def test_github_annotations_for_warnings(project: Path) -> None:
    code, out, _ = check("--format", "github")
    assert code == 0
    assert out.splitlines() == [
        "::warning file=audit-sources/content/index.md,line=13,title=image-alt::image 'office.png' has no alt text: "
        "describe it in ![…](…), or mark a purely decorative image with ![](…){.decorative}",
        "::warning file=audit-sources/content/index.md,line=15,title=heading-skip::heading level skips from h2 to h4; "
        "use h3",
        "Checked 2 pages: no errors, 2 warnings, 0 notes; 1 at a severity set in handpress.toml.",
    ]


def test_errors_are_annotations_too_and_exit_1(project: Path) -> None:
    other = project / "content" / "other.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n![A map](missing.png)\n", encoding="utf-8")
    code, out, _ = check("--format", "github")
    assert code == 1
    assert ("::error file=audit-sources/content/other.md,line=5,title=missing-file::image 'missing.png' not found "
            "(looked for content/missing.png)") in out.splitlines()
    code, out, _ = check("--format", "sarif")
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    assert {(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results} == {
        ("image-alt", "warning", 13), ("heading-skip", "warning", 15), ("missing-file", "error", 5)}


def test_sarif_keeps_stdout_for_the_log(project: Path) -> None:
    code, out, err = check("--format", "sarif")
    assert code == 0
    log = json.loads(out)
    assert log["runs"][0]["tool"]["driver"]["name"] == "handpress check"
    assert err.strip().endswith("1 at a severity set in handpress.toml.")


def test_text_stays_as_it_was(project: Path) -> None:
    code, out, err = check()
    assert code == 0
    assert err.splitlines()[0].startswith("content/index.md:13: warning: image 'office.png' has no alt text")
    assert out.startswith("Checked 2 pages")
