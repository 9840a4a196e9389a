"""``pytest --handpress-audit``: build a project, audit it once, one test per page × variant × language."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES

PROJECT = FIXTURES / "audit-project"


def pytest_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    tests = tmp_path / "tests"
    tests.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                           "-v", *args, str(tests)], cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_without_the_option_the_plugin_adds_nothing(tmp_path: Path) -> None:
    done = pytest_run(tmp_path, "--handpress-project", str(PROJECT))
    assert done.returncode == 5, done.stdout          # "no tests ran"
    assert "handpress-audit" not in done.stdout


def test_one_passing_item_per_page_variant_language(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    done = pytest_run(tmp_path, "--handpress-audit", "--handpress-project", str(project))
    assert done.returncode == 0, done.stdout + done.stderr
    passed = sorted(line.split(" PASSED")[0] for line in done.stdout.splitlines() if " PASSED" in line)
    assert [i for i in passed if "pdf/" not in i] == [
        "handpress-audit::index.html[graphical-en]",
        "handpress-audit::print/handbooks/guide/index.html[print-en]",  # the whole-guide page
        "handpress-audit::print/index.html[print-en]",
        "handpress-audit::print/site-map/index.html[print-en]",
        "handpress-audit::site-map/index.html[graphical-en]",
        "handpress-audit::text/index.html[text-en]",
        "handpress-audit::text/site-map/index.html[text-en]",
    ]
    assert [i for i in passed if "pdf/" in i] in ([], ["handpress-audit::pdf/guide.en.pdf[pdf-en]"])


def test_a_page_with_a_new_issue_fails_with_its_issues(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    page = project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBack to [](index.md).\n", encoding="utf-8")
    done = pytest_run(tmp_path, "--handpress-audit", "--handpress-project", str(project), "-k", "graphical")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "handpress-audit::index.html[graphical-en] FAILED" in done.stdout
    assert "new accessibility issue(s) on index.html (graphical) [en]:" in done.stdout
    assert "[axe: link-name]" in done.stdout
    assert "1 failed, 1 passed, 6 deselected" in done.stdout or "1 failed, 1 passed, 7 deselected" in done.stdout  # the
    # home page fails, its site map passes; a PDF or not
