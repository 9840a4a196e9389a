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
    assert texts(book, "//article/header/*[@class='chapter-title']") == [
        "Welcome", "Getting started with the office", "The user guide", "Installing the tools",
        "Configuring the tools", "Reference", "The API", "An orphan page"]
    # Its sections are parts: their pages are chapters in them, a heading level down; the contents name
    # the chapters as the nav does.
    assert texts(book, "//article[contains(@class, 'book-part')]/header/h2") == ["The user guide", "Reference"]
    assert texts(book, "//article/header/h3") == ["Installing the tools", "Configuring the tools", "The API"]
    assert texts(book, "//nav[@class='toc']/ol/li/a") == ["Home", "Getting started", "User guide", "Reference",
                                                          "An orphan page"]
    assert texts(book, "//li[contains(@class, 'toc-part')]/ol/li[contains(@class, 'toc-chapter')]/a") == [
        "Installing", "Configuring the tools", "The API"]


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


def test_sections_as_mkdocs_material_writes_them(tmp_path: Path) -> None:
    """A section that starts with the home page is the home page; one that starts with an index page is that
    page; one that lists no page is left out with a note; a section inside its folder's section gets a key
    of its own."""
    docs = tmp_path / "docs"
    for name in ("index.md", "changelog.md", "usage/index.md", "usage/theming.md", "recipes.md",
                 "insiders/index.md", "insiders/installation.md", "insiders/changelog.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(f"# {name}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Sections\nnav:\n- Home:\n  - Overview: index.md\n  - Changelog: changelog.md\n"
        "- Usage:\n  - usage/index.md\n  - Theming: usage/theming.md\n  - All handlers:\n"
        "    - C: https://example.org/c/\n  - Guides:\n    - Recipes: recipes.md\n"
        "- API reference:\n  - mkdocstrings: reference/\n"
        "- Insiders:\n  - insiders/index.md\n  - Getting started:\n    - Installation: insiders/installation.md\n"
        "    - Changelog: insiders/changelog.md\n", encoding="utf-8")
    prepared = prepare(tmp_path)
    site = prepared.site
    assert site.keys == ("", "changelog", "usage", "usage/theming", "usage/guides", "recipes", "insiders",
                         "insiders/getting-started", "insiders/installation", "insiders/changelog")
    assert [n.key for n in site.tree.children] == ["changelog", "usage", "insiders"]
    assert (site.page("", "en").nav_title, site.page("usage/guides", "en").nav_title) == ("Home", "Guides")
    assert [d.format() for d in prepared.diagnostics if d.code == "nav"] == [
        "mkdocs.yml:9: info: the section 'All handlers' lists no page of docs/; it is not in the navigation [nav]",
        "mkdocs.yml:10: info: the link 'C' (https://example.org/c/) is not shown in the navigation: handpress's "
        "navigation lists the site's own pages [nav]",
        "mkdocs.yml:13: info: the section 'API reference' lists no page of docs/; it is not in the navigation [nav]",
        "mkdocs.yml:14: warning: nav names 'reference/index.md', which is not a page in docs/ [nav]",
    ]
