"""The structure tree repairs (handbook/tagging.py): a loose list's items and links holding code or other
inline elements make a valid PDF/UA-1 handbook."""

from __future__ import annotations

from pathlib import Path

import page as pdfcheck
import pikepdf

from handpress.build.pipeline import build


def kinds(element: pikepdf.Object) -> list[str]:
    kids = element.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [str(k.S) for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def test_loose_lists_and_links_around_code_are_valid_pdf_ua(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "handpress.toml").write_text('title = "Lists"\n', encoding="utf-8")
    (tmp_path / "content" / "index.md").write_text(
        "# Lists\n\n1. A first paragraph.\n\n    A second one, and [`code` in a link](https://example.org/).\n\n"
        "    ```sh\n    make\n    ```\n\n2. Two.\n", encoding="utf-8")
    build(tmp_path)
    pdf = tmp_path / "out" / "pdf" / "handbook.en.pdf"
    report = pdfcheck.validate_pdf(str(pdf), profile="ua1")
    assert report.is_compliant, [f.message for f in report.failures]
    with pikepdf.open(pdf) as doc:
        items = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/LI"]
        assert items and all(set(kinds(item)) <= {"/Lbl", "/LBody"} for item in items)
        links = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/OBJR"]
        parents = {str(o.S) for o in doc.objects if isinstance(o, pikepdf.Dictionary) and "/S" in o
                   and any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                           for k in (o.K if isinstance(o.get("/K"), pikepdf.Array) else []))}
        assert links and parents == {"/Link"}
