"""MkDocs' toc ([TOC], permalink, toc_depth), md_in_html, pymdownx.snippets (with its path guards) and
mkdocstrings' ``:::`` blocks, in every variant and the PDF. The fixture is an MkDocs project with no
handpress.toml; its snippets live in includes/, outside docs/."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import copy_fixture, parse_html
from handpress.build.pipeline import build

VARIANTS = {"graphical": "", "text": "text/", "print": "print/"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    project = copy_fixture("mkdocs-includes", tmp_path_factory.mktemp("includes"))
    return project / "out", build(project)


def main(out: Path, variant: str, page: str = "") -> object:
    return parse_html(out / VARIANTS[variant] / page / "index.html").xpath("//main")[0]


def words(element: object) -> str:
    return " ".join(element.text_content().split())  # type: ignore[attr-defined]


def test_what_cannot_be_included_or_generated_is_located(built: tuple[Path, object]) -> None:
    _, result = built
    assert [d.format() for d in result.diagnostics if d.path.startswith("docs/")] == [  # type: ignore[attr-defined]
        "docs/api.md:5: warning: '::: fieldkit.tools' and 1 more: mkdocstrings' API reference is not generated "
        "(handpress runs no Python); the page shows a note in its place [unsupported]",
        "docs/index.md:33: warning: snippet 'nowhere.md' not found in includes/ [snippet]",
        "docs/index.md:35: warning: snippet '../mkdocs.yml' leads out of the snippet folders (includes); it is not "
        "included [snippet]",
    ]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_toc_marker_lists_headings_down_to_toc_depth(built: tuple[Path, object], variant: str) -> None:
    html = main(built[0], variant)
    (toc,) = html.xpath(".//nav[@class='toc']")
    assert toc.get("aria-label") == "Contents of this page"
    assert [(a.text, a.get("href")) for a in toc.xpath(".//a")] == [
        ("Contact", "#contact"), ("Example", "#example"), ("A third level", "#a-third-level"), ("Grid", "#grid"),
        ("Missing", "#missing")]
    assert toc.xpath(".//li[a='Example']/ul/li/a/text()") == ["A third level"]
    links = html.xpath(".//h2[@id='contact']/a[@class='headerlink']")
    assert [(a.get("href"), a.get("title")) for a in links] == (
        [("#contact", "Link to this section")] if variant == "graphical" else [])


@pytest.mark.parametrize("variant", VARIANTS)
def test_snippets_and_markdown_in_html(built: tuple[Path, object], variant: str) -> None:
    html = main(built[0], variant)
    assert words(html.xpath(".//h2[@id='contact']/following-sibling::p[1]")[0]) == (
        "Write to the field office at any time.")
    assert [code.text_content() for code in html.xpath(".//pre/code")] == [  # highlighted but for text-only
        'def greet(name):\n    return f"Hello, {name}"\n']
    (grid,) = html.xpath(".//div[@class='grid']")
    assert [words(p) for p in grid.xpath("./p")] == ["Markdown inside an HTML block."]
    assert grid.xpath("./p/strong/text()") == ["Markdown"]
    assert "--8<--" not in words(html) and "site_name" not in words(html)


@pytest.mark.parametrize("variant", VARIANTS)
def test_an_api_reference_is_a_visible_note(built: tuple[Path, object], variant: str) -> None:
    html = main(built[0], variant, "api")
    notes = html.xpath(".//div[contains(@class, 'reference-missing')]")
    assert [words(n) for n in notes] == [
        f"Reference not included The reference for {name} is generated from source code by mkdocstrings, which "
        "handpress does not run." for name in ("fieldkit.tools", "fieldkit.maps")]
    assert "show_source" not in words(html)


def test_the_pdf_has_the_included_words_and_the_notes(built: tuple[Path, object]) -> None:
    out, _ = built
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "pdf" / "handbook.en.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    for expected in ("Write to the field office at any time.", "def greet(name):", "Markdown inside an HTML block.",
                     "The reference for fieldkit.tools is generated from source code by mkdocstrings"):
        assert expected in text
    assert "[TOC]" not in text and "¶" not in text


@pytest.mark.parametrize("variant", VARIANTS)
def test_auto_append_puts_its_snippets_at_the_end_of_every_page(built: tuple[Path, object], variant: str) -> None:
    """The common use: a glossary of abbreviations appended to every page, so "API" is explained wherever
    it is written; its definitions are not shown as text."""
    for page in ("", "api"):
        html = main(built[0], variant, page)
        assert ("API", "Application Programming Interface") in [(a.text, a.get("title")) for a in html.iter("abbr")]
        assert "*[API]" not in words(html)


def test_an_auto_append_file_that_is_missing_is_said_once_at_its_line(built: tuple[Path, object]) -> None:
    _, result = built
    said = [d.format() for d in result.diagnostics if "auto_append" in d.message]  # type: ignore[attr-defined]
    assert said == ["mkdocs.yml:12: warning: snippets auto_append 'gone.md' is not a file in includes/; it is not "
                    "appended [mkdocs]"]
