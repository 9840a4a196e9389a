"""Languages: interface catalogs, translated pages and fallbacks, the switcher and hreflang, right-to-left,
dates and numbers, the pseudo-locale build, and catalog errors with their line."""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path

import jinja2
import lxml.html
import pytest
from click.testing import CliRunner

from handpress.build.pipeline import build
from handpress.commands.cli import cli
from handpress.config import parse_config
from handpress.errors import HandpressError
from handpress.i18n import catalogs as i18n
from handpress.i18n.pseudo import CLOSE, OPEN

from conftest import REPO, copy_fixture, html_pages, parse_html

BASE = "https://example.org/field/"
LANGS = ("en", "es", "ar")
VARIANT_DIRS = {"graphical": "", "text": "text/", "print": "print/"}
KEYS = ("", "about/", "guide/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("i18n-basic", tmp_path_factory.mktemp("i18n"))
    build(project, html_only=True)
    return project / "out"


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("i18n-basic", tmp_path_factory.mktemp("pseudo"))
    build(project, html_only=True, pseudo=True)
    return project / "out"


def page(out: Path, lang: str, key: str, variant: str = "graphical") -> lxml.html.HtmlElement:
    prefix = "" if lang == "en" else f"{lang}/"
    return parse_html(out / f"{prefix}{VARIANT_DIRS[variant]}{key}index.html")


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [e.text_content().strip() for e in doc.xpath(xpath)]


# --- translated pages and interface -------------------------------------------------------------


def test_spanish_pages_have_lang_es_and_the_spanish_interface(site: Path) -> None:
    doc = page(site, "es", "about/")
    assert doc.get("lang") == "es" and doc.get("dir") == "ltr"
    assert texts(doc, "//ul[@class='skip-links']//a") == [
        "Ir al contenido",  # the project's catalog overrides the theme's "Saltar al contenido principal"
        "Saltar la navegación general",
        "Saltar la ruta de navegación",
    ]
    assert texts(doc, "//nav[@class='toolbar']//a") == ["Solo texto", "Versión para imprimir", "Mapa del sitio"]
    assert doc.xpath("string(//nav[@class='toolbar']/@aria-label)") == "Versiones de la página"
    assert texts(doc, "//h1") == ["Quiénes somos"] and not doc.xpath("//h1/@lang")
    assert doc.xpath("string(//p[@class='updated'])") == "Última actualización: 2 de octubre de 2026"
    assert not doc.xpath("//*[contains(@class, 'notice')]")
    assert texts(doc, "//p[@class='footer-note']") == ["Printed on recycled paper"]  # no translation yet
    text = page(site, "es", "about/", "text")
    assert texts(text, "//header/ul/li/a") == ["Texto y gráficos", "Versión para imprimir", "Mapa del sitio"]
    printed = page(site, "es", "about/", "print")
    assert texts(printed, "//*[contains(@class, 'back')]/a")[0] == "Volver a la página"
    assert printed.xpath("string(//p[@class='print-url'])") == "Dirección de la página: " + BASE + "es/about/"


def test_untitled_admonitions_are_titled_in_the_reader_s_language(tmp_path: Path) -> None:
    project = copy_fixture("i18n-basic", tmp_path)
    with open(project / "content/about.es.md", "a", encoding="utf-8") as es:
        es.write('\n!!! warning\n    Las guías cambian cada año.\n\n!!! tip "Un título propio"\n    Léalas.\n')
    with open(project / "content/about.md", "a", encoding="utf-8") as en:
        en.write("\n!!! warning\n    Guides change every year.\n")
    build(project, html_only=True)
    out = project / "out"
    for variant in VARIANT_DIRS:
        assert texts(page(out, "es", "about/", variant), "//*[@class='admonition-title']") == [
            "Advertencia", "Un título propio"], variant
        assert texts(page(out, "en", "about/", variant), "//*[@class='admonition-title']") == ["Warning"], variant
    assert texts(page(out, "ar", "about/"), "//*[@class='admonition-title']") == ["تحذير"]  # the English page, shown


def test_the_site_s_own_words_per_language_and_marked_where_they_fall_back(tmp_path: Path) -> None:
    project = copy_fixture("i18n-basic", tmp_path)
    with open(project / "handpress.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[translations.es]\ntitle = "Guía de campo"\norganisation = "Oficina de pruebas"\n')
    build(project, html_only=True)
    out = project / "out"
    es = page(out, "es", "about/")
    assert es.findtext(".//title") == "Quiénes somos — Guía de campo"
    assert [(e.text, e.get("lang")) for e in es.xpath("//p[@class='site-title']//span")] == [
        ("Oficina de pruebas", None), ("Guía de campo", None)]
    assert texts(page(out, "es", "about/", "text"), "//header/p/a")[0] == "Guía de campo"
    assert texts(page(out, "es", "about/", "print"), "//p[@class='print-publication']") == [
        "Guía de campo — Oficina de pruebas"]
    ar = page(out, "ar", "about/")  # no Arabic words: the English ones, said to be English
    assert [(e.text, e.get("lang"), e.get("dir")) for e in ar.xpath("//p[@class='site-title']//span")] == [
        ("Test Office", "en", "ltr"), ("Field Guide", "en", "ltr")]
    assert ar.findtext(".//title").endswith(" — Field Guide")


def test_english_pages_need_no_catalog(site: Path) -> None:
    assert not i18n.needs_catalog("en") and not i18n.needs_catalog("en-GB") and i18n.needs_catalog("es")
    assert not (REPO / "locales" / "en").exists()
    doc = page(site, "en", "about/")
    assert texts(doc, "//ul[@class='skip-links']//a")[0] == "Skip to main content"
    assert doc.xpath("string(//p[@class='updated'])") == "Last updated: October 2, 2026"


def test_theme_catalogs_are_complete_for_every_template_string() -> None:
    template = i18n.extract(REPO)
    ids = {m.id for m in template if m.id}
    assert {"Skip to main content", "Last updated: %(date)s", "Image", "Page %(num)s of %(total)s"} <= ids
    for lang in ("es", "ar"):
        path = i18n.catalog_path(REPO / "locales", lang)
        catalog = i18n.read_catalog(path, lang, str(path))  # also checks every %(name)s placeholder
        done = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        assert ids - done == set(), lang
        assert not catalog.obsolete, lang


def test_an_untranslated_page_has_a_notice_and_english_content_marked_as_such(site: Path) -> None:
    for variant in VARIANT_DIRS:
        doc = page(site, "ar", "about/", variant)
        assert doc.get("lang") == "ar", variant
        notice = doc.xpath("//p[contains(@class, 'notice-fallback')]")
        assert [n.text_content() for n in notice] == [
            "لم تُترجم هذه الصفحة إلى العربية بعد، لذا تُعرض باللغة الإنجليزية."], variant
        assert notice[0].get("lang") is None  # the notice is in the reader's language
        content = doc.xpath("//div[@class='content']")[0]
        assert (content.get("lang"), content.get("dir")) == ("en", "ltr"), variant
        assert content.text_content().split()[:3] == ["We", "are", "a"]
        assert doc.xpath("//h1")[0].attrib.get("lang") == "en", variant
    spanish = page(site, "es", "guide/")
    assert texts(spanish, "//p[contains(@class, 'notice-fallback')]") == [
        "Esta página aún no está traducida al español. Se muestra en inglés."]
    assert page(site, "es", "guide/").xpath("//div[@class='content']/@lang") == ["en"]


def test_titles_of_untranslated_pages_are_marked_in_the_navigation(site: Path) -> None:
    doc = page(site, "ar", "")
    nav = doc.xpath("//nav[@id='global-nav']//a")
    assert [(a.text_content(), a.get("lang"), a.get("dir")) for a in nav] == [
        ("الرئيسية", None, None), ("About us", "en", "ltr"), ("The guide", "en", "ltr")]
    assert doc.xpath("//p[@class='site-title']/a/span/@lang") == ["en", "en"]
    assert doc.xpath("//footer/p[1]/span/@lang") == ["en"]
    assert not page(site, "en", "").xpath("//nav[@id='global-nav']//a/@lang")


# --- language switcher and alternates ------------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANT_DIRS))
def test_every_page_links_to_itself_in_every_language(site: Path, variant: str) -> None:
    names = {"en": "English", "es": "Español", "ar": "العربية"}
    for lang in LANGS:
        for key in KEYS:
            doc = page(site, lang, key, variant)
            links = doc.xpath("//*[contains(@class, 'languages')]//a")
            assert [a.text_content() for a in links] == list(names.values()), (lang, key)
            for a, code in zip(links, LANGS):
                assert (a.get("lang"), a.get("hreflang")) == (code, code)
                assert a.get("dir") == ("rtl" if code == "ar" else "ltr")
                assert a.get("aria-current") == ("true" if code == lang else None)
                here = f"{'' if lang == 'en' else lang + '/'}{VARIANT_DIRS[variant]}{key}"
                target = f"{'' if code == 'en' else code + '/'}{VARIANT_DIRS[variant]}{key}"
                assert _resolve(here, a.get("href")) == target, (lang, key, code)


@pytest.mark.parametrize("variant", list(VARIANT_DIRS))
def test_hreflang_alternates_are_complete_and_reciprocal(site: Path, variant: str) -> None:
    for lang in LANGS:
        for key in KEYS:
            doc = page(site, lang, key, variant)
            alternates = dict(zip(doc.xpath("//link[@hreflang]/@hreflang"), doc.xpath("//link[@hreflang]/@href")))
            assert list(alternates) == [*LANGS, "x-default"]
            assert alternates["x-default"] == alternates["en"] == BASE + VARIANT_DIRS[variant] + key
            for code, href in alternates.items():
                other = parse_html(site / href.removeprefix(BASE) / "index.html")
                back = dict(zip(other.xpath("//link[@hreflang]/@hreflang"), other.xpath("//link[@hreflang]/@href")))
                assert back == alternates, (lang, key, code)


def _resolve(here: str, href: str) -> str:
    parts = [p for p in here.split("/") if p]
    for step in href.split("/")[:-1]:
        if step == "..":
            parts.pop()
        elif step != ".":
            parts.append(step)
    return "".join(p + "/" for p in parts)


# --- right to left ------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANT_DIRS))
def test_arabic_pages_are_right_to_left_with_left_to_right_parts_isolated(site: Path, variant: str) -> None:
    for key in KEYS:
        doc = page(site, "ar", key, variant)
        assert (doc.get("lang"), doc.get("dir")) == ("ar", "rtl"), key
        assert doc.xpath("//*[contains(@class, 'languages')]//a[@lang='en']/@dir") == ["ltr"]
    home = page(site, "ar", "", variant)
    assert home.xpath("//h1")[0].text_content() == "مرحبًا" and home.xpath("//h1/@dir") == []
    assert home.xpath("string(//p[@class='updated'])") == "آخر تحديث: 22 نوفمبر 2026"
    if variant == "print":
        assert home.xpath("//p[@class='print-url']/a/@dir") == ["ltr"]


def test_stylesheets_use_logical_properties_so_pages_mirror() -> None:
    physical = re.compile(r"(?<![\w-])(margin|padding|border)-(left|right)\b|(?<![\w-])(left|right)\s*:"
                          r"|text-align:\s*(left|right)|float:\s*(left|right)")
    for name in ("site.css", "text.css", "print.css"):
        css = (REPO / "styles" / name).read_text()
        assert physical.findall(css) == [], name
        for rule in re.findall(r"(?:margin|padding)\s*:\s*([^;}]+)", css):
            values = rule.split()
            # four values with different left and right, or three values, would not mirror
            assert not (len(values) == 4 and values[1] != values[3]), (name, rule)


# --- dates and numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "number", "date"), [
    ("en", "1,234,567.5", "November 22, 2026"),
    ("es", "1.234.567,5", "22 de noviembre de 2026"),
    ("ar", "1,234,567.5", "22 نوفمبر 2026"),
])
def test_templates_format_numbers_dates_and_language_names_in_the_page_language(
        lang: str, number: str, date: str) -> None:
    env = i18n.install_formatters(jinja2.Environment(autoescape=True), lang)
    when = dt.date(2026, 11, 22)
    assert env.from_string("{{ 1234567.5 | format_number }}").render() == number
    assert env.from_string("{{ format_number(n) }}").render(n=1234567.5) == number
    assert env.from_string("{{ when | format_date }}").render(when=when) == date
    short = i18n.format_date(when, lang, "short")
    assert env.from_string("{{ format_date(when, 'short') }}").render(when=when) == short
    assert env.from_string("{{ language_name('es') }}").render() == {"en": "Spanish", "es": "español",
                                                                      "ar": "الإسبانية"}[lang]


def test_spanish_date_on_the_home_page_in_every_variant(site: Path) -> None:
    for variant in VARIANT_DIRS:
        doc = page(site, "es", "", variant)
        assert doc.xpath("string(//p[@class='updated']/time)") == "22 de noviembre de 2026"
        assert doc.xpath("string(//p[@class='updated']/time/@datetime)") == "2026-11-22"


# --- coverage ----------------------------------------------------------------------------------------


def test_build_prints_translation_coverage_per_language(tmp_path: Path) -> None:
    project = copy_fixture("i18n-basic", tmp_path)
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--html-only"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("Translation coverage:")
    assert lines[start: start + 4] == [
        "Translation coverage:",
        "  en        3/3    100%",
        "  es        2/3     66%",
        "  ar        1/3     33%",
    ]
    # A machine draft is not counted as translated until a person has checked it.
    (project / "content/guide.es.md").write_text("---\ntitle: Guía\nmachine_translated: true\n---\nBorrador.\n",
                                                 encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--html-only"])
    lines = result.stdout.splitlines()
    assert lines[lines.index("Translation coverage:") + 2] == "  es        2/3     66%  + 1 machine draft not yet checked"


# --- pseudo-localisation ------------------------------------------------------------------------------


def test_the_pseudo_build_leaves_no_interface_or_page_text_untranslated(pseudo_site: Path) -> None:
    allowed = ("Field Guide", "Test Office", "English", "Español", "العربية")  # config and language names
    pages = html_pages(pseudo_site)
    assert len(pages) == 4 * 3 * 3 + 3  # 3 pages and the site map, and the whole-guide print page in each language
    for path in pages:
        doc = parse_html(path)
        # Dates, code, addresses, and the print list's copies of link texts (checked where they stand).
        for unchanging in doc.xpath("//time | //code | //pre | //p[@class='print-url']/a | //script"
                                    " | //section[@class='print-links']//li"):
            unchanging.drop_tree()
        words = [doc.findtext(".//title") or ""]
        words += [doc.xpath("string(//body)")]
        words += doc.xpath("//@aria-label | //@title | //@alt")
        rest = re.sub(rf"{OPEN}[^{CLOSE}]*{CLOSE}", " ", " ".join(words))
        rest = re.sub(r"https?://\S+", " ", rest)
        for name in allowed:
            rest = rest.replace(name, " ")
        assert not re.findall(r"[^\W\d_]+", rest), (path.relative_to(pseudo_site), rest.split())


def test_the_pseudo_build_goes_beside_the_site_never_over_it(tmp_path: Path) -> None:
    project = copy_fixture("i18n-basic", tmp_path)
    assert CliRunner().invoke(cli, ["build", "--project", str(project), "--html-only"]).exit_code == 0
    site = (project / "out/index.html").read_bytes()
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--html-only", "--pseudo"])
    assert result.exit_code == 0, result.output
    assert (project / "out/index.html").read_bytes() == site
    assert OPEN in (project / "out-pseudo/index.html").read_text(encoding="utf-8")
    assert str(project / "out-pseudo") in result.stdout


def test_the_pseudo_build_keeps_urls_anchors_and_languages(pseudo_site: Path) -> None:
    doc = page(pseudo_site, "en", "guide/")
    assert doc.get("lang") == "en"
    assert doc.xpath("//main//h2/@id") == ["steps"]
    assert doc.xpath("//div[@class='content']//a[contains(@href, 'about')]/@href") == ["../about/#work"]
    assert doc.xpath("string(//pre)") == "handpress build --project docs\n"
    footer = doc.xpath("string(//p[@class='footer-note'])")
    assert footer.startswith(OPEN) and footer.endswith(CLOSE)
    assert page(pseudo_site, "ar", "").get("dir") == "rtl"


def test_the_pseudo_build_makes_no_network_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("network connection attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    project = copy_fixture("i18n-basic", tmp_path)
    build(project, html_only=True, pseudo=True, jobs=1)
    assert (project / "out" / "index.html").is_file()


# --- extract and update ----------------------------------------------------------------------------


def test_extract_writes_the_template_from_theme_and_project_templates(tmp_path: Path) -> None:
    project = copy_fixture("i18n-basic", tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["i18n", "extract", "--project", str(project)])
    assert first.exit_code == 0, first.output
    count = len({m.id for m in i18n.extract(project) if m.id})
    assert first.stdout == f"locales/messages.pot: {count} messages (created).\n"
    pot = i18n.read_catalog(project / "locales/messages.pot", None, "pot")
    assert pot["Printed on recycled paper"].locations == [("templates/page.html", 4)]
    assert ("<handpress>/templates/partials/skiplinks.html", 2) in pot["Skip to main content"].locations
    assert any(path.endswith("renderers.py") for path, _ in pot["Footnotes"].locations)  # Python sources too
    again = runner.invoke(cli, ["i18n", "extract", "--project", str(project)])
    assert again.stdout == f"locales/messages.pot: {count} messages (unchanged).\n"


def test_update_merges_the_template_and_keeps_translations(tmp_path: Path) -> None:
    project = copy_fixture("i18n-basic", tmp_path)
    runner = CliRunner()
    missing = runner.invoke(cli, ["i18n", "update", "--project", str(project)])
    assert missing.exit_code == 1
    assert missing.stderr == ("locales/messages.pot: error: no catalog template; run 'handpress i18n extract' "
                              "first\n")
    runner.invoke(cli, ["i18n", "extract", "--project", str(project)])
    count = len({m.id for m in i18n.extract(project) if m.id})
    result = runner.invoke(cli, ["i18n", "update", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"locales/es/LC_MESSAGES/messages.po: updated; {count} messages, {count - 1} untranslated, 0 fuzzy.",
        f"locales/ar/LC_MESSAGES/messages.po: created; {count} messages, {count} untranslated, 0 fuzzy.",
        "en: no catalog needed (the templates are written in English).",
    ]
    spanish = i18n.read_catalog(project / "locales/es/LC_MESSAGES/messages.po", "es", "es")
    assert spanish["Skip to main content"].string == "Ir al contenido"
    assert spanish["Printed on recycled paper"].string == ""
    # Empty entries in the project's catalog leave the theme's translations in force.
    build(project, html_only=True)
    doc = page(project / "out", "es", "about/")
    assert texts(doc, "//nav[@class='toolbar']//a") == ["Solo texto", "Versión para imprimir", "Mapa del sitio"]
    again = runner.invoke(cli, ["i18n", "update", "--project", str(project), "-l", "es"])
    assert again.stdout.splitlines() == [
        f"locales/es/LC_MESSAGES/messages.po: unchanged; {count} messages, {count - 1} untranslated, 0 fuzzy."]
    unknown = runner.invoke(cli, ["i18n", "update", "--project", str(project), "-l", "fr"])
    assert unknown.stderr == "handpress.toml: error: 'fr' is not one of the configured languages (en, es, ar)\n"


# --- errors --------------------------------------------------------------------------------------------


def test_a_catalog_with_a_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    project = copy_fixture("i18n-broken-po", tmp_path)
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--html-only"])
    assert result.exit_code == 1
    assert result.stderr == ('locales/es/LC_MESSAGES/messages.po:10: error: invalid catalog: unknown or '
                             'misformatted keyword: msgtr "Anterior" [catalog]\n')
    assert not (project / "out").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ('msgid "Next"\n\nmsgid "Previous"\nmsgstr "Anterior"\n',
     "messages.po:1: error: invalid catalog: missing msgstr for msgid 'Next' [catalog]"),
    ('# Spanish\n"orphan"\nmsgid "Next"\nmsgstr "Siguiente"\n',
     "messages.po:2: error: invalid catalog: got line starting with \" but not in msgid, msgstr or msgctxt: "
     "\"orphan\" [catalog]"),
    ('#, python-format\nmsgid "Last updated: %(date)s"\nmsgstr "Actualizado: %(fecha)s"\n',
     "messages.po:2: error: translation of 'Last updated: %(date)s': unknown named placeholder 'fecha' [catalog]"),
    ('msgid "Next"\nmsgstr "Siguiente"\n\nmsgid "Caf\xe9"\nmsgstr ""\n',
     "messages.po:4: error: catalog is not valid UTF-8 text (save it as UTF-8) [catalog]"),
])
def test_broken_catalogs_are_located(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "messages.po"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(HandpressError) as caught:
        i18n.read_catalog(path, "es", "messages.po")
    assert [d.format() for d in caught.value.diagnostics] == [expected]


@pytest.mark.parametrize(("toml", "expected"), [
    ('title = "x"\nlanguages = ["en", "xx"]\n', "handpress.toml:2: error: 'languages': unknown language code 'xx'"),
    ('title = "x"\nlanguage = "EN_us"\n',
     "handpress.toml:2: error: 'language': malformed language code 'EN_us' (expected e.g. 'en', 'es', 'pt-BR')"),
    ('title = "x"\nlanguages = ["en", "es-"]\n',
     "handpress.toml:2: error: 'languages': malformed language code 'es-' (expected e.g. 'en', 'es', 'pt-BR')"),
    ('title = "x"\nlanguages = ["en", "qps"]\n', "handpress.toml:2: error: 'languages': unknown language code 'qps'"),
])
def test_unknown_or_malformed_language_codes_in_the_config(toml: str, expected: str) -> None:
    with pytest.raises(HandpressError) as caught:
        parse_config(toml)
    assert [d.format() for d in caught.value.diagnostics] == [expected]


def test_a_file_named_for_an_unconfigured_language_is_an_error(tmp_path: Path) -> None:
    project = copy_fixture("i18n-basic", tmp_path)
    (project / "content/about.fr.md").write_text("---\ntitle: À propos\n---\nBonjour.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--project", str(project)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/about.fr.md: error: file name names language 'fr', which is not in handpress.toml languages "
        "(en, es, ar); add it there or rename the file"]


def test_extract_reports_a_template_syntax_error_with_its_line(tmp_path: Path) -> None:
    project = copy_fixture("i18n-basic", tmp_path)
    (project / "templates/broken.html").write_text("<p>\n{% if %}\n</p>\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["i18n", "extract", "--project", str(project)])
    assert (result.exit_code, result.stderr) == (
        1, "templates/broken.html:2: error: template syntax error: Expected an expression, got 'end of statement "
           "block' [template]\n")
    assert not (project / "locales/messages.pot").exists()
