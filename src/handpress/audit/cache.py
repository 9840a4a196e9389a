"""Re-auditing an unchanged page costs nearly nothing: pa11y's raw findings are cached by content.

The key is the sha256 of the page's HTML, of every stylesheet it links (what it looks like decides
contrast), of the audit settings that change findings, and of the tool versions. Entries live in the
project's ``.handpress-cache/audit/`` (git-ignored), one small JSON file each.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CACHE_VERSION = "1"


class _StylesheetLinks(HTMLParser):
    """Collects the ``href`` of every ``<link rel="stylesheet">`` in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = dict(attrs)
        if "stylesheet" in (values.get("rel") or "").lower().split() and values.get("href"):
            self.hrefs.append(values["href"] or "")


def stylesheets(html: bytes, page: str, root: Path) -> list[Path]:
    """The local stylesheet files a page links, resolved inside ``root`` (remote ones are left out)."""
    parser = _StylesheetLinks()
    parser.feed(html.decode("utf-8", errors="replace"))
    parser.close()
    folder = posixpath.dirname(page)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        rel = posixpath.normpath(parts.path.lstrip("/") if parts.path.startswith("/")
                                 else posixpath.join(folder, parts.path))
        if rel.startswith("../") or rel == "..":
            continue
        found.append(root / unquote(rel))
    return found


class AuditCache:
    """pa11y's raw findings per page, keyed by what they depend on."""

    def __init__(self, folder: Path, salt: str):
        self.folder = folder
        self.salt = salt
        self._css: dict[Path, bytes] = {}

    def key(self, root: Path, page: str) -> str:
        html = (root / page).read_bytes()
        digest = hashlib.sha256()
        digest.update(f"{CACHE_VERSION}\0{self.salt}\0".encode())
        digest.update(hashlib.sha256(html).digest())
        for css in stylesheets(html, page, root):
            digest.update(css.as_posix().encode() + b"\0" + self._css_digest(css))
        return digest.hexdigest()

    def _css_digest(self, path: Path) -> bytes:
        if path not in self._css:
            self._css[path] = hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing"
        return self._css[path]

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, object] | None:
        path = self._path(key)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (json.JSONDecodeError, UnicodeDecodeError):
            path.unlink(missing_ok=True)     # a torn write from an interrupted run: audit the page again
            return None

    def put(self, key: str, entry: dict[str, object]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entry, handle)
        os.replace(tmp, path)
