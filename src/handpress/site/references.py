"""What a path written in content refers to, and raw HTML with its paths adjusted.

Markdown and raw HTML name other pages and files alike: relative to the page's folder
(``../img/x.png``), from the site's root, which is ``content/`` (``/img/x.png``, ``/guide/page.md``),
or as a folder with an index page (``tutorial/#install`` is ``tutorial/index.md#install``).
:func:`resolve` turns each into a :class:`Ref` once, at the parse; the renderers turn a Ref into
the URL that works from each output (page, variant, language, handbook).

:func:`rewrite` hands each start tag of a piece of raw HTML to a callback that may write it anew
(its paths adjusted, its id prefixed, a remote image replaced), keeping every other character as
the author wrote it. The parse finds the tags (:func:`rewritable`); the renderers only write them.
"""

from __future__ import annotations

import posixpath
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping, Sequence
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from handpress.site.sanitize import RawTag, scan

Attrs = list[tuple[str, "str | None"]]
# (tag name, attributes) -> the text to put in place of the start tag, or None to keep it as written
Change = Callable[[str, Attrs], "str | None"]

URL_ATTRIBUTES = {"a": "href", "img": "src"}  # the paths in raw HTML that handpress adjusts


@dataclass(frozen=True)
class Ref:
    """A reference to something in the project: a page (``target``, its ``anchor``) or a file
    (``asset``, with ``suffix``: the ``?query#fragment`` it was written with)."""

    target: str | None  # content-relative .md path of a page
    anchor: str = ""
    asset: str | None = None  # content-relative path of another file
    suffix: str = ""


def resolve(href: str, base_dir: str, doc_base: str) -> Ref | None:
    """What ``href``, written in the file ``doc_base`` (in the folder ``base_dir``), refers to inside
    the project; None for a URL elsewhere (``https:``, ``mailto:``, ``//host``) or no path at all."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    if not parts.path:
        return Ref(doc_base, parts.fragment) if parts.fragment else None
    path = unquote(parts.path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base_dir, path)
    full = posixpath.normpath(joined or ".")
    if path.endswith("/") or posixpath.basename(path) in (".", ".."):
        full = posixpath.normpath(posixpath.join(full, "index.md"))  # a folder: its index page
    if full.endswith(".md"):
        return Ref(unicodedata.normalize("NFC", full), parts.fragment)
    suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return Ref(None, asset=full, suffix=suffix)


def is_remote(src: str) -> bool:
    """An address on another server (``https://…``, ``//host/…``), which a build never fetches."""
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return False
    return bool(parts.netloc) or parts.scheme in ("http", "https", "ftp")


def start_tag(name: str, attrs: Sequence[tuple[str, str | None]]) -> str:
    """A start tag written anew (values escaped; an attribute without a value stays without)."""
    return f"<{name}" + "".join(f" {key}" if value is None else f' {key}="{escape(value)}"'
                                for key, value in attrs) + ">"


# A start tag where it is in a piece of raw HTML: (offset, length, name, attributes)
Tag = tuple[int, int, str, tuple[tuple[str, "str | None"], ...]]


def rewritable(tags: Sequence[RawTag], refs: Mapping[str, Ref]) -> tuple[Tag, ...]:
    """The start tags a renderer may write anew, found at the parse so that rendering never reads the
    HTML again: images, tags with an id (prefixed in handbooks), and paths in ``refs``."""
    found = []
    for tag in tags:
        url = URL_ATTRIBUTES.get(tag.name)
        if tag.name == "img" or tag.has("id") or (url is not None and tag.get(url) in refs):
            found.append((tag.offset, tag.length, tag.name, tag.attrs))
    return tuple(found)


@lru_cache(maxsize=1024)
def _start_tags(html: str) -> tuple[Tag, ...]:
    """Every start tag of ``html`` (raw HTML the parse did not scan)."""
    return tuple((tag.offset, tag.length, tag.name, tag.attrs) for tag in scan(html))


def rewrite(html: str, change: Change, tags: Sequence[Tag] | None = None) -> str:
    """``html`` with each start tag for which ``change`` gives new text replaced by that text; ``tags``:
    the ones to offer (:func:`rewritable`, found at the parse), else every start tag in ``html``."""
    if "<" not in html:
        return html
    pieces: list[str] = []
    done = 0
    for offset, length, name, attrs in (_start_tags(html) if tags is None else tags):
        new = change(name, list(attrs))
        if new is None or offset < done:
            continue
        pieces += [html[done:offset], new]
        done = offset + length
    return "".join(pieces) + html[done:] if pieces else html
