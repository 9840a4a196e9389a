"""The site map in every language and variant, the links to it from every page, and the feedback address."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.etree
import pypdf
import pytest

from handpress.build.pipeline import build, prepare
from handpress.errors import HandpressError
from handpress.urls import page_dir

from conftest import REPO, copy_fixture, html_pages, parse_html

VARIANTS = {"graphical": "", "text": "text/", "print": "print/"}
LANGS = {"en": "", "es": "es/", "ar": "ar/"}
TITLES = {"en": "Site map", "es": "Mapa del sitio", "ar": "خريطة الموقع"}


def target(page: Path, out: Path, href: str) -> str:
    base = "/" + page.relative_to(out).as_posix()
    return urlsplit(urljoin(base, href)).path.lstrip("/")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_the_site_map_lists_every_page_in_reading_order_nested_with_its_summary(sample_site: Path, lang: str,
                                                                                variant: str) -> None:
    site = prepare(REPO).site
    path = sample_site / LANGS[lang] / VARIANTS[variant] / "site-map" / "index.html"
    doc = parse_html(path)
    assert doc.get("lang") == lang and doc.xpath("string(//h1)") == TITLES[lang]
    listing = doc.xpath("//main//*[@class='site-map']")[0]
    assert listing.tag == ("section" if variant == "print" else "nav")
    links = listing.xpath(".//li/a")
    assert [target(path, sample_site, a.get("href")) for a in links] == [
        page_dir(key, lang, variant, "en") for key in site.keys]
    for a, key in zip(links, site.keys):
        page = site.page(key, lang)
        assert a.text_content() == page.nav_title
        summary = a.getparent().xpath("./p[@class='site-map-summary']")
        assert [p.text_content() for p in summary] == ([page.summary] if page.summary else [])
        if page.content_lang != lang:  # an untranslated page's title and summary in their own language
            assert a.get("lang") == page.content_lang
        # Nested by section: the item of a page's parent holds its item (the home page stands first, alone).
        holder = a.getparent().getparent().getparent()
        parent = page.parent if page.parent else None
        if parent:
            assert holder.tag == "li" and holder.xpath("./a")[0] == links[site.keys.index(parent)]
        else:
            assert holder is listing


def test_every_page_links_to_the_site_map_of_its_variant_and_language(sample_site: Path) -> None:
    pages = [p for p in html_pages(sample_site) if "handbooks" not in p.parts]
    assert len(pages) == 18 * 3 * 3
    for path in pages:
        rel = path.relative_to(sample_site).parts
        lang = rel[0] if rel[0] in ("es", "ar") else "en"
        rest = rel[1:] if lang != "en" else rel
        variant = rest[0] if rest[0] in ("text", "print") else "graphical"
        doc = parse_html(path)
        found = {target(path, sample_site, a.get("href")) for a in doc.xpath("//a[@href]")
                 if a.text_content().strip() == TITLES[lang]}
        assert found == {page_dir("site-map", lang, variant, "en")}, path


def test_sitemap_xml_lists_each_languages_site_map(sample_site: Path) -> None:
    tree = lxml.etree.parse(str(sample_site / "sitemap.xml"))
    locations = tree.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    base = "https://handpress.example.org/international-affairs/"
    assert {base + "site-map/", base + "es/site-map/", base + "ar/site-map/"} <= set(locations)
    assert len(locations) == 18 * 3


def test_feedback_is_linked_from_every_page_and_printed_inside_the_handbook_cover(sample_site: Path) -> None:
    address = "mailto:briefing@handpress.example.org"  # the sample's handpress.toml
    for path in html_pages(sample_site):
        doc = parse_html(path)
        assert doc.xpath(f"//a[@href='{address}']"), path
    book = parse_html(sample_site / "es/print/handbooks/briefing/index.html")
    inside = book.xpath("//section[@class='cover-back']")[0]
    assert inside.getprevious().get("class") == "cover"
    assert inside.xpath("string(.//p)") == ("Envíe sus comentarios y correcciones sobre este manual a: "
                                            "briefing@handpress.example.org")


def test_without_feedback_there_is_no_feedback_link(basic_site: Path) -> None:
    for path in html_pages(basic_site):
        assert not parse_html(path).xpath("//li[@class='feedback'] | //section[@class='cover-back']"), path


def test_the_pdf_prints_the_feedback_address_on_the_inside_of_its_cover(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    toml = project / "handpress.toml"
    toml.write_text('feedback = "https://example.org/contact/"\n' + toml.read_text())
    result = build(project)
    pdf = pypdf.PdfReader(project / "out" / result.pdfs[0])
    assert "https://example.org/contact/" in pdf.pages[1].extract_text()
    assert "https://example.org/contact/" not in pdf.pages[0].extract_text() + pdf.pages[2].extract_text()


def test_a_page_at_the_site_maps_address_is_an_error(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    shutil.copy(project / "content" / "news.md", project / "content" / "site-map.md")
    with pytest.raises(HandpressError) as caught:
        build(project, html_only=True)
    assert [d.format() for d in caught.value.diagnostics] == [
        "content/site-map.md: error: the URL 'site-map/' is reserved by handpress; rename the file or set a slug "
        "[reserved-url]"]
