"""Code and wide tables in handbooks (the code-and-tables fixture): highlighted, long lines wrapped and wide tables
fitted to the page, so every word lies inside the page; the PDFs pass the PDF/UA audit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import lxml.etree
import pytest
from click.testing import CliRunner

from handpress.build.pipeline import build
from handpress.commands.audit import audit

from conftest import copy_fixture, parse_html

ENDS = ["printedendofpythonline", "yamlendofline", "jsendofline", "unknownendofline", "plainendofline",
        "indentedendofline", "base64endofline", "tableendofrow", "wordsendofsecondtable", "rawpreendofline",
        "rawtableendofrow"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_fixture("code-and-tables", tmp_path_factory.mktemp("code-pdf"))
    result = build(folder)
    assert result.pdfs == ("pdf/code.ar.pdf", "pdf/code.en.pdf", "pdf/code.es.pdf")
    assert [d.format() for d in result.diagnostics if d.severity != "info"] == []  # no WeasyPrint problem either
    return folder


def words(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """Every word of the PDF with its page and box: (page, page width, xMin, xMax, word)."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    found = []
    for number, page in enumerate(lxml.etree.fromstring(xhtml).iter("{*}page"), 1):
        width = float(page.get("width"))
        found += [(number, width, float(w.get("xMin")), float(w.get("xMax")), w.text or "") for w in page.iter("{*}word")]
    return found


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_long_lines_and_wide_tables_stay_inside_the_page(project: Path, lang: str) -> None:
    found = words(project / f"out/pdf/code.{lang}.pdf")
    outside = [(page, word, round(x0), round(x1)) for page, width, x0, x1, word in found if x0 < 0 or x1 > width - 30]
    assert outside == []  # 30 pt: inside the paper's unprintable edge, far out of the page's margins
    text = "".join(word for *_, word in found).replace("\u2010", "").replace("-", "")
    missing = [end for end in ENDS if end not in text]  # each line's end is printed (wrapped, perhaps hyphenated)
    assert missing == []


def test_handbook_code_is_highlighted_and_plain_where_no_language_is_known(project: Path) -> None:
    doc = parse_html(project / "out/print/handbooks/code/index.html")
    pres = doc.findall(".//pre")
    assert [pre.get("class") for pre in pres] == ["highlight"] * 4 + [None] * 5
    assert all(pre.get("tabindex") is None for pre in pres)  # code wraps: nothing to scroll
    assert [div.get("aria-label") for div in doc.find_class("table-scroll")] == [
        "Offices and their contacts", "An identifier longer than the page"]


def test_the_pdfs_pass_the_pdf_ua_audit(project: Path) -> None:
    done = CliRunner().invoke(audit, ["--project", str(project), "--variant", "pdf", "--no-cache"],
                              catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "3 PDFs" in done.output and "No new issues." in done.output
