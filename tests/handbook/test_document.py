"""The handbook document: one semantic HTML per handbook × language, built from the site model.

No PDF is rendered here (tests/handbook/test_pdf.py does that); these tests read the HTML with lxml.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
from pathlib import Path

import lxml.html
import pytest

from handpress import theme
from handpress.build.pipeline import prepare
from handpress.errors import TemplateError
from handpress.handbook.document import (
    CssText,
    build_document,
    chapter_ids,
    pdf_target,
    render_document,
    web_target,
)
from handpress.handbook.dates import handbook_dates
from handpress.handbook.pdf import render_handbooks
from handpress.i18n import catalogs as i18n

from conftest import copy_fixture


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture("handbook", tmp_path_factory.mktemp("handbook"))


@pytest.fixture(scope="module")
def site(project: Path):
    return prepare(project).site


class Catalog(gettext.NullTranslations):
    """A stand-in for a compiled catalog: a few Spanish strings of the handbook template."""

    STRINGS = {
        "Contents": "Índice",
        "Page %(num)s of %(total)s": "Página %(num)s de %(total)s",
        "(see page %(page)s)": "(véase la página %(page)s)",
        "Back to the page": "Volver a la página",
    }

    def gettext(self, message: str) -> str:
        return self.STRINGS.get(message, message)


def document(site, project: Path, lang: str, target: str = "web", translations=None):
    translations = translations or i18n.load_translations(project, lang)
    hb = site.handbooks[0]
    where = web_target(site, hb, lang) if target == "web" else pdf_target(site, project, lang)
    doc = build_document(site, hb, lang, where, translations, project)
    html = render_document(theme.environment(project, translations), doc)
    return doc, html, lxml.html.fromstring(html)


def test_chapters_follow_the_handbook_pages_in_reading_order(site, project: Path) -> None:
    doc, _, _ = document(site, project, "en")
    assert [c.key for c in doc.chapters] == ["", "briefing", "briefing/offices"]
    assert [c.id for c in doc.chapters] == ["ch-1-home", "ch-2-briefing", "ch-3-offices"]
    assert [c.title for c in doc.chapters] == ["Welcome", "The briefing", "Offices"]
    assert [(s.id, s.title) for s in doc.chapters[2].sections] == [
        ("ch-3-offices--where-they-are", "Where they are"),
        ("ch-3-offices--staff", "Staff"),
    ]


def test_document_structure(site, project: Path) -> None:
    _, _, tree = document(site, project, "en")
    assert tree.get("lang") == "en" and tree.get("dir") == "ltr"
    assert tree.findtext(".//title") == "Field Briefing"
    assert [h.text_content() for h in tree.iter("h1")] == ["Field Briefing"]
    cover = tree.find_class("cover")[0]
    assert cover.get("aria-labelledby") == "handbook-title"
    assert cover.find_class("cover-subtitle")[0].text_content() == "What a visitor needs to know"
    assert [e.text_content() for e in cover.iter("dt", "dd")] == ["Date", "November 1, 2026", "Version", "2.1"]
    assert cover.find(".//time").get("datetime") == "2026-11-01"
    assert cover.find_class("cover-marking")[0].text_content() == "Public"
    nav = tree.find(".//nav")
    assert nav.get("class") == "toc"
    assert tree.get_element_by_id(nav.get("aria-labelledby")).text_content() == "Contents"
    articles = tree.findall(".//article")
    # The folder briefing/ is a part of the book: its page opens it, its page offices is a chapter in it.
    assert [a.get("class") for a in articles] == ["chapter depth-0", "chapter depth-0 book-part", "chapter depth-1"]
    titles = [tree.get_element_by_id(a.get("aria-labelledby")) for a in articles]
    assert [(h.tag, h.text_content()) for h in titles] == [("h2", "Welcome"), ("h2", "The briefing"), ("h3", "Offices")]
    # The pages' own headings one level below their title.
    for article, title in zip(articles, titles):
        body = article.find_class("chapter-body")[0]
        assert not body.xpath(" | ".join(f".//h{n}" for n in range(1, int(title.tag[1]) + 1)))
    assert [h.text_content() for h in articles[1].iter("h3")] == ["Scope"]
    assert [h.text_content() for h in articles[2].iter("h4")] == ["Where they are", "Staff"]


def test_every_id_is_unique_and_every_in_page_link_lands(site, project: Path) -> None:
    for lang in ("en", "es", "ar"):
        _, _, tree = document(site, project, lang)
        ids = [e.get("id") for e in tree.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), lang
        targets = [a.get("href")[1:] for a in tree.iter("a") if (a.get("href") or "").startswith("#")]
        assert targets and all(t in ids for t in targets), lang


def test_contents_lists_each_chapter_and_its_sections(site, project: Path) -> None:
    _, _, tree = document(site, project, "en")
    toc = tree.find(".//nav")
    chapters = [(li.find("a").text_content(), [a.text_content() for a in li.iterfind("ol/li[@class='toc-section']/a")])
                for li in toc.find_class("toc-chapter")]
    assert chapters == [("Welcome", ["Purpose"]), ("The briefing", ["Scope"]),
                        ("Offices", ["Where they are", "Staff"])]
    # A part lists its chapters under it, after its own sections, in one list.
    top = toc.find("ol").findall("li")
    assert [li.find("a").text_content() for li in top] == ["Welcome", "The briefing"]
    assert top[1].get("class") == "toc-chapter toc-part"
    assert [a.text_content() for a in top[1].iterfind("ol/li/a")] == ["Scope", "Offices"]
    assert len(top[1].findall("ol")) == 1
    assert [a.get("href") for a in toc.iter("a")][:2] == ["#ch-1-home", "#ch-1-home--purpose"]


def test_links_between_chapters_are_cross_references(site, project: Path) -> None:
    _, _, tree = document(site, project, "en")
    xrefs = {a.text_content(): a.get("href") for a in tree.find_class("xref")}
    assert xrefs == {
        "offices": "#ch-3-offices",
        "staff numbers": "#ch-3-offices--staff",
        "welcome page": "#ch-1-home--purpose",
    }
    external = [a.get("href") for a in tree.iter("a") if "xref" not in (a.get("class") or "")
                and (a.get("href") or "").startswith("http")]
    assert external == ["https://example.org/about/"]


def test_footnotes_sit_where_they_are_called(site, project: Path) -> None:
    _, _, tree = document(site, project, "en")
    notes = tree.find_class("footnote")
    assert [n.text_content() for n in notes] == ["Founded in 2003 after the reorganisation."]
    assert notes[0].getparent().tag == "p"
    assert not tree.find_class("footnotes")  # no end-of-page list: the note floats to the foot


def test_published_page_links_the_site(site, project: Path) -> None:
    doc, html, tree = document(site, project, "es")
    links = {link.get("href"): link.get("media") for link in tree.iter("link") if link.get("rel") == "stylesheet"}
    assert links == {"../../../../assets/print.css": "all", "../../../../assets/handbook.css": "print"}
    back = tree.find_class("back")[0]
    assert back.xpath("ancestor::header[contains(@class, 'no-print')]")  # hidden on paper, inside a landmark
    words = i18n.load_translations(project, "es").gettext("Back to the page")
    assert back.find("a").get("href") == "../../../" and back.text_content() == words
    assert [i.get("src") for i in tree.iter("img")] == ["../../../../images/square.svg"]
    assert tree.find(".//link[@rel='canonical']").get("href") == "https://example.org/briefing/es/print/handbooks/brief/"


def test_pdf_source_reads_the_project(site, project: Path) -> None:
    _, _, tree = document(site, project, "en", target="pdf")
    hrefs = [link.get("href") for link in tree.iter("link") if link.get("rel") == "stylesheet"]
    assert hrefs == [(theme.theme_dir("styles") / name).resolve().as_uri() for name in ("print.css", "handbook.css")]
    assert [i.get("src") for i in tree.iter("img")] == ["images/square.svg"]
    assert not tree.find_class("back")
    meta = {m.get("name"): m.get("content") for m in tree.iter("meta") if m.get("name")}
    assert meta["dcterms.created"] == "2026-09-01T00:00:00Z"
    assert meta["dcterms.modified"] == "2026-11-01T00:00:00Z"
    assert meta["author"] == "Fixture Office"


def test_untranslated_page_is_marked_with_its_language(site, project: Path) -> None:
    doc, _, tree = document(site, project, "es")
    fallback = tree.get_element_by_id("ch-2-briefing")
    assert fallback.get("lang") == "en"
    notice = fallback.find_class("notice-fallback")[0]
    assert notice.get("lang") == "es"
    sentence = i18n.load_translations(project, "es").gettext(
        "This page has not been translated into %(lang)s yet. It is shown in %(source)s.")
    assert notice.text_content() == sentence % {"lang": doc.chapters[1].reader_language,
                                                 "source": doc.chapters[1].language}
    assert (doc.chapters[1].reader_language, doc.chapters[1].language) == ("español", "inglés")  # as the site says
    assert tree.get_element_by_id("ch-1-home").get("lang") is None
    assert [c.title for c in doc.chapters] == ["Bienvenida", "The briefing", "Oficinas"]


def test_paper_size_comes_from_the_handbook(site, project: Path) -> None:
    import dataclasses

    hb = site.handbooks[0]
    letter = dataclasses.replace(hb, config=hb.config.model_copy(update={"paper": "Letter"}))
    translations = i18n.load_translations(project, "en")
    doc = build_document(site, letter, "en", web_target(site, letter, "en"), translations, project)
    tree = lxml.html.fromstring(render_document(theme.environment(project, translations), doc))
    assert "@page { size: Letter; }" in tree.find(".//style").text
    assert "paper-letter" in tree.get("class")
    _, _, a4 = document(site, project, "en")
    assert "@page { size: A4; }" in a4.find(".//style").text


def test_cover_words_per_language_and_marked_where_they_fall_back(site, project: Path) -> None:
    import dataclasses

    from handpress.config import HandbookText

    hb = site.handbooks[0]
    text = {"es": HandbookText(title="Informe de campo", marking="Público")}
    translated = dataclasses.replace(hb, config=hb.config.model_copy(update={"translations": text}))

    def cover(lang: str):
        translations = i18n.load_translations(project, lang)
        doc = build_document(site, translated, lang, web_target(site, translated, lang), translations, project)
        tree = lxml.html.fromstring(render_document(theme.environment(project, translations), doc))
        return doc, {name: tree.find_class(f"cover-{name}")[0] for name in ("title", "subtitle", "marking")}

    doc, es = cover("es")
    assert doc.title == "Informe de campo" and doc.description == "What a visitor needs to know"
    assert (es["title"].text_content(), es["title"].get("lang")) == ("Informe de campo", None)
    assert (es["marking"].text_content(), es["marking"].get("lang")) == ("Público", None)
    assert (es["subtitle"].get("lang"), es["subtitle"].get("dir")) == ("en", "ltr")  # not translated: said so
    doc, ar = cover("ar")
    assert doc.title == "Field Briefing"
    assert all((e.get("lang"), e.get("dir")) == ("en", "ltr") for e in ar.values())
    _, en = cover("en")
    assert all(e.get("lang") is None for e in en.values())


def test_right_to_left_handbook(site, project: Path) -> None:
    _, html, tree = document(site, project, "ar")
    assert tree.get("lang") == "ar" and tree.get("dir") == "rtl"
    style = tree.find(".//style").text
    assert "@top-left { content: string(chapter-title)" in style


def test_interface_words_are_translated_and_reach_the_page_rules(site, project: Path) -> None:
    _, html, tree = document(site, project, "es", translations=Catalog())
    assert tree.get_element_by_id("toc-title").text_content() == "Índice"
    style = tree.find(".//style").text
    assert '@bottom-center { content: "Página " counter(page) " de " counter(pages); }' in style
    assert ('.handbook a.xref::after { content: " \u2068(véase la página " '
            'target-counter(attr(href url), page) ")\u2069"; }') in style


def test_css_text_cannot_break_out_of_the_style_element() -> None:
    css = CssText()
    assert css.text('Page "1" </style><script>\\') == '"Page \\22 1\\22  \\3c /style\\3e \\3c script\\3e \\5c "'
    assert css.text(f"{css.page}/{css.pages}") == 'counter(page) "/" counter(pages)'
    assert css.text("") == '""'


def test_chapter_ids_cannot_collide_with_heading_ids() -> None:
    ids = chapter_ids(("", "a", "a/b", "a-b"))
    assert ids == {"": "ch-1-home", "a": "ch-2-a", "a/b": "ch-3-b", "a-b": "ch-4-a-b"}
    # Headings inside a chapter are "<chapter>--<heading>", its title "<chapter>-title".
    body_ids = {f"{ids['a']}--b", f"{ids['a']}--title"}
    assert not body_ids & ({*ids.values()} | {f"{v}-title" for v in ids.values()})


def test_dates_come_from_the_content(site, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [site.page(k, "en") for k in site.handbooks[0].keys]
    utc = dt.timezone.utc
    assert handbook_dates("2026-11-01", pages, project) == (dt.datetime(2026, 9, 1, tzinfo=utc),
                                                             dt.datetime(2026, 11, 1, tzinfo=utc))
    undated = [p for p in pages if p.updated is None]
    assert undated == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamp = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=utc)
    assert handbook_dates(None, [], project) == (stamp, stamp)


def test_without_dates_or_epoch_the_handbook_is_undated(site, project: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    import dataclasses

    page = dataclasses.replace(site.page("briefing", "en"), updated=None)
    os.utime(project / page.source, (1_600_000_000, 1_600_000_000))  # file times never date it
    assert handbook_dates("not a date", [page], project) == (None, None)


def test_template_mistake_names_the_template(tmp_path: Path) -> None:
    project = copy_fixture("handbook", tmp_path)
    override = project / "templates" / "handbook"
    override.mkdir(parents=True)
    (override / "document.html").write_text('<!DOCTYPE html>\n<html lang="{{ doc.lang }}">\n{{ doc.nothing.here }}\n')
    site = prepare(project).site
    with pytest.raises(TemplateError) as caught:
        document(site, project, "en")
    assert [d.format() for d in caught.value.diagnostics] == [
        "templates/handbook/document.html:3: error: undefined name in template: "
        "'handpress.handbook.document.HandbookDocument object' has no attribute 'nothing' (handbook 'brief', en)"
    ]


def test_render_handbooks_without_pdfs_gives_the_print_pages(site, project: Path) -> None:
    translations = {lang: i18n.load_translations(project, lang) for lang in site.languages}
    envs = {lang: theme.environment(project, translations[lang]) for lang in site.languages}
    result = render_handbooks(site, project, envs, translations, pdfs=False)
    assert [path for path, _ in result.outputs] == [
        "print/handbooks/brief/index.html",
        "es/print/handbooks/brief/index.html",
        "ar/print/handbooks/brief/index.html",
    ]
    assert result.pdfs == () and result.diagnostics == ()
