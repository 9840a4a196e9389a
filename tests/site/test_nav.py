"""The nav a project declares (here an MkDocs project's): page order, titles and sections in the navigation,
breadcrumbs, pager, whole-guide page and handbook; pages it leaves out; pages it names that do not exist."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import copy_fixture, parse_html
from handpress.build.pipeline import build, prepare


@pytest.fixture(scope="module")
def nav_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("mkdocs-nav", tmp_path_factory.mktemp("nav"))
    build(project, html_only=True)
    return project / "out"


def texts(page: Path, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in parse_html(page).xpath(xpath)]


def test_pages_are_in_nav_order_with_sections_and_leftovers_after(tmp_path: Path) -> None:
    site = prepare(copy_fixture("mkdocs-nav", tmp_path)).site
    assert site.keys == ("", "start", "guide", "guide/install", "guide/configure", "ref", "ref/api", "orphan")
    assert [n.key for n in site.tree.children] == ["start", "guide", "ref", "orphan"]
    assert site.page("guide/install", "en").parent == "guide"
    assert site.page("ref/api", "en").depth == 2
    assert not any(key.startswith("drafts") for key in site.keys)  # exclude_docs


def test_nav_titles_name_pages_in_the_navigation_and_page_titles_head_them(nav_site: Path) -> None:
    page = nav_site / "guide" / "install" / "index.html"
    assert texts(page, "//nav[@id='global-nav']//a") == ["Home", "Getting started", "User guide", "Reference",
                                                        "An orphan page"]
    assert texts(page, "//nav[@id='breadcrumbs']//a") == ["Home", "User guide", "Installing"]
    assert texts(page, "//nav[@id='section-nav']//a") == ["User guide", "Installing",
                                                         "Configuring the tools"]
    assert texts(page, "//h1") == ["Installing the tools"]
    assert texts(page, "//a[@rel='prev']") + texts(page, "//a[@rel='next']") == [
        "Previous User guide", "Next Configuring the tools"]


def test_a_section_without_a_page_of_its_own_gets_one_listing_its_pages(nav_site: Path) -> None:
    for variant in ("", "text/"):
        page = nav_site / variant / "ref" / "index.html"
        assert texts(page, "//h1") == ["Reference"]
        assert texts(page, "//section[@class='children']//a") == ["The API"]


def test_the_whole_guide_follows_the_nav(nav_site: Path) -> None:
    book = nav_site / "print" / "handbooks" / "handbook" / "index.html"
    assert texts(book, "//article/header/h2") == [
        "Welcome", "Getting started with the office", "The user guide", "Installing the tools",
        "Configuring the tools", "Reference", "The API", "An orphan page"]


def test_what_the_nav_says_is_located(tmp_path: Path) -> None:
    project = copy_fixture("mkdocs-nav", tmp_path)
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("      - ref/api.md\n", "      - ref/api.md\n      - ref/gone.md\n      - start.md\n")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    shutil.copy(project / "pages" / "orphan.md", project / "pages" / "stray.md")
    found = [d.format() for d in prepare(project).diagnostics if d.code == "nav"]
    assert found == [
        "mkdocs.yml:21: warning: nav names 'ref/gone.md', which is not a page in pages/ [nav]",
        "mkdocs.yml:22: warning: nav names 'start.md' again; a page has one place in the navigation, its first [nav]",
        "mkdocs.yml:23: info: the link 'Source code' (https://example.org/source) is not shown in the navigation: "
        "handpress's navigation lists the site's own pages [nav]",
        "pages/stray.md: info: not in the nav of mkdocs.yml; listed after its pages [nav]",
    ]
