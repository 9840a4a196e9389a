"""The content loader: front matter, file names to URL keys (hostile ones refused), unusual but valid input."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest

from handpress import urls
from handpress.build.pipeline import build
from handpress.build.writer import safe_join
from handpress.config import parse_config
from handpress.errors import ContentError
from handpress.site.content import _key, load_content, read_document, split_front_matter

from conftest import copy_fixture, html_pages

CONFIG = parse_config('title = "T"\nlanguages = ["en", "es", "ar"]\n')


def error_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ContentError) as caught:
        call()
    return str(caught.value)


@pytest.mark.parametrize("text, expected", [
    ("# Just a body\n", ({}, "# Just a body\n", 1)),
    ("---\ntitle: T\n---\nBody\n", ({"title": "T"}, "Body\n", 4)),
    ("---\r\ntitle: T\r\n---\r\nBody\r\n", ({"title": "T"}, "Body\r\n", 4)),
    ("---\n---\nBody", ({}, "Body", 3)),
    ("---\ntitle: T\n...\nBody", ({"title": "T"}, "Body", 4)),
    ("Text\n---\nnot: front matter\n---\n", ({}, "Text\n---\nnot: front matter\n---\n", 1)),
])
def test_split_front_matter(text: str, expected: tuple) -> None:
    assert split_front_matter(text, "content/a.md") == expected


@pytest.mark.parametrize("text, message", [
    ("---\ntitle: T\n", "content/a.md:1: error: front matter starts with '---' but has no closing '---' line"),
    ("---\n- a\n- b\n---\n", "content/a.md:2: error: front matter must be a mapping of keys to values (key: value)"),
    ("---\ntitle: T\nsummary: [a\n---\n", "content/a.md:4: error: invalid YAML: while parsing a flow sequence "
     "(from line 3) did not find expected ',' or ']'"),
    ("---\ntitle: T\nupdated: 2024-02-30\n---\n", "content/a.md:3: error: invalid YAML: '2024-02-30' is not a real "
     "date or time (day is out of range for month)"),
    ("---\ntitle: T\n\x07\n---\n", "content/a.md:3: error: invalid YAML: character U+0007 is not allowed (control "
     "characters are not allowed)"),
    ("---\na: *nothing\n---\n", "content/a.md:2: error: invalid YAML: found undefined alias"),
    ("---\nx: !!python/object:os.system ls\n---\n", "content/a.md:2: error: invalid YAML: could not determine a "
     "constructor for the tag 'tag:yaml.org,2002:python/object:os.system'"),
])
def test_front_matter_errors_are_located(text: str, message: str) -> None:
    assert error_of(lambda: split_front_matter(text, "content/a.md")) == message


def write(project: Path, rel: str, text: str | bytes) -> Path:
    path = project / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_read_document_with_front_matter_lang_slug_and_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "about/02-mission.es.md", "---\ntitle: Misión\norder: 2\nslug: mision\n---\n# Misión\n")
    doc = read_document(tmp_path, path, CONFIG)
    assert (doc.source, doc.base, doc.lang, doc.key, doc.body_line, doc.order_hint) == (
        "content/about/02-mission.es.md", "about/02-mission.md", "es", "about/mision", 6, "02-mission")
    assert dict(doc.meta_lines) == {"title": 2, "order": 3, "slug": 4}


def test_a_number_as_title_is_text_but_a_list_is_not(tmp_path: Path) -> None:
    doc = read_document(tmp_path, write(tmp_path, "a.md", "---\ntitle: 1984\n---\n"), CONFIG)
    assert doc.meta.title == "1984"
    path = write(tmp_path, "b.md", "---\nsummary: [a, b]\n---\n")
    assert error_of(lambda: read_document(tmp_path, path, CONFIG)) == (
        "content/b.md:2: error: front matter 'summary': must be text; put it in quotes (key: \"…\")")


def test_an_index_page_cannot_have_a_slug(tmp_path: Path) -> None:
    path = write(tmp_path, "about/index.md", "---\ntitle: About\nslug: who\n---\n")
    assert error_of(lambda: read_document(tmp_path, path, CONFIG)) == (
        "content/about/index.md:3: error: an index page cannot have a slug (rename its folder instead)")


HOSTILE_SLUGS = ["..", ".", "", "../../etc", "a/b", ".hidden", "a\\b", "con:1", "x\x00y", "x\ny", "<script>",
                 "what?", "a|b", "*", '"q"']


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_hostile_slugs_are_refused(slug: str, tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", f"---\nslug: {json.dumps(slug)}\n---\n# A\n")
    message = error_of(lambda: read_document(tmp_path, path, CONFIG))
    assert message.startswith("content/a.md:2: error: front matter 'slug': slug ")
    assert "is not a single safe path segment (use letters, digits and '-')" in message


@pytest.mark.parametrize("stem", ["..", "a/../b", "a/./b", "a//b", ".hidden/page", "a\\b", "x:y", "x\x00y",
                                  "x\ty", "a/<b>", "a/b?", 'a/"b"', "a|b", "a*b", "/abs"])
def test_hostile_file_names_cannot_become_url_keys(stem: str) -> None:
    with pytest.raises(ContentError) as caught:
        _key(stem, None, "content/x.md")
    assert "cannot be part of a URL" in str(caught.value)


@pytest.mark.parametrize("stem, key", [
    ("index", ""), ("about/index", "about"), ("01-intro", "intro"), ("café/über-uns", "café/über-uns"),
    ("世界/مكاتب", "世界/مكاتب"), ("a b/c#d/50%", "a b/c#d/50%"), ("x/10_ten", "x/ten"), ("x...", "x..."),
])
def test_ordinary_file_names_become_keys_whose_outputs_stay_inside_out(stem: str, key: str, tmp_path: Path) -> None:
    assert _key(stem, None, "content/x.md") == key
    for lang in ("en", "es"):
        for variant in urls.VARIANTS:
            rel = urls.page_dir(key, lang, variant, "en") + "index.html"
            assert safe_join(tmp_path, rel).resolve().is_relative_to(tmp_path.resolve())


def test_decomposed_unicode_file_names_give_the_same_page_as_composed_links(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "café/über-uns.md")
    write(tmp_path, decomposed, "# Über uns\n")
    (tmp_path / "handpress.toml").write_text('title = "T"\n')
    write(tmp_path, "index.md", "# Home\n\n[Über uns](café/über-uns.md)\n")
    result = build(tmp_path, html_only=True)
    assert [d for d in result.diagnostics if d.severity != "info"] == []
    assert (tmp_path / "out" / "café" / "über-uns" / "index.html").is_file()


def test_draft_originals_are_remembered_for_the_checks(tmp_path: Path) -> None:
    write(tmp_path, "index.md", "# Home\n")
    write(tmp_path, "plan.md", "---\ndraft: true\n---\n# Plan\n")
    write(tmp_path, "plan.es.md", "---\ndraft: true\n---\n# Plan\n")
    write(tmp_path, "news.md", "# News\n")
    write(tmp_path, "news.es.md", "---\ndraft: true\n---\n# Noticias\n")
    content = load_content(tmp_path, CONFIG)
    assert content.drafts == ("plan.md",)
    assert [d.source for d in content.documents] == ["content/index.md", "content/news.md"]


# Unusual but valid input: the 'unusual' fixture builds cleanly and every page is where it belongs.

@pytest.fixture(scope="module")
def unusual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("unusual", tmp_path_factory.mktemp("unusual"))
    result = build(project, html_only=True)
    assert [d.format() for d in result.diagnostics if d.severity != "info"] == []
    return project / "out"


def page(out: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / rel / "index.html").read_bytes())


def test_unusual_pages_are_all_built(unusual: Path) -> None:
    keys = ["", "café/über-uns", "deep/l2/l3", "deep/l2/l3/l4/l5/l6", "long", "notes/first", "notes/second",
            "notes/tenth", "solo", "world", "site-map"]
    expected = sorted(f"{lang}{variant}{key + '/' if key else ''}index.html" for key in keys
                      for lang in ("", "ar/", "ja/") for variant in ("", "text/", "print/"))
    expected += [f"{lang}print/handbooks/handbook/index.html" for lang in ("", "ar/", "ja/")]  # the whole guide
    assert [p.relative_to(unusual).as_posix() for p in html_pages(unusual)] == sorted(expected)


def test_unusual_titles_come_from_front_matter_or_the_first_heading(unusual: Path) -> None:
    titles = {rel: page(unusual, rel).findtext(".//h1") for rel in
              ["", "café/über-uns", "notes/first", "deep/l2/l3/l4/l5/l6", "world", "ar/world", "ja/world"]}
    assert titles == {"": "Home of the unusual", "café/über-uns": "Über uns — café «Zoë»",
                      "notes/first": "First note", "deep/l2/l3/l4/l5/l6": "Six levels down",
                      "world": "Offices of the world", "ar/world": "مكاتبنا في العالم", "ja/world": "世界の事務所"}
    arabic = page(unusual, "ar/world")
    assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")


def test_a_folder_without_index_is_ordered_by_file_names(unusual: Path) -> None:
    nav = [a.text_content() for a in page(unusual, "").xpath("//section[@class='children']//a")]
    assert nav[:3] == ["First note", "Second note", "Tenth note"]


def test_unicode_links_resolve_to_the_built_page(unusual: Path) -> None:
    home = page(unusual, "")
    hrefs = [a.get("href") for a in home.xpath("//div[@class='content']//a")]
    assert hrefs[0] == "caf%C3%A9/%C3%BCber-uns/"
    for href in hrefs:
        assert (unusual / unquote(href.split("#")[0]) / "index.html").is_file(), href


def test_deep_and_long_pages(unusual: Path) -> None:
    deep = page(unusual, "deep/l2/l3/l4/l5/l6")
    assert [a.text_content() for a in deep.xpath("//nav[@id='breadcrumbs']//a")] == [
        "Home of the unusual", "Level three", "Six levels down"]
    long = page(unusual, "long")
    assert len(long.xpath("//main//h2[starts-with(@id, 'section-')]")) == 300


def test_a_file_that_cannot_be_read_is_a_located_error(tmp_path: Path) -> None:
    path = write(tmp_path, "folder.md/index.md", "# Not a file\n").parent  # a folder named like a page
    assert error_of(lambda: read_document(tmp_path, path, CONFIG)) == (
        "content/folder.md: error: cannot read the file: Is a directory")
