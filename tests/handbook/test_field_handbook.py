"""Constructs from real documentation sets in a handbook (the field-constructs fixture): what the
content checks accept as warnings lays out without a single WeasyPrint error or refused resource."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from handpress.build.pipeline import build

from conftest import copy_fixture, parse_html


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    project = copy_fixture("field-constructs", tmp_path_factory.mktemp("constructs-pdf"))
    result = build(project)
    assert result.pdfs == ("pdf/field.en.pdf",)
    return project / "out", [d.format() for d in result.diagnostics]


def test_accepted_content_gives_no_pdf_problem(built: tuple[Path, list[str]]) -> None:
    codes = sorted({line.rsplit(" ", 1)[1] for line in built[1] if ": info: " not in line})
    assert codes == ["[control-character]", "[missing-anchor]", "[remote-image]"]  # each once, at the Markdown
    assert all(line.startswith("content/guide/page.md:") for line in built[1] if ": info: " not in line)


def test_links_to_missing_anchors_go_to_the_chapter_or_the_web_page(built: tuple[Path, list[str]]) -> None:
    doc = parse_html(built[0] / "print/handbooks/field/index.html")
    chapter = doc.get_element_by_id("ch-2-page")
    links = {a.text_content(): a.get("href") for a in chapter.iter("a")}
    assert links["another page"] == "#ch-1-other"  # other.md has no #nowhere: its chapter
    assert links["a page outside the handbook"] == "../../../"  # the home page is not in the book
    assert links["this page"] == "#ch-2-page"
    assert links["a section"] == "#ch-1-other--section-two"
    assert links["install the tutorial"] == "#ch-3-tutorial--install"
    assert links["the tutorial"] == "#ch-3-tutorial"
    assert links["a paragraph"] == "#ch-2-page--kept" and doc.get_element_by_id("ch-2-page--kept") is not None
    assert links["a raw anchor"] == "#ch-2-page--local" and doc.get_element_by_id("ch-2-page--local") is not None
    ids = {e.get("id") for e in doc.iter() if e.get("id")}
    assert {href[1:] for href in links.values() if href.startswith("#")} <= ids


def test_remote_images_are_their_words_and_address_and_local_ones_are_printed(built: tuple[Path, list[str]]) -> None:
    doc = parse_html(built[0] / "print/handbooks/field/index.html")
    chapter = doc.get_element_by_id("ch-2-page")
    assert [span.text_content() for span in chapter.find_class("remote-image")] == [
        "[Image: Build status] https://img.shields.io/badge/build-passing-green.svg",
        "[Image: Remote logo] https://example.org/logo.png"]
    assert sorted(img.get("alt") for img in chapter.iter("img")) == ["Raw relative square", "Raw root square", "Square"]
    text = subprocess.run(["pdftotext", "-layout", str(built[0] / "pdf/field.en.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "[Image: Remote logo] https://example.org/logo.png" in text
    assert "␂start␃" in text
    assert not any(ord(c) < 0x20 and c not in "\t\n\r\f" or 0x7F <= ord(c) < 0xA0 for c in text)


def test_the_contents_name_the_chapter_by_its_title_and_the_chapter_shows_its_heading(
        built: tuple[Path, list[str]]) -> None:
    doc = parse_html(built[0] / "print/handbooks/field/index.html")
    assert [a.text_content() for a in doc.find_class("toc-chapter")[1].iter("a")][0] == "Constructs"
    assert doc.get_element_by_id("ch-2-page-title").text_content() == "Constructs found in real documentation"
