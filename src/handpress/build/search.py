"""The search index: one Pagefind bundle per language (``pagefind/``, ``es/pagefind/``…) of the graphical
pages' main content, made again only for a language one of whose pages changed.

Pagefind (PyPI ``pagefind[bin]``) reads the built pages: each graphical page marks its ``<main>`` with
``data-pagefind-body`` (the site map does not, so it is left out) and the notices and links around the
text are ignored by selector. Pagefind's Python API waits a tenth of a second for each answer of its
binary, which made an index of nine pages take 0.4 s; the binary it finds (``pagefind.service.get_executable``:
``PAGEFIND_BINARY_PATH``, else the ``pagefind_bin`` package) is run here as a command, one per language
at once, and indexes 300 pages in a fraction of that. It writes into a scratch folder; the files the
reader's browser needs are copied into the staging folder by the writer (:mod:`handpress.build.writer`).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Mapping, Sequence

from handpress import digest, urls
from handpress.build.cache import Record
from handpress.build.incremental import Plan, Unit, reusable
from handpress.build.writer import copy_files
from handpress.errors import HandpressError, ToolMissing
from handpress.site.model import Site

# Inside <main>: what is about the page rather than its text (see templates/partials/).
IGNORED = (".notice", ".updated", ".children", ".whole-guide", ".pager", ".print-links", ".visually-hidden")
# What a reader's browser loads; Pagefind's own interfaces (pagefind-ui.js…) are not published.
NEEDED = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
NEEDED_SUFFIXES = (".pf_meta", ".pagefind")
NEEDED_FOLDERS = ("index", "fragment", "filter")
_GLOB_SPECIAL = frozenset("\\*?$:<>[]{},!")


@dataclass(frozen=True)
class Indexes:
    """What the build does about the search: the languages to index, and the files kept from out/."""

    keys: Mapping[str, str]  # language -> the key of its index
    todo: tuple[str, ...]  # languages to index again
    kept: Mapping[str, Path]  # out/-relative file -> the previous out/'s file
    files: Mapping[str, str]  # every kept index file -> its key


def plan(site: Site, units: Mapping[Hashable, Unit], record: Record | None, out: Path) -> Indexes:
    """A language's index is kept when every file the last build wrote for it is there, untouched, and
    was made from the same key: the keys of that language's pages (``units``, by (page, language)),
    which change with anything their graphical file shows."""
    keys = index_keys(site, units)
    todo, kept, files = [], {}, {}
    for lang, key in keys.items():
        prefix = urls.search_dir(lang, site.default_language)
        last = {rel: key for rel in (record.manifest if record is not None else ()) if rel.startswith(prefix)}
        found = reusable(record, out, last) if last else {}
        if last and len(found) == len(last):
            kept.update(found)
            files.update(last)
        else:
            todo.append(lang)
    return Indexes(keys, tuple(todo), kept, files)


def index_keys(site: Site, units: Mapping[Hashable, Unit]) -> dict[str, str]:
    """Each language's index key: the keys of its pages (``units``, by (page, language)), with the binary."""
    binary = str(_binary(required=False))
    return {lang: digest.text(binary, *(f"{k}\0{units[(k, lang)].key}" for k in site.keys)) for lang in site.languages}


def joined(pages: Plan, indexes: Indexes, record: Record | None) -> Plan:
    """The build's plan with the kept index files in it: linked, checked under the lock and recorded
    with the pages' (their stat is the last build's, as :func:`incremental.check_kept` expects)."""
    stats = {rel: record.manifest[rel].stat for rel in indexes.kept} if record is not None else {}
    return dataclasses.replace(pages, keys={**pages.keys, **indexes.files}, kept={**pages.kept, **indexes.kept},
                               stats={**pages.stats, **stats})


def build_indexes(site: Site, staging: Path, languages: Sequence[str], keys: Mapping[str, str]) -> dict[str, str]:
    """Index ``languages`` from the pages in ``staging`` and copy each bundle into it; returns each file
    written with its language's key."""
    if not languages:
        return {}
    written: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="handpress-search-") as scratch:
        for lang, bundle in run_pagefind(site, staging, languages, Path(scratch)).items():
            prefix = urls.search_dir(lang, site.default_language)
            files = [(prefix + rel, bundle / rel) for rel in bundle_files(bundle)]
            copy_files(staging, files)
            written.update((rel, keys[lang]) for rel, _ in files)
    return written


def run_pagefind(site: Site, root: Path, languages: Sequence[str], scratch: Path,
                 started: Callable[[subprocess.Popen[str]], None] = lambda proc: None) -> dict[str, Path]:
    """Index ``languages`` from the pages of a site's tree at ``root`` (a staging folder, or out/), all
    at once, each into its own folder in ``scratch``; returns them by language. ``started`` is given
    each process (to stop them)."""
    binary = _binary(required=True)
    glob = page_glob(site)
    running = []
    for lang in languages:
        pages = root / urls.page_dir("", lang, "graphical", site.default_language)
        bundle = scratch / lang
        command = [str(binary), "--site", str(pages), "--glob", glob, "--output-path", str(bundle),
                   "--root-selector", "main", "--exclude-selectors", ", ".join(IGNORED), "--quiet"]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True, errors="replace")
        started(proc)
        running.append((lang, bundle, proc))
    bundles = {}
    for lang, bundle, proc in running:
        said, _ = proc.communicate()
        if proc.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
            last = next((line for line in reversed(said.splitlines()) if line.strip()), "no output")
            raise HandpressError.at("pagefind", None, f"the search index in '{lang}' could not be made "
                                    f"(pagefind exit code {proc.returncode}): {last.strip()}")
        bundles[lang] = bundle
    return bundles


def bundle_files(bundle: Path) -> list[str]:
    """The files of a Pagefind bundle a reader's browser may load, relative to it, in a stable order."""
    found = []
    for folder, dirs, names in os.walk(bundle):
        dirs.sort()
        rel = Path(folder).relative_to(bundle)
        top = rel.parts[0] if rel.parts else ""
        for name in sorted(names):
            if (top in NEEDED_FOLDERS) or (not top and (name in NEEDED or name.endswith(NEEDED_SUFFIXES))):
                found.append((rel / name).as_posix())
    return found


def page_glob(site: Site) -> str:
    """The graphical pages of one language, from its folder: the home page and every top-level page's
    folder (other languages' folders, text/, print/ and assets/ are never one of them)."""
    tops = sorted({key.split("/")[0] for key in site.keys if key})
    if not tops:
        return "index.html"
    return "{index.html,{" + ",".join(_escaped(top) for top in tops) + "}/**/index.html}"


def _escaped(segment: str) -> str:
    return "".join("\\" + ch if ch in _GLOB_SPECIAL else ch for ch in segment)


def _binary(required: bool) -> Path | None:
    from pagefind.service import get_executable  # the pagefind[bin] package: its binary, or PAGEFIND_BINARY_PATH

    found = get_executable()
    if found is not None and (found.is_file() or shutil.which(str(found))):
        return found
    if required:
        raise ToolMissing.at("pagefind", None, "the Pagefind binary is not installed; install handpress's "
                             "dependency with `pip install 'pagefind[bin]'` (or `make setup`), or point "
                             "PAGEFIND_BINARY_PATH at a pagefind binary")
    return None
