"""Search on graphical pages, as a reader uses it: the sample site served over HTTP, driven in the system
Chromium with the keyboard alone (tests/js/search.js), audited with results open (tests/js/search_audit.js:
pa11y with htmlcs and axe, and the Nu HTML Checker on the page as it then stands)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from handpress.audit.chromium import find_chromium, launch_config
from handpress.audit.server import serve
from handpress.audit.vnu import check_html

from conftest import REPO, html_pages, parse_html


def node(script: str, *args: str) -> object:
    done = subprocess.run(["node", str(REPO / "tests/js" / script), json.dumps(launch_config(find_chromium())), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def served(sample_site: Path):
    with serve(sample_site) as base:
        yield base


def search(base: str, page: str, query: str, width: int = 1200, shot: str = "") -> dict:
    return node("search.js", base + page, query, str(width), shot)  # type: ignore[return-value]


def test_a_reader_finds_a_page_by_a_word_in_its_body_with_the_keyboard_alone(served: str) -> None:
    seen = search(served, "about/leadership/", "repatriation")
    assert seen["tabs"] < 15  # skip links, the site's name, the toolbar, the languages, then the field
    assert seen["seen"]["statusRole"] == "status"
    count = len(seen["seen"]["results"])
    assert seen["seen"]["status"] == f"Search results: {count}" and count >= 3  # fewer than a page of them
    headings = [r["heading"] for r in seen["seen"]["results"]]
    assert {"Duties", "Glossary", "Mission"} <= set(headings)  # pages that say it in their text, not their title
    assert all(r["marks"] and "repatriation" in r["excerpt"].lower() for r in seen["seen"]["results"])
    # Tab from the field: the button, then the first result, a link; Enter opens it.
    assert [step["tag"] for step in seen["walk"]] == ["button", "a"] and seen["walk"][-1]["inResults"]
    assert seen["walk"][-1]["text"] == headings[0]
    assert seen["landed"] == urljoin(served, seen["walk"][-1]["href"])


def test_the_script_and_the_index_load_only_when_the_reader_starts_to_search(served: str) -> None:
    seen = search(served, "about/mission/", "visa")
    loaded = [url for url in seen["beforeTyping"] if "search.js" in url or "pagefind" in url]
    assert loaded == []
    after = seen["after"]
    assert served + "assets/search.js" in after and served + "pagefind/pagefind.js" in after
    assert not [url for url in after if "/es/pagefind/" in url or "/ar/pagefind/" in url]  # this language's only


def test_results_are_in_the_readers_language(served: str) -> None:
    spanish = search(served, "es/about/", "oficina")
    results = spanish["seen"]["results"]
    said = spanish["seen"]["status"]
    assert said.startswith("Resultados de la búsqueda: ") and int(said.rsplit(" ", 1)[1]) >= len(results) > 0
    assert all(r["href"].startswith("/es/") for r in results)
    assert "Sobre la oficina" in [r["heading"] for r in results]
    arabic = search(served, "ar/about/", "attaché", width=320)
    assert arabic["seen"]["status"].startswith("نتائج البحث: ")
    assert all(r["href"].startswith("/ar/") for r in arabic["seen"]["results"])


@pytest.mark.parametrize("page", ["about/mission/", "ar/about/"])
def test_the_results_fit_320_css_pixels_left_to_right_and_right_to_left(served: str, page: str) -> None:
    seen = search(served, page, "visa", width=320)
    assert seen["seen"]["results"] and seen["seen"]["overflow"] == 0


def test_navigation_and_notices_are_not_indexed(served: str) -> None:
    seen = search(served, "about/", "printer")  # the toolbar's and the footer's word; no page's text has it
    assert seen["seen"]["status"] == "No pages match “printer”." and seen["seen"]["results"] == []
    seen = search(served, "ar/about/", "الإنجليزية")  # "English", in the notice on every (untranslated) Arabic page
    assert seen["seen"]["status"] == "لا توجد صفحات تطابق «الإنجليزية»." and seen["seen"]["results"] == []


def test_pages_with_results_open_and_the_site_maps_pass_pa11y_and_the_nu_checker(served: str, tmp_path: Path) -> None:
    pages = ["about/mission/", "visa", "ar/about/", "attaché", "es/", "oficina",
             "site-map/", "", "es/site-map/", "", "ar/site-map/", "", "text/site-map/", "", "print/site-map/", "",
             "ar/text/site-map/", "", "es/print/site-map/", ""]
    found = node("search_audit.js", *[served + p if i % 2 == 0 else p for i, p in enumerate(pages)])
    assert [r["results"] > 0 for r in found] == [True] * 3 + [False] * 7  # type: ignore[index]
    assert {r["url"]: r["issues"] for r in found} == {r["url"]: [] for r in found}  # type: ignore[index]
    files = []
    for n, result in enumerate(found[:3]):  # type: ignore[index]
        files.append(tmp_path / f"open-{n}.html")
        files[-1].write_text(result["html"], encoding="utf-8")
    messages = check_html(files, project=REPO)
    assert [f"{m.file}:{m.line}: {m.message}" for m in messages if m.type in ("error", "non-document-error")] == []


def test_without_scripts_the_search_form_leads_to_the_site_map(sample_site: Path) -> None:
    graphical = [p for p in html_pages(sample_site) if not {"text", "print"} & set(p.relative_to(sample_site).parts)]
    assert len(graphical) == 18 * 3  # 17 pages and the site map, in 3 languages
    for path in graphical:
        doc = parse_html(path)
        form = doc.xpath("//form[@role='search']")
        assert len(form) == 1, path
        lang = doc.get("lang")
        site_map = sample_site / ("" if lang == "en" else lang) / "site-map" / "index.html"
        assert (path.parent / form[0].get("action") / "index.html").resolve() == site_map.resolve(), path
        field = form[0].xpath(".//input[@type='search']")[0]
        assert form[0].xpath(f".//label[@for='{field.get('id')}']") and field.get("name") == "q"
        assert form[0].get("aria-label"), path
        index = (path.parent / form[0].get("data-index")).resolve()
        assert index == (sample_site / ("" if lang == "en" else lang) / "pagefind").resolve(), path
        assert (index / "pagefind-entry.json").is_file()


def test_text_only_pages_have_no_script_and_link_to_the_text_site_map(sample_site: Path) -> None:
    text = [p for p in html_pages(sample_site) if "text" in p.relative_to(sample_site).parts[:2]]
    assert len(text) == 18 * 3
    for path in text:
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html and "pagefind" not in html and "<form" not in html, path
        doc = parse_html(path)
        lang = doc.get("lang")
        links = [(path.parent / a.get("href") / "index.html").resolve() for a in doc.xpath("//header//a[@href]")
                 if not a.get("href").startswith("#")]
        assert (sample_site / ("" if lang == "en" else lang) / "text/site-map/index.html").resolve() in links, path


def test_each_language_has_its_own_index_of_its_own_pages(sample_site: Path) -> None:
    for lang, prefix in (("en", ""), ("es", "es/"), ("ar", "ar/")):
        entry = json.loads((sample_site / prefix / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [lang]
        assert entry["languages"][lang]["page_count"] == 17  # every page but the site map
    assert not (sample_site / "pagefind" / "pagefind-ui.js").exists()  # Pagefind's own interface is not published
