"""The [audit] table: defaults, validation messages, and what the audit reads from handpress.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from handpress.audit.models import Issue
from handpress.audit.run import ANSWERED, is_ignored
from handpress.audit.settings import AuditSettings, IgnoreRule, parse_settings, read_project
from handpress.errors import ConfigError


def test_defaults() -> None:
    settings = AuditSettings()
    assert settings.standard == "WCAG2AA"
    assert settings.runners == ["htmlcs", "axe"]
    assert settings.baseline == "audit-baseline.json"
    assert settings.concurrency == 2 and settings.chromium is None and settings.ignore == []


def test_read_project(tmp_path: Path) -> None:
    (tmp_path / "handpress.toml").write_text(
        'title = "T"\nlanguage = "es"\nlanguages = ["en", "es"]\n\n[audit]\nrunners = ["axe"]\n'
        '[[audit.ignore]]\ncode = "region"\npages = ["print/**"]\n', encoding="utf-8")
    found = read_project(tmp_path)
    assert found.languages == ("es", "en")
    assert found.settings.runners == ["axe"]
    assert found.settings.ignore == [IgnoreRule(code="region", pages=["print/**"])]


def test_a_folder_without_config_gets_defaults(tmp_path: Path) -> None:
    found = read_project(tmp_path)
    assert found.settings == AuditSettings() and found.languages == ()


def test_invalid_settings_are_all_reported() -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings({"standard": "WCAG3", "runners": ["lighthouse"], "concurency": 3})
    assert [d.format() for d in info.value.diagnostics] == [
        "handpress.toml: error: 'audit.standard': Input should be 'WCAG2A', 'WCAG2AA' or 'WCAG2AAA'",
        "handpress.toml: error: 'audit.runners.0': Input should be 'htmlcs' or 'axe'",
        "handpress.toml: error: 'audit.concurency': unknown key",
    ]


def _issue(page: str = "print/about/index.html", code: str = "region", selector: str = "#nav") -> Issue:
    return Issue(page, "print", "en", "axe", code, "warning", "m", selector)


@pytest.mark.parametrize("rule, expected", [
    (IgnoreRule(code="region"), True),
    (IgnoreRule(code="WCAG2AA.*"), False),
    (IgnoreRule(code="reg*"), True),
    (IgnoreRule(code="region", pages=["print/**"]), True),
    (IgnoreRule(code="region", pages=["text/**"]), False),
    (IgnoreRule(code="region", selector="#nav"), True),
    (IgnoreRule(code="region", selector="#main"), False),
])
def test_ignore_rules(rule: IgnoreRule, expected: bool) -> None:
    assert is_ignored(_issue(), [rule]) is expected


@pytest.mark.parametrize(("standard", "selector", "dropped"), [
    ("WCAG2AA", "", True), ("WCAG2AAA", "", True),
    ("WCAG2AA", "#banner", False),  # a fixed-position element: the same code, a real finding
    ("WCAG2AA", "html > head > meta", False)])  # a viewport that forbids zooming
def test_the_pre_reminder_is_answered_by_the_theme_and_nothing_else(standard: str, selector: str,
                                                                     dropped: bool) -> None:
    issue = Issue("guide/index.html", "graphical", "", "htmlcs",
                  f"{standard}.Principle1.Guideline1_4.1_4_10.C32,C31,C33,C38,SCR34,G206", "warning",
                  "Preformatted text may require scrolling in two dimensions", selector)
    assert is_ignored(issue, ANSWERED) is dropped
