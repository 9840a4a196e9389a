"""The text-only and printer-friendly variants: what they hold, what they must not, how they link."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from handpress.i18n.catalogs import load_translations

from conftest import REPO, html_pages, parse_html

TEXT_FORBIDDEN = "//img | //svg | //script | //iframe | //object | //embed | //picture | //video | //audio | //style"


def split(out: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {"graphical": [], "text": [], "print": []}
    for path in html_pages(out):
        parts = path.relative_to(out).parts
        parts = parts[1:] if parts[0] in ("es", "ar") else parts
        if parts[:2] == ("print", "handbooks"):
            continue
        found[parts[0] if parts[0] in ("text", "print") else "graphical"].append(path)
    return found


def label(page: Path, out: Path, msgid: str) -> str:
    """A theme label as the page's language shows it (the links are found by their words)."""
    first = page.relative_to(out).parts[0]
    return load_translations(REPO, first if first in ("es", "ar") else "en").gettext(msgid)


def resolve(page: Path, out: Path, href: str) -> str:
    """The site-relative path a relative href on ``page`` points to."""
    base = "/" + page.relative_to(out).as_posix()
    return urlsplit(urljoin(base, href)).path.lstrip("/")


def weight(page: Path, out: Path) -> int:
    """Bytes a browser fetches for a page: HTML, stylesheets, images and the fonts they use."""
    doc = parse_html(page)
    total = page.stat().st_size
    for href in doc.xpath("//link[@rel='stylesheet']/@href") + doc.xpath("//img/@src"):
        target = out / resolve(page, out, href)
        total += target.stat().st_size
        if target.suffix == ".css":
            for font in re.findall(r"url\(['\"]?([^)'\"]+)['\"]?\)", target.read_text()):
                total += (target.parent / font).stat().st_size
    return total


@pytest.fixture(params=["basic_site", "sample_site"])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(request.param)


def test_every_page_exists_in_three_variants_that_link_to_each_other(site: Path) -> None:
    variants = split(site)
    assert len(variants["graphical"]) == len(variants["text"]) == len(variants["print"]) > 0
    for page in variants["graphical"]:
        rel = page.relative_to(site).as_posix()
        doc = parse_html(page)
        links = {a.text_content().strip(): resolve(page, site, a.get("href")) for a in doc.xpath("//a[@href]")}
        text_twin, print_twin = _twins(rel)
        assert links[label(page, site, "Text only")] == text_twin.removesuffix("index.html"), rel
        assert links[label(page, site, "Printer friendly version")] == print_twin.removesuffix("index.html"), rel
        text = parse_html(site / text_twin)
        back = [a for a in text.xpath("//a[@href]") if a.text_content().strip() == label(page, site, "Text & Graphics")]
        assert resolve(site / text_twin, site, back[0].get("href")) == rel.removesuffix("index.html")
        printed = parse_html(site / print_twin)
        back = printed.xpath("//*[contains(@class, 'back')]/a[@href]")[0]
        assert back.text_content() == label(page, site, "Back to the page")
        assert resolve(site / print_twin, site, back.get("href")) == rel.removesuffix("index.html")


def _twins(rel: str) -> tuple[str, str]:
    lang, rest = (rel[:3], rel[3:]) if rel[:3] in ("es/", "ar/") else ("", rel)
    return f"{lang}text/{rest}", f"{lang}print/{rest}"


def test_alternates_and_canonical(basic_site: Path) -> None:
    doc = parse_html(basic_site / "guide/index.html")
    assert doc.xpath("//link[@rel='alternate' and @media='print']/@href") == ["../print/guide/"]
    assert "../text/guide/" in doc.xpath("//link[@rel='alternate']/@href")
    for variant in ("text", "print"):
        twin = parse_html(basic_site / variant / "guide/index.html")
        assert twin.xpath("//link[@rel='canonical']/@href") == ["https://example.org/guide/guide/"]


def test_text_only_pages_have_no_media_scripts_or_layout(site: Path) -> None:
    for page in split(site)["text"]:
        doc = parse_html(page)
        assert doc.xpath(TEXT_FORBIDDEN) == [], page
        sheets = doc.xpath("//link[@rel='stylesheet']/@href")
        assert len(sheets) == 1 and sheets[0].endswith("assets/text.css"), page
        assert not doc.xpath("//@style"), page


def test_text_only_links_stay_in_the_text_variant(site: Path) -> None:
    for page in split(site)["text"]:
        allowed = {label(page, site, "Text & Graphics"), label(page, site, "Printer friendly version")}
        doc = parse_html(page)
        for a in doc.xpath("//a[@href]"):
            href = a.get("href")
            if href.startswith("#") or "://" in href or a.text_content().strip() in allowed:
                continue
            target = resolve(page, site, href)
            parts = target.split("/")
            if parts[0] in ("es", "ar"):
                parts = parts[1:]
            if parts[:2] == ["print", "handbooks"] or "." in parts[-1]:
                continue  # the whole-guide page and downloadable files
            assert parts[0] == "text", (page, href)
            assert (site / target / "index.html").is_file() or (site / target).is_file(), (page, href)


def test_text_only_images_become_their_alt_text(basic_site: Path) -> None:
    doc = parse_html(basic_site / "text/index.html")
    assert doc.xpath("string(//span[@class='image-alt'])") == "[Image: A square diagram]"


def test_text_only_weight_budget(site: Path) -> None:
    for page in split(site)["text"]:
        rel = page.relative_to(site).as_posix()
        graphical = site / rel.replace("text/", "", 1)
        text_bytes = weight(page, site)
        assert text_bytes < 30_000, (rel, text_bytes)
        assert text_bytes * 4 < weight(graphical, site), (rel, text_bytes, weight(graphical, site))


def test_print_pages_drop_chrome_and_list_their_links(basic_site: Path, sample_site: Path) -> None:
    for site in (basic_site, sample_site):
        for page in split(site)["print"]:
            doc = parse_html(page)
            assert not doc.xpath("//nav | //header[@class='site-header'] | //footer"), page
            assert doc.xpath("//p[@class='print-url']/a/@href"), page
    doc = parse_html(basic_site / "print/guide/deep/detail/index.html")
    assert [s.text for s in doc.xpath("//sup[@class='link-number']")] == ["[1]", "[2]"]
    assert [li.text_content() for li in doc.xpath("//section[@class='print-links']//li")] == [
        "guide: https://example.org/guide/print/guide/#overview",
        "the web: https://example.com/",
    ]
    css = (basic_site / "assets/print.css").read_text()
    for rule in ("@page", "break-after: avoid", "break-inside: avoid", "table-header-group"):
        assert rule in css


def test_print_pages_link_to_the_whole_guide(basic_site: Path) -> None:
    doc = parse_html(basic_site / "guide/index.html")
    link = doc.xpath("//p[@class='whole-guide']/a")[0]
    assert link.text.startswith("View a printable version of the whole guide")
    assert (basic_site / resolve(basic_site / "guide/index.html", basic_site, link.get("href")) / "index.html").is_file()
