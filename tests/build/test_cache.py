"""The build cache: incremental builds write what changed and nothing else, and their output is always
byte for byte a clean build's."""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path

import pytest

from handpress import digest, theme
from handpress.build import cache, incremental, writer
from handpress.build import pipeline as build_module
from handpress.build.cache import CACHE_DIR
from handpress.build.pipeline import build, prepare
from handpress.config import load_config
from handpress.errors import HandpressError
from handpress.handbook import pdf as handbookpdf
from handpress.site import markdown
from handpress.site.content import read_content
from handpress.site.renderers import RenderContext, SiteRenderer, render

from conftest import copy_fixture

PAGE_FILES = ("guide/deep/detail/index.html", "text/guide/deep/detail/index.html",
              "print/guide/deep/detail/index.html")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inodes(root: Path) -> dict[str, tuple[int, int]]:
    """Each output file's inode and mtime (the writer's marker file is new in every tree it stages)."""
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != writer.MARKER}


def clean_build(project: Path, tmp_path: Path, name: str = "clean") -> dict[str, bytes]:
    out = tmp_path / name
    build(project, out, html_only=True, cache=False)
    return files(out)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_fixture("basic", tmp_path)


def test_a_build_after_deleting_the_cache_is_byte_identical(project: Path, tmp_path: Path) -> None:
    build(project, html_only=True)
    first = files(project / "out")
    assert (project / CACHE_DIR / "build" / "cache.sqlite").is_file()
    assert (project / CACHE_DIR / ".gitignore").read_text().endswith("*\n")
    shutil.rmtree(project / CACHE_DIR)
    build(project, html_only=True)
    assert files(project / "out") == first
    assert clean_build(project, tmp_path) == first


def test_a_noop_rebuild_writes_nothing(project: Path) -> None:
    build(project, html_only=True)
    out = project / "out"
    before, folder = inodes(out), out.stat().st_ino
    result = build(project, html_only=True)
    assert result.rendered == 0
    assert result.files == len(before)
    assert out.stat().st_ino == folder  # not even swapped
    assert inodes(out) == before


def test_the_noop_check_answers_with_the_last_result(project: Path) -> None:
    first = build(project, html_only=True)
    again = cache.unchanged(project, None, cache.options(strict=False, html_only=True, pseudo=False))
    assert again is not None
    assert (again.pages, again.files, again.diagnostics, again.coverage) == (first.pages, first.files,
                                                                            first.diagnostics, first.coverage)
    assert cache.unchanged(project, None, cache.options(strict=True, html_only=True, pseudo=False)) is None
    (project / "content" / "news.md").write_text((project / "content" / "news.md").read_text() + "\nMore.\n")
    assert cache.unchanged(project, None, cache.options(strict=False, html_only=True, pseudo=False)) is None


def test_editing_one_page_renders_that_page_only(project: Path, tmp_path: Path) -> None:
    build(project, html_only=True)
    out = project / "out"
    before = inodes(out)
    page = project / "content" / "guide" / "deep" / "detail.md"
    page.write_text(page.read_text() + "\nA new closing paragraph.\n")
    result = build(project, html_only=True)
    after = inodes(out)
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    fallback = ["es/" + rel for rel in PAGE_FILES]  # the Spanish page shows the English text
    handbooks = ["print/handbooks/handbook/index.html", "es/print/handbooks/handbook/index.html"]
    index = [rel for rel in after if rel.startswith(("pagefind/", "es/pagefind/"))]  # both languages show it
    assert changed == sorted([*PAGE_FILES, *fallback, *handbooks, "sitemap.xml", *index])
    assert result.rendered == 9 + len(index)
    assert b"A new closing paragraph." in (out / PAGE_FILES[0]).read_bytes()
    assert files(out) == clean_build(project, tmp_path)


def test_a_new_title_renders_every_page_that_shows_it(project: Path, tmp_path: Path) -> None:
    build(project, html_only=True)
    before = inodes(project / "out")
    page = project / "content" / "guide" / "index.md"
    page.write_text(page.read_text().replace("title: The guide", "title: The handbook"))
    build(project, html_only=True)
    after = inodes(project / "out")
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert {"index.html", "text/index.html", "es/index.html", "guide/deep/detail/index.html"} <= changed
    assert b"The handbook" in (project / "out" / "news" / "index.html").read_bytes()
    assert files(project / "out") == clean_build(project, tmp_path)


@pytest.mark.parametrize("edit", ["template", "translation", "style", "data", "config", "image"])
def test_every_kind_of_input_is_seen(edit: str, project: Path, tmp_path: Path) -> None:
    build(project, html_only=True)
    if edit == "template":
        (project / "templates").mkdir()
        (project / "templates" / "page.html").write_text(
            '{% extends "base/page.html" %}{% block footer %}<p>Custom footer</p>{% endblock %}')
    elif edit == "translation":
        po = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                      'msgid "Text only"\nmsgstr "Sólo texto, traducido aquí"\n')
    elif edit == "style":
        (project / "styles").mkdir()
        (project / "styles" / "site.css").write_text("body { color: #111; }\n")
    elif edit == "data":
        news = project / "content" / "news.yaml"
        news.write_text(news.read_text().replace("Office opens", "Office opens its doors"))
    elif edit == "config":
        toml = project / "handpress.toml"
        toml.write_text(toml.read_text().replace('organisation = "Fixture Office"', 'organisation = "Renamed Office"'))
    else:
        (project / "content" / "images" / "extra.png").write_bytes(b"\x89PNG not really")
    result = build(project, html_only=True)
    assert result.rendered > 0
    assert files(project / "out") == clean_build(project, tmp_path)


def test_a_file_touched_in_out_is_rendered_again(project: Path, tmp_path: Path) -> None:
    build(project, html_only=True)
    target = project / "out" / PAGE_FILES[1]
    target.write_bytes(b"edited by hand")
    result = build(project, html_only=True)
    assert result.rendered == 4  # the page's three files and the sitemap
    assert files(project / "out") == clean_build(project, tmp_path)


def test_a_damaged_cache_is_rebuilt(project: Path, tmp_path: Path) -> None:
    build(project, html_only=True)
    (project / CACHE_DIR / "build" / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    page = project / "content" / "news.md"
    page.write_text(page.read_text() + "\nLater news.\n")
    build(project, html_only=True)
    assert files(project / "out") == clean_build(project, tmp_path)
    assert build(project, html_only=True).rendered == 0


def test_a_failed_build_leaves_the_cache_as_it_was(project: Path) -> None:
    build(project, html_only=True)
    before = files(project / CACHE_DIR)
    page = project / "content" / "guide" / "deep" / "detail.md"
    page.write_text(page.read_text() + "\n![](missing.png)\n")
    with pytest.raises(HandpressError):
        build(project, html_only=True)
    assert files(project / CACHE_DIR) == before


def test_every_build_option_that_changes_the_output_is_in_the_digest(project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def record(**chosen: object) -> str:
        seen.update(chosen)
        raise SystemExit

    monkeypatch.setattr(build_module, "cache_options", record)
    with pytest.raises(SystemExit):
        build(project)
    how_not_what = {"project", "out", "jobs", "cache", "progress", "inputs", "keep"}  # where and how fast, not what
    assert set(seen) == set(inspect.signature(build).parameters) - how_not_what


def test_fragments_come_back_from_the_cache_as_they_were_parsed(project: Path) -> None:
    config = load_config(project)
    content, _ = read_content(project, config)
    for doc in content.documents:
        parsed = markdown.parse(doc)
        stored = incremental.decode_fragment(incremental.encode_fragment(parsed), doc)
        assert stored is not None
        assert stored.headings == parsed.headings and stored.links == parsed.links
        assert stored.images == parsed.images and stored.ids == parsed.ids
        assert stored.diagnostics == parsed.diagnostics and stored.raw_tags == parsed.raw_tags
        ctx = RenderContext(lambda target, anchor: target, lambda path: path)
        assert render(stored, SiteRenderer, ctx) == render(parsed, SiteRenderer, ctx)  # tokens parsed again


@pytest.mark.parametrize("payload", [
    {"@": "os:system", "f": {}},
    {"@": "subprocess:Popen", "f": {"args": "true"}},
    {"@": "handpress.site.markdown:parser", "f": {}},
])
def test_the_cache_builds_only_handpress_dataclasses(payload: dict, project: Path) -> None:
    config = load_config(project)
    content, _ = read_content(project, config)
    assert incremental.decode_fragment(json.dumps(payload), content.documents[0]) is None


def test_pages_whose_key_did_not_change_have_not_changed(project: Path, tmp_path: Path) -> None:
    """The dependency rule itself: after each edit, a page whose key is the same renders the same bytes."""

    def keys_and_files(name: str) -> tuple[dict, dict[str, bytes]]:
        prepared = prepare(project)
        theme_key = incremental.theme_key(project, prepared.config, list(theme.style_files(project)), "")
        keys = incremental.page_keys(prepared.site, theme_key, incremental.site_shape(prepared.site, False))
        rels = {rel: page for page in keys for rel in incremental.page_files(prepared.site, *page)}
        return {rel: keys[page] for rel, page in rels.items()}, clean_build(project, tmp_path, name)

    edits = [
        ("content/guide/deep/detail.md", "\nAnother paragraph, with a [link](../index.md).\n"),
        ("content/index.md", "\nMore about the [news](news.md).\n"),
        ("content/index.es.md", "\nMás texto.\n"),
    ]
    keys, before = keys_and_files("before")
    for n, (path, text) in enumerate(edits):
        source = project / path
        source.write_text(source.read_text() + text)
        new_keys, after = keys_and_files(f"after-{n}")
        same = [rel for rel in keys if keys[rel] == new_keys[rel]]
        assert same and len(same) < len(keys)
        for rel in same:
            assert after[rel] == before[rel], rel
        keys, before = new_keys, after


def test_digest_and_theme_agree_on_the_theme_folder() -> None:
    assert digest.theme_root() == theme.theme_root()


def test_the_digest_of_inputs_sees_bytes_not_times(project: Path) -> None:
    first = digest.inputs(project, "")
    page = project / "content" / "news.md"
    page.write_bytes(page.read_bytes())  # a new mtime, the same bytes
    assert digest.inputs(project, "") == first
    page.write_bytes(page.read_bytes() + b"\n")
    assert digest.inputs(project, "") != first
    assert digest.inputs(project, "strict=True") != digest.inputs(project, "")


def test_a_handbook_pdf_is_laid_out_again_only_when_its_inputs_change(project: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    toml = project / "handpress.toml"
    toml.write_text(toml.read_text() + '\n[[handbooks]]\nid = "guide"\ntitle = "The guide"\npages = ["guide/"]\n'
                    'languages = ["en"]\n')
    build(project)
    pdf = project / "out" / "pdf" / "guide.en.pdf"
    before = (pdf.stat().st_ino, pdf.read_bytes())
    laid_out: list[str] = []
    real = handbookpdf.handbook_pdf
    monkeypatch.setattr(handbookpdf, "handbook_pdf", lambda site, book, lang, *a, **k: (
        laid_out.append(f"{book.id}.{lang}"), real(site, book, lang, *a, **k))[1])
    news = project / "content" / "news.md"  # not a page of the guide handbook
    news.write_text(news.read_text() + "\nMore news.\n")
    index = [rel for rel in files(project / "out") if rel.startswith(("pagefind/", "es/pagefind/"))]
    # the news page in two languages, three variants; the sitemap; both languages' search indexes
    assert build(project).rendered == 7 + len(index)
    assert laid_out == []
    assert (pdf.stat().st_ino, pdf.read_bytes()) == before  # kept, not even copied
    shutil.rmtree(project / "out")
    laid_out.clear()
    build(project)
    assert laid_out == []  # every PDF from the cache
    assert pdf.read_bytes() == before[1]
    detail = project / "content" / "guide" / "deep" / "detail.md"
    detail.write_text(detail.read_text() + "\nA new paragraph.\n")
    build(project)
    assert laid_out == ["guide.en"]
    assert files(project / "out") == clean_build_with_pdfs(project, tmp_path)


def clean_build_with_pdfs(project: Path, tmp_path: Path) -> dict[str, bytes]:
    build(project, tmp_path / "clean-pdf", cache=False)
    return files(tmp_path / "clean-pdf")


def test_compiled_templates_are_kept_for_the_next_process_after_a_good_build(project: Path, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    kept = tmp_path / "user-cache" / "handpress" / "templates"
    (project / "templates").mkdir()
    (project / "templates" / "page.html").write_text(
        '{% extends "base/page.html" %}{% block footer %}{{ page.no_such_thing }}{% endblock %}')
    with pytest.raises(HandpressError):
        build(project, html_only=True)
    assert not kept.exists()  # nothing from a failed build
    (project / "templates" / "page.html").unlink()
    build(project, html_only=True)
    assert sorted(p.suffix for p in kept.iterdir()) and {p.suffix for p in kept.iterdir()} == {".cache"}
