"""The navigation a project declares (``nav`` in handpress.toml, or mkdocs.yml's): page order, titles and
sections, as the parent of every page and its place among its siblings. Pure, no I/O.

A section of the nav is a page of the site: the page ``folder/index.md`` it lists, if it lists one, else a
page made for it (titled as the section, listing its pages; its address is the folder its pages share, or
its title as a slug). Pages the nav does not list follow the nav's, under the page of their folder, with a
note unless ``not_in_nav`` names them (MkDocs' rule).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Mapping

import pathspec
from mdit_py_plugins.anchors.index import slugify

from handpress.config import NavEntry, SiteConfig
from handpress.errors import Diagnostic
from handpress.urls import RESERVED

HOME = ""


@dataclass(frozen=True)
class NavPlan:
    """What the nav decides: each page's parent and children in order, its nav title, the sections it makes."""

    children: Mapping[str, tuple[str, ...]]  # page key -> its children's keys, in order
    parents: Mapping[str, str | None]
    titles: Mapping[str, str]  # page key -> the title the nav gives it
    sections: Mapping[str, str]  # key of a page made for a section -> its title
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class _Planner:
    config: SiteConfig
    keys_by_base: Mapping[str, str]  # content .md path -> page key (default language)
    placed: dict[str, str | None] = field(default_factory=dict)  # key -> parent
    order: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    found: list[Diagnostic] = field(default_factory=list)

    def warn(self, loc: tuple[object, ...], message: str, severity: str = "warning") -> None:
        self.found.append(Diagnostic(self.config.file_name, self.config.line_of(*loc), severity,  # type: ignore[arg-type]
                                     message, "nav"))

    def place(self, key: str, parent: str) -> None:
        self.placed[key] = parent
        self.order.setdefault(parent, []).append(key)

    def entries(self, entries: tuple[NavEntry, ...], parent: str, loc: tuple[object, ...],
                skip: NavEntry | None = None) -> None:
        for i, entry in enumerate(entries):
            if entry is skip:
                continue
            here = loc + (i,)
            if entry.url is not None:
                self.warn(here, f"the link '{entry.title}' ({entry.url}) is not shown in the navigation: handpress's "
                          "navigation lists the site's own pages", "info")
            elif entry.page is not None:
                self.page(entry, parent, here)
            else:
                self.section(entry, parent, here)

    def page(self, entry: NavEntry, parent: str, loc: tuple[object, ...]) -> None:
        key = self.keys_by_base.get(entry.page or "")
        if key is None:
            self.warn(loc, f"nav names '{entry.page}', which is not a page in {self.config.content_dir}/")
            return
        if key in self.placed or (key == HOME and HOME in self.titles):
            self.warn(loc, f"nav names '{entry.page}' again; a page has one place in the navigation, its first")
            return
        if entry.title:
            self.titles[key] = entry.title
        if key != HOME:
            self.place(key, parent)

    def section(self, entry: NavEntry, parent: str, loc: tuple[object, ...]) -> None:
        children = entry.children or ()
        pages = [c for c in _pages(children) if self.keys_by_base.get(c.page or "") is not None]
        if not pages:
            self.entries(children, parent, loc + ("children",))  # what it names that is missing, its links
            self.warn(loc, f"the section '{entry.title}' lists no page of {self.config.content_dir}/; it is not "
                      "in the navigation", "info")
            return
        first = children[0]
        if first.page and self.keys_by_base.get(first.page) == HOME and HOME not in self.titles:
            self.titles[HOME] = entry.title or ""  # a section that starts with the home page: the home page's
            self.entries(children, parent, loc + ("children",), skip=first)  # its pages follow it at its level
            return
        folder = _shared_folder([c.page for c in _pages(children)])
        index = next((c for c in children if c.page and self.keys_by_base.get(c.page) is not None
                      and c.page in (f"{folder}/index.md", f"{folder}/README.md")), None) if folder else None
        if index is None and first.page and posixpath.basename(first.page) in ("index.md", "README.md"):
            index = first  # a section that starts with an index page is that page (MkDocs Material's indexes)
        if index is not None:
            key = self.keys_by_base.get(index.page or "", HOME)
            if key in self.placed or key == HOME:
                index = None
        if index is None:
            wanted = folder if folder and folder not in self.placed and folder not in self.keys_by_base.values() \
                else _join(parent, slugify(entry.title or "") or "section")
            key = self._free_key(wanted)
            self.sections[key] = entry.title or key
        self.place(key, parent)
        self.titles[key] = entry.title or key
        self.entries(children, key, loc + ("children",), skip=index)

    def _free_key(self, wanted: str) -> str:
        taken = set(self.keys_by_base.values()) | set(self.placed) | set(self.sections)
        key, n = wanted, 2
        while key in taken or key.split("/")[0] in RESERVED or key.split("/")[0] in self.config.languages:
            key, n = f"{wanted}-{n}", n + 1
        return key


def plan(config: SiteConfig, keys_by_base: Mapping[str, str], folder_parents: Mapping[str, str | None]) -> NavPlan:
    """The tree ``config.nav`` makes of the pages (``keys_by_base``: every default-language page by its
    content path); pages it does not list go under the page ``folder_parents`` gives them."""
    planner = _Planner(config, keys_by_base)
    planner.entries(config.nav, HOME, ("nav",))
    quiet = pathspec.GitIgnoreSpec.from_lines(config.not_in_nav) if config.not_in_nav else None
    for base, key in sorted(keys_by_base.items(), key=lambda item: item[1]):
        if key == HOME or key in planner.placed:
            continue
        parent = folder_parents.get(key) or HOME
        while parent not in planner.placed and parent != HOME:
            parent = folder_parents.get(parent) or HOME
        planner.place(key, parent)
        if quiet is None or not quiet.match_file(base):
            planner.found.append(Diagnostic(f"{config.content_dir}/{base}", None, "info",
                                            f"not in the nav of {config.file_name}; listed after its pages", "nav"))
    planner.placed[HOME] = None
    return NavPlan({k: tuple(v) for k, v in planner.order.items()}, planner.placed, planner.titles,
                   planner.sections, tuple(planner.found))


def _pages(entries: tuple[NavEntry, ...]) -> list[NavEntry]:
    found = []
    for entry in entries:
        found.extend([entry] if entry.page else _pages(entry.children or ()))
    return found


def _shared_folder(paths: list[str | None]) -> str:
    folders = [posixpath.dirname(p) for p in paths if p]
    if not folders:
        return ""
    common = posixpath.commonpath(folders) if all(folders) else ""
    return common


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name
