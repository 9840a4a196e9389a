"""A deployed site's pages, for ``handpress audit --url``: the URLs its sitemap.xml lists (or the one
``--sitemap`` names, sitemap indexes followed), else the same-origin pages reached by following links from
the start URL, at most ``max_pages`` of them.

Each page becomes a :class:`Target` named by its path below the start URL (``es/text/about/index.html`` for
``…/es/text/about/``), so a deployed site's issues, baseline keys and page globs read as a local audit's
do. Pages that answer an error or redirect off the site are still audited targets: the browser reports
them for that page. Fetching uses :mod:`urllib.request`; sitemaps are read with lxml's XML parser and links
with its HTML parser.
"""

from __future__ import annotations

import posixpath
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from typing import Sequence
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.etree
import lxml.html

from handpress import __version__
from handpress.audit.models import Target
from handpress.audit.pages import classify
from handpress.errors import HandpressError

TIMEOUT = 30
USER_AGENT = f"handpress-audit/{__version__}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SKIPPED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".css", ".js", ".xml", ".zip",
                    ".txt", ".json", ".ico", ".woff", ".woff2", ".mp3", ".mp4")


@dataclass(frozen=True)
class Site:
    """What was found: the targets with their URLs, how they were found, and notes for the user."""

    base: str
    urls: dict[str, str]                         # target page -> URL
    targets: tuple[Target, ...]
    found_by: str                                # "sitemap <url>" or "links from <url>"
    notes: tuple[str, ...] = field(default=())   # pages left out (--max-pages), off-site entries …


@dataclass(frozen=True)
class Fetched:
    url: str           # the URL after redirects
    status: int
    content_type: str
    body: bytes


def fetch(url: str) -> Fetched:
    """GET ``url``; an HTTP error is an answer (with its status), a failure to connect raises."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return Fetched(response.geturl(), response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as exc:
        return Fetched(exc.geturl() or url, exc.code, exc.headers.get_content_type() if exc.headers else "", b"")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise HandpressError.at(url, None, f"cannot reach the site: {reason}") from None


def base_of(url: str) -> str:
    """The folder of the start URL: ``https://x.org/docs/`` for ``…/docs/`` and ``…/docs/index.html``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HandpressError.at(url, None, "not an http(s) URL")
    path = parts.path or "/"
    folder = path if path.endswith("/") else posixpath.dirname(path) + "/"
    return f"{parts.scheme}://{parts.netloc}{folder}"


def page_name(url: str, base: str) -> str:
    """The target name of a URL: its path below ``base``, a folder as its ``index.html``."""
    path = unquote(urlsplit(url).path) or "/"
    if path.endswith("/"):
        path += "index.html"
    below = unquote(urlsplit(base).path)
    return path[len(below):] if path.startswith(below) else path.lstrip("/")


def same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def discover(url: str, languages: Sequence[str], *, sitemap: str | None = None, max_pages: int = 500) -> Site:
    """The pages to audit of the site at ``url``."""
    base = base_of(url)
    notes: list[str] = []
    listed = None
    where = sitemap or urljoin(base, "sitemap.xml")
    answer = fetch(where)
    if answer.status == 200 and answer.body:
        listed = _sitemap_urls(answer, notes, max_pages)
    elif sitemap:
        raise HandpressError.at(sitemap, None, f"the sitemap answered HTTP {answer.status}")
    if listed is not None:
        found_by = f"sitemap {where}"
        listed = _rebased(listed, base, notes)
        urls = [u for u in listed if same_origin(u, base)]
        notes += [f"{u}: not on {base}; left out" for u in listed if not same_origin(u, base)]
    else:
        found_by = f"links from {url}"
        urls = _crawl(url, base, max_pages)
    if len(urls) > max_pages:
        notes.append(f"{len(urls)} pages found; auditing the first {max_pages} (--max-pages)")
        urls = urls[:max_pages]
    pages: dict[str, str] = {}
    for link in urls:
        pages.setdefault(page_name(link, base), link)
    targets = tuple(Target(page, *classify(page, languages)) for page in pages)
    if not targets:
        raise HandpressError.at(url, None, f"no pages to audit ({found_by})")
    return Site(base, pages, targets, found_by, tuple(notes))


def _rebased(urls: list[str], base: str, notes: list[str]) -> list[str]:
    """A preview's sitemap names the production site: when none of its pages is on ``base``'s origin, the
    folder they share is read as ``base`` (``https://example.org/docs/a/`` becomes ``<base>a/``)."""
    if not urls or any(same_origin(u, base) for u in urls):
        return urls
    shared = posixpath.commonprefix(urls)
    shared = shared[: shared.rfind("/") + 1]
    if shared.count("/") < 3:                           # not even one origin in common
        return urls
    notes.append(f"the sitemap names {shared}; read as {base}")
    return [base + u[len(shared):] for u in urls]


def _sitemap_urls(answer: Fetched, notes: list[str], max_pages: int, depth: int = 0) -> list[str]:
    try:
        root = lxml.etree.fromstring(answer.body, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    except lxml.etree.XMLSyntaxError as exc:
        raise HandpressError.at(answer.url, None, f"not a sitemap: {exc}") from None
    locs = [urljoin(answer.url, text) for e in root.iter(f"{SITEMAP_NS}loc") if (text := (e.text or "").strip())]
    if root.tag != f"{SITEMAP_NS}sitemapindex":
        return locs
    found: list[str] = []
    for loc in locs:                                    # a sitemap index: its sitemaps, one level down
        if depth > 0 or len(found) > max_pages:
            break
        inner = fetch(loc)
        if inner.status != 200:
            notes.append(f"{loc}: HTTP {inner.status}; its pages left out")
            continue
        found += _sitemap_urls(inner, notes, max_pages, depth + 1)
    return found


def _crawl(start: str, base: str, max_pages: int) -> list[str]:
    """Same-origin pages reached from ``start`` by links, breadth first, in the order found."""
    start = urldefrag(start)[0]
    seen = {start}
    queue = deque([start])
    pages: list[str] = []
    while queue and len(pages) < max_pages:
        url = queue.popleft()
        pages.append(url)                               # audited even when it fails: reported for that page
        answer = fetch(url)
        if answer.status != 200 or answer.content_type != "text/html" or not same_origin(answer.url, base):
            continue
        for link in _links(answer):
            if link not in seen and same_origin(link, base):
                seen.add(link)
                queue.append(link)
    return pages


def _links(answer: Fetched) -> list[str]:
    try:
        document = lxml.html.document_fromstring(answer.body)
    except (lxml.etree.ParserError, ValueError):
        return []
    base = next((b.get("href") for b in document.iter("base") if b.get("href")), None)
    found = []
    for anchor in document.iter("a", "area"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        link = urldefrag(urljoin(urljoin(answer.url, base) if base else answer.url, href))[0]
        if urlsplit(link).scheme in ("http", "https") and not urlsplit(link).path.lower().endswith(SKIPPED_SUFFIXES):
            found.append(link)
    return found
