"""The render stage: every page × language × variant through its templates. Pure: returns outputs.

Each variant is a :class:`Variant` (its templates' prefix and its Markdown renderer); templates
receive one frozen :class:`PageContext` built in :func:`page_context`.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Callable, Iterable, Mapping

import jinja2
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup

from handpress import urls
from handpress.errors import Diagnostic, TemplateError
from handpress.site.model import Handbook, Page, Site
from handpress.site.renderers import (
    PrintRenderer,
    RenderContext,
    SharedBlocks,
    SiteRenderer,
    TextRenderer,
    body_labels,
    render,
)
from handpress.site.templating import render_variants

Output = tuple[str, bytes]  # (site-relative path, content)


@dataclass(frozen=True)
class Variant:
    name: str
    prefix: str  # template folder: "" (graphical), "text/", "print/"
    renderer: type[SiteRenderer]


VARIANTS = (
    Variant("graphical", "", SiteRenderer),
    Variant("text", "text/", TextRenderer),
    Variant("print", "print/", PrintRenderer),
)


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own language
    dir: str


@dataclass(frozen=True)
class NavItem:
    title: str
    href: str
    current: bool
    children: tuple["NavItem", ...] = ()
    lang: str = ""
    date: str = ""
    place: str = ""
    summary: str = ""
    attrs: Markup = Markup("")  # ` lang="…" dir="…"` when ``lang`` is not the page's (PageContext.lang_attrs)


@dataclass(frozen=True)
class PageContext:
    """Everything a page template reads."""

    site: Site
    page: Page
    variant: str
    lang: Language
    content_lang: Language
    body: Markup
    updated: str
    here: str  # site-relative directory of this output
    canonical: str
    variants: Mapping[str, str]  # variant name -> href of this page in that variant
    alternates: tuple[tuple[str, str, str], ...]  # (href, hreflang, media)
    languages: tuple[NavItem, ...]
    breadcrumbs: tuple[NavItem, ...]
    global_nav: tuple[NavItem, ...]
    section_nav: NavItem | None
    children: tuple[NavItem, ...]
    previous: NavItem | None
    next: NavItem | None
    handbooks: tuple[NavItem, ...]
    collection: tuple[NavItem, ...] | None
    print_links: tuple[tuple[int, str, str], ...]
    asset: Callable[[str], str]
    home: str
    site_map_link: str  # the site map in this variant and language
    search_index: str  # the folder of this language's search index (graphical pages search it)
    site_map: tuple[NavItem, ...] = ()  # on the site map page: every page, nested (site/site_map.py)

    def site_words(self, name: str) -> str:
        """The site's ``title``, ``description`` or ``organisation`` in this page's language where the
        config translates it (``[translations.<lang>]``), else in the default language."""
        return self._site_text[name][0]

    def site_attrs(self, name: str) -> Markup:
        """:meth:`lang_attrs` for :meth:`site_words` (nothing when they are in the page's language)."""
        return self.lang_attrs(self._site_text[name][1])

    @cached_property
    def _site_text(self) -> dict[str, tuple[str, str]]:
        return self.site.config.text(self.lang.code)

    def lang_attrs(self, code: str) -> Markup:
        """` lang="…" dir="…"` for text in another language than the page's, nothing otherwise."""
        return other_language(self.site, code, self.lang.code)


def other_language(site: Site, code: str, page_lang: str) -> Markup:
    """` lang="…" dir="…"` for text in ``code`` inside a page in ``page_lang`` when they differ, else nothing."""
    if not code or code == page_lang:
        return Markup("")
    return _lang_attrs(code, site.config.is_rtl(code))


@lru_cache(maxsize=None)
def _lang_attrs(code: str, rtl: bool) -> Markup:
    return Markup(' lang="{}" dir="{}"').format(code, "rtl" if rtl else "ltr")


def language(code: str, site: Site) -> Language:
    return _language(code, site.config.is_rtl(code))


@lru_cache(maxsize=None)
def _language(code: str, rtl: bool) -> Language:
    locale = Locale.parse(code.replace("-", "_"))
    name = (locale.get_display_name(locale) or code)
    return Language(code, name[:1].upper() + name[1:], "rtl" if rtl else "ltr")


def render_pages(site: Site, envs: Mapping[str, jinja2.Environment],
                 translations: Mapping[str, gettext.NullTranslations],
                 selection: Iterable[tuple[str, str]] | None = None) -> list[Output]:
    """Every page × language × variant, or only the (key, language) pairs in ``selection``."""
    outputs: list[Output] = []
    problems: dict[tuple[str, int | None], Diagnostic] = {}  # one report per template line, not per page
    chosen = None if selection is None else frozenset(selection)
    for lang in site.languages:
        env = envs[lang]
        labels = body_labels(translations[lang].gettext)
        for key in site.keys:
            if chosen is not None and (key, lang) not in chosen:
                continue
            page = site.page(key, lang)
            nav = page_nav(site, page)  # once for the three variants
            shared = SharedBlocks()  # the body's blocks the three variants render alike
            render_variants(env, page, [(v, page_context(site, page, v, labels, nav, shared)) for v in VARIANTS],
                            outputs, problems)
    if problems:
        raise TemplateError(problems.values())
    return outputs


@dataclass(frozen=True)
class PageNav:
    """The links around one page in one language. They read the same in every variant: a relative
    link between two pages of one variant does not depend on the variant's folder (text/, print/)."""

    breadcrumbs: tuple[NavItem, ...]
    global_nav: tuple[NavItem, ...]
    section_nav: NavItem | None
    children: tuple[NavItem, ...]
    previous: NavItem | None
    next: NavItem | None


def page_nav(site: Site, page: Page) -> PageNav:
    default = site.default_language
    lang = page.lang
    here = urls.page_dir(page.key, lang, "graphical", default)

    def item(key: str, current_key: str | None = page.key) -> NavItem:
        other = site.page(key, lang)
        return NavItem(other.nav_title, urls.relative(here, urls.page_dir(key, lang, "graphical", default)),
                       key == current_key, lang=other.content_lang,
                       attrs=other_language(site, other.content_lang, lang))

    top = site.ancestors(page.key)[1:2] or ((page.key,) if page.depth == 1 else ())
    section_nav = _nav_tree(site, site.node(top[0]), item, page.key) if top else None
    before, after = site.neighbours(page.key)
    return PageNav(
        breadcrumbs=tuple(item(k) for k in site.ancestors(page.key)),
        global_nav=tuple(item(n.key, top[0] if top else page.key) for n in site.tree.children),
        section_nav=section_nav,
        children=tuple(item(n.key) for n in site.node(page.key).children),
        previous=item(before) if before is not None else None,
        next=item(after) if after is not None else None,
    )


def page_context(site: Site, page: Page, variant: Variant, labels: dict[str, str], nav: PageNav | None = None,
                 shared: SharedBlocks | None = None, source_lines: list[Any] | None = None) -> PageContext:
    nav = nav or page_nav(site, page)
    default = site.default_language
    lang = page.lang
    here = urls.page_dir(page.key, lang, variant.name, default)

    def href(key: str, v: str = variant.name, in_lang: str = lang) -> str:
        return urls.relative(here, urls.page_dir(key, in_lang, v, default))

    def resolve_page(target: str, anchor: str) -> str | None:
        key = site.by_base.get(target)
        if key is None:
            return None
        anchor = anchor if anchor and site.has_anchor(key, lang, anchor) else ""  # else to its page (a warning)
        return href(key) + (f"#{anchor}" if anchor else "") if key != page.key else f"#{anchor}" if anchor else href(key)

    def resolve_asset(path: str) -> str:
        return urls.relative(here, path)

    def absolute(link: str) -> str:
        if "://" in link or link.startswith("mailto:"):
            return link
        target = _join(here, link)
        return urls.absolute(site.config.base_url, target) if site.config.base_url else "/" + target

    rctx = RenderContext(resolve_page, resolve_asset, absolute, labels=labels, trusted_html=site.config.trusted_html,
                         permalink=site.config.markdown.permalink, toc_depth=site.config.markdown.toc_depth,
                         source_lines=source_lines)
    body = render(page.fragment, variant.renderer, rctx, shared=shared)
    canonical_path = urls.page_dir(page.key, lang, "graphical", default)
    canonical = (urls.absolute(site.config.base_url, canonical_path) if site.config.base_url
                 else urls.relative(here, canonical_path))
    return PageContext(
        site=site,
        page=page,
        variant=variant.name,
        lang=language(lang, site),
        content_lang=language(page.content_lang, site),
        body=body,
        updated=format_date(page.updated, format="long", locale=lang.replace("-", "_")) if page.updated else "",
        here=here,
        canonical=canonical,
        variants={v.name: href(page.key, v.name) for v in VARIANTS},
        alternates=_alternates(site, page, here, variant.name),
        languages=tuple(
            NavItem(language(code, site).name, href(page.key, variant.name, code), code == lang, lang=code)
            for code in site.languages
        ),
        breadcrumbs=nav.breadcrumbs,
        global_nav=nav.global_nav,
        section_nav=nav.section_nav,
        children=nav.children,
        previous=nav.previous,
        next=nav.next,
        handbooks=tuple(
            _handbook_link(site, h, lang, here) for h in site.handbooks_of(page.key) if lang in h.languages
        ),
        collection=_collection(site, page, resolve_page, href),
        print_links=tuple(rctx.print_links),
        asset=lambda name: urls.relative(here, urls.ASSETS + name),
        home=href(""),
        site_map_link=href(urls.SITE_MAP),
        search_index=urls.relative(here, urls.search_dir(lang, default)),
    )


def _nav_tree(site: Site, node: Any, item: Callable[..., NavItem], current: str) -> NavItem:
    base = item(node.key)
    open_branch = current == node.key or current.startswith(node.key + "/") or node.key == ""
    kids = tuple(_nav_tree(site, c, item, current) for c in node.children) if open_branch else ()
    return NavItem(base.title, base.href, base.current, kids, base.lang, attrs=base.attrs)


def _alternates(site: Site, page: Page, here: str, variant: str) -> tuple[tuple[str, str, str], ...]:
    """This page in every language (same variant) and x-default; absolute when base_url is set."""
    default = site.default_language
    base = site.config.base_url

    def link(code: str) -> str:
        target = urls.page_dir(page.key, code, variant, default)
        return urls.absolute(base, target) if base else urls.relative(here, target)

    return tuple((link(code), code, "") for code in site.languages) + ((link(default), "x-default", ""),)


def _collection(site: Site, page: Page, resolve_page: Callable[[str, str], str | None],
                href: Callable[..., str]) -> tuple[NavItem, ...] | None:
    name = page.meta.collection
    if not name:
        return None
    data = site.collection(name, page.lang)
    items = []
    for entry in data or ():
        link = str(entry.get("link", "") or "")
        if link.endswith(".md") or ".md#" in link:
            import posixpath

            base_dir = posixpath.dirname(page.doc.base)
            target, _, anchor = link.partition("#")
            link = resolve_page(posixpath.normpath(posixpath.join(base_dir, target)), anchor) or link
        when = entry.get("date")
        if isinstance(when, dt.date):
            when = format_date(when, format="long", locale=page.lang.replace("-", "_"))
        items.append(NavItem(str(entry.get("title", "")), link, False, date=str(when or ""),
                             place=str(entry.get("place", "") or ""), summary=str(entry.get("summary", "") or "")))
    return tuple(items)


def _join(here: str, link: str) -> str:
    import posixpath

    path, _, frag = link.partition("#")
    joined = posixpath.normpath(posixpath.join("/" + here, path)).lstrip("/")
    if path.endswith("/") and joined:
        joined += "/"
    return joined + (f"#{frag}" if frag else "")


def _handbook_link(site: Site, handbook: Handbook, lang: str, here: str) -> NavItem:
    """The whole-guide page of ``handbook`` in ``lang``, titled in ``lang`` where the config translates it."""
    default = site.default_language
    title, title_lang = handbook.config.text(lang, default)["title"]
    return NavItem(title, urls.relative(here, urls.handbook_dir(handbook.id, lang, default)), False, lang=title_lang,
                   attrs=other_language(site, title_lang, lang))
