"""The PDF engine: handbooks rendered by WeasyPrint, checked for what matters.

PDFs are read with pikepdf and poppler's pdftotext, never compared to a golden PDF. Layout is
slow (about 8 pages a second), so the fixture handbook is rendered once per language for the whole
module, and the other renders are a few tiny documents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import subprocess
import urllib.request
from pathlib import Path

import lxml.html
import page as pdfcheck
import pikepdf
import pytest

from handpress import theme
from handpress.build.pipeline import prepare
from handpress.errors import HandpressError
from handpress.handbook import engine as pdf
from handpress.handbook.document import build_document, pdf_target, render_document
from handpress.handbook.pdf import render_handbook_pdf, render_handbooks
from handpress.i18n import catalogs as i18n

from conftest import assert_fonts_embedded_and_subset, copy_fixture

WHEN = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture("handbook", tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def built(project: Path):
    """The fixture handbook in en, es and ar: {path: bytes}, the HTML it was made from, diagnostics."""
    site = prepare(project).site
    translations = {lang: i18n.load_translations(project, lang) for lang in site.languages}
    envs = {lang: theme.environment(project, translations[lang]) for lang in site.languages}
    laid_out: list[tuple[str, int, int]] = []  # (bar, its length, steps)

    @contextlib.contextmanager
    def bars(label: str, total: int):
        steps: list[int] = []
        yield steps.append
        laid_out.append((label, total, sum(steps)))

    result = render_handbooks(site, project, envs, translations, progress=bars)
    files = dict(result.outputs)
    out = project / "out"
    for path, data in files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    sources = {}
    for lang in site.languages:
        doc = build_document(site, site.handbooks[0], lang, pdf_target(site, project, lang), translations[lang], project)
        sources[lang] = (doc, render_document(envs[lang], doc))
    return {"files": files, "out": out, "result": result, "sources": sources, "laid_out": laid_out, "site": site}


def pdf_path(built, lang: str) -> Path:
    return built["out"] / f"pdf/brief.{lang}.pdf"


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found = []
    with pikepdf.open(path) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        with doc.open_outline() as tree:
            def walk(items, depth):
                for item in items:
                    found.append((depth, item.title, pages[item.destination[0].objgen]))
                    walk(item.children, depth + 1)
            walk(tree.root, 1)
    return found


def squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def test_the_fixture_renders_cleanly(built) -> None:
    assert built["result"].pdfs == ("pdf/brief.en.pdf", "pdf/brief.es.pdf", "pdf/brief.ar.pdf")
    assert built["result"].diagnostics == ()


def test_page_count_cover_contents_and_a_page_per_chapter(built) -> None:
    for lang in ("en", "es", "ar"):
        with pikepdf.open(pdf_path(built, lang)) as doc:
            assert len(doc.pages) == 5, lang  # cover, contents, three chapters
    assert built["laid_out"] == [("PDF pdf/brief.en.pdf", 5, 5), ("PDF pdf/brief.es.pdf", 5, 5),
                                 ("PDF pdf/brief.ar.pdf", 5, 5)]


def test_bookmarks_are_the_headings_in_order_on_their_pages(built) -> None:
    for lang in ("en", "es", "ar"):
        _, html = built["sources"][lang]
        tree = lxml.html.fromstring(html)
        headings = [(int(h.tag[1]) - 1, squash(h.text_content())) for h in tree.iter("h2", "h3", "h4")]
        marks = outline(pdf_path(built, lang))
        assert [(d, t) for d, t, _ in marks] == headings, lang
        texts = page_texts(pdf_path(built, lang))
        for _, title, index in marks:
            assert title in squash(texts[index]), (lang, title, index)


def test_every_contents_entry_names_the_page_of_its_heading(built) -> None:
    for lang in ("en", "es"):
        texts = page_texts(pdf_path(built, lang))
        entries = re.findall(r"^(.+?) ?\.{3,} ?(\d+)$", texts[1], flags=re.M)
        _, html = built["sources"][lang]
        toc = [squash(a.text_content()) for a in lxml.html.fromstring(html).find(".//nav").iter("a")]
        assert [squash(title) for title, _ in entries] == toc, lang
        for title, number in entries:
            assert squash(title) in squash(texts[int(number) - 1]), (lang, title, number)
        words = i18n.load_translations(built["out"].parent, lang)
        assert words.gettext("Contents") in texts[1]
        assert texts[1].count(words.gettext("Page %(num)s of %(total)s") % {"num": 2, "total": 5}) == 1


def test_see_page_references_are_right(built) -> None:
    texts = page_texts(pdf_path(built, "en"))
    text = squash(" ".join(texts))
    assert re.findall(r"\(see page (\d+)\)", text) == ["5", "5", "3"]
    assert "covers the offices (see page 5) and their staff numbers (see page 5)." in text
    assert "See the welcome page (see page 3) for the purpose." in text
    assert "Offices" in texts[4] and "Staff" in texts[4] and "Purpose" in texts[2]


def test_footnote_at_the_foot_of_its_page(built) -> None:
    text = subprocess.run(["pdftotext", "-layout", "-f", "3", "-l", "3", str(pdf_path(built, "en")), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[-2:] == ["1. Founded in 2003 after the reorganisation.", "Page 3 of 5"]
    assert "abroad.1 More background" in squash(text)


def test_running_heads_and_no_head_on_the_cover(built) -> None:
    texts = page_texts(pdf_path(built, "en"))
    assert "Page 1 of 5" not in texts[0] and "FIELD BRIEFING" not in texts[0]
    assert texts[3].startswith("FIELD BRIEFING\n\nThe briefing")
    assert "Page 4 of 5" in texts[3]


def test_tagged_with_language_title_and_alt_text(built) -> None:
    for lang, title in (("en", "Field Briefing"), ("ar", "Field Briefing")):
        with pikepdf.open(pdf_path(built, lang)) as doc:
            root = doc.Root
            assert "/StructTreeRoot" in root
            assert root.MarkInfo.Marked is True
            assert str(root.Lang) == lang
            assert root.ViewerPreferences.DisplayDocTitle is True
            assert str(doc.docinfo.Title) == title
            with doc.open_metadata() as xmp:
                assert xmp["dc:title"] == title
            figures = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]
            assert len(figures) == 1
            assert all(str(f.get("/Alt", "")).strip() for f in figures)
    with pikepdf.open(pdf_path(built, "en")) as doc:
        figure = next(o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure")
        assert str(figure.Alt) == "A square diagram of the office"


def test_metadata_from_the_content(built) -> None:
    with pikepdf.open(pdf_path(built, "es")) as doc:
        info = doc.docinfo
        assert str(info.Author) == "Fixture Office"
        assert str(info.Subject) == "What a visitor needs to know"
        assert str(info.Keywords) == "The briefing"  # the top-level chapters
        assert str(info.CreationDate) == "D:20260901000000Z"
        assert str(info.ModDate) == "D:20261101000000Z"
        with doc.open_metadata() as xmp:
            assert xmp["xmp:CreateDate"] == "2026-09-01T00:00:00Z"
            assert xmp["pdfuaid:part"] == "1"


def test_fonts_are_embedded_and_subset(built) -> None:
    for lang in ("en", "ar"):
        assert_fonts_embedded_and_subset(pdf_path(built, lang))


def test_text_extracts_without_replacement_characters(built) -> None:
    expected = {"en": "reorganisation", "es": "Propósito", "ar": "الموظفون"}
    for lang, word in expected.items():
        text = "".join(page_texts(pdf_path(built, lang)))
        assert "\ufffd" not in text, lang
        assert word in text, lang
    spanish = squash("".join(page_texts(pdf_path(built, "es"))))
    assert "educación, cooperación y señalización" in spanish and "Japón" in spanish


def test_pdf_ua_1_compliant(built) -> None:
    for lang in ("en", "es", "ar"):
        report = pdfcheck.validate_pdf(str(pdf_path(built, lang)), profile="ua1")
        assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


def test_rebuild_is_byte_identical(built, project: Path) -> None:
    doc, html = built["sources"]["es"]
    again = render_handbook_pdf(doc, html, project, label="pdf/brief.es.pdf")
    assert again.data == built["files"]["pdf/brief.es.pdf"]


# --- Tiny documents for the adapter itself -------------------------------------------------------

def tiny(body: str, head: str = "", lang: str = "en") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><title>Tiny</title>{head}</head>'
            f"<body><h1>Tiny</h1>{body}</body></html>")


def render(html: str, root: Path, **options):
    settings = dict(base_url=pdf.file_url(root / "content"), allowed_roots=[root], title="Tiny", lang="en",
                    author="Fixture Office", subject="A test", keywords=["test"], created=WHEN, modified=WHEN,
                    label="pdf/tiny.en.pdf")
    settings.update(options)
    return pdf.render_pdf(html, **settings)


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    """A project with a file and a symbolic link that lead outside it."""
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "outside.css").write_text('p::after { content: "LEAKED-CSS"; }')
    (outside / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
                                        '<text x="0" y="20">SECRET-SVG</text></svg>')
    (root / "content" / "leak.svg").symlink_to(outside / "secret.svg")
    (root / "content" / "ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                             '<rect width="10" height="10"/></svg>')
    (root / "content" / "notes.txt").write_text("Meeting notes.")
    return root


def test_references_outside_the_project_are_refused_and_not_embedded(hostile: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    network: list[str] = []
    monkeypatch.setattr(urllib.request.HTTPHandler, "http_open", lambda self, req: network.append(req.full_url))
    monkeypatch.setattr(urllib.request.HTTPSHandler, "https_open", lambda self, req: network.append(req.full_url))
    big = "data:image/svg+xml," + "%20" * (pdf.DATA_URL_LIMIT + 1)
    small = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E"
    html = tiny(
        '<p>Text.</p><img src="file:///etc/passwd" alt="passwd"><img src="leak.svg" alt="leak">'
        f'<img src="http://example.com/x.png" alt="remote"><img src="{big}" alt="big">'
        f'<img src="{small}" alt="small"><img src="ok.svg" alt="A black square">'
        '<p><a rel="attachment" href="notes.txt">Notes</a></p>',
        head='<link rel="stylesheet" href="../../outside.css">'
             '<link rel="attachment" href="file:///etc/hosts">',
    )
    result = render(html, hostile)
    messages = [d.format() for d in result.diagnostics]
    assert messages == [
        "pdf/tiny.en.pdf: error: refused to embed the stylesheet 'file://" + str(hostile.parent / "outside.css")
        + "': a file outside the project and the theme [pdf-resource]",
        "pdf/tiny.en.pdf: error: refused to embed the image 'file:///etc/passwd': a file outside the project and "
        "the theme [pdf-resource]",
        "pdf/tiny.en.pdf: error: refused to embed the image '" + (hostile / "content/leak.svg").as_uri()
        + "': a symbolic link to a file outside the project and the theme [pdf-resource]",
        "pdf/tiny.en.pdf: error: refused to embed the image 'http://example.com/x.png': not a file in the "
        "project (handbooks embed only local files) [pdf-resource]",
        f"pdf/tiny.en.pdf: error: refused to embed the image '{big[:79]}…': data: URL larger than 32 KiB; "
        "save it as a file in the project [pdf-resource]",
        "pdf/tiny.en.pdf: error: refused to embed the attachment 'file:///etc/hosts': a file outside the project "
        "and the theme [pdf-resource]",
    ]
    assert network == []
    out = hostile / "tiny.pdf"
    out.write_bytes(result.data)
    text = "".join(page_texts(out))
    assert "LEAKED-CSS" not in text and "SECRET-SVG" not in text
    with pikepdf.open(out) as doc:
        streams = b"".join(o.read_bytes() for o in doc.objects if isinstance(o, pikepdf.Stream))
        assert b"root:" not in streams
        files = list(doc.Root.Names.EmbeddedFiles.Names[1::2]) if "/Names" in doc.Root and \
            "/EmbeddedFiles" in doc.Root.Names else []
        assert files == []
        embedded = [o for o in doc.objects if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/EmbeddedFile"]
        # The attachment inside the project is embedded, dated like the document, not by the clock.
        assert [e.read_bytes() for e in embedded] == [b"Meeting notes."]
        assert str(embedded[0].Params.ModDate) == str(embedded[0].Params.CreationDate) == "D:20261101000000Z"


def test_what_weasyprint_logs_becomes_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    html = tiny('<p style="colr: red">Text.</p><img src="missing.png" alt="Missing">')
    seen: list[int] = []
    result = render(html, tmp_path, progress=seen.append)
    assert [(d.severity, d.code) for d in result.diagnostics] == [("warning", "pdf-render"), ("error", "pdf-render")]
    warning, error = (d.format() for d in result.diagnostics)
    assert warning.startswith("pdf/tiny.en.pdf: warning: PDF: Ignored `colr: red`")
    assert error.startswith("pdf/tiny.en.pdf: error: PDF: Failed to load image at ")
    assert "missing.png" in error
    assert seen == [1] and result.pages == 1
    # The handler is gone afterwards: nothing leaks into later renders or the logging set-up.
    assert not [h for h in logging.getLogger("weasyprint").handlers if type(h).__name__ == "_Collector"]


def test_pdf_a_3u_is_tagged_too(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = render(tiny("<p>Archival.</p>"), tmp_path, variant="pdf/a-3u")
    assert result.diagnostics == ()
    out = tmp_path / "a.pdf"
    out.write_bytes(result.data)
    with pikepdf.open(out) as doc:
        assert "/StructTreeRoot" in doc.Root and doc.Root.MarkInfo.Marked is True
        with doc.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "U"
    assert pdfcheck.validate_pdf(str(out), profile="3u").is_compliant


def test_unknown_variant_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(HandpressError) as caught:
        render(tiny(""), tmp_path, variant="pdf/x-4")
    assert str(caught.value) == ("pdf/tiny.en.pdf: error: unknown PDF variant 'pdf/x-4' (expected one of "
                                 "pdf/ua-1, pdf/ua-2, pdf/a-3u, pdf/a-3a) [pdf-variant]")


def test_engine_failure_names_the_handbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self, *args, **kwargs):
        raise ValueError("layout exploded")

    monkeypatch.setattr(pdf.weasyprint.HTML, "render", broken)
    with pytest.raises(HandpressError) as caught:
        render(tiny(""), tmp_path)
    assert str(caught.value) == ("pdf/tiny.en.pdf: error: PDF: WeasyPrint failed: ValueError: layout exploded "
                                 "[pdf-render]")
    assert isinstance(caught.value.__cause__, ValueError)
