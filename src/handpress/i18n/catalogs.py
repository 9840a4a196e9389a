"""gettext catalogs with Babel: extracted from the templates, merged per language, compiled at build time.

The default theme's catalogs live in ``locales/<lang>/LC_MESSAGES/messages.po`` beside its templates;
a project's own ``locales/`` overrides them string by string. Nothing compiled is committed: every
build reads the ``.po`` files and compiles them in memory. The source language of the theme's
strings is English, so English needs no catalog.

- :func:`extract` gathers every message from the templates (theme and project) and from the Python
  modules that translate labels, as a Babel :class:`~babel.messages.catalog.Catalog` template;
- :func:`write_template` and :func:`update_catalogs` are ``handpress i18n extract`` and ``update``;
- :func:`load_translations` is what the build uses; :func:`install_formatters` gives templates
  locale-aware ``format_number`` and ``format_date``.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator

import jinja2
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.numbers import format_decimal
from babel.support import Translations

from handpress.errors import Diagnostic, HandpressError
from handpress.theme import theme_dir

DOMAIN = "messages"
TEMPLATE_NAME = f"{DOMAIN}.pot"
LOCALES = "locales"
SOURCE_LANGUAGE = "en"  # the language the theme's msgids are written in
COMMENT_TAGS = ("Translators:",)
CODE = "catalog"  # the diagnostic code of catalog problems
# The options handpress's own Jinja environment uses (theme.environment), so msgids match exactly.
_JINJA = "jinja2.ext:babel_extract"
_JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true",
                  "newstyle_gettext": "true", "silent": "false"}
_TEMPLATE_SUFFIXES = (".html", ".xml")
_PACKAGE = Path(__file__).resolve().parents[1]  # the handpress package


def catalog_path(root: Path, lang: str) -> Path:
    return root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def needs_catalog(lang: str) -> bool:
    """English is the source language of the theme's strings: it needs no catalog."""
    return lang.split("-")[0] != SOURCE_LANGUAGE


def babel_locale(lang: str) -> Locale:
    return Locale.parse(lang.replace("-", "_"))


# --- loading for the build ---------------------------------------------------------------------


def load_translations(project: Path, lang: str) -> gettext.NullTranslations:
    """The theme's catalog for ``lang`` with the project's catalog overriding string by string."""
    merged: Translations | None = None
    for path in catalog_files(project, lang):
        translations = _compile(read_catalog(path, lang, display_path(project, path)))
        merged = translations if merged is None else merged.merge(translations)
    return merged if merged is not None else gettext.NullTranslations()


def catalog_files(project: Path, lang: str) -> list[Path]:
    """The catalogs for ``lang`` that exist: the theme's first, then the project's (once if the same)."""
    found: list[Path] = []
    for root in (theme_dir(LOCALES), project / LOCALES):
        path = catalog_path(root, lang)
        if path.is_file() and not any(path.resolve() == p.resolve() for p in found):
            found.append(path)
    return found


def display_path(project: Path, path: Path) -> str:
    """Project-relative POSIX path when inside the project, else the absolute path (the installed theme)."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def read_catalog(path: Path, lang: str | None, display: str) -> Catalog:
    """Read a .po/.pot file; syntax errors and broken placeholders become ``path:line: error`` diagnostics."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise HandpressError.at(display, line, "catalog is not valid UTF-8 text (save it as UTF-8)", CODE) from None
    try:
        catalog = read_po(io.StringIO(text), locale=lang.replace("-", "_") if lang else None,
                          domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0 and appends " on <n>" to the message.
        message = str(exc).removesuffix(f" on {exc.lineno}")
        message = message[:1].lower() + message[1:]
        shown = f": {exc.line.strip()}" if exc.line.strip() else ""
        raise HandpressError.at(display, exc.lineno + 1, f"invalid catalog: {message}{shown}", CODE) from None
    problems = [
        Diagnostic(display, message.lineno, "error", f"translation of {_msgid_text(message)!r}: {error}", CODE)
        for message, errors in catalog.check() for error in errors
    ]
    if problems:
        raise HandpressError(problems)
    return catalog


def _compile(catalog: Catalog) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def compile_catalog(catalog: Catalog) -> Translations:
    """Compile an in-memory catalog (fuzzy entries left out, as gettext does)."""
    return _compile(catalog)


def _msgid_text(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else str(message.id)


def translated_ids(project: Path, lang: str) -> set[str]:
    """Msgids (singular) that have a reviewed translation for ``lang`` in the theme's or the project's catalog."""
    done: set[str] = set()
    for path in catalog_files(project, lang):
        for message in read_catalog(path, lang, display_path(project, path)):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and not message.fuzzy and all(strings):
                done.add(_msgid_text(message))
    return done


# --- extraction and update (handpress i18n extract / update) ----------------------------------


@dataclass(frozen=True)
class CatalogReport:
    path: str  # project-relative
    status: str  # "created", "updated", "unchanged"
    messages: int
    untranslated: int = 0
    fuzzy: int = 0


def extract(project: Path) -> Catalog:
    """Every translatable string of the theme's and the project's templates (and the labels the
    renderers translate in Python), as a catalog template."""
    catalog = Catalog(project="handpress", charset="utf-8", fuzzy=False)
    for path, method, options in _sources(project):
        display = display_path(project, path)
        try:
            found = list(extract_from_file(method, str(path), keywords=DEFAULT_KEYWORDS,
                                           comment_tags=COMMENT_TAGS, options=options, strip_comment_tags=True))
        except jinja2.TemplateSyntaxError as exc:
            raise HandpressError.at(display, exc.lineno, f"template syntax error: {exc.message}",
                                    "template") from None
        for lineno, message, comments, context in found:
            catalog.add(message, None, [(_location(project, path), lineno)], auto_comments=comments,
                        context=context)
    return catalog


def _sources(project: Path) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """The theme's templates, the package's Python labels, then the project's own templates."""
    theme = theme_dir("templates")
    yield from _templates(theme)
    for path in sorted(_PACKAGE.rglob("*.py")):
        yield path, "python", {}
    own = project / "templates"
    if own.is_dir() and own.resolve() != theme.resolve():
        yield from _templates(own)


def _templates(root: Path) -> Iterator[tuple[Path, str, dict[str, str]]]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in _TEMPLATE_SUFFIXES:
            yield path, _JINJA, _JINJA_OPTIONS


def _location(project: Path, path: Path) -> str:
    """How a source file is named in ``#:`` comments: project-relative, or ``<handpress>/…`` for the
    installed theme and package."""
    resolved = path.resolve()
    if resolved.is_relative_to(project.resolve()):
        return resolved.relative_to(project.resolve()).as_posix()
    for base in (theme_dir("templates").parent.resolve(), _PACKAGE.parent.resolve()):
        if resolved.is_relative_to(base):
            return "<handpress>/" + resolved.relative_to(base).as_posix()
    return resolved.as_posix()


def template_path(project: Path) -> Path:
    return project / LOCALES / TEMPLATE_NAME


def write_template(project: Path) -> CatalogReport:
    """``handpress i18n extract``: write ``locales/messages.pot`` (left alone when no message changed,
    so its creation date only moves when the strings do)."""
    catalog = extract(project)
    path = template_path(project)
    shown = display_path(project, path)
    count = sum(1 for m in catalog if m.id)
    if path.is_file() and _signature(read_catalog(path, None, shown)) == _signature(catalog):
        return CatalogReport(shown, "unchanged", count)
    status = "updated" if path.is_file() else "created"
    _write(path, _render_po(catalog, template=True))
    return CatalogReport(shown, status, count)


def update_catalogs(project: Path, languages: Iterable[str]) -> list[CatalogReport]:
    """``handpress i18n update``: merge ``locales/messages.pot`` into each language's catalog, creating
    missing ones (Babel's Catalog.update: new strings added, changed ones matched and marked fuzzy,
    removed ones kept as obsolete ``#~`` entries). English, the source language, gets none."""
    path = template_path(project)
    shown = display_path(project, path)
    if not path.is_file():
        raise HandpressError.at(shown, None, "no catalog template; run 'handpress i18n extract' first")
    template = read_catalog(path, None, shown)
    reports = []
    for lang in languages:
        if not needs_catalog(lang):
            continue
        target = catalog_path(project / LOCALES, lang)
        target_shown = display_path(project, target)
        if target.is_file():
            catalog = read_catalog(target, lang, target_shown)
        else:
            catalog = Catalog(locale=lang.replace("-", "_"), domain=DOMAIN, project="handpress", charset="utf-8",
                              creation_date=template.creation_date, fuzzy=False)
        catalog.update(template, update_creation_date=False)
        data = _render_po(catalog, template=False)
        status = "created" if not target.is_file() else "unchanged" if target.read_bytes() == data else "updated"
        if status != "unchanged":
            _write(target, data)
        messages = [m for m in catalog if m.id]
        reports.append(CatalogReport(
            target_shown, status, len(messages),
            untranslated=sum(1 for m in messages if not m.fuzzy and not _is_translated(m)),
            fuzzy=sum(1 for m in messages if m.fuzzy),
        ))
    return reports


def _is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def _signature(catalog: Catalog) -> list[tuple[object, ...]]:
    return [(m.id, m.context, tuple(sorted(m.locations)), tuple(m.auto_comments)) for m in catalog if m.id]


def write_catalog(path: Path, catalog: Catalog) -> None:
    """Write a language's catalog atomically."""
    _write(path, _render_po(catalog, template=False))


def _render_po(catalog: Catalog, *, template: bool) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=template,
             include_previous=False)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- locale-aware formatting for templates -----------------------------------------------------


def format_number(value: int | float | Decimal | str, lang: str, format: str | None = None) -> str:
    """``1234567.5`` as the language writes it: ``1,234,567.5`` (en), ``1.234.567,5`` (es)."""
    return format_decimal(value, format=format, locale=babel_locale(lang))


def format_date(value: dt.date, lang: str, format: str = "long") -> str:
    """``2026-11-22`` as ``November 22, 2026`` (en), ``22 de noviembre de 2026`` (es)."""
    return babel_format_date(value, format=format, locale=babel_locale(lang))


def language_name(code: str, lang: str) -> str:
    """The name of language ``code`` in language ``lang``: ``inglés`` for ("en", "es")."""
    return babel_locale(code).get_display_name(babel_locale(lang)) or code


def install_formatters(env: jinja2.Environment, lang: str) -> jinja2.Environment:
    """Give one language's environment ``format_number``, ``format_date`` (filters and globals) and
    ``language_name`` (a global), all in that language."""

    def number(value: int | float | Decimal | str, format: str | None = None) -> str:
        return format_number(value, lang, format)

    def date(value: dt.date, format: str = "long") -> str:
        return format_date(value, lang, format)

    def name(code: str) -> str:
        return language_name(code, lang)

    env.filters.update(format_number=number, format_date=date)
    env.globals.update(format_number=number, format_date=date, language_name=name)
    return env
