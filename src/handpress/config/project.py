"""handpress.toml: a declared schema, validated all at once, with lines and "did you mean".

The TOML is parsed by :mod:`tomllib`; the schema is a set of frozen pydantic models. Every
problem is collected and reported together as ``handpress.toml:LINE: error: …``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from handpress.config.audit import AuditSettings
from handpress.config.checks import ChecksConfig
from handpress.config.feedback import check_feedback
from handpress.config.pages import MarkdownOptions, NavEntry
from handpress.errors import ConfigError, Diagnostic, Located

CONFIG_NAME = "handpress.toml"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def check_language(code: str) -> str:
    """Return ``code`` if Babel knows it as a language, else raise ValueError."""
    if not isinstance(code, str) or not _LANG_RE.match(code):
        raise ValueError(f"malformed language code {code!r} (expected e.g. 'en', 'es', 'pt-BR')")
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown language code {code!r}") from None
    return code


def _language_keys(value: dict[str, Any]) -> dict[str, Any]:
    """A table of tables by language code (``[translations.es]``), its codes checked."""
    return {check_language(lang): text for lang, text in value.items()}


def _in_language(fields: dict[str, str], own: BaseModel | None, lang: str, default: str) -> dict[str, tuple[str, str]]:
    """Each of ``fields`` as (words, their language): ``own``'s (a translation into ``lang``) where it
    gives them, else the default language's."""
    return {name: (getattr(own, name), lang) if own is not None and getattr(own, name) is not None
            else (value, default) for name, value in fields.items()}


class HandbookText(_Model):
    """A handbook's cover words in one language (``[handbooks.translations.es]``); what is left out
    stays in the default language, marked as such."""

    title: str | None = Field(default=None, min_length=1)
    subtitle: str | None = None
    organisation: str | None = None
    marking: str | None = None


class HandbookConfig(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    subtitle: str = ""
    pages: tuple[str, ...] = ("**",)
    languages: tuple[str, ...] | None = None
    paper: Literal["A4", "Letter"] = "A4"
    organisation: str | None = None
    date: str | None = None
    version: str | None = None
    marking: str | None = None
    translations: dict[str, HandbookText] = {}

    @field_validator("languages")
    @classmethod
    def _langs(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else tuple(check_language(v) for v in value)

    _translation_langs = field_validator("translations")(_language_keys)

    def text(self, lang: str, default: str) -> dict[str, tuple[str, str]]:
        """Each cover field as (words, their language) for a handbook in ``lang``."""
        fields = {"title": self.title, "subtitle": self.subtitle, "organisation": self.organisation or "",
                  "marking": self.marking or ""}
        return _in_language(fields, self.translations.get(lang), lang, default)


class TranslateConfig(_Model):
    hook: str | None = Field(default=None, pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class PdfConfig(_Model):
    variant: Literal["pdf/ua-1", "pdf/a-3u", "pdf/ua-2", "pdf/a-3a"] = "pdf/ua-1"


class SiteText(_Model):
    """The site's own words in one language (``[translations.es]``); what is left out stays in the
    default language, marked as such on the page."""

    title: str | None = Field(default=None, min_length=1)
    description: str | None = None
    organisation: str | None = None


class SiteConfig(_Model):
    """The validated project configuration."""

    title: str = Field(min_length=1)
    description: str = ""
    base_url: str = ""
    organisation: str = ""
    feedback: str = ""  # mailto: or http(s) address for readers' comments (config/feedback.py)
    language: str = "en"
    languages: tuple[str, ...] = ()
    trusted_html: bool = False
    handbooks: tuple[HandbookConfig, ...] = ()
    audit: AuditSettings = AuditSettings()
    translate: TranslateConfig = TranslateConfig()
    pdf: PdfConfig = PdfConfig()
    checks: ChecksConfig = ChecksConfig()
    translations: dict[str, SiteText] = {}
    content_dir: str = Field(default="content", pattern=r"^[^/\\.][^\\]*$")  # the folder of pages, in the project
    nav: tuple[NavEntry, ...] = ()  # page order and titles; empty: folders and file names give them
    exclude: tuple[str, ...] = ()  # .gitignore-style patterns of content files that are not published
    not_in_nav: tuple[str, ...] = ()  # patterns of pages that are meant to be left out of nav
    markdown: MarkdownOptions = MarkdownOptions()
    _source: str = PrivateAttr(default="")  # the TOML text, to locate keys in messages
    _name: str = PrivateAttr(default=CONFIG_NAME)  # the file it was read from
    _notes: tuple[Diagnostic, ...] = PrivateAttr(default=())  # warnings and notes from reading it
    _lines: dict[tuple[Any, ...], int | None] = PrivateAttr(default_factory=dict)  # key path -> line (mkdocs.yml)

    @field_validator("language")
    @classmethod
    def _lang(cls, value: str) -> str:
        return check_language(value)

    @field_validator("languages")
    @classmethod
    def _langs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(check_language(v) for v in value)

    _translation_langs = field_validator("translations")(_language_keys)
    _feedback = field_validator("feedback")(check_feedback)

    @field_validator("base_url")
    @classmethod
    def _base(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("base_url must be an absolute http(s) URL such as 'https://example.org/guide/'")
        return value if not value or value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _default_first(self) -> "SiteConfig":
        langs = (self.language,) + tuple(l for l in self.languages if l != self.language)
        object.__setattr__(self, "languages", langs)
        for lang in self.translations:
            if lang not in langs:
                raise Located(("translations", lang), f"a translation for {lang!r}, which is not in languages")
        ids = [h.id for h in self.handbooks]
        for n, hb in enumerate(self.handbooks):
            if ids.index(hb.id) != n:
                raise Located(("handbooks", n, "id"), f"handbook id {hb.id!r} is declared twice")
        for n, hb in enumerate(self.handbooks):
            for lang in hb.languages or ():
                if lang not in langs:
                    raise Located(("handbooks", n, "languages"),
                                  f"handbook {hb.id!r} names language {lang!r}, which is not in languages")
            for lang in hb.translations:
                if lang not in (hb.languages or langs):
                    raise Located(("handbooks", n, "translations", lang), f"handbook {hb.id!r} has a translation "
                                  f"for {lang!r}, which it is not published in")
        return self

    @property
    def default_language(self) -> str:
        return self.language

    def text(self, lang: str) -> dict[str, tuple[str, str]]:
        """The site's title, description and organisation as (words, their language) for pages in ``lang``."""
        fields = {"title": self.title, "description": self.description, "organisation": self.organisation}
        return _in_language(fields, self.translations.get(lang), lang, self.language)

    def is_rtl(self, lang: str) -> bool:
        return lang.split("-")[0] in RTL_LANGUAGES

    def line_of(self, *loc: str | int) -> int | None:
        """The handpress.toml line of a key path such as ``("handbooks", 0, "pages")``, if known."""
        if self._lines:
            return next((self._lines[loc[:k]] for k in range(len(loc), 0, -1) if loc[:k] in self._lines), None)
        return _line_of(self._source, tuple(loc)) if self._source else None

    @property
    def file_name(self) -> str:
        """The project file this configuration was read from (handpress.toml or mkdocs.yml)."""
        return self._name

    @property
    def notes(self) -> tuple[Diagnostic, ...]:
        """Warnings and notes about the project file that do not stop a build (keys of mkdocs.yml
        handpress does not use, and what it does instead)."""
        return self._notes


def require_project(project: Path) -> Path:
    """``project/handpress.toml``, else its ``mkdocs.yml``; a missing folder or file is a :class:`ConfigError`."""
    from handpress.config import mkdocs

    if not project.is_dir():
        raise ConfigError.at(str(project), None, "project folder does not exist")
    path = project / CONFIG_NAME
    if not path.is_file():
        other = mkdocs.find(project)
        if other is not None:
            return other
        raise ConfigError.at(
            CONFIG_NAME, None, f"no {CONFIG_NAME} in {project} (create one with: title = \"My guide\")"
        )
    return path


def load_config(project: Path) -> SiteConfig:
    """Read and validate ``project/handpress.toml``, or, in a project without one, its ``mkdocs.yml``
    (:mod:`handpress.config.mkdocs`). A project with both uses handpress.toml, and says so."""
    from handpress.config import mkdocs

    path = require_project(project)
    if path.name != CONFIG_NAME:
        return mkdocs.load(project)
    other = mkdocs.find(project)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError.at(CONFIG_NAME, None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark from a Windows editor is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError.at(CONFIG_NAME, line, "file is not valid UTF-8 text") from None
    config = parse_config(text)
    if other is not None:
        config._notes = (Diagnostic(other.name, None, "info", f"not read: this project's settings are in {CONFIG_NAME}",
                                    "mkdocs"),)
    return config


def languages_only(project: Path) -> SiteConfig | None:
    """When handpress.toml is invalid: a stand-in holding just its languages, if those are valid,
    so the content can still be read and its problems reported with the config's."""
    try:
        if not (project / CONFIG_NAME).is_file():
            from handpress.config import mkdocs

            data = mkdocs.read(project)[0]
            keep = {k: data[k] for k in ("language", "languages", "content_dir", "exclude") if k in data}
            return SiteConfig.model_validate({"title": "(invalid mkdocs.yml)", **keep})
        data = tomllib.loads((project / CONFIG_NAME).read_text(encoding="utf-8"))
        keep = {k: data[k] for k in ("language", "languages") if k in data}
        return SiteConfig.model_validate({"title": "(invalid handpress.toml)", **keep})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError, ConfigError):
        return None


def parse_config(text: str, name: str = CONFIG_NAME) -> SiteConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        raise ConfigError.at(name, int(match.group(1)) if match else None, f"invalid TOML: {message}") from None
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_diagnostics(exc, data, text, name)) from None
    config._source = text
    return config


def _diagnostics(exc: ValidationError, data: dict[str, Any], text: str, name: str) -> list[Diagnostic]:
    found = []
    for err in exc.errors():
        loc = tuple(part for part in err["loc"] if part != "[key]")  # a table's key that failed its own check
        key_path = ".".join(str(p) for p in loc)
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, Located):  # a check across keys: its own words, at the key it names
            found.append(Diagnostic(name, _line_of(text, cause.loc), "error", str(cause)))
            continue
        if err["type"] == "extra_forbidden":
            message = f"unknown key '{key_path}'" + _did_you_mean(loc, _schema_for(loc[:-1]))
        elif err["type"] == "missing":
            message = f"missing required key '{key_path}'"
        else:
            message = f"'{key_path}': {describe(err)}" if key_path else describe(err)
        found.append(Diagnostic(name, _line_of(text, loc), "error", message))
    return sorted(set(found), key=lambda d: (d.line or 0, d.message))


_PLAIN_WORDS = {
    "string_type": "should be text in quotes",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
    "tuple_type": "should be a list, e.g. [\"a\", \"b\"]",
    "list_type": "should be a list, e.g. [\"a\", \"b\"]",
    "model_type": "should be a table of keys",
    "dict_type": "should be a table of keys",
    "date_type": "should be a date such as 2024-05-31",
    "date_from_datetime_parsing": "should be a date such as 2024-05-31",
    "date_from_datetime_inexact": "should be a date such as 2024-05-31, without a time",
}


def describe(err: Any) -> str:
    """A pydantic error in plain words, with the value found when that helps."""
    if err["type"] in _PLAIN_WORDS:
        message = _PLAIN_WORDS[err["type"]]
    else:
        message = err["msg"].removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
    value = err.get("input")
    if err["type"] != "value_error" and isinstance(value, (str, int, float, bool)) and not isinstance(value, dict):
        shown = repr(value) if not isinstance(value, bool) else str(value).lower()
        message += f" (found {shown[:60]})"
    return message


def _schema_for(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = SiteConfig
    keyed = False  # the last field was a table of tables by name (translations.es): skip the name
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        if keyed:
            keyed = False
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        ann = field.annotation
        keyed = getattr(ann, "__origin__", None) is dict
        inner = getattr(ann, "__args__", (ann,))
        model = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return model


def _did_you_mean(loc: tuple[Any, ...], model: type[BaseModel] | None) -> str:
    if model is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")  # [table], [a.b], [[array]]
_KEY = re.compile(r"^\s*([\w\-.\"' ]+?)\s*=")  # key = …, "quoted key" = …, dotted.key = …


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line of a key path such as ``("handbooks", 1, "translations", "es", "title")``: the
    line of the key, else of the nearest table or key above it. tomllib (which has read the text
    already) gives no positions, so the lines are indexed by their headers and keys."""
    lines = _key_lines(text)
    for k in range(len(loc), 0, -1):
        if loc[:k] in lines:
            return lines[loc[:k]]
    return None


def _names(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))


def _key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Each table and key path of the TOML ``text`` (array elements by index) -> its first line."""
    found: dict[tuple[Any, ...], int] = {}
    counts: dict[tuple[Any, ...], int] = {}  # array of tables -> index of its current element
    table: tuple[Any, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(line):
            names, table = _names(header.group(2)), ()
            for i, name in enumerate(names):
                table += (name,)
                found.setdefault(table, number)
                if header.group(1) == "[[" and i == len(names) - 1:
                    counts[table] = counts.get(table, -1) + 1
                if table in counts:
                    table += (counts[table],)
            found.setdefault(table, number)
        elif key := _KEY.match(line):
            found.setdefault(table + _names(key.group(1)), number)
    return found