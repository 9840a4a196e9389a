"""The site map: one page per language and variant (``site-map/``, ``text/site-map/``, ``es/print/site-map/``…)
listing every published page in navigation order, nested by section, each with its summary. Pure: returns
outputs.

It is rendered through the variant's ``site-map.html`` template (which extends its ``page.html``), from a
:class:`PageContext` like any page's, so the header, footer and language links are the pages' own.
"""

from __future__ import annotations

import dataclasses
import gettext
from typing import Iterable, Mapping

import jinja2

from handpress import urls
from handpress.errors import Diagnostic, TemplateError
from handpress.site.content import Document, FrontMatter
from handpress.site.markdown import Fragment
from handpress.site.model import NavNode, Page, Site
from handpress.site.render import VARIANTS, NavItem, Output, PageNav, other_language, page_context, render_variants
from handpress.site.renderers import body_labels

TEMPLATE = "site-map.html"


def site_map_files(site: Site, lang: str) -> tuple[str, ...]:
    """The site map's three files in ``lang``."""
    return tuple(urls.page_dir(urls.SITE_MAP, lang, v.name, site.default_language) + "index.html" for v in VARIANTS)


def site_map_page(site: Site, lang: str, translation: gettext.NullTranslations) -> Page:
    """The site map as a page of its own (not one of the site's: it is in no navigation, handbook or index)."""
    title = translation.gettext("Site map")
    summary = translation.gettext("Every page of this site, in reading order, with what it is about.")
    source = f"{site.config.content_dir}/{urls.SITE_MAP}"
    doc = Document(source=source, base=f"{urls.SITE_MAP}.md", lang=lang, key=urls.SITE_MAP,
                   meta=FrontMatter(title=title, summary=summary, template=TEMPLATE), body="", body_line=1)
    fragment = Fragment(source, (), None, (), (), (), frozenset(), ())
    return Page(key=urls.SITE_MAP, lang=lang, content_lang=lang, doc=doc, fragment=fragment, title=title,
                summary=summary, updated=None, depth=1, parent="")


def tree(site: Site, lang: str) -> tuple[NavItem, ...]:
    """The home page, then each top-level page with the pages under it, as links from the site map (which
    sits one folder down in every variant, so one set of links serves all three)."""
    here = urls.page_dir(urls.SITE_MAP, lang, "graphical", site.default_language)

    def item(node: NavNode, children: bool = True) -> NavItem:
        page = site.page(node.key, lang)
        return NavItem(page.nav_title, urls.relative(here, urls.page_dir(node.key, lang, "graphical",
                                                                          site.default_language)),
                       False, tuple(item(n) for n in node.children) if children else (), lang=page.content_lang,
                       summary=page.summary, attrs=other_language(site, page.content_lang, lang))

    return (item(site.tree, children=False),) + tuple(item(n) for n in site.tree.children)


def _nav(site: Site, lang: str) -> PageNav:
    here = urls.page_dir(urls.SITE_MAP, lang, "graphical", site.default_language)
    home = site.page("", lang)
    crumbs = (NavItem(home.nav_title, urls.relative(here, urls.page_dir("", lang, "graphical", site.default_language)),
                      False, lang=home.content_lang, attrs=other_language(site, home.content_lang, lang)),)
    top = tuple(dataclasses.replace(node, children=()) for node in tree(site, lang)[1:])
    return PageNav(breadcrumbs=crumbs, global_nav=top, section_nav=None, children=(), previous=None, next=None)


def render_site_maps(site: Site, envs: Mapping[str, jinja2.Environment],
                     translations: Mapping[str, gettext.NullTranslations],
                     languages: Iterable[str] | None = None) -> list[Output]:
    """The site map in each of ``languages`` (default: all) and every variant."""
    outputs: list[Output] = []
    problems: dict[tuple[str, int | None], Diagnostic] = {}
    for lang in site.languages if languages is None else languages:
        page = site_map_page(site, lang, translations[lang])
        nav, entries = _nav(site, lang), tree(site, lang)
        labels = body_labels(translations[lang].gettext)
        render_variants(envs[lang], page, [(v, dataclasses.replace(page_context(site, page, v, labels, nav),
                                                                   site_map=entries)) for v in VARIANTS],
                        outputs, problems)
    if problems:
        raise TemplateError(problems.values())
    return outputs
