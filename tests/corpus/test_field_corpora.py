"""Real documentation written by other projects, as a new user would try it: their docs/ folder copied into
``content/`` with a one-line handpress.toml. Each builds with exit 0 and no errors, its HTML has no Nu HTML
Checker error, its handbook passes PDF/UA-1 and its contents name the right pages, and `handpress audit`
(with --handpress-audit) finds nothing that fails on any page of any variant, the whole-guide pages included.

The corpora are fetched at test time by pinned version and sha256 (tests/corpora.py), never committed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import page as pdfua
import pikepdf
import pytest

from corpora import docs
from conftest import html_pages

FIELD = ("starlette", "markdown")
LEADERS = re.compile(r"^\s*(\S.*?) ?\.{3,}[\s\u2007]*(\d+)$", re.M)


@dataclass(frozen=True)
class Built:
    name: str
    project: Path
    done: subprocess.CompletedProcess[str]

    @property
    def out(self) -> Path:
        return self.project / "out"


@pytest.fixture(scope="module", params=FIELD)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = tmp_path_factory.mktemp(request.param)
    shutil.copytree(docs(request.param), project / "content")
    (project / "handpress.toml").write_text(f'title = "{request.param.title()} documentation"\n', encoding="utf-8")
    handpress = Path(sys.executable).with_name("handpress")
    done = subprocess.run([str(handpress), "build", "--project", str(project)], capture_output=True, text=True,
                          timeout=1200)
    return Built(request.param, project, done)


@pytest.mark.corpus_audit
def test_handpress_audit_fails_on_nothing_of_handpress_s_making(built: Built) -> None:
    """The audit a user runs (the project's settings: htmlcs and axe, HTML_CodeSniffer's warnings for review)
    over every page of every variant and the handbook: each is audited, the 100-page whole-guide print page
    too, and no page handpress made has an error or an axe finding. What fails is only what the authors put
    in content/ to be copied as it is (their MkDocs theme's partials): the audit finds it there too."""
    from handpress.audit.session import Request, audit

    outcome = audit(Request(project=built.project, no_cache=True), lambda total: lambda result: None)
    report = outcome.report
    assert [f"{r.target.label}: {r.error}" for r in report.results if r.error] == []
    pages = {p.relative_to(built.out).as_posix() for p in html_pages(built.out)}
    assert pages | {"pdf/handbook.en.pdf"} <= {r.target.page for r in report.results}
    assert {r.target.variant for r in report.results} == {"graphical", "text", "print", "pdf"}
    made = [r for r in report.results if r.target.page in pages or r.target.is_pdf]
    assert [f"{i.page} {i.runner} {i.type} {i.code} {i.selector}" for r in made for i in r.new] == []
    copied = {r.target.page for r in report.results if r.failed} - pages
    assert all((built.project / "content" / page).read_bytes() == (built.out / page).read_bytes() for page in copied)
    # What is left for a person to check is HTML_CodeSniffer's reminders about how the authors wrote: a
    # paragraph of bold words (a heading?), a paragraph of links (a list?), a pipe table (no caption).
    review = {i.code for r in made for i in r.review}
    assert review and review <= {f"WCAG2AA.Principle1.Guideline1_3.1_3_1.{c}" for c in ("H42", "H48", "H39.3.NoCaption")}


def page_texts(pdf: Path, layout: bool = False) -> list[str]:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")[:-1]


def squash(text: str) -> str:
    return " ".join(re.sub(r"\.{3,}", " ", text.replace("\u00ad", "")).split())


def test_builds_with_exit_0_and_no_errors(built: Built) -> None:
    said = built.done.stdout + built.done.stderr
    assert built.done.returncode == 0, said[-3000:]
    assert not [line for line in said.splitlines() if ": error:" in line]
    assert len(html_pages(built.out)) >= 3 * 20 and list((built.out / "pdf").glob("*.pdf"))


def test_nu_html_checker_finds_no_errors(built: Built) -> None:
    from handpress.audit import vnu

    pages = html_pages(built.out)
    errors = [m for m in vnu.check_html(pages) if m.type in ("error", "non-document-error")]
    assert errors == []


def test_handbooks_pass_pdf_ua_1(built: Built) -> None:
    for pdf in sorted((built.out / "pdf").glob("*.pdf")):
        report = pdfua.validate_pdf(str(pdf), profile="ua1")
        assert report.is_compliant, (pdf.name, str(report)[:2000])


def test_every_contents_entry_names_the_page_of_its_heading(built: Built) -> None:
    """The contents' chapters and sections, in order, are the book's bookmarks (WeasyPrint places those on
    the headings themselves): each entry's number is its heading's page, and that page shows the heading."""
    for pdf in sorted((built.out / "pdf").glob("*.pdf")):
        laid_out, plain = page_texts(pdf, layout=True), page_texts(pdf)
        contents = [n for n, text in enumerate(laid_out) if LEADERS.search(text)]
        assert contents == list(range(contents[0], contents[-1] + 1))  # the contents run on, page after page
        numbers = [int(number) for n in contents for _, number in LEADERS.findall(laid_out[n])]
        listed = listed_headings(built.out / "print" / "handbooks" / pdf.name.split(".")[0] / "index.html")
        marks, wanted = [], iter(listed)
        want = next(wanted, None)
        for _, title, page in outline(pdf):  # the bookmarks of the listed headings, in order
            if want is not None and page > contents[-1] and squash(title) == want:
                marks.append((title, page + 1))
                want = next(wanted, None)
        assert len(marks) == len(listed) == len(numbers) >= 20, pdf.name
        for number, (title, page) in zip(numbers, marks):
            assert number == page, (pdf.name, title)
            assert squash(title) in squash(plain[page - 1]), (pdf.name, title, page)


def listed_headings(book: Path) -> list[str]:
    """The words of the headings the contents list, in order: each chapter's title and its page's ``##``
    headings (a level below the title, which is an h2 at the top, a level deeper in each part)."""
    tree = lxml.html.parse(str(book)).getroot()
    found = []
    for article in tree.iterfind(".//article"):
        title = article.find("header/*[@class='chapter-title']")
        found.append(squash(title.text_content()))
        body = article.find_class("chapter-body")[0]
        found.extend(squash(h.text_content()) for h in body.iter(f"h{int(title.tag[1]) + 1}"))
    return found


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []
    with pikepdf.open(pdf) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        with doc.open_outline() as tree:
            def walk(items, depth: int) -> None:
                for item in items:
                    found.append((depth, str(item.title), pages[item.destination[0].objgen]))
                    walk(item.children, depth + 1)
            walk(tree.root, 1)
    return found
