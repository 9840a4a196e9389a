"""PDF checks: a tagged PDF/UA handbook passes; missing tags, language, title, bookmarks, alt text and
embedded fonts are each reported, by the PDF/UA-1 validator and by the pikepdf essentials."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
import weasyprint

from handpress.audit.models import Target
from handpress.audit.pdfcheck import check_pdf

SQUARE = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'><rect width='9' height='9'/></svg>"
HANDBOOK = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Briefing</title></head>
<body><h1>Briefing</h1><h2>The office</h2><p>What it does.</p><img src="{SQUARE}" alt="A black square"></body></html>"""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pdfs")
    (root / "pdf").mkdir()
    weasyprint.HTML(string=HANDBOOK).write_pdf(root / "pdf" / "good.en.pdf", pdf_variant="pdf/ua-1")
    weasyprint.HTML(string=HANDBOOK.replace(' alt="A black square"', "")).write_pdf(
        root / "pdf" / "noalt.en.pdf", pdf_variant="pdf/ua-1")
    bare = pikepdf.new()      # untagged, no language, no title, no outline, a font that is not embedded
    font = bare.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                 BaseFont=pikepdf.Name.Helvetica))
    bare.add_blank_page(page_size=(200, 200))
    page = bare.pages[0]
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = bare.make_stream(b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET")
    bare.save(root / "pdf" / "bare.es.pdf")
    return root


def _codes(root: Path, name: str, runner: str) -> set[str]:
    lang = name.split(".")[-2]
    return {i.code for i in check_pdf(root, Target(f"pdf/{name}", "pdf", lang)) if i.runner == runner}


def test_a_tagged_handbook_passes(pdfs: Path) -> None:
    assert check_pdf(pdfs, Target("pdf/good.en.pdf", "pdf", "en")) == ()


def test_a_figure_without_alt_is_reported_by_both_checks(pdfs: Path) -> None:
    issues = check_pdf(pdfs, Target("pdf/noalt.en.pdf", "pdf", "en"))
    assert {(i.runner, i.code) for i in issues} == {
        ("pdf-ua", "ua1:PDFUA1-FIGURE-ALTERNATIVE-TEXT-001"), ("pikepdf", "pdf-figure-no-alt")}
    figure = next(i for i in issues if i.code == "pdf-figure-no-alt")
    assert (figure.page, figure.variant, figure.language, figure.type) == ("pdf/noalt.en.pdf", "pdf", "en", "error")
    assert figure.selector.startswith("Figure 1 (object ")


def test_an_untagged_pdf_fails_every_essential(pdfs: Path) -> None:
    assert _codes(pdfs, "bare.es.pdf", "pikepdf") == {
        "pdf-not-marked", "pdf-no-structure", "pdf-no-lang", "pdf-no-title", "pdf-title-not-displayed",
        "pdf-no-bookmarks", "pdf-font-not-embedded"}
    assert {"ua1:PDFUA1-TAGGED-DOCUMENT-001", "ua1:PDFUA1-STRUCT-TREE-ROOT-001"} <= _codes(pdfs, "bare.es.pdf", "pdf-ua")


def test_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "x.en.pdf").write_bytes(b"<html>not a pdf</html>")
    issues = check_pdf(tmp_path, Target("pdf/x.en.pdf", "pdf", "en"))
    assert {i.code for i in issues} >= {"pdf-unreadable"}
