"""The graphical page ("Text & Graphics"): structure every page must have, on a fixture and the sample."""

from __future__ import annotations

from pathlib import Path

from conftest import html_pages, parse_html

FOCUSABLE = "//a[@href] | //button | //input | //select | //textarea | //*[@tabindex and @tabindex != '-1']"


def graphical_pages(out: Path) -> list[Path]:
    return [p for p in html_pages(out) if "text" not in p.relative_to(out).parts[:2]
            and "print" not in p.relative_to(out).parts[:2]]


def assert_graphical_page(path: Path, publication: str) -> None:
    doc = parse_html(path)
    where = str(path)
    assert doc.get("lang"), where
    focusable = doc.xpath(FOCUSABLE)
    assert focusable[0].get("href") == "#main" and "skip-link" in focusable[0].get("class", ""), where
    mains = doc.xpath("//main")
    assert len(mains) == 1 and mains[0].get("id") == "main", where
    assert doc.xpath("//header") and doc.xpath("//footer"), where
    navs = doc.xpath("//nav")
    labels = [n.get("aria-label") or n.get("aria-labelledby") for n in navs]
    assert all(labels) and len(set(labels)) == len(labels), (where, labels)
    if doc.xpath("//nav[@id='global-nav']") and doc.xpath("//nav[@id='breadcrumbs']"):
        targets = [a.get("href") for a in doc.xpath("//a[contains(@class, 'skip-link')]")]
        assert "#breadcrumbs" in targets and len(targets) == 3, (where, targets)
        for target in targets:
            assert doc.xpath(f"//*[@id='{target[1:]}']"), (where, target)
    assert len(doc.xpath("//h1")) == 1, where
    levels = [int(h.tag[1]) for h in doc.xpath("//main//h1|//main//h2|//main//h3|//main//h4|//main//h5|//main//h6")]
    assert levels[0] == 1, where
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, (where, levels)
    title = doc.findtext(".//title")
    h1 = doc.xpath("string(//h1)")
    assert title == h1 or title == f"{h1} — {publication}", (where, title)
    assert doc.xpath("//meta[@name='viewport']"), where
    for img in doc.xpath("//img"):
        assert img.get("alt") is not None, where
    for th in doc.xpath("//main//thead//th"):
        assert th.get("scope") == "col", where
    for a in doc.xpath("//a[@href]"):
        assert not a.get("href").split("#")[0].endswith(".md"), (where, a.get("href"))
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids)), (where, sorted(i for i in ids if ids.count(i) > 1))


def test_basic_fixture_pages_have_the_required_structure(basic_site: Path) -> None:
    pages = graphical_pages(basic_site)
    assert len(pages) == 12  # (5 pages and the site map) × (en, es)
    for path in pages:
        assert_graphical_page(path, "Basic Guide")


def test_sample_pages_have_the_required_structure(sample_site: Path) -> None:
    pages = graphical_pages(sample_site)
    assert len(pages) >= 10 * 3
    for path in pages:
        spanish = path.relative_to(sample_site).parts[0] == "es"  # [translations.es] in handpress.toml
        assert_graphical_page(path, "Informe de Asuntos Internacionales" if spanish else "International Affairs Briefing")


def test_clean_urls_and_sitemap(basic_site: Path) -> None:
    assert (basic_site / "guide/deep/detail/index.html").is_file()
    assert (basic_site / "es/guide/deep/detail/index.html").is_file()
    sitemap = (basic_site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/guide/guide/deep/detail/</loc>" in sitemap
    assert "<loc>https://example.org/guide/es/news/</loc>" in sitemap
    assert "/text/" not in sitemap and "/print/" not in sitemap


def test_breadcrumbs_have_depth_and_mark_the_current_page(basic_site: Path) -> None:
    doc = parse_html(basic_site / "guide/deep/detail/index.html")
    crumbs = doc.xpath("//nav[@id='breadcrumbs']//a")
    assert [a.text_content() for a in crumbs] == ["Welcome", "The guide", "Deep section", "Detail page"]
    assert [a.get("href") for a in crumbs] == ["../../../", "../../", "../", "./"]
    assert crumbs[-1].get("aria-current") == "page"


def test_previous_next_and_last_updated(basic_site: Path) -> None:
    doc = parse_html(basic_site / "guide/index.html")
    assert doc.xpath("string(//a[@rel='prev'])").strip().endswith("Welcome")
    assert doc.xpath("string(//a[@rel='next'])").strip().endswith("Deep section")
    assert doc.xpath("string(//p[@class='updated'])") == "Last updated: October 2, 2026"
    assert doc.xpath("//p[@class='updated']/time/@datetime") == ["2026-10-02"]


def test_links_between_pages_are_rewritten_with_anchors(basic_site: Path) -> None:
    doc = parse_html(basic_site / "index.html")
    hrefs = [a.get("href") for a in doc.xpath("//main//div[@class='content']//a")]
    assert hrefs == ["guide/", "guide/deep/detail/#the-detail"]
    detail = parse_html(basic_site / "guide/deep/detail/index.html")
    assert "../../#overview" in detail.xpath("//main//a/@href")


def test_tables_get_a_caption_and_scoped_headers(basic_site: Path) -> None:
    doc = parse_html(basic_site / "guide/index.html")
    assert doc.xpath("string(//table/caption)") == "Offices and staff"
    assert doc.xpath("//table//th/@scope") == ["col", "col"]


def test_collection_page_lists_data_items(basic_site: Path) -> None:
    doc = parse_html(basic_site / "news/index.html")
    assert [h.text_content() for h in doc.xpath("//li[@class='collection-item']/h2")] == [
        "Office opens", "Report published"]
    assert doc.xpath("string(//span[@class='collection-date'])") == "July 26, 2012"


def test_images_keep_alt_text_and_assets_are_copied(basic_site: Path) -> None:
    doc = parse_html(basic_site / "index.html")
    assert doc.xpath("//main//img/@alt") == ["A square diagram"]
    assert doc.xpath("//main//img/@src") == ["images/square.svg"]
    assert (basic_site / "images/square.svg").is_file()
    assert (basic_site / "assets/site.css").is_file()
