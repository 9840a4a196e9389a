"""A real MkDocs project built unchanged: mkdocstrings' own documentation (MkDocs Material, pymdownx
extensions, snippets of its README and changelog, ``:::`` blocks), fetched by pinned version and sha256
(tests/corpora.py). No handpress.toml: handpress reads its mkdocs.yml. Zero errors, pages and handbook
chapters in the nav's order, the Nu HTML Checker clean on every page, the handbook PDF/UA-1 with contents
whose page numbers are the pages of the chapters."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import page as pdfcheck
import pikepdf
import pytest

from conftest import REPO, html_pages, parse_html
from corpora import fetch
from handpress.audit.vnu import check_html
from handpress.build.pipeline import build, prepare

# mkdocs.yml's nav, less what only MkDocs plugins make (gen-files' reference/, coverage's report) and its
# links to other sites. Its "Home" section starts with the home page, so it is the home page; "Usage" and
# "Insiders" start with their index pages; "Guides", "Development" and "Getting started" get pages of their own.
NAV = ["", "changelog", "credits", "license", "usage", "usage/theming", "usage/handlers", "usage/guides", "recipes",
       "troubleshooting", "development", "contributing", "code_of_conduct", "insiders", "insiders/getting-started",
       "insiders/installation", "insiders/changelog"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("mkdocstrings") / "mkdocstrings"
    shutil.copytree(fetch("mkdocstrings"), target)
    assert (target / "mkdocs.yml").is_file() and not (target / "handpress.toml").exists()
    return target


@pytest.fixture(scope="module")
def built(project: Path) -> object:
    return build(project)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_it_builds_with_no_errors_and_says_what_it_does_not_use(built: object) -> None:
    found = built.diagnostics  # type: ignore[attr-defined]
    assert [d.format() for d in found if d.severity == "error"] == []
    messages = [d.format() for d in found]
    assert ("mkdocs.yml:39: warning: nav names 'reference/index.md', which is not a page in docs/ [nav]"
            in messages)  # made by the gen-files plugin, which is not run
    assert any("plugin 'mkdocstrings' is not used" in m for m in messages)


def test_pages_follow_the_nav(project: Path, built: object) -> None:
    site = prepare(project).site
    assert list(site.keys[: len(NAV)]) == NAV
    home = parse_html(project / "out" / "index.html")
    assert [squash(a.text_content()) for a in home.xpath("//nav[@id='global-nav']//a")] == [
        "Home", "Changelog", "Credits", "License", "Usage", "Development", "Insiders"]
    theming = parse_html(project / "out" / "usage" / "theming" / "index.html")
    assert [squash(a.text_content()) for a in theming.xpath("//nav[@id='breadcrumbs']//a")] == [
        "Home", "Usage", "Theming"]


def test_the_handbook_follows_the_nav(project: Path, built: object) -> None:
    book = parse_html(project / "out" / "print" / "handbooks" / "handbook" / "index.html")
    heads = book.xpath("//article/header/*[@class='chapter-title']")
    titles = [squash(h.text_content()) for h in heads]
    site = prepare(project).site
    assert titles[: len(NAV)] == [site.page(key, "en").title for key in NAV]
    assert titles[:4] == ["mkdocstrings", "Changelog", "Credits", "License"]
    # The nav's sections are parts of the book, their pages chapters in them (the home section's pages
    # are the home page's neighbours): a level down in the headings and the contents.
    assert {key: int(h.tag[1]) - 2 for key, h in zip(NAV, heads)} == {
        "": 0, "changelog": 0, "credits": 0, "license": 0, "usage": 0, "usage/theming": 1, "usage/handlers": 1,
        "usage/guides": 1, "recipes": 2, "troubleshooting": 2, "development": 0, "contributing": 1,
        "code_of_conduct": 1, "insiders": 0, "insiders/getting-started": 1, "insiders/installation": 2,
        "insiders/changelog": 2}
    parts = book.xpath("//article[contains(@class, 'book-part')]/header/*[@class='chapter-title']")
    assert [squash(h.text_content()) for h in parts] == ["Usage", "Guides", "Development", "Insiders", "Getting started"]
    toc = book.xpath("//nav[@class='toc']/ol")[0]
    usage = [li for li in toc.findall("li") if squash(li.find("a").text_content()) == "Usage"][0]
    assert [squash(a.text_content()) for a in usage.xpath("ol/li[contains(@class, 'toc-chapter')]/a")] == [
        "Theming", "Handlers", "Guides"]  # the nav's titles ("Theming": the page says "Themes")


def test_every_page_passes_the_nu_html_checker(project: Path, built: object) -> None:
    pages = html_pages(project / "out")
    assert len(pages) > len(NAV) * 3
    messages = check_html(pages, project=REPO)
    errors = [f"{m.file}:{m.line}: {m.message} [{m.extract.strip()[:80]}]" for m in messages
              if m.type in ("error", "non-document-error")]
    assert errors == [], "\n".join(errors[:40])


def test_the_handbook_is_pdf_ua_with_the_right_page_numbers(project: Path, built: object) -> None:
    pdf = project / "out" / "pdf" / "handbook.en.pdf"
    report = pdfcheck.validate_pdf(str(pdf), profile="ua1")
    assert report.is_compliant, report
    with pikepdf.open(pdf) as doc:
        pages = {page.objgen: n + 1 for n, page in enumerate(doc.pages)}
        with doc.open_outline() as outline:
            def walk(items: list, parents: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str, int]]:
                return [found for item in items for found in [
                    (parents, squash(item.title), pages[item.destination[0].objgen]),
                    *walk(item.children, parents + (squash(item.title),))]]

            every = walk(outline.root)
    texts = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    chapters = [(title, number) for parents, title, number in every if not parents][1:]  # after the contents'
    book = parse_html(project / "out" / "print" / "handbooks" / "handbook" / "index.html")
    heads = {squash(h.text_content()) for h in book.xpath("//article/header/*[@class='chapter-title']")}
    assert {"mkdocstrings", "Changelog", "Credits", "Usage", "Recipes", "Troubleshooting"} <= heads
    for _, title, number in every:
        if title in heads:  # a chapter's bookmark lands on its page (headings' words may print a link's address)
            assert title in squash(texts[number - 1]), (title, number)
    # Bookmarks nest as the nav does: a section's pages under it.
    assert [title for parents, title, _ in every if parents == ("Usage",)][-3:] == ["Themes", "Handlers", "Guides"]  # headings
    assert [title for parents, title, _ in every if parents == ("Usage", "Guides")][-2:] == ["Recipes", "Troubleshooting"]
    marks: dict[str, set[int]] = {}
    for _, title, number in every:
        marks.setdefault(title, set()).add(number)
    contents = "\n".join(texts[1 : chapters[0][1] - 1])
    entries = [(squash(title), int(number)) for title, number in
               re.findall(r"^\s*(\S.*?) ?\.{3,} ?(\d+)$", contents, flags=re.M)]  # chapters (parts' indented), sections
    # Each entry's number is a page its heading's bookmark lands on (the contents name a chapter as the
    # nav does, which may differ from its heading: "Home" is the page "mkdocstrings"; a title too long for
    # one line is not matched here).
    checked = [(title, number) for title, number in entries if title in marks]
    assert len(checked) >= 2 * len(NAV)
    assert [(t, n) for t, n in checked if n not in marks[t]] == []


# HTML_CodeSniffer's manual-check reminders that this content raises by itself: every <pre> ("may require
# scrolling in two dimensions"; on screen code scrolls sideways only, inside a keyboard stop), a paragraph
# that is only bold words ("should this be a heading?"), a paragraph of several links ("should this be a
# list?"). They are warnings about how the authors wrote, not failures of the pages handpress makes.
CONTENT_REMINDERS = frozenset({"WCAG2AA.Principle1.Guideline1_4.1_4_10.C32,C31,C33,C38,SCR34,G206",
                               "WCAG2AA.Principle1.Guideline1_3.1_3_1.H42", "WCAG2AA.Principle1.Guideline1_3.1_3_1.H48"})


@pytest.mark.corpus_audit
def test_every_page_passes_pa11y_in_every_variant(project: Path, built: object) -> None:
    """htmlcs and axe on every page of every variant, the whole guide and the PDF: no error, nothing from axe,
    and of htmlcs's warnings only the reminders the content itself raises."""
    from handpress.audit.pages import find_targets
    from handpress.audit.run import Options, run_audit
    from handpress.config.audit import AuditSettings

    out = project / "out"
    targets = find_targets(out, ("en",), exclude=[out / "audit"])
    assert {t.variant for t in targets} == {"graphical", "text", "print", "pdf"}
    report = run_audit(out, targets, AuditSettings(timeout_ms=180000), Options(tools_near=(REPO,)))
    assert [f"{r.target.label}: {r.error}" for r in report.results if r.error] == []
    found = [i for r in report.results for i in r.issues]
    assert [f"{i.page} ({i.variant}) {i.runner} {i.code}: {i.context[:60]}" for i in found
            if i.type == "error" or i.runner != "htmlcs" or i.code not in CONTENT_REMINDERS] == []
