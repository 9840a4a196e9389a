"""Constructs from real documentation sets (the field-constructs fixture) on the web pages: site-root and
folder paths, raw HTML paths, remote images, control characters, raw <pre> with blank lines, and a
front matter title beside a different '# Heading'."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from handpress.build.pipeline import build
from handpress.errors import HandpressError

from conftest import copy_fixture, html_pages, parse_html

PAGE = "content/guide/page.md"
REMOTE = "https://img.shields.io/badge/build-passing-green.svg"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    project = copy_fixture("field-constructs", tmp_path_factory.mktemp("constructs"))
    result = build(project, html_only=True)
    return project / "out", [d.format() for d in result.diagnostics if d.severity != "info"]


def main(out: Path, path: str) -> lxml.html.HtmlElement:
    return parse_html(out / path / "index.html").get_element_by_id("main")


def test_each_construct_is_reported_once_at_its_line(site: tuple[Path, list[str]]) -> None:
    assert [line.split(": ", 2)[:2] + [line.rsplit(" ", 1)[1]] for line in site[1]] == [
        [f"{PAGE}:7", "warning", "[missing-anchor]"],
        [f"{PAGE}:7", "warning", "[missing-anchor]"],
        [f"{PAGE}:7", "warning", "[missing-anchor]"],
        [f"{PAGE}:13", "warning", "[remote-image]"],
        [f"{PAGE}:17", "warning", "[remote-image]"],
        [f"{PAGE}:31", "warning", "[control-character]"],
    ]
    assert site[1][3] == (f"{PAGE}:13: warning: image '{REMOTE}' is on another server, which a build never "
                          "fetches: handbooks show its alt text and address in its place; to print the image, copy "
                          "it into content/ and use its path [remote-image]")
    assert site[1][5] == (f"{PAGE}:31: warning: control characters U+0002 (start of text), U+0003 (end of text), "
                          "U+0085 cannot be published (HTML forbids them, fonts have no glyph): shown as a stand-in "
                          "(␂, �); remove or describe it [control-character]")


@pytest.mark.parametrize("variant", ["", "print/"])
def test_site_root_folder_and_raw_html_paths_are_adjusted(site: tuple[Path, list[str]], variant: str) -> None:
    out = site[0]
    body = main(out, f"{variant}guide/page")
    here = out / variant / "guide/page"
    up = "../../" + "../" * variant.count("/")  # from the page's folder to the site's root
    images = {img.get("alt"): img.get("src") for img in body.iter("img")}
    assert images == {"Square": f"{up}img/square.svg", "Raw relative square": f"{up}img/square.svg",
                      "Raw root square": f"{up}img/square.svg", "Build status": REMOTE,
                      "Remote logo": "https://example.org/logo.png"}
    for src in images.values():
        assert src.startswith("https://") or (here / src).resolve().is_file()
    links = {a.text_content(): a.get("href") for a in body.iter("a") if a.get("class") != "footnote-backref"}
    assert links["install the tutorial"] == "../../tutorial/#install"  # pages of one variant sit alike
    assert links["a section"] == "../other/#section-two"  # the Markdown link and the raw one
    assert links["the other page"] == "../other/"
    assert links["the tutorial"] == "../../tutorial/"
    assert links["a raw anchor"] == "#local" and body.get_element_by_id("local") is not None
    # A missing anchor (a missing-anchor warning at the link) leads to its page, as in handbooks: never to
    # an id the page does not have.
    assert (links["another page"], links["a page outside the handbook"], links["this page"]) == (
        "../other/", "../../", "./")
    for name in ("install the tutorial", "the other page", "the tutorial"):
        assert (here / links[name].partition("#")[0] / "index.html").is_file()


def test_text_only_pages_show_every_image_as_its_words(site: tuple[Path, list[str]]) -> None:
    body = main(site[0], "text/guide/page")
    assert list(body.iter("img")) == []
    words = [span.text_content() for span in body.find_class("image-alt")]
    assert words == ["[Image: Square]", "[Image: Build status]", "[Image: Raw relative square]",
                     "[Image: Raw root square]", "[Image: Remote logo]"]


def test_control_characters_never_reach_a_page(site: tuple[Path, list[str]]) -> None:
    out = site[0]
    for page in html_pages(out):
        text = page.read_text(encoding="utf-8")
        assert not any(ord(c) < 0x20 and c not in "\t\n\r" or 0x7F <= ord(c) < 0xA0 for c in text), page
    assert "Control characters from a terminal: ␂start␃ and �next." in main(out, "guide/page").text_content()


def test_raw_pre_with_blank_lines_stays_preformatted(site: tuple[Path, list[str]]) -> None:
    pre = main(site[0], "guide/page").get_element_by_id("local").find("pre")
    assert pre.text == "first line\n\nafter a blank line\n"
    assert list(pre) == []


def test_the_heading_is_the_h1_and_the_title_names_the_page(site: tuple[Path, list[str]]) -> None:
    out = site[0]
    for variant in ("", "text/", "print/"):
        page = parse_html(out / variant / "guide/page/index.html")
        assert [h.text_content() for h in page.iter("h1")] == ["Constructs found in real documentation"]
        assert page.findtext(".//title").startswith("Constructs — ")
    crumbs = parse_html(out / "guide/page/index.html").get_element_by_id("breadcrumbs")
    assert crumbs.findall(".//a")[-1].text_content() == "Constructs"
    nav = parse_html(out / "guide/other/index.html").get_element_by_id("global-nav")
    assert "Constructs" in [a.text_content() for a in nav.iter("a")]


def test_strict_makes_a_remote_image_an_error(tmp_path: Path) -> None:
    project = copy_fixture("field-constructs", tmp_path)
    with pytest.raises(HandpressError) as caught:
        build(project, html_only=True, strict=True)
    errors = [d.format() for d in caught.value.diagnostics if d.severity == "error"]
    assert f"{PAGE}:13: error: image '{REMOTE}'" in "\n".join(errors)
    assert not (project / "out").exists()
