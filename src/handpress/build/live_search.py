"""The search index after a live build (:mod:`handpress.build.live_after`): Pagefind run again over
out/ for each language whose pages changed, its bundle replaced in out/ file by file.

Pagefind cannot update an index: a language's bundle is made again from all its graphical pages. The
files are made in a scratch folder and only those whose bytes differ are written into out/, the
``pagefind-entry.json`` naming the new index last, then the files the new bundle no longer has are
removed: a search run in an open page meanwhile reads either the old index or the new one.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Mapping, Sequence

from handpress import urls
from handpress.build import search
from handpress.build.writer import remove_files, replace_files
from handpress.site.model import Site

ENTRY = "pagefind-entry.json"  # names the index's other files: written after them


def remake(site: Site, out: Path, languages: Sequence[str], held: Mapping[str, str],
           started: Callable[[subprocess.Popen[str]], None] = lambda proc: None) -> tuple[list[str], list[str]]:
    """Index ``languages`` again from the pages in ``out`` and put their bundles in it; ``held``: the
    out/ files the last build made. Returns the files written and the files removed. Under the lock."""
    prefixes = {lang: urls.search_dir(lang, site.default_language) for lang in languages}
    with tempfile.TemporaryDirectory(prefix="handpress-search-") as scratch:
        bundles = search.run_pagefind(site, out, languages, Path(scratch), started)
        fresh: dict[str, bytes] = {}
        for lang, bundle in bundles.items():
            for rel in search.bundle_files(bundle):
                fresh[prefixes[lang] + rel] = (bundle / rel).read_bytes()
    old = {rel for rel in held if any(rel.startswith(prefix) for prefix in prefixes.values())}
    changed = [(rel, data) for rel, data in fresh.items() if rel not in old or _bytes(out / rel) != data]
    changed.sort(key=lambda item: item[0].endswith("/" + ENTRY))
    replace_files(out, changed)
    gone = sorted(old - set(fresh))
    remove_files(out, gone)
    return [rel for rel, _ in changed], gone


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
