"""Which files the audit finds, and the variant and language it gives each one."""

from __future__ import annotations

from pathlib import Path

import pytest

from handpress.audit.pages import classify, find_targets, matches
from handpress.audit.server import page_url

LANGS = ("en", "es", "ar")


@pytest.mark.parametrize("page, expected", [
    ("index.html", ("graphical", "en")),
    ("about/index.html", ("graphical", "en")),
    ("text/about/index.html", ("text", "en")),
    ("print/index.html", ("print", "en")),
    ("es/text/about/index.html", ("text", "es")),
    ("es/index.html", ("graphical", "es")),
    ("ar/print/about/index.html", ("print", "ar")),
    ("print/handbooks/briefing/index.html", ("print", "en")),
    ("es/print/handbooks/briefing/index.html", ("print", "es")),
    ("text.html", ("graphical", "en")),
    ("pdf/briefing.es.pdf", ("pdf", "es")),
    ("pdf/attache-mexico-city.en.pdf", ("pdf", "en")),
])
def test_classify_follows_the_url_scheme(page: str, expected: tuple[str, str]) -> None:
    assert classify(page, LANGS) == expected


def test_classify_without_languages() -> None:
    assert classify("es/text/a.html", ()) == ("graphical", "")
    assert classify("text/a.html", ()) == ("text", "")


@pytest.mark.parametrize("page, patterns, expected", [
    ("about/index.html", ["about/*"], True),
    ("about/index.html", ["about/"], True),
    ("es/text/about/index.html", ["es/**"], True),
    ("es/text/about/index.html", ["*/about/*"], True),
    ("text/about/index.html", ["about/*"], False),
    ("news/index.html", [], False),
])
def test_page_globs(page: str, patterns: list[str], expected: bool) -> None:
    assert matches(page, patterns) is expected


def _touch(root: Path, *paths: str) -> None:
    for rel in paths:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("<!doctype html><title>x</title>", encoding="utf-8")


def test_find_targets_filters_and_skips_reports(tmp_path: Path) -> None:
    _touch(tmp_path, "index.html", "text/index.html", "es/print/about/index.html", "pdf/guide.es.pdf",
           "audit/report.html", "assets/logo.pdf", ".hidden/x.html", "sitemap.xml")
    every = find_targets(tmp_path, LANGS, exclude=[tmp_path / "audit"])
    assert [(t.page, t.variant, t.language) for t in every] == [
        ("es/print/about/index.html", "print", "es"),
        ("index.html", "graphical", "en"),
        ("pdf/guide.es.pdf", "pdf", "es"),
        ("text/index.html", "text", "en"),
    ]
    assert [t.page for t in find_targets(tmp_path, LANGS, variants=["pdf"])] == ["pdf/guide.es.pdf"]
    assert [t.page for t in find_targets(tmp_path, LANGS, langs=["es"], variants=["print"])] == [
        "es/print/about/index.html"]
    assert [t.page for t in find_targets(tmp_path, LANGS, pages=["text/*"])] == ["text/index.html"]


def test_index_pages_are_requested_as_folders() -> None:
    base = "http://127.0.0.1:1234/"
    assert page_url(base, "index.html") == base
    assert page_url(base, "es/text/about/index.html") == base + "es/text/about/"
    assert page_url(base, "missing alt.html") == base + "missing%20alt.html"
