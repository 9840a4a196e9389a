"""The site model: pages per language, the navigation tree, sections and handbooks. Pure, no I/O."""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from handpress.config import HandbookConfig, SiteConfig
from handpress.errors import ContentError, Diagnostic
from handpress.site.content import Content, Document, FrontMatter
from handpress.site import nav
from handpress.site.markdown import Fragment
from handpress.urls import RESERVED

HOME = ""
PAGE_IDS = frozenset({"main"})  # ids every page has, whatever its content (the theme's main content)


@dataclass(frozen=True)
class Page:
    """One page as a reader of one language sees it."""

    key: str
    lang: str  # the reader's language (UI, URL)
    content_lang: str  # the language of the content (differs when falling back)
    doc: Document
    fragment: Fragment
    title: str
    summary: str
    updated: dt.date | None
    depth: int
    parent: str | None
    nav_title: str = ""  # its title in the navigation, breadcrumbs and contents (the nav's, else ``title``)

    def __post_init__(self) -> None:
        if not self.nav_title:
            object.__setattr__(self, "nav_title", self.title)

    @property
    def meta(self) -> FrontMatter:
        return self.doc.meta

    @property
    def source(self) -> str:
        return self.doc.source

    @property
    def heading(self) -> str:
        """The page's visible h1: its leading ``# Heading`` as written, else its title. The title names
        the page everywhere else (navigation, ``<title>``, breadcrumbs, a handbook's contents)."""
        return self.fragment.title or self.title

    @property
    def is_fallback(self) -> bool:
        return self.content_lang != self.lang

    @property
    def machine_translated(self) -> bool:
        return self.doc.meta.machine_translated and not self.is_fallback


@dataclass(frozen=True)
class NavNode:
    key: str
    children: tuple["NavNode", ...]

    def walk(self) -> Iterator["NavNode"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Handbook:
    id: str
    config: HandbookConfig
    keys: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    pages: Mapping[tuple[str, str], Page]  # (key, lang) -> Page
    keys: tuple[str, ...]  # every page key in navigation (reading) order
    tree: NavNode  # the home page with the navigation tree under it
    by_base: Mapping[str, str]  # content .md path -> page key
    data: Mapping[tuple[str, str], Any]
    handbooks: tuple[Handbook, ...]
    notes: tuple[Diagnostic, ...] = ()  # what the nav had to say (pages it names that are missing, …)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.config.languages

    @property
    def default_language(self) -> str:
        return self.config.default_language

    def page(self, key: str, lang: str) -> Page:
        return self.pages[(key, lang)]

    def has_anchor(self, key: str, lang: str, anchor: str) -> bool:
        """Whether the page that readers of ``lang`` see at ``key`` has an element with the id ``anchor``."""
        return anchor in PAGE_IDS or anchor in self.page(key, lang).fragment.ids

    def node(self, key: str) -> NavNode:
        return self._nodes[key]

    @property
    def _nodes(self) -> Mapping[str, NavNode]:
        cached = self.__dict__.get("_node_index")
        if cached is None:
            cached = {n.key: n for n in self.tree.walk()}
            object.__setattr__(self, "_node_index", cached)
        return cached

    def ancestors(self, key: str) -> tuple[str, ...]:
        chain = []
        parent = self.pages[(key, self.default_language)].parent
        while parent is not None:
            chain.append(parent)
            parent = self.pages[(parent, self.default_language)].parent
        return tuple(reversed(chain))

    def neighbours(self, key: str) -> tuple[str | None, str | None]:
        i = self._order[key]
        before = self.keys[i - 1] if i > 0 else None
        after = self.keys[i + 1] if i + 1 < len(self.keys) else None
        return before, after

    @property
    def _order(self) -> Mapping[str, int]:
        cached = self.__dict__.get("_order_index")
        if cached is None:
            cached = {k: i for i, k in enumerate(self.keys)}
            object.__setattr__(self, "_order_index", cached)
        return cached

    def collection(self, name: str, lang: str) -> Any:
        if (name, lang) in self.data:
            return self.data[(name, lang)]
        return self.data.get((name, self.default_language))

    def handbooks_of(self, key: str) -> tuple[Handbook, ...]:
        return tuple(h for h in self.handbooks if key in h.keys)


def build_site(config: SiteConfig, content: Content, fragments: Mapping[str, Fragment]) -> Site:
    """Assemble the site from parsed documents. ``fragments`` maps a document's source to its Fragment."""
    problems: list[Diagnostic] = []
    docs: dict[tuple[str, str], Document] = {}
    for doc in content.documents:
        first = doc.key.split("/")[0]
        if first in RESERVED or (first in config.languages and doc.key):
            problems.append(Diagnostic(doc.source, None, "error",
                                       f"the URL '{doc.key}/' is reserved by handpress; rename the file or set a slug",
                                       "reserved-url"))
            continue
        other = docs.get((doc.key, doc.lang))
        if other is not None:
            problems.append(Diagnostic(doc.source, None, "error",
                                       f"maps to the same URL '{doc.key}/' as {other.source}", "duplicate-url"))
            continue
        docs[(doc.key, doc.lang)] = doc
    if problems:
        raise ContentError(problems)

    default = config.default_language
    primary = {key: doc for (key, lang), doc in docs.items() if lang == default}
    for (key, lang), doc in docs.items():
        if key not in primary:
            problems.append(Diagnostic(doc.source, None, "error",
                                       f"translation has no {default} original (expected "
                                       f"{config.content_dir}/{doc.base})",
                                       "no-original"))
    if problems:
        raise ContentError(problems)
    if HOME not in primary:
        primary[HOME] = _synthetic_home(config)

    parents = {key: _parent(key, primary) for key in primary}
    nav_titles: Mapping[str, str] = {}
    if config.nav:
        declared = nav.plan(config, {doc.base: key for key, doc in primary.items()}, parents)
        for key, title in declared.sections.items():
            primary[key] = _section_page(config, key, title)
        parents, nav_titles = dict(declared.parents), declared.titles
        tree = _declared_tree(HOME, declared.children)
        notes = declared.diagnostics
    else:
        tree = _tree(HOME, primary, parents)
        notes = ()
    keys = tuple(n.key for n in tree.walk())
    pages: dict[tuple[str, str], Page] = {}
    for key in keys:
        depth = _depth(key, parents)
        for lang in config.languages:
            doc = docs.get((key, lang), primary[key])
            frag = fragments.get(doc.source) or _empty_fragment(doc)
            pages[(key, lang)] = Page(
                key=key,
                lang=lang,
                content_lang=doc.lang,
                doc=doc,
                fragment=frag,
                title=doc.meta.title or frag.title or _title_from_name(key, config),
                summary=doc.meta.summary or "",
                updated=doc.meta.updated or doc.meta.date,
                depth=depth,
                parent=parents[key],
                nav_title=nav_titles.get(key, "") if doc.lang == default else "",
            )
    by_base = {doc.base: doc.key for doc in docs.values()}
    handbooks = _handbooks(config, keys, primary)
    return Site(config, MappingProxyType(pages), keys, tree, MappingProxyType(by_base), content.data, handbooks,
                notes)


def _parent(key: str, primary: Mapping[str, Document]) -> str | None:
    if key == HOME:
        return None
    parts = key.split("/")[:-1]
    while parts:
        candidate = "/".join(parts)
        if candidate in primary:
            return candidate
        parts.pop()
    return HOME


def _tree(key: str, primary: Mapping[str, Document], parents: Mapping[str, str | None]) -> NavNode:
    children: dict[str | None, list[str]] = {}
    for k, p in parents.items():  # in the order of parents, as each node's children are sorted from
        children.setdefault(p, []).append(k)
    return _sorted_tree(key, primary, children)


def _sorted_tree(key: str, primary: Mapping[str, Document], children: Mapping[str | None, list[str]]) -> NavNode:
    below = sorted(children.get(key, ()), key=lambda k: _sort_key(primary[k]))
    return NavNode(key, tuple(_sorted_tree(k, primary, children) for k in below))


def _depth(key: str, parents: Mapping[str, str | None]) -> int:
    depth, parent = 0, parents[key]
    while parent is not None:
        depth, parent = depth + 1, parents[parent]
    return depth


def _declared_tree(key: str, children: Mapping[str, tuple[str, ...]]) -> NavNode:
    return NavNode(key, tuple(_declared_tree(k, children) for k in children.get(key, ())))


def _section_page(config: SiteConfig, key: str, title: str) -> Document:
    """The page of a section of the nav that lists no page of its own: its title and its pages."""
    return Document(source=f"{config.content_dir}/{key}/index.md", base=f"{key}/index.md",
                    lang=config.default_language, key=key, meta=FrontMatter(title=title), body="", body_line=1,
                    order_hint=key.rsplit("/", 1)[-1])


def _sort_key(doc: Document) -> tuple[Any, ...]:
    order = doc.meta.order
    return (order is None, order if order is not None else 0, doc.order_hint, doc.key)


def _title_from_name(key: str, config: SiteConfig) -> str:
    if not key:
        return config.title
    return key.split("/")[-1].replace("-", " ").replace("_", " ").capitalize()


def _synthetic_home(config: SiteConfig) -> Document:
    return Document(
        source=f"{config.content_dir}/index.md",
        base="index.md",
        lang=config.default_language,
        key=HOME,
        meta=FrontMatter(title=config.title, summary=config.description or None),
        body="",
        body_line=1,
        order_hint="index",
    )


def _empty_fragment(doc: Document) -> Fragment:
    return Fragment(doc.source, (), None, (), (), (), frozenset(), ())


def _handbooks(config: SiteConfig, keys: tuple[str, ...], primary: Mapping[str, Document]) -> tuple[Handbook, ...]:
    declared = config.handbooks or (HandbookConfig(id="handbook", title=config.title),)
    problems: list[Diagnostic] = []
    result = []
    bases = {k: primary[k].base for k in keys}
    for i, hb in enumerate(declared):
        chosen: list[str] = []
        for pattern in hb.pages:
            matched = [k for k in keys if _matches(pattern, k, bases[k])]
            if not matched:
                problems.append(Diagnostic("handpress.toml", config.line_of("handbooks", i, "pages"), "error",
                                           f"handbook '{hb.id}' names '{pattern}', which matches no page in content/",
                                           "handbook-page"))
            chosen.extend(k for k in matched if k not in chosen)
        result.append(Handbook(hb.id, hb, tuple(chosen), hb.languages or config.languages))
    if problems:
        raise ContentError(problems)
    return tuple(result)


def _matches(pattern: str, key: str, base: str) -> bool:
    pattern = pattern.strip()
    if pattern in ("**", "*", ""):
        return True
    if pattern.endswith(".md"):
        return fnmatch.fnmatchcase(base, pattern) or fnmatch.fnmatchcase(base, pattern[:-3] + "/index.md")
    section = pattern.rstrip("/")
    if any(ch in section for ch in "*?["):
        return fnmatch.fnmatchcase(key, section)
    return key == section or key.startswith(section + "/")
