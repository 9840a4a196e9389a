"""The site's lists of itself in the build: each language's site map pages (:mod:`handpress.site.site_map`),
made again only when what they list changed, and ``sitemap.xml`` for search engines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handpress import digest, urls
from handpress.build.incremental import Unit
from handpress.site.model import Site
from handpress.site.site_map import site_map_files


@dataclass(frozen=True, order=True)
class SiteMap:
    """One language's site map (three variants): a unit of work for the build."""

    lang: str


def units(site: Site, theme: str, shape: str) -> dict[SiteMap, Unit]:
    """Each language's site map with its key: it lists titles, summaries and the order of pages (the
    site's shape) through the templates and catalogs (the theme key), never a page's body."""
    return {SiteMap(lang): Unit(digest.text(theme, shape, urls.SITE_MAP, lang), site_map_files(site, lang))
            for lang in site.languages}


def sitemap_xml(site: Site, env: Any) -> bytes:
    """``sitemap.xml``: every page and every language's site map, graphical variant, with its other languages."""
    base = site.config.base_url
    default = site.default_language

    def location(key: str, code: str) -> str:
        path = urls.page_dir(key, code, "graphical", default)
        return urls.absolute(base, path) if base else "/" + path

    entries = []
    for key in (*site.keys, urls.SITE_MAP):
        for lang in site.languages:
            page = site.pages.get((key, lang))
            entries.append({
                "loc": location(key, lang),
                "lastmod": page.updated.isoformat() if page is not None and page.updated else "",
                "alternates": [(code, location(key, code)) for code in site.languages] if len(site.languages) > 1
                else [],
            })
    return env.get_template("sitemap.xml").render(entries=entries).encode("utf-8")
