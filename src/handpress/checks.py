"""Content checks over the whole site: links, anchors and files that do not exist.

Each finding is a Diagnostic with a stable code. Per-document checks (alt text, heading levels,
empty links) happen in the Markdown stage; these need the whole site.
"""

from __future__ import annotations

from pathlib import Path

from handpress.content import CONTENT_DIR
from handpress.errors import Diagnostic
from handpress.model import Site


def check_site(site: Site, project: Path) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    ids_by_base: dict[str, frozenset[str]] = {}
    for page in site.pages.values():
        if not page.is_fallback:
            ids_by_base[page.doc.source] = page.fragment.ids
    content = project / CONTENT_DIR
    seen: set[str] = set()
    for page in site.pages.values():
        if page.is_fallback or page.source in seen:
            continue
        seen.add(page.source)
        frag = page.fragment
        for link in frag.links:
            if link.target is None:
                continue
            key = site.by_base.get(link.target)
            if key is None:
                found.append(Diagnostic(page.source, link.line, "error",
                                        f"link to '{link.href}': no page content/{link.target}", "missing-page"))
                continue
            if link.anchor:
                target = site.page(key, page.lang)
                if link.anchor not in target.fragment.ids:
                    found.append(Diagnostic(page.source, link.line, "warning",
                                            f"link to '{link.href}': {target.source} has no heading or element "
                                            f"with id '{link.anchor}'", "missing-anchor"))
        for image in frag.images:
            if image.asset is not None and not (content / image.asset).is_file():
                found.append(Diagnostic(page.source, image.line, "error",
                                        f"image '{image.src}' not found (looked for content/{image.asset})",
                                        "missing-file"))
    return found
