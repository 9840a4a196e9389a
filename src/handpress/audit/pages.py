"""What there is to audit in a built site: every HTML page and PDF, with its variant and language.

The layout is handpress's URL scheme (DEVELOPERS.md): the default language at the root, other languages
under ``<lang>/``, the text-only and printer-friendly variants under ``text/`` and ``print/`` inside the
language, PDF handbooks at ``pdf/<id>.<lang>.pdf``. Any other folder of HTML files works too: its pages
are "graphical" with no language unless the path says otherwise.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

from handpress.audit.models import Target
from handpress.shards import Shard, deal

HTML_VARIANTS = ("graphical", "text", "print")
VARIANTS = (*HTML_VARIANTS, "pdf")
SKIP_DIRS = frozenset({"node_modules", ".git", ".handpress-cache"})


def classify(page: str, languages: Sequence[str]) -> tuple[str, str]:
    """(variant, language) of a site-relative path such as ``es/text/about/index.html``."""
    parts = PurePosixPath(page).parts
    language = languages[0] if languages else ""
    if parts and parts[0] == "pdf" and page.endswith(".pdf"):
        stem_lang = PurePosixPath(page).suffixes[-2:-1]
        return "pdf", stem_lang[0][1:] if stem_lang else language
    if len(parts) > 1 and parts[0] in languages[1:]:
        language, parts = parts[0], parts[1:]
    variant = parts[0] if len(parts) > 1 and parts[0] in ("text", "print") else "graphical"
    return variant, language


def matches(page: str, patterns: Iterable[str]) -> bool:
    """Whether a page matches any glob; ``*`` crosses folders, and ``about/`` stands for ``about/index.html``."""
    folder = page[: -len("index.html")] if page.endswith("index.html") else None
    for pattern in patterns:
        if fnmatch.fnmatchcase(page, pattern) or (folder is not None and fnmatch.fnmatchcase(folder, pattern)):
            return True
    return False


def find_targets(
    root: Path,
    languages: Sequence[str] = (),
    *,
    variants: Sequence[str] = (),
    langs: Sequence[str] = (),
    pages: Sequence[str] = (),
    exclude: Sequence[Path] = (),
) -> list[Target]:
    """Every HTML page and PDF under ``root``, filtered by variant, language and page globs, sorted."""
    skip = [path.resolve() for path in exclude]
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in (".html", ".htm", ".pdf") or not path.is_file():
            continue
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if any(path.resolve().is_relative_to(folder) for folder in skip):
            continue
        page = rel.as_posix()
        variant, language = classify(page, languages)
        if variant == "pdf" or path.suffix.lower() != ".pdf":
            found.append(Target(page, variant, language))
    return select(found, variants=variants, langs=langs, pages=pages)


def select(targets: Sequence[Target], *, variants: Sequence[str] = (), langs: Sequence[str] = (),
           pages: Sequence[str] = ()) -> list[Target]:
    """The targets of the variants, languages and page globs asked for (all when none is)."""
    return [
        t for t in targets
        if (not variants or t.variant in variants)
        and (not langs or t.language in langs)
        and (not pages or matches(t.page, pages))
    ]


def shard_targets(root: Path | None, targets: Sequence[Target], shard: Shard) -> list[Target]:
    """The targets of one shard: pages and PDFs dealt out separately by file size (see :mod:`handpress.shards`);
    by count when there are no files (a deployed site)."""
    def size(target: Target) -> int:
        return (root / target.page).stat().st_size if root is not None else 1

    chosen = set(deal([t for t in targets if not t.is_pdf], shard, size, key=lambda t: t.page))
    chosen |= set(deal([t for t in targets if t.is_pdf], shard, size, key=lambda t: t.page))
    return [t for t in targets if t in chosen]
