"""The URL scheme: where each page × language × variant lives, and relative links between them."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import quote

VARIANTS = ("graphical", "text", "print")
VARIANT_PREFIX = {"graphical": "", "text": "text/", "print": "print/"}
ASSETS = "assets/"
# First path segments that pages may not use, since the build writes there itself.
SITE_MAP = "site-map"  # the key of each language's site map page (site/site_map.py)
SEARCH = "pagefind"  # the folder of each language's search index (build/search.py)
RESERVED = frozenset({"text", "print", "pdf", "assets", "audit", "handbooks", "sitemap.xml", "404.html", SITE_MAP,
                      SEARCH})


def page_dir(key: str, lang: str, variant: str, default_lang: str) -> str:
    """Site-relative directory of a page: ``es/text/about/`` ('' for the home page)."""
    prefix = "" if lang == default_lang else f"{lang}/"
    path = prefix + VARIANT_PREFIX[variant] + (f"{key}/" if key else "")
    return path


def handbook_dir(handbook_id: str, lang: str, default_lang: str) -> str:
    prefix = "" if lang == default_lang else f"{lang}/"
    return f"{prefix}print/handbooks/{handbook_id}/"


def search_dir(lang: str, default_lang: str) -> str:
    """Site-relative folder of one language's search index: ``pagefind/``, ``es/pagefind/``."""
    return ("" if lang == default_lang else f"{lang}/") + SEARCH + "/"


def pdf_path(handbook_id: str, lang: str) -> str:
    return f"pdf/{handbook_id}.{lang}.pdf"


@lru_cache(maxsize=1 << 16)
def relative(from_dir: str, to_path: str) -> str:
    """A relative URL from the page in ``from_dir`` to the site-relative ``to_path`` (memoised: pages
    at one depth link to the same navigation and assets)."""
    rel = _relpath(to_path, from_dir) if to_path or from_dir else "."
    if to_path.endswith("/") or to_path == "":
        rel = "./" if rel == "." else rel + "/"
    return quote(rel, safe="/.-_~!$&'()*+,;=:@")  # '#', '%' and '?' in a name are escaped


def _relpath(to_path: str, from_dir: str) -> str:
    """``posixpath.relpath('/' + to_path, '/' + from_dir)`` for paths without '.' or '..' segments (a
    site's own), without its calls to the current directory."""
    to = [part for part in to_path.split("/") if part]
    start = [part for part in from_dir.split("/") if part]
    if "." in to or ".." in to or "." in start or ".." in start:
        return posixpath.relpath("/" + to_path, "/" + from_dir)
    common = 0
    for a, b in zip(to, start):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def absolute(base_url: str, to_path: str) -> str:
    return base_url + quote(to_path, safe="/#.-_~")


def classify(path: str, languages: tuple[str, ...]) -> tuple[str, str]:
    """(variant, language) of a site-relative output path, e.g. ``es/text/a/index.html``."""
    parts = path.split("/")
    lang = languages[0] if languages else ""
    if len(parts) > 1 and parts[0] in languages[1:]:
        lang, parts = parts[0], parts[1:]
    variant = parts[0] if len(parts) > 1 and parts[0] in ("text", "print") else "graphical"
    return variant, lang
