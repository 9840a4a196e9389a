"""The Nu HTML Checker wrapper: one Java run for many files, typed messages with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from handpress.audit import vnu
from handpress.errors import ToolMissing

from conftest import FIXTURES

FAULTS = FIXTURES / "audit-faults"
CLEAN = FIXTURES / "audit-clean"


def test_one_run_checks_every_file() -> None:
    files = sorted(FAULTS.glob("*.html")) + sorted(CLEAN.rglob("*.html"))
    messages = vnu.check_html(files)
    by_file = {(m.file.name, m.line, m.type) for m in messages}
    assert ("missing-alt.html", 11, "error") in by_file
    assert ("skipped-heading.html", 11, "error") in by_file
    assert ("missing-lang.html", 2, "warning") in by_file
    assert not [m for m in messages if m.file.is_relative_to(CLEAN)]
    alt = next(m for m in messages if m.file.name == "missing-alt.html")
    assert alt.file == (FAULTS / "missing-alt.html").resolve()
    assert alt.message.startswith("An “img” element must have an “alt” attribute")
    assert '<img src="office.png"' in alt.extract


def test_no_files_means_no_java_run() -> None:
    assert vnu.check_html([]) == []


def test_missing_java_is_one_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissing) as info:
        vnu.check_html([FAULTS / "missing-alt.html"])
    assert str(info.value) == ("java: error: Java is not installed; the Nu HTML Checker needs it: "
                               "`apt-get install default-jre-headless`")
