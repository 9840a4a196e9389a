"""PDF checks for the handbooks: the PDF/UA-1 validator (page-validation) and essentials read with pikepdf.

Each finding is an :class:`Issue` with variant ``pdf`` so it flows through the same baseline, ignore rules
and reports as a web page's. Runner ``pdf-ua`` codes are ``ua1:<rule>``; runner ``pikepdf`` codes are
``pdf-…`` names for the essentials a reader notices first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import page as pdfvalidation
import pikepdf

from handpress.audit.models import Issue, Target

PDF_UA = "ua1"
MAX_STRUCT_NODES = 200_000


def check_pdf(root: Path, target: Target) -> tuple[Issue, ...]:
    """Every problem found in one PDF (``root / target.page``)."""
    path = root / target.page
    found = [*_validator(path), *_essentials(path)]
    issues = {
        Issue(target.page, "pdf", target.language, runner, code, "error", message, selector)
        for runner, code, message, selector in found
    }
    return tuple(sorted(issues))


Finding = tuple[str, str, str, str]   # runner, code, message, selector


def _validator(path: Path) -> Iterator[Finding]:
    try:
        report = pdfvalidation.validate_pdf(path, profile=PDF_UA)
    except pdfvalidation.PageError as exc:
        yield "pdf-ua", "ua1:unreadable", f"the PDF/UA validator could not read the file: {exc}", ""
        return
    for failure in report.failures:
        obj = failure.object_id
        where = f"object {obj.object_number} {obj.generation}" if obj is not None else ""
        yield "pdf-ua", f"ua1:{failure.rule_id}", failure.message, where


def _essentials(path: Path) -> Iterator[Finding]:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PdfError as exc:
        yield "pikepdf", "pdf-unreadable", f"not a readable PDF: {exc}", ""
        return
    with pdf:
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        if not (isinstance(mark_info, pikepdf.Dictionary) and bool(mark_info.get("/Marked", False))):
            yield "pikepdf", "pdf-not-marked", "the PDF is not marked as tagged (/MarkInfo /Marked true)", ""
        struct_root = root.get("/StructTreeRoot")
        if struct_root is None:
            yield "pikepdf", "pdf-no-structure", "the PDF has no structure tree (/StructTreeRoot): it is not tagged", ""
        if not str(root.get("/Lang", "")).strip():
            yield "pikepdf", "pdf-no-lang", "the document language (/Lang) is not set", ""
        yield from _title(pdf)
        outlines = root.get("/Outlines")
        if outlines is None or outlines.get("/First") is None:
            yield "pikepdf", "pdf-no-bookmarks", "the PDF has no bookmarks (document outline)", ""
        if struct_root is not None:
            yield from _figures(struct_root)
        yield from _fonts(pdf)


def _title(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    title = str(pdf.docinfo.get("/Title", "")).strip() if pdf.trailer.get("/Info") is not None else ""
    if not title:
        with pdf.open_metadata() as meta:
            title = str(meta.get("dc:title", "") or "").strip()
    if not title:
        yield "pikepdf", "pdf-no-title", "the document has no title (/Title in the document information)", ""
    prefs = pdf.Root.get("/ViewerPreferences")
    if not (isinstance(prefs, pikepdf.Dictionary) and bool(prefs.get("/DisplayDocTitle", False))):
        yield ("pikepdf", "pdf-title-not-displayed",
               "viewers are not told to show the title (/ViewerPreferences /DisplayDocTitle true)", "")


def _figures(struct_root: pikepdf.Object) -> Iterator[Finding]:
    """Every /Figure structure element without /Alt (or /ActualText)."""
    stack, seen, count, figure = [struct_root], set(), 0, 0
    while stack and count < MAX_STRUCT_NODES:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        ident = node.objgen if node.is_indirect else None
        if ident is not None:
            if ident in seen:
                continue
            seen.add(ident)
        count += 1
        if node.get("/S") == pikepdf.Name.Figure:
            figure += 1
            if not str(node.get("/Alt", "")).strip() and not str(node.get("/ActualText", "")).strip():
                where = f"Figure {figure}" + (f" (object {ident[0]} {ident[1]})" if ident else "")
                yield "pikepdf", "pdf-figure-no-alt", "a Figure has no alternative text (/Alt)", where
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)


def _fonts(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    """Fonts used on the pages (and in their form XObjects) whose program is not embedded."""
    reported: set[str] = set()
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for font in _page_fonts(page.obj.get("/Resources"), seen):
            name = str(font.get("/BaseFont", "unnamed font")).lstrip("/")
            if font.get("/Subtype") == pikepdf.Name.Type3 or name in reported:
                continue
            descendant = font.get("/DescendantFonts")
            described = descendant[0] if isinstance(descendant, pikepdf.Array) and len(descendant) else font
            descriptor = described.get("/FontDescriptor")
            if not (isinstance(descriptor, pikepdf.Dictionary)
                    and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))):
                reported.add(name)
                yield ("pikepdf", "pdf-font-not-embedded", f"the font {name} is not embedded",
                       f"page {number}: {name}")


def _page_fonts(resources: pikepdf.Object | None, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Dictionary]:
    if not isinstance(resources, pikepdf.Dictionary):
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for _, font in fonts.items():
            if isinstance(font, pikepdf.Dictionary):
                yield font
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for _, xobject in xobjects.items():
            if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != pikepdf.Name.Form:
                continue
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            yield from _page_fonts(xobject.get("/Resources"), seen)
