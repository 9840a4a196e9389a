"""The Nu HTML Checker finds no errors in any built page: every variant, language and whole guide."""

from __future__ import annotations

from pathlib import Path

from handpress.audit.vnu import check_html

from conftest import REPO, html_pages


def test_every_built_page_passes_the_nu_html_checker(sample_site: Path, basic_site: Path) -> None:
    pages = html_pages(sample_site) + html_pages(basic_site)
    assert len(pages) > 17 * 3 * 3  # the sample alone: 17 pages × 3 variants × 3 languages
    messages = check_html(pages, project=REPO)
    errors = [f"{m.file}:{m.line}: {m.message} [{m.extract.strip()[:80]}]" for m in messages
              if m.type in ("error", "non-document-error")]
    assert errors == [], "\n".join(errors[:40])
