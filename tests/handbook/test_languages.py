"""Text in another language than the handbook's carries its own in the PDF (``/Lang`` on its marked
content): a chapter shown in English in an Arabic handbook, and the running heads copied into the page
margins (string-set), which take the language of the element that set them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from handpress.build.pipeline import build

from conftest import copy_fixture


def runs(pdf: Path) -> list[list[tuple[str | None, str]]]:
    """Per page, each marked-content run's language (None: the document's) and text, in stream order."""
    pages = []
    for page in PdfReader(pdf).pages:
        found: list[tuple[str | None, str]] = []
        stack: list[list] = []

        def before(op: bytes, args: list, cm: object, tm: object) -> None:
            if op in (b"BDC", b"BMC"):
                props = args[1] if op == b"BDC" and len(args) > 1 else {}
                lang = props.get("/Lang") if hasattr(props, "get") else None
                raw = getattr(lang, "original_bytes", None)
                stack.append([raw.decode("latin-1") if raw is not None else lang, ""])
            elif op == b"EMC" and stack:
                lang, text = stack.pop()
                found.append((lang, " ".join(text.split())))

        def text(chunk: str, *args: object) -> None:
            if stack:
                stack[-1][1] += chunk

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        pages.append([run for run in found if run[1]])
    return pages


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("handbook", tmp_path_factory.mktemp("languages"))
    assert [d for d in build(project).diagnostics if d.severity == "error"] == []
    return project / "out" / "pdf"


def test_running_heads_of_a_right_to_left_handbook_carry_their_language(books: Path) -> None:
    pages = runs(books / "brief.ar.pdf")
    assert ("en", "Field Briefing") in pages[0]  # the cover: the title is not translated into Arabic
    chapters = pages[2:]
    assert chapters
    for n, page in enumerate(chapters, start=3):
        assert ("en", "Field Briefing") in page, n  # the running head with the book's title
    heads = [text for page in chapters for lang, text in page if lang is None and text == "مرحبا"]
    assert len(heads) >= 2  # the Arabic chapter's title, in the heading and in the running head: Arabic


def test_a_chapter_shown_in_another_language_carries_it(books: Path) -> None:
    pages = runs(books / "brief.ar.pdf")
    english = [text for page in pages[2:] for lang, text in page if lang == "en"]
    assert "The briefing" in english and "THE BRIEFING" in english  # its heading and its running head
    assert not [text for page in pages for lang, text in page if lang not in (None, "en")]


def test_a_handbook_in_one_language_needs_no_marks(books: Path) -> None:
    assert [run for page in runs(books / "brief.en.pdf") for run in page if run[0]] == []
