"""MkDocs' block extensions in every variant and the PDF: admonitions, pymdownx.details (``???``, ``???+``),
pymdownx.tabbed (``=== "Tab"``) and superfences (fences inside lists and tabs). The fixture is an MkDocs
project with no handpress.toml."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import copy_fixture, parse_html
from handpress.build.pipeline import build

VARIANTS = {"graphical": "", "text": "text/", "print": "print/"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    project = copy_fixture("mkdocs-blocks", tmp_path_factory.mktemp("blocks"))
    result = build(project)
    return project / "out", result


def page(out: Path, variant: str) -> object:
    return parse_html(out / VARIANTS[variant] / "blocks" / "index.html")


def words(element: object) -> str:
    return " ".join(element.text_content().split())  # type: ignore[attr-defined]


def test_it_builds_with_no_warning(built: tuple[Path, object]) -> None:
    out, result = built
    assert [d.format() for d in result.diagnostics] == []  # type: ignore[attr-defined]


def test_collapsible_admonitions_fold_on_screen_only(built: tuple[Path, object]) -> None:
    out, _ = built
    html = page(out, "graphical")
    folds = html.xpath("//main//details")
    assert [(d.get("class"), d.get("open"), words(d.find("summary"))) for d in folds] == [
        ("admonition tip", None, "A closed tip"), ("admonition info", "", "An open note")]
    for variant in ("text", "print"):
        html = page(out, variant)
        assert html.xpath("//main//details") == []
        assert [words(p) for p in html.xpath("//main//div[contains(@class, 'admonition')]/p[1]")] == [
            "Before you start", "Warning", "A closed tip", "An open note"]
        assert "Hidden on screen until opened." in words(html.xpath("//main")[0])


def test_tabs_are_titled_sections_everywhere_and_tabs_with_a_script_on_graphical_pages(
        built: tuple[Path, object]) -> None:
    out, _ = built
    for variant in VARIANTS:
        html = page(out, variant)
        (tabs,) = html.xpath("//main//div[@class='tabbed-set']")
        blocks = tabs.xpath("./div[contains(@class, 'tabbed-block')]")
        assert [words(b.find("p")) for b in blocks] == ["Linux", "Windows", "Mac"]
        assert blocks[0].xpath(".//pre/code/text()") == ["apt install tool\n"]  # a fence inside a tab
        assert "tabbed-selected" in blocks[2].get("class")
        scripts = html.xpath("//script/@src")
        assert scripts == (["../assets/tabs.js"] if variant == "graphical" else [])
    assert (out / "assets" / "tabs.js").is_file()
    assert parse_html(out / "index.html").xpath("//script/@src") == []  # only pages with tabs load it


def test_fences_inside_list_items_stay_in_them(built: tuple[Path, object]) -> None:
    out, _ = built
    for variant in VARIANTS:
        (item,) = page(out, variant).xpath("//main//ol/li[1]")
        assert item.xpath("./pre/code/text()") == ["mkdir work\n"]


def test_the_pdf_prints_every_fold_and_tab(built: tuple[Path, object]) -> None:
    out, _ = built
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "pdf" / "handbook.en.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    for expected in ("A closed tip Hidden on screen until opened.", "An open note Shown on screen",
                     "Linux Install with the package manager: apt install tool Windows Download the installer. "
                     "Mac Use the disk image.", "mkdir work"):
        assert expected in text
