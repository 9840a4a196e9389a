"""The baseline: record today's issues, fail later only on new ones, list the fixed ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handpress.audit import baseline
from handpress.audit.models import Issue
from handpress.errors import ConfigError


def _issue(page: str, code: str, selector: str = "", runner: str = "axe") -> Issue:
    return Issue(page, "graphical", "en", runner, code, "error", f"{code} message", selector)


def test_round_trip_is_keyed_by_page_code_selector(tmp_path: Path) -> None:
    path = tmp_path / "audit-baseline.json"
    issues = [_issue("a.html", "image-alt", "img"), _issue("a.html", "image-alt", "img", "htmlcs"),
              _issue("b.html", "label", "input")]
    assert baseline.save(path, issues) == 2
    known = baseline.load(path)
    assert known == {("a.html", "image-alt", "img"), ("b.html", "label", "input")}
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["issues"][0]["page"] == "a.html"


def test_split_and_fixed() -> None:
    known = frozenset({("a.html", "image-alt", "img"), ("b.html", "label", "input"), ("c.html", "x", "")})
    found = [_issue("a.html", "image-alt", "img"), _issue("a.html", "link-name", "a")]
    new, old = baseline.split(found, known)
    assert [i.code for i in new] == ["link-name"] and [i.code for i in old] == ["image-alt"]
    # b.html was audited and its issue is gone; c.html was not audited this time, so nothing is said of it.
    assert baseline.fixed(known, found, {"a.html", "b.html"}) == (("b.html", "label", "input"),)


def test_missing_file_is_empty_and_broken_file_is_an_error(tmp_path: Path) -> None:
    assert baseline.load(tmp_path / "none.json") == frozenset()
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        baseline.load(broken)
    assert info.value.diagnostics[0].message.endswith(
        "recreate it with `handpress audit --update-baseline`")
