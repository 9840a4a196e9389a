"""The live preview's builds (handpress.build.live): edits to pages built from what the last build kept,
giving out/ byte for byte as a clean build of the same sources; anything else is a build."""

from __future__ import annotations

from pathlib import Path

import pytest

from handpress.build.live import LiveBuild
from handpress.build.pipeline import build
from handpress.errors import HandpressError

from conftest import REPO, copy_fixture


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def assert_as_a_clean_build(builder: LiveBuild, tmp_path: Path) -> None:
    """out/, once the last live build's search index is made, holds what a clean build makes, byte for byte."""
    builder.wait()
    clean = tmp_path / "clean"
    build(builder.project, clean, html_only=True, cache=False)
    live, fresh = files(builder.out), files(clean)
    assert sorted(live) == sorted(fresh)
    assert [name for name in live if live[name] != fresh[name]] == []


@pytest.fixture
def live(tmp_path: Path) -> LiveBuild:
    builder = LiveBuild(copy_fixture("handbook", tmp_path / "p"))
    builder.build()
    return builder


def test_a_body_edit_renders_only_its_page_and_the_whole_guide(live: LiveBuild, tmp_path: Path) -> None:
    page = live.project / "content" / "briefing" / "offices.md"
    page.write_text(page.read_text() + "\nAn edit made while serving.\n")
    before = {rel: (live.out / rel).stat().st_ino for rel in files(live.out) if "pagefind/" not in rel}
    live.build([page])
    assert live.live == 1
    # first the page in its three variants (es and ar have their own text)
    assert live.files == ("briefing/offices/index.html", "text/briefing/offices/index.html",
                          "print/briefing/offices/index.html")
    live.wait()  # then the English whole-guide page and the search index
    written = {rel for rel, ino in before.items() if (live.out / rel).stat().st_ino != ino}
    # the page in its three variants (es and ar have their own text), the English whole-guide page
    assert {"briefing/offices/index.html", "text/briefing/offices/index.html", "print/briefing/offices/index.html",
            "print/handbooks/brief/index.html"} <= written
    assert not written & {"index.html", "briefing/index.html", "es/briefing/offices/index.html",
                          "ar/briefing/offices/index.html", "es/print/handbooks/brief/index.html"}
    assert b"An edit made while serving." in (live.out / "briefing" / "offices" / "index.html").read_bytes()
    assert b"An edit made while serving." in (live.out / "print" / "handbooks" / "brief" / "index.html").read_bytes()
    assert_as_a_clean_build(live, tmp_path)


def search_files(out: Path, lang: str = "") -> dict[str, bytes]:
    return {rel: data for rel, data in files(out).items() if rel.startswith(f"{lang}pagefind/")}


def test_a_body_edit_remakes_the_search_index_of_its_language_only(live: LiveBuild, tmp_path: Path) -> None:
    english, spanish = search_files(live.out), search_files(live.out, "es/")
    inodes = {rel: (live.out / rel).stat().st_ino for rel in spanish}
    page = live.project / "content" / "briefing" / "offices.md"
    page.write_text(page.read_text() + "\nA zanzibarian word to search for.\n")
    live.build([page])
    live.wait()
    assert search_files(live.out) != english  # the English pages' index holds the new word
    assert search_files(live.out, "es/") == spanish  # the Spanish pages have their own text: not indexed again
    assert {rel: (live.out / rel).stat().st_ino for rel in spanish} == inodes
    assert_as_a_clean_build(live, tmp_path)


def test_an_edit_saved_while_the_index_is_made_is_indexed_too(live: LiveBuild, tmp_path: Path) -> None:
    page = live.project / "content" / "briefing" / "offices.md"
    for n in range(3):  # no wait between them: each stops the index of the one before
        page.write_text(page.read_text() + f"\nEdit {n}.\n")
        live.build([page])
    assert live.live == 3
    assert_as_a_clean_build(live, tmp_path)


def test_a_title_edit_changes_the_navigation_of_the_other_pages(live: LiveBuild, tmp_path: Path) -> None:
    offices = live.project / "content" / "briefing" / "offices.md"
    others = ["briefing/index.html", "text/briefing/index.html", "site-map/index.html", "print/site-map/index.html"]
    assert not any(b"Offices abroad" in (live.out / rel).read_bytes() for rel in others)
    offices.write_text(offices.read_text().replace("title: Offices", "title: Offices abroad"))
    result = live.build([offices])
    assert live.live == 1
    assert result.rendered == 3  # the page itself first, then in the background what lists it
    live.wait()
    for rel in others:  # what lists the page names it by its new title
        assert b"Offices abroad" in (live.out / rel).read_bytes(), rel  # the section page, the site maps
    assert_as_a_clean_build(live, tmp_path)


def test_heading_and_translation_edits_give_a_clean_builds_bytes(live: LiveBuild, tmp_path: Path) -> None:
    content = live.project / "content"
    spanish, home = content / "briefing" / "offices.es.md", content / "index.md"
    spanish.write_text(spanish.read_text() + "\nUna frase nueva.\n")
    home.write_text(home.read_text() + "\n## A new heading\n\nMore text.\n")
    live.build([spanish, home])
    assert live.live == 1
    assert_as_a_clean_build(live, tmp_path)


def test_a_new_page_is_in_the_navigation_the_site_map_and_the_search(live: LiveBuild, tmp_path: Path) -> None:
    new = live.project / "content" / "briefing" / "travel.md"
    new.write_text("---\ntitle: Travel\n---\nHow to get there by quokkaferry.\n")
    live.build([new])
    assert b"How to get there" in (live.out / "briefing" / "travel" / "index.html").read_bytes()
    assert b"Travel" in (live.out / "briefing" / "index.html").read_bytes()
    assert b"briefing/travel/" in (live.out / "site-map" / "index.html").read_bytes()
    assert_as_a_clean_build(live, tmp_path)
    new.write_text(new.read_text() + "\nBy road too.\n")  # the new page's edits are live ones
    live.build([new])
    assert live.live == 1
    assert_as_a_clean_build(live, tmp_path)


def test_a_deleted_page_and_a_deleted_translation_leave_no_trace(live: LiveBuild, tmp_path: Path) -> None:
    content = live.project / "content"
    new = content / "briefing" / "travel.md"
    new.write_text("---\ntitle: Travel\n---\nHow to get there.\n")
    live.build([new])
    new.unlink()
    live.build([new])
    assert not (live.out / "briefing" / "travel").exists()
    assert b"Travel" not in (live.out / "briefing" / "index.html").read_bytes()
    assert_as_a_clean_build(live, tmp_path)
    arabic = content / "briefing" / "offices.ar.md"
    arabic.unlink()  # the Arabic page now shows the English text, with a notice
    live.build([arabic])
    assert b"The offices are listed below." in (live.out / "ar" / "briefing" / "offices" / "index.html").read_bytes()
    assert_as_a_clean_build(live, tmp_path)


def test_a_user_error_in_an_edited_page_keeps_the_last_good_out(live: LiveBuild, tmp_path: Path) -> None:
    before = files(live.out)
    page = live.project / "content" / "briefing" / "offices.md"
    good = page.read_text()
    page.write_text(good.replace("order: 1", "order: [1"))
    with pytest.raises(HandpressError) as raised:
        live.build([page])
    assert [d.path for d in raised.value.diagnostics] == ["content/briefing/offices.md"]
    assert raised.value.diagnostics[0].line is not None
    page.write_text(good + "\n![](../images/square.svg)\n")  # a located error from the site's checks
    with pytest.raises(HandpressError) as raised:
        live.build([page])
    assert [(d.path, d.code) for d in raised.value.diagnostics] == [("content/briefing/offices.md", "image-alt")]
    assert files(live.out) == before
    page.write_text(good + "\nFixed.\n")
    live.build([page])
    assert live.live == 1
    assert_as_a_clean_build(live, tmp_path)


def test_other_changes_are_a_build(live: LiveBuild, tmp_path: Path) -> None:
    content = live.project / "content"
    new = content / "briefing" / "travel.md"
    new.write_text("---\ntitle: Travel\n---\nHow to get there.\n")
    live.build([new])
    config = live.project / "handpress.toml"
    config.write_text(config.read_text().replace('title = "Fixture Briefing"', 'title = "Fixture Briefing Two"'))
    live.build([config])
    image = content / "images" / "square.svg"
    image.write_text(image.read_text().replace("</svg>", "<!-- edited --></svg>"))
    live.build([image])
    assert live.live == 0
    page = content / "briefing" / "offices.md"
    page.write_text(page.read_text() + "\nAfter the builds.\n")
    live.build([page])
    assert live.live == 1
    assert_as_a_clean_build(live, tmp_path)


def test_an_out_folder_another_build_replaced_is_built_again(live: LiveBuild, tmp_path: Path) -> None:
    page = live.project / "content" / "briefing" / "offices.md"
    page.write_text(page.read_text() + "\nOne.\n")
    build(live.project, live.out, html_only=True)  # someone ran handpress build meanwhile
    page.write_text(page.read_text() + "\nTwo.\n")
    live.build([page])
    assert live.live == 0
    page.write_text(page.read_text() + "\nThree.\n")
    live.build([page])
    assert live.live == 1
    assert_as_a_clean_build(live, tmp_path)


def test_what_the_second_step_cannot_make_puts_the_edited_page_back(tmp_path: Path) -> None:
    project = copy_fixture("handbook", tmp_path / "p")
    templates = project / "templates" / "handbook"
    templates.mkdir(parents=True)
    default = (REPO / "templates" / "handbook" / "document.html").read_text()
    # a project's whole-guide template that fails on a word in a chapter (the page templates do not)
    trap = "{% for c in doc.chapters %}{% if 'Tripwire' in c.body %}{{ no_such_name }}{% endif %}{% endfor %}"
    (templates / "document.html").write_text(default.replace("<body>", "<body>" + trap, 1))
    failures: list[HandpressError] = []
    builder = LiveBuild(project, written=lambda files, error: failures.append(error) if error else None)
    builder.build()
    before = files(builder.out)
    page = project / "content" / "briefing" / "offices.md"
    good = page.read_text()
    page.write_text(good + "\nTripwire.\n")
    builder.build([page], follow=False)  # the page itself is written first
    assert b"Tripwire." in (builder.out / "briefing" / "offices" / "index.html").read_bytes()
    builder.follow()
    builder.wait()
    assert [d.path for d in failures[0].diagnostics] == ["templates/handbook/document.html"]
    assert files(builder.out) == before  # then put back: out/ is the last good build's
    page.write_text(good + "\nFine.\n")
    builder.build([page])
    assert builder.live == 2
    assert len(failures) == 1
    assert_as_a_clean_build(builder, tmp_path)
