"""MkDocs' inline extensions in every variant and the PDF: attr_list (both forms), tasklist, emoji
shortcodes, abbr, inlinehilite, def_list, footnotes and tables. The fixture is an MkDocs project with no
handpress.toml."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import copy_fixture, parse_html
from handpress.build.pipeline import build

VARIANTS = {"graphical": "", "text": "text/", "print": "print/"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    project = copy_fixture("mkdocs-inline", tmp_path_factory.mktemp("inline"))
    return project / "out", build(project)


def main(out: Path, variant: str) -> object:
    return parse_html(out / VARIANTS[variant] / "index.html").xpath("//main")[0]


def words(element: object) -> str:
    return " ".join(element.text_content().split())  # type: ignore[attr-defined]


def test_only_the_theme_icon_and_the_python_tags_are_noted(built: tuple[Path, object]) -> None:
    _, result = built
    found = [d.format() for d in result.diagnostics]  # type: ignore[attr-defined]
    assert ("docs/index.md:21: info: icon :material-check: is left out: it is a theme's SVG icon, not a "
                         "character (use an emoji such as :warning: or words) [emoji-icon]") in found
    assert [d.format() for d in result.diagnostics if d.severity != "info"] == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("variant", VARIANTS)
def test_attribute_lists_set_ids_and_classes_in_both_forms(built: tuple[Path, object], variant: str) -> None:
    html = main(built[0], variant)
    (heading,) = html.xpath(".//h2[@id='attributes']")
    assert heading.get("class") == "section" and words(heading) == "Attribute lists"
    (lead,) = html.xpath(".//p[@id='lead']")
    assert lead.get("class") == "lead" and words(lead) == "A paragraph with attributes on its last line."
    assert html.xpath(".//h2[@id='tasks']")
    assert [a.get("class") for a in html.xpath(".//a[contains(., 'button link')]")] == ["button"]
    (call,) = html.xpath(".//h3[@id='convert']")  # a value in single quotes, as Python-Markdown allows
    assert words(call) == "convert(source)"
    assert "{" not in words(html)
    if variant != "text":
        assert html.xpath(".//img[@alt='orange square']/@class") == ["wide"]
    else:
        assert "[Image: orange square]" in words(html)


@pytest.mark.parametrize("variant", VARIANTS)
def test_tasks_say_their_state_in_words_and_have_no_form_controls(built: tuple[Path, object], variant: str) -> None:
    html = main(built[0], variant)
    assert html.xpath(".//input") == []
    items = html.xpath(".//ul[@class='task-list']/li")
    assert [(li.xpath("./span[@role='img']/@aria-label"), words(li)) for li in items] == [
        (["Done"], "☑ Write the guide"), (["Not done"], "☐ Print the guide")]


@pytest.mark.parametrize("variant", VARIANTS)
def test_emoji_abbreviations_and_inline_code(built: tuple[Path, object], variant: str) -> None:
    html = main(built[0], variant)
    assert "Mind the gap \u26a0 and smile \U0001f604, even with a theme icon." in words(html)
    assert [(a.text, a.get("title")) for a in html.xpath(".//abbr")] == [
        ("WHO", "World Health Organization"), ("HTML", "HyperText Markup Language")]
    assert "*[" not in words(html)
    assert ("The WHO (World Health Organization) publishes in HTML (HyperText Markup Language)." in words(html)) is (
        variant == "print")  # paper shows no title on hover: the words follow the first use
    assert [(c.text_content(), c.get("class")) for c in html.xpath(".//p/code")] == [
        ('print("hello")', "language-python" if variant == "text" else "language-python highlight")]
    assert html.xpath(".//p/code/span/@class") == ([] if variant == "text" else ["nb", "s"])  # highlighted
    assert [words(e) for e in html.xpath(".//dl/*")] == ["Handbook", "A printed guide[1]."]
    assert html.xpath(".//table//th/text()") == ["Tool", "Use"]


def test_the_pdf_has_the_same_words(built: tuple[Path, object]) -> None:
    out, _ = built
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "pdf" / "handbook.en.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    for expected in ("A paragraph with attributes on its last line.", "☑ Write the guide", "☐ Print the guide",
                     "The WHO (World Health Organization) publishes in HTML (HyperText Markup Language).", 'Call print("hello") to greet.', "On paper or as a PDF."):
        assert expected in text
    assert "{:" not in text and ":warning:" not in text and "[x]" not in text
