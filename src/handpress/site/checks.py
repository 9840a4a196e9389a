"""Content checks over the whole site: links, anchors, files, raw HTML, drafts, translations, templates.

Each finding is a Diagnostic with a stable code (the table is in docs/checks.md). Checks of one
document alone (alt text, heading levels, empty links, duplicate ids) happen in the Markdown stage,
where the tokens carry source lines; these need the whole site, the project's files or the config.
"""

from __future__ import annotations

import difflib
import posixpath
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

import jinja2
import yaml

from handpress import urls
from handpress.errors import Diagnostic, Severity
from handpress.site import sanitize
from handpress.site.content import SOURCE_SUFFIXES
from handpress.site.markdown import Link
from handpress.site.model import PAGE_IDS, Page, Site
from handpress.site.references import is_remote

TEMPLATE_SUFFIXES = (".html", ".xml")
VARIANT_PREFIXES = tuple(urls.VARIANT_PREFIX.values())
_UNSAFE_HINT = ("handpress removes scripts, event handlers, script URLs, iframes, objects and forms from "
                "content; if everyone who writes this project's content is trusted, set trusted_html = true "
                "in handpress.toml")


def check_site(site: Site, project: Path, drafts: Iterable[str] = (),
               env: jinja2.Environment | None = None, *, files: bool = True,
               exists: Callable[[str], bool] | None = None) -> list[Diagnostic]:
    """Every site-wide finding. ``drafts``: content-relative .md paths of drafts left out of the build;
    ``env``: the project's template environment, to check the templates pages name; ``files``: also
    :func:`check_files` (a live build leaves it out: it changed no file but pages' text); ``exists``:
    whether a content-relative path is a file (a live build remembers: content/'s files are the same)."""
    checker = _Checker(site, project / site.config.content_dir, frozenset(drafts), exists)
    for page in checker.sources():
        checker.links(page)
        checker.images(page)
        if not site.config.trusted_html:
            checker.raw_html(page)
        if env is not None and page.meta.template:
            checker.template(page, env, page.meta.template)
    checker.collections()
    if files:
        checker.files()
    checker.reachability()
    checker.translations()
    return sorted(set(checker.found), key=lambda d: (d.path, d.line or 0, d.code, d.message))


def check_files(site: Site, project: Path) -> list[Diagnostic]:
    """The files of content/ that would be copied over handpress's own output (or are links out of it)."""
    checker = _Checker(site, project / site.config.content_dir, frozenset())
    checker.files()
    return checker.found


class _Checker:
    def __init__(self, site: Site, content: Path, drafts: frozenset[str],
                 exists: Callable[[str], bool] | None = None):
        self.site = site
        self.content = content
        self.exists = exists or (lambda rel: (content / rel).is_file())
        self.dir = site.config.content_dir  # its name in messages
        self.drafts = drafts
        self.found: list[Diagnostic] = []
        self.readers: dict[str, list[Page]] = defaultdict(list)  # content file -> the pages showing it
        for page in site.pages.values():
            self.readers[page.source].append(page)

    def add(self, page: Page, line: int | None, severity: Severity, message: str, code: str) -> None:
        self.found.append(Diagnostic(page.source, line, severity, message, code))

    def sources(self) -> list[Page]:
        """One page per content file (its own language), so each file is checked once."""
        seen: dict[str, Page] = {}
        for page in self.site.pages.values():
            if not page.is_fallback and page.doc.base in self.site.by_base:
                seen.setdefault(page.source, page)
        return list(seen.values())

    def shown_as(self, page: Page) -> list[Page]:
        """The pages, one per language, that show this file's text (its own, and fallbacks)."""
        return self.readers[page.source]

    def links(self, page: Page) -> None:
        for link in page.fragment.links:
            if link.target is not None:
                self._page_link(page, link, link.target)
            elif link.asset is not None:
                self._file(page, link.line, "link to", link.href, link.asset)

    def _page_link(self, page: Page, link: Link, target_base: str) -> None:
        key = self.site.by_base.get(target_base)
        if key is None:
            if target_base in self.drafts:
                self.add(page, link.line, "error", f"link to '{link.href}': {self.dir}/{target_base} is a draft "
                         "(draft: true), so it is not published and the link would be broken; publish it or "
                         "remove the link", "draft-link")
            elif _outside(target_base):
                self.add(page, link.line, "error", f"link to '{link.href}' points outside {self.dir}/",
                         "missing-page")
            else:
                hint = self._did_you_mean(page, target_base, self.site.by_base)
                self.add(page, link.line, "error", f"link to '{link.href}': no page {self.dir}/{target_base}{hint}",
                         "missing-page")
            return
        if not link.anchor or link.anchor in PAGE_IDS:
            return
        # The page's own language first: if the anchor is missing there, one report is enough.
        shown = sorted(self.shown_as(page), key=lambda p: p.lang != page.lang)
        reported: set[str] = set()
        for reader in shown:
            target = self.site.page(key, reader.lang)
            if link.anchor in target.fragment.ids or target.source in reported:
                continue
            reported.add(target.source)
            close = difflib.get_close_matches(link.anchor, sorted(target.fragment.ids), n=1)
            hint = f" (did you mean '#{close[0]}'?)" if close else ""
            if reader.lang == page.lang:
                self.add(page, link.line, "warning", f"link to '{link.href}': {target.source} has no heading or "
                         f"element with id '{link.anchor}'{hint}", "missing-anchor")
                return
            self.add(page, link.line, "warning", f"link to '{link.href}': {target.source}, which {reader.lang} "
                     f"readers see, has no heading or element with id '{link.anchor}'{hint}; give the heading the "
                     f"same id in every language, e.g. '## … {{#{link.anchor}}}'", "missing-anchor")

    def images(self, page: Page) -> None:
        printed = bool(self.site.handbooks_of(page.key))
        for image in page.fragment.images:
            if image.asset is not None:
                self._file(page, image.line, "image", image.src, image.asset)
            elif printed and is_remote(image.src):
                self.add(page, image.line, "warning", f"image '{image.src}' is on another server, which a build "
                         "never fetches: handbooks show its alt text and address in its place; to print the "
                         "image, copy it into content/ and use its path", "remote-image")

    def _file(self, page: Page, line: int, what: str, href: str, asset: str) -> None:
        if _outside(asset):
            self.add(page, line, "error", f"{what} '{href}' points outside {self.dir}/; put the files the site "
                     f"uses inside {self.dir}/", "missing-file")
            return
        if self.exists(asset):
            return
        hint = ""
        for base in (asset + ".md", posixpath.join(asset, "index.md")):
            if base in self.site.by_base:
                hint = f"; to link to that page, link to its Markdown file: '{self._relative(page, base)}'"
                break
        self.add(page, line, "error", f"{what} '{href}' not found (looked for {self.dir}/{asset}){hint}",
                 "missing-file")

    def raw_html(self, page: Page) -> None:
        lost: dict[int, list[str]] = defaultdict(list)
        for tag in page.fragment.raw_tags:
            lost[tag.line].extend(sanitize.removed(tag))
        for line, items in sorted(lost.items()):
            if items:
                self.add(page, line, "warning", f"raw HTML {', '.join(items)} is removed ({_UNSAFE_HINT})",
                         "unsafe-html")

    def template(self, page: Page, env: jinja2.Environment, name: str) -> None:
        for prefix in VARIANT_PREFIXES:
            try:
                env.get_template(prefix + name)
                return
            except jinja2.TemplateNotFound:
                continue
            except jinja2.TemplateSyntaxError:
                return  # it exists; check_templates reports the error
        self.add(page, page.doc.meta_lines.get("template"), "error", f"template '{name}' not found in templates/ "
                 "or the default theme", "missing-template")

    def collections(self) -> None:
        """A page's ``collection:`` names a data file: a list of entries, each with a title."""
        checked: set[tuple[str, str]] = set()
        for page in self.site.pages.values():
            name = page.meta.collection
            if not name:
                continue
            lang = page.lang if (name, page.lang) in self.site.data else self.site.default_language
            if (name, lang) not in self.site.data:
                if page.is_fallback:
                    continue  # reported for the page's own language
                self.add(page, page.doc.meta_lines.get("collection"), "error", f"collection '{name}' has no data "
                         f"file (expected {self.dir}/{name}.yaml)", "collection")
            elif (name, lang) not in checked:
                checked.add((name, lang))
                self._collection(page, name, lang)

    def _collection(self, page: Page, name: str, lang: str) -> None:
        stem = name if lang == self.site.default_language else f"{name}.{lang}"
        path = next((self.content / f"{stem}{suffix}" for suffix in (".yaml", ".yml")
                     if (self.content / f"{stem}{suffix}").is_file()), self.content / f"{stem}.yaml")
        source = path.relative_to(self.content.parent).as_posix()
        lines = _entry_lines(path)

        def problem(i: int | None, message: str, code: str = "collection") -> None:
            line = lines[i] if i is not None and i < len(lines) else 1
            self.found.append(Diagnostic(source, line, "error", message, code))

        data = self.site.data[(name, lang)]
        if not isinstance(data, list):
            problem(None, "a collection is a list of entries, each starting with '- title: …'")
            return
        for i, entry in enumerate(data):
            if not isinstance(entry, dict):
                problem(i, f"entry {i + 1} is not a set of keys (title:, date:, place:, summary:, link:)")
                continue
            if not isinstance(entry.get("title"), str) or not entry["title"].strip():
                problem(i, f"entry {i + 1} has no title (title: …)")
            link = entry.get("link")
            if link is not None and not isinstance(link, str):
                problem(i, f"entry {i + 1}: link should be text (a page such as 'news/item.md' or a URL)")
            elif isinstance(link, str) and _local(link) and link.partition("#")[0].endswith(".md"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page.doc.base),
                                                           link.partition("#")[0]))
                if target not in self.site.by_base:
                    problem(i, f"entry {i + 1} links to '{link}': no page {self.dir}/{target} (links in "
                            f"{source} are read from {page.source}'s folder)", "missing-page")

    def files(self) -> None:
        """Files in content/ are copied to the same path in out/: not where handpress writes its own."""
        default = self.site.default_language
        pages = {urls.page_dir(key, lang, v, default) + "index.html"
                 for key in self.site.keys for lang in self.site.languages for v in urls.VARIANTS}
        inside = self.content.resolve()
        for path in sorted(self.content.rglob("*")):
            rel = path.relative_to(self.content)
            if any(p.startswith(".") for p in rel.parts):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                self.found.append(Diagnostic(f"{self.dir}/{rel.as_posix()}", None, "error", "is a symbolic link "
                                             f"that points outside {self.dir}/, so what it points to would be "
                                             f"published; copy the file into {self.dir}/ if it belongs on the site",
                                             "outside-content"))
                continue
            if not path.is_file() or path.suffix in SOURCE_SUFFIXES:
                continue
            name, first = rel.as_posix(), rel.parts[0]
            if name in pages or name in urls.RESERVED:
                message = f"would overwrite the file handpress writes to {name}; rename or move it"
            elif first in urls.RESERVED or (first in self.site.languages[1:] and len(rel.parts) > 1):
                message = f"is in '{first}/', which handpress uses for its own files; move it to another folder"
            else:
                continue
            self.found.append(Diagnostic(f"{self.dir}/{name}", None, "error", message, "reserved-url"))

    def reachability(self) -> None:
        """A page under a draft section page is not reached by that section's navigation."""
        for key in self.site.keys:
            page = self.site.page(key, self.site.default_language)
            folders = posixpath.dirname(page.doc.base).split("/") if "/" in page.doc.base else []
            for depth in range(len(folders), 0, -1):
                index = "/".join(folders[:depth]) + "/index.md"
                if index == page.doc.base or index not in self.drafts:
                    continue
                parent = self.site.page(page.parent, page.lang).source if page.parent is not None else ""
                self.add(page, None, "warning", f"{self.dir}/{index} is a draft, so its section's navigation does "
                         f"not reach this page; it is listed under {parent} instead. Publish the section "
                         "page, or mark this page as a draft too", "unreachable")
                break

    def translations(self) -> None:
        default = self.site.default_language
        for key in self.site.keys:
            original = self.site.page(key, default)
            if original.doc.base not in self.site.by_base:
                continue  # the home page handpress made up: there is no file to translate
            missing = [lang for lang in self.site.languages[1:] if self.site.page(key, lang).is_fallback]
            if missing:
                stem = original.doc.base.removesuffix(".md")
                langs = "/".join(missing)
                files = " and ".join(f"{self.dir}/{stem}.{lang}.md" for lang in missing)
                self.add(original, None, "info", f"no {langs} translation: {langs} readers see the {default} text "
                         f"(translate it in {files})", "untranslated")

    def _relative(self, page: Page, base: str) -> str:
        return posixpath.relpath(base, posixpath.dirname(page.doc.base) or ".")

    def _did_you_mean(self, page: Page, target: str, known: Iterable[str]) -> str:
        stems = {k.removesuffix(".md"): k for k in sorted(known)}  # '.md' alone makes any two names alike
        close = difflib.get_close_matches(target.removesuffix(".md"), list(stems), n=1, cutoff=0.7)
        return f" (did you mean '{self._relative(page, stems[close[0]])}'?)" if close else ""


def _local(href: str) -> bool:
    return "://" not in href and not href.startswith(("/", "mailto:", "tel:", "#"))


def _entry_lines(path: Path) -> list[int]:
    """The line each top-level list entry of a YAML data file starts on (already read, so it parses)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError):
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def _outside(path: str) -> bool:
    return path == ".." or path.startswith("../")


def check_templates(project: Path, env: jinja2.Environment) -> list[Diagnostic]:
    """Syntax errors in the project's own templates/, found without rendering anything."""
    folder = project / "templates"
    if not folder.is_dir():
        return []
    found = []
    for name in jinja2.FileSystemLoader(str(folder)).list_templates():
        if not name.endswith(TEMPLATE_SUFFIXES):
            continue
        try:
            source = (folder / name).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            found.append(Diagnostic(f"templates/{name}", None, "error", "file is not valid UTF-8 text",
                                    "template"))
            continue
        try:
            env.compile(source, name, f"templates/{name}")
        except jinja2.TemplateSyntaxError as exc:
            found.append(Diagnostic(f"templates/{name}", exc.lineno, "error",
                                    f"template syntax error: {exc.message}", "template"))
    return found
