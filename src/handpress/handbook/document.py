"""Handbooks: one semantic HTML document per handbook × language.

The same document is published twice: as the printer-friendly "whole guide" page
(``print/handbooks/<id>/index.html``, links relative to the site) and, laid out by
:mod:`handpress.handbook.pdf`, as ``pdf/<id>.<lang>.pdf`` (resources read from the project).
A :class:`Target` holds what differs between the two; the template is the same.

Templates receive one frozen :class:`HandbookDocument` as ``doc`` and a :class:`CssText` as ``css``.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Literal, Mapping
from urllib.parse import quote

import jinja2
from babel.dates import format_date
from markupsafe import Markup
from mdit_py_plugins.anchors.index import slugify

from handpress import theme, urls
from handpress.errors import Diagnostic, TemplateError
from handpress.handbook import outline
from handpress.handbook.dates import handbook_dates, parse_date
from handpress.i18n.catalogs import language_name
from handpress.site.model import Handbook, Page, Site
from handpress.site.render import Output, language
from handpress.site.renderers import HandbookRenderer, RenderContext, body_labels, render

TEMPLATE = "handbook/document.html"
Paper = Literal["A4", "Letter"]
Notice = Literal["", "fallback", "machine"]


@dataclass(frozen=True)
class Section:
    """A heading of a chapter listed in the contents (the page's ``##`` headings)."""

    id: str
    title: str


@dataclass(frozen=True)
class Chapter:
    """One page of the site as a chapter: its body already rendered for the handbook (headings one
    level down, ids prefixed with the chapter's, links to other chapters as ``#`` cross-references)."""

    key: str
    id: str
    title: str  # names the chapter in the contents
    lang: str  # the language of the content (the handbook's unless the page falls back)
    dir: str
    summary: str
    body: Markup
    sections: tuple[Section, ...] = ()
    notice: Notice = ""
    language: str = ""  # the content language's name in the reader's language ("inglés"), for the fallback notice
    reader_language: str = ""  # the handbook language's name in itself ("español"), for the fallback notice
    source: str = ""  # content/… path of the page
    heading: str = ""  # the chapter's visible heading (the page's leading '# Heading'), if not its title
    depth: int = 0  # how many parts it is in (:mod:`handpress.handbook.outline`); its title is an h(2 + depth)
    opens_part: bool = False  # chapters follow under it: it is a part of the book, its title the part's


@dataclass(frozen=True)
class Part:
    """A piece of the handbook laid out on its own by the parallel PDF path (:mod:`handpress.handbook.parts`):
    the front matter (cover and contents) or the chapters ``start:stop``. Its page numbers are not known
    while it is laid out, so every in-document reference shows ``attr(data-page)``, which the PDF
    adapter fills in once all parts are paginated; chapter and footnote numbers go on from ``start``
    and ``footnotes`` (the footnotes of the chapters before the part)."""

    front: bool
    start: int = 0
    stop: int = 0
    footnotes: int = 0


@dataclass(frozen=True)
class HandbookDocument:
    """Everything the handbook template reads."""

    id: str
    title: str
    lang: str
    dir: str
    paper: Paper
    chapters: tuple[Chapter, ...]
    created: dt.datetime | None
    modified: dt.datetime | None
    print_css: str  # href of print.css (media all)
    handbook_css: str  # href of handbook.css (media print)
    subtitle: str = ""
    organisation: str = ""
    author: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    date: str = ""  # as printed on the cover ("1 November 2026")
    date_iso: str = ""  # for <time datetime>, when the date is one
    version: str = ""
    marking: str = ""  # distribution or security marking, printed on the cover
    feedback: str = ""  # where readers send comments (handpress.toml feedback), printed inside the cover
    back_href: str | None = None  # "Back to the page"; None in the PDF
    canonical: str = ""
    foreign: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # cover field -> (lang, dir) not the document's
    part: Part | None = None  # the whole book unless the parallel PDF path lays it out in parts

    @property
    def contents(self) -> tuple[outline.Entry[Chapter], ...]:
        """The chapters as the contents list them: each part's under it."""
        return outline.contents(self.chapters)

    def counted_before(self, stop: int) -> tuple[int, int]:
        """(chapter numbers, part numbers) used by the chapters before the ``stop``-th."""
        return outline.counted_before(self.chapters, stop)

    def lang_of(self, name: str) -> Markup:
        """` lang=".." dir=".."` for a cover field in another language than the document (WCAG 3.1.2)."""
        if name not in self.foreign:
            return Markup("")
        lang, direction = self.foreign[name]
        return Markup(' lang="{}" dir="{}"').format(lang, direction)

    @property
    def created_w3c(self) -> str:
        return _w3c_date(self.created) if self.created else ""

    @property
    def modified_w3c(self) -> str:
        return _w3c_date(self.modified) if self.modified else ""


def _w3c_date(when: dt.datetime) -> str:
    """:func:`handpress.handbook.engine.w3c_date` (the same text), without loading the PDF engine for a web page."""
    utc = when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


class CssText:
    """Turns a translated sentence into a CSS ``content`` value, so word order stays the
    translator's: ``css.text(_('Page %(num)s of %(total)s', num=css.page, total=css.pages))``
    gives ``"Page " counter(page) " of " counter(pages)``. ``isolate`` wraps the sentence in
    U+2068 … U+2069 so it keeps its own direction inside text of the other direction."""

    page = "\ue000"
    pages = "\ue001"
    target_page = "\ue002"
    part = "\ue003"

    def __init__(self, target_page: str = "target-counter(attr(href url), page)"):
        self._VALUES = {self.page: "counter(page)", self.pages: "counter(pages)", self.target_page: target_page,
                        self.part: "counter(book-part)"}

    @staticmethod
    def string(text: str) -> Markup:
        """``text`` as a quoted CSS string."""
        return Markup(_css_string(text))

    def text(self, sentence: str, *, before: str = "", isolate: bool = False) -> Markup:
        sentence = f"\u2068{sentence}\u2069" if isolate else str(sentence)
        parts: list[str] = []
        literal: list[str] = [before]
        for char in sentence:
            if char in self._VALUES:
                if "".join(literal):
                    parts.append(_css_string("".join(literal)))
                literal = []
                parts.append(self._VALUES[char])
            else:
                literal.append(char)
        if "".join(literal) or not parts:
            parts.append(_css_string("".join(literal)))
        return Markup(" ".join(parts))


def _css_string(text: str) -> str:
    """A quoted CSS string; quotes, backslashes, controls and ``<``/``>``/``&`` as hex escapes, so
    the value is safe inside ``<style>``."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)
    return f'"{escaped}"'


@dataclass(frozen=True)
class Target:
    """Where the document is read: the published page or the PDF renderer."""

    name: Literal["web", "pdf"]
    stylesheet: Callable[[str], str]  # theme stylesheet name -> href
    asset: Callable[[str], str]  # content-relative file -> href
    page: Callable[[str], str]  # key of a page outside the handbook -> href
    back_href: str | None
    canonical: str


def web_target(site: Site, handbook: Handbook, lang: str) -> Target:
    default = site.default_language
    here = urls.handbook_dir(handbook.id, lang, default)
    base = site.config.base_url
    first = handbook.keys[0] if handbook.keys else ""
    return Target(
        name="web",
        stylesheet=lambda name: urls.relative(here, urls.ASSETS + name),
        asset=lambda path: urls.relative(here, path),
        page=lambda key: urls.relative(here, urls.page_dir(key, lang, "graphical", default)),
        back_href=urls.relative(here, urls.page_dir(first, lang, "graphical", default)),
        canonical=urls.absolute(base, here) if base else "",
    )


def pdf_target(site: Site, project: Path, lang: str) -> Target:
    """Resources straight from the project (``base_url`` is the content folder); links to pages
    outside the handbook absolute when the site has a ``base_url``."""
    default = site.default_language
    styles = theme.style_files(project)
    base = site.config.base_url

    def page(key: str) -> str:
        path = urls.page_dir(key, lang, "graphical", default)
        return urls.absolute(base, path) if base else urls.relative("pdf/", path)

    return Target(
        name="pdf",
        stylesheet=lambda name: styles[name].resolve().as_uri(),
        asset=lambda path: quote(path, safe="/"),
        page=page,
        back_href=None,
        canonical="",
    )


def chapter_ids(keys: tuple[str, ...]) -> dict[str, str]:
    """``ch-3-mexico-city`` for each page key. The number keeps ids unique; heading ids inside a
    chapter are ``<chapter id>--<heading id>`` and the title's ``<chapter id>-title``, so no id
    of one chapter can equal an id of another, or its title's."""
    found = {}
    for n, key in enumerate(keys, start=1):
        name = slugify(key.rsplit("/", 1)[-1]) if key else "home"
        found[key] = f"ch-{n}-{name or 'page'}"
    return found


@lru_cache(maxsize=16)
def _chapter_ids(keys: tuple[str, ...]) -> Mapping[str, str]:
    """:func:`chapter_ids`, made once per handbook although its chapters are rendered one at a time."""
    return MappingProxyType(chapter_ids(keys))


def render_chapters(site: Site, handbook: Handbook, lang: str, target: Target,
                    translations: gettext.NullTranslations, keys: tuple[str, ...] | None = None) -> tuple[Chapter, ...]:
    """The chapters of ``keys`` (default: all the handbook's), rendered for ``target``. The build renders
    them where their pages are rendered (worker processes) and passes them to :func:`build_document`."""
    ids = _chapter_ids(handbook.keys)
    labels = body_labels(translations.gettext)
    place = outline.places(site, handbook.keys)
    return tuple(_chapter(site, site.page(key, lang), ids, target, labels, *place[key])
                 for key in keys or handbook.keys)


def build_document(site: Site, handbook: Handbook, lang: str, target: Target,
                   translations: gettext.NullTranslations, project: Path,
                   chapters: tuple[Chapter, ...] | None = None) -> HandbookDocument:
    """The handbook in ``lang`` as the template reads it (``chapters``: rendered already, for ``target``)."""
    if chapters is None:
        chapters = render_chapters(site, handbook, lang, target, translations)
    cfg = handbook.config
    pages = [site.page(key, lang) for key in handbook.keys]
    created, modified = handbook_dates(cfg.date, pages, project)
    when = parse_date(cfg.date)
    text = cfg.text(lang, site.default_language)
    site_text = site.config.text(lang)
    if not text["organisation"][0]:
        text["organisation"] = site_text["organisation"]
    author = text["organisation"][0]
    foreign = {name: (code, "rtl" if site.config.is_rtl(code) else "ltr")
               for name, (words, code) in text.items() if words and code != lang}
    return HandbookDocument(
        id=handbook.id,
        title=text["title"][0],
        subtitle=text["subtitle"][0],
        lang=lang,
        dir="rtl" if site.config.is_rtl(lang) else "ltr",
        paper=cfg.paper,
        chapters=chapters,
        created=created,
        modified=modified,
        print_css=target.stylesheet("print.css"),
        handbook_css=target.stylesheet("handbook.css"),
        organisation=author,
        author=author,
        description=text["subtitle"][0] or site_text["description"][0],
        keywords=tuple(dict.fromkeys(c.title for c in chapters if c.key and c.key.count("/") == 0)),
        date=format_date(when, format="long", locale=lang.replace("-", "_")) if when else (cfg.date or ""),
        date_iso=when.isoformat() if when else "",
        version=cfg.version or "",
        marking=text["marking"][0],
        feedback=site.config.feedback,
        back_href=target.back_href, canonical=target.canonical, foreign=foreign,
    )


def _chapter(site: Site, page: Page, ids: Mapping[str, str], target: Target, labels: dict[str, str],
             depth: int, opens_part: bool) -> Chapter:
    own = ids[page.key]
    prefix = own + "--"

    def resolve_page(source: str, anchor: str) -> str | None:
        key = site.by_base.get(source)
        if key is None:
            return None
        if key in ids:  # to its chapter, or its web address, when the anchor is missing (a missing-anchor warning)
            return f"#{ids[key]}--{anchor}" if anchor in site.page(key, page.lang).fragment.ids else f"#{ids[key]}"
        return target.page(key) + (f"#{anchor}" if anchor and site.has_anchor(key, page.lang, anchor) else "")

    ctx = RenderContext(resolve_page, target.asset, id_prefix=prefix, heading_shift=1 + depth, labels=labels,
                        trusted_html=site.config.trusted_html, chapter=page.title)
    body = render(page.fragment, HandbookRenderer, ctx)
    content = language(page.content_lang, site)
    notice: Notice = "fallback" if page.is_fallback else "machine" if page.machine_translated else ""
    return Chapter(
        key=page.key,
        id=own,
        title=page.nav_title,  # the nav's words for it, as in the navigation
        lang=page.content_lang,
        dir=content.dir,
        summary=page.summary,
        body=body,
        sections=tuple(Section(prefix + h.id, h.text) for h in page.fragment.headings if h.level == 2),
        notice=notice,
        language=language_name(page.content_lang, page.lang),  # both named in the reader's language
        reader_language=language_name(page.lang, page.lang),
        source=page.source,
        heading=page.heading,
        depth=depth,
        opens_part=opens_part,
    )


def render_document(env: jinja2.Environment, doc: HandbookDocument) -> str:
    """The handbook template filled in; template mistakes as located :class:`TemplateError`."""
    try:
        css = CssText("attr(data-page)") if doc.part else CssText()
        return env.get_template(TEMPLATE).render(doc=doc, css=css)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError([Diagnostic(_display(exc.filename or exc.name or TEMPLATE), exc.lineno, "error",
                                        f"template syntax error: {exc.message}")]) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError([Diagnostic("templates/" + TEMPLATE, None, "error",
                                        f"template '{exc.name}' not found (in templates/ or the default theme)")]) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc)
        raise TemplateError([Diagnostic(path, line, "error", f"undefined name in template: {exc.message} "
                                        f"(handbook '{doc.id}', {doc.lang})")]) from None


def _template_frame(exc: BaseException) -> tuple[str, int | None]:
    """The innermost template file and line in the traceback (Jinja maps frames to templates)."""
    found: tuple[str, int | None] = ("templates/" + TEMPLATE, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            found = (_display(name), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _display(filename: str) -> str:
    """``templates/…`` for a template of the default theme or of the project."""
    parts = Path(filename).parts
    if "templates" in parts:
        i = len(parts) - 1 - parts[::-1].index("templates")
        return "/".join(parts[i:])
    return filename


def handbook_page(site: Site, handbook: Handbook, lang: str, project: Path, env: jinja2.Environment,
                  translations: gettext.NullTranslations, chapters: tuple[Chapter, ...] | None = None) -> Output:
    """The "print the whole guide" page: ``[<lang>/]print/handbooks/<id>/index.html``."""
    doc = build_document(site, handbook, lang, web_target(site, handbook, lang), translations, project, chapters)
    path = urls.handbook_dir(handbook.id, lang, site.default_language) + "index.html"
    return path, render_document(env, doc).encode("utf-8")
