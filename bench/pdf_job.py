"""One PDF measurement of bench/run.py, in its own process (so its peak memory is its own).

    pdf_job.py WORK html        write the corpus handbook's HTML (as the PDF engine reads it) to WORK/book.html
    pdf_job.py WORK handpress   make the handbook PDF the way `handpress build` does (cache off)
    pdf_job.py WORK weasyprint  one WeasyPrint call on WORK/book.html, with the same PDF options

Each records the PDF's page count in WORK/pdf-job.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from handpress.build import printing
from handpress.build.cache import Store
from handpress.build.parallel import Workers
from handpress.build.pipeline import environments, prepare
from handpress.handbook import document as handbook
from handpress.site.content import CONTENT_DIR


def record(work: Path, name: str, pages: int) -> None:
    path = work / "pdf-job.json"
    found = json.loads(path.read_text()) if path.exists() else {}
    found[name] = pages
    path.write_text(json.dumps(found, indent=1))


def main(work: Path, mode: str) -> None:
    if mode == "weasyprint":
        import weasyprint

        document = weasyprint.HTML(filename=str(work / "book.html"), base_url=(work / CONTENT_DIR).as_uri() + "/")
        rendered = document.render(pdf_variant="pdf/ua-1", pdf_tags=True, full_fonts=False, hinting=False)
        (work / "book-weasyprint.pdf").write_bytes(rendered.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
        record(work, "WeasyPrint, one call on the same HTML", len(rendered.pages))
        return
    prepared = prepare(work)
    site = prepared.site
    book = site.handbooks[0]
    lang = site.default_language
    translations, envs = environments(prepared)
    if mode == "html":
        doc = handbook.build_document(site, book, lang, handbook.pdf_target(site, work, lang), translations[lang],
                                      work)
        (work / "book.html").write_text(handbook.render_document(envs[lang], doc), encoding="utf-8")
        return
    units = printing.units(site, work, "bench", "bench", [], pdfs=True)
    with Workers() as workers:
        made = printing.make_pdfs(prepared, [printing.Book(book.id, lang)], units, workers, environments,
                                  Store.open(work, enabled=False))
    data = dict(made.outputs)[f"pdf/{book.id}.{lang}.pdf"]
    (work / "book-handpress.pdf").write_bytes(data)
    import pikepdf

    with pikepdf.open(work / "book-handpress.pdf") as pdf:
        record(work, "handpress handbook PDF", len(pdf.pages))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), sys.argv[2])
