"""Audit issues placed at their source: the Markdown file and line a page's offending element came from, or
the template that wrote it.

pa11y names an element on a built page by a CSS selector (and its HTML as context). The project is read
again (parsed, not written) and the page rendered again with :mod:`handpress.site.sourcelines`, which notes
which Markdown lines made which lines of the body's HTML; the element is found in the published file
(lxml, cssselect2) and its line looked up. A page that no longer renders to the published bytes (out/ is
older than the content) is placed at its Markdown file without a line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cssselect2
import lxml.html
from lxml import etree

from handpress import urls
from handpress.audit.models import AuditReport, Issue
from handpress.errors import HandpressError


@dataclass(frozen=True)
class Origin:
    file: str              # project-relative: content/about.md, templates/page.html
    line: int | None


class Sources:
    """The pages of one built project, rendered again on demand."""

    def __init__(self, project: Path, root: Path, *, is_out: bool = True):
        from handpress.build.pipeline import environments, prepare

        self.root = root
        self.is_out = is_out          # root is the project's out/: a page there is that page, even if stale
        self.prepared = prepare(project)
        self.site = self.prepared.site
        self.translations, self.envs = environments(self.prepared)
        default = self.site.default_language
        self.pages = {urls.page_dir(key, lang, variant, default) + "index.html": (key, lang, variant)
                      for lang in self.site.languages for key in self.site.keys
                      for variant in ("graphical", "text", "print")}
        self.books = {urls.handbook_dir(book.id, lang, default) + "index.html": (book, lang)
                      for book in self.site.handbooks for lang in book.languages}
        self._rendered: dict[str, Any] = {}
        self._trees: dict[str, Any] = {}

    def origin(self, issue: Issue) -> Origin | None:
        """Where ``issue`` came from, or None for a file that is not one of the project's pages."""
        if issue.page in self.books:
            return self._in_book(issue, *self.books[issue.page])
        where = self.pages.get(issue.page)
        if where is None:
            return None
        key, lang, variant = where
        doc = self.site.page(key, lang).doc
        rendered = self._render(issue.page, key, lang, variant)
        published = (self.root / issue.page).read_bytes()
        if rendered.html.encode("utf-8") != published:
            return Origin(doc.source, None) if self.is_out else None
        element = self._element(issue, published)
        if element is None or element.sourceline is None:
            return Origin(doc.source, None)
        line = rendered.markdown_line(element.sourceline)
        if line is None:
            return Origin(rendered.template, None)
        return Origin(doc.source, doc.body_line + line)

    def _in_book(self, issue: Issue, book: Any, lang: str) -> Origin | None:
        """On a whole-guide page (a handbook's HTML): the Markdown file of the chapter the element is in,
        or the handbook's template for the cover and contents."""
        from handpress.handbook.document import TEMPLATE, chapter_ids
        from handpress.site.templating import template_path

        path = self.root / issue.page
        if not path.is_file():
            return None
        element = self._element(issue, path.read_bytes())
        if element is None:
            return None
        chapter = next((e for e in element.iterancestors("article") if "chapter" in e.get("class", "").split()),
                       element if element.tag == "article" else None)
        keys = {ident: key for key, ident in chapter_ids(book.keys).items()}
        if chapter is not None and chapter.get("id") in keys:
            return Origin(self.site.page(keys[chapter.get("id")], lang).doc.source, None)
        template = self.envs[lang].get_template(TEMPLATE)
        return Origin(template_path(self.envs[lang], template.filename, template.name), None)

    def _render(self, page: str, key: str, lang: str, variant: str) -> Any:
        from handpress.site.sourcelines import render_page

        if page not in self._rendered:
            self._rendered[page] = render_page(self.site, self.envs[lang], self.translations[lang], key, lang,
                                               variant)
        return self._rendered[page]

    def _element(self, issue: Issue, published: bytes) -> Any:
        if issue.page not in self._trees:
            self._trees[issue.page] = lxml.html.document_fromstring(published)
        root = self._trees[issue.page]
        if issue.selector:
            try:
                found = next(iter(cssselect2.ElementWrapper.from_html_root(root).query_all(issue.selector)), None)
            except (cssselect2.SelectorError, ValueError, KeyError):
                found = None
            if found is not None:
                return found.etree_element
        return _by_context(root, issue.context)


def _by_context(root: Any, context: str) -> Any:
    """The first element whose tag and attributes are those of the context's first tag (pa11y's HTML
    excerpt of the element, cut short)."""
    if not context.strip().startswith("<"):
        return None
    try:
        sample = lxml.html.fragment_fromstring(context, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    first = next((e for e in sample if isinstance(e.tag, str)), None)
    if first is None:
        return None
    attrs = dict(first.attrib)
    return next((e for e in root.iter(first.tag) if dict(e.attrib) == attrs), None)


def place(report: AuditReport, project: Path, root: Path) -> AuditReport:
    """The report with each issue on one of the project's pages given its source file and line. In another
    folder than the project's out/, only pages that are the project's page byte for byte are placed."""
    if not any(r.issues for r in report.results if not r.target.is_pdf):
        return report
    try:
        sources = Sources(project, root, is_out=root.resolve() == (project / "out").resolve())
    except HandpressError:
        return report          # a project that does not build now: the issues keep their pages only
    results = []
    for result in report.results:
        if result.target.is_pdf or not result.issues:
            results.append(result)
            continue
        placed = {issue: _placed(issue, sources.origin(issue)) for issue in result.issues}
        results.append(replace(result, issues=tuple(placed[i] for i in result.issues),
                               new=tuple(placed[i] for i in result.new),
                               review=tuple(placed[i] for i in result.review)))
    return replace(report, results=tuple(results))


def _placed(issue: Issue, origin: Origin | None) -> Issue:
    if origin is None:
        return issue
    return replace(issue, source=origin.file, line=origin.line)



