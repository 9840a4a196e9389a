"""Reading content/: Markdown documents with YAML front matter, and YAML data files.

Everything read here is frozen. Problems are collected and raised together, each with the
file and line it comes from.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import pathspec
import yaml
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from handpress.config import SiteConfig, describe
from handpress.errors import ContentError, Diagnostic
from handpress.site.extensions.snippets import Snippets, gather

CONTENT_DIR = "content"
SOURCE_SUFFIXES = frozenset({".md", ".yaml", ".yml"})  # read as content; every other file is copied
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE = re.compile(r"^---[ \t]*\r?$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*\r?$")
_LANG_SUFFIX = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_ORDER_PREFIX = re.compile(r"^(\d+)[-_](?=.)")
_BAD_SEGMENT = re.compile(r"^\.|[\\/\x00-\x1f<>:\"|?*]")


class FrontMatter(BaseModel):
    """The front matter keys handpress knows. Others are kept for templates."""

    model_config = ConfigDict(extra="allow", frozen=True)

    title: str | None = None
    summary: str | None = None
    date: dt.date | None = None
    updated: dt.date | None = None
    order: int | None = None
    slug: str | None = None
    template: str | None = None
    draft: bool = False
    lang: str | None = None
    machine_translated: bool = False
    collection: str | None = None

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and (not value or value in {".", ".."} or _BAD_SEGMENT.search(value)):
            raise ValueError(f"slug {value!r} is not a single safe path segment (use letters, digits and '-')")
        return value

    @field_validator("title", "summary", "template", "collection", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # title: 1984
        if value is not None and not isinstance(value, str):
            raise ValueError("must be text; put it in quotes (key: \"…\")")
        return value


@dataclass(frozen=True)
class Document:
    """One Markdown source file, read and split, nothing rendered yet."""

    source: str  # project-relative POSIX path, e.g. content/about/mission.es.md
    base: str  # the translation-independent path under content/, e.g. about/mission.md
    lang: str
    key: str  # the page's URL key, e.g. about/mission ('' for the home page)
    meta: FrontMatter
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    order_hint: str = ""  # the file name, for ordering
    meta_lines: Mapping[str, int] = field(default_factory=dict)  # front matter key -> its line in the file
    snippets: Snippets | None = None  # what its --8<-- lines include, when snippets are on (``[markdown] snippets``)
    heading_ids: str = "handpress"  # how its headings' ids are made (``[markdown] heading_ids``)

    @property
    def extra(self) -> Mapping[str, Any]:
        return MappingProxyType(dict(self.meta.model_extra or {}))


@dataclass(frozen=True)
class Content:
    documents: tuple[Document, ...]
    data: Mapping[tuple[str, str], Any] = field(default_factory=dict)  # (name, lang) -> data
    drafts: tuple[str, ...] = ()  # content-relative paths (``base``) of drafts left out


def load_content(project: Path, config: SiteConfig, *, drafts: bool = False) -> Content:
    """Every document and data file in content/; raises with every file's problems together."""
    content, problems = read_content(project, config, drafts=drafts)
    if problems:
        raise ContentError(problems)
    return content


def read_content(project: Path, config: SiteConfig, *, drafts: bool = False) -> tuple[Content, list[Diagnostic]]:
    """What can be read of content/, and the problems of the files that cannot."""
    root = project / config.content_dir
    if not root.is_dir():
        raise ContentError.at(config.content_dir, None, f"no {config.content_dir}/ folder in the project")
    problems: list[Diagnostic] = []
    documents: list[Document] = []
    skipped: list[str] = []
    data: dict[tuple[str, str], Any] = {}
    for path in content_files(root, config):
        rel = path.relative_to(project).as_posix()
        try:
            if path.suffix == ".md":
                doc = read_document(project, path, config)
                if drafts or not doc.meta.draft:
                    documents.append(doc)
                elif doc.lang == config.default_language:
                    skipped.append(doc.base)
            elif path.suffix in {".yaml", ".yml"}:
                name, lang = _split_lang(path.relative_to(root).with_suffix("").as_posix(), config, rel)
                data[(name, lang)] = _read_yaml_file(rel, _read_text(path, rel))
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    return Content(tuple(documents), MappingProxyType(data), tuple(skipped)), problems


def content_files(root: Path, config: SiteConfig) -> Iterable[Path]:
    """Every file of the content folder ``root`` that is published, in order: not hidden, not excluded by
    the ``exclude`` patterns (.gitignore-style, as MkDocs' exclude_docs)."""
    excluded = pathspec.GitIgnoreSpec.from_lines(config.exclude) if config.exclude else None
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        if excluded is not None and excluded.match_file(rel.as_posix()):
            continue
        yield path


def read_document(project: Path, path: Path, config: SiteConfig) -> Document:
    rel = path.relative_to(project).as_posix()
    text = _read_text(path, rel)
    if not text.strip():
        raise ContentError.at(rel, 1, "file is empty (write a '# Heading' and some text, or delete it)")
    meta, body, body_line, lines = _split_front_matter(text, rel)
    # NFC: a name typed as 'café' and one saved as 'cafe\u0301' (macOS) are the same page and URL.
    stem = unicodedata.normalize("NFC", path.relative_to(project / config.content_dir).with_suffix("").as_posix())
    stem_path, lang = _split_lang(stem, config, rel)
    fm = _front_matter(meta, rel, text)
    if fm.lang is not None and fm.lang != lang:
        if fm.lang not in config.languages:
            raise ContentError.at(rel, lines.get("lang"), f"language {fm.lang!r} is not one of the configured "
                                  f"languages ({', '.join(config.languages)})")
        lang = fm.lang
    return Document(
        source=rel,
        base=stem_path + ".md",
        lang=lang,
        key=_key(stem_path, fm.slug, rel, lines.get("slug")),
        meta=fm,
        body=body,
        body_line=body_line,
        order_hint=PurePosixPath(stem_path).name,
        meta_lines=MappingProxyType(lines),
        snippets=gather(body, project, config.markdown.snippets, config.markdown.auto_append)
        if config.markdown.snippets else None,
        heading_ids=config.markdown.heading_ids,
    )


def split_front_matter(text: str, rel: str) -> tuple[dict[str, Any], str, int]:
    """Split ``---`` YAML front matter from the body. Returns (meta, body, body's first line)."""
    return _split_front_matter(text, rel)[:3]


def _split_front_matter(text: str, rel: str) -> tuple[dict[str, Any], str, int, dict[str, int]]:
    """:func:`split_front_matter` and the line of each top-level key, from one reading of the YAML."""
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0]):
        return {}, text, 1, {}
    end = next((i for i in range(1, len(lines)) if _END.match(lines[i])), None)
    if end is None:
        raise ContentError.at(rel, 1, "front matter starts with '---' but has no closing '---' line")
    meta, node = _read_yaml_node(rel, "".join(lines[1:end]), first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError.at(rel, 2, "front matter must be a mapping of keys to values (key: value)")
    return meta, "".join(lines[end + 1 :]), end + 2, _lines_of_keys(node)


def _read_text(path: Path, rel: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError.at(rel, None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError.at(rel, line, "file is not valid UTF-8 text (save it as UTF-8)") from None


def _read_yaml(rel: str, text: str, first_line: int = 1) -> Any:
    return _read_yaml_node(rel, text, first_line)[0]


def _read_yaml_node(rel: str, text: str, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """The YAML document in ``text`` and its node (where each part of it was written)."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            return (loader.construct_document(node) if node is not None else None), node
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        context = exc.context
        if context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            context += f" (from line {first_line + exc.context_mark.line})"
        problem = " ".join(p for p in (context, exc.problem) if p) or "malformed YAML"
        raise ContentError.at(rel, line, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = first_line + text[: exc.position].count("\n")
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ContentError.at(rel, line, f"invalid YAML: character U+{code:04X} is not allowed "
                              f"({exc.reason})") from None
    except yaml.YAMLError as exc:
        raise ContentError.at(rel, first_line, f"invalid YAML: {str(exc).splitlines()[0]}") from None
    except ValueError as exc:  # a well-formed value that cannot be constructed, e.g. the date 2024-02-30
        line, value = _unconstructible(text)
        raise ContentError.at(rel, first_line + line, f"invalid YAML: {value!r} is not a real date or time "
                              f"({exc})") from None


def _unconstructible(text: str) -> tuple[int, str]:
    """The (0-based line, text) of the first date or time that YAML reads but Python cannot build."""
    nodes = [yaml.compose(text, Loader=_Loader)]
    while nodes:
        node = nodes.pop(0)
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.load(node.value, Loader=_Loader)
            except ValueError:
                return node.start_mark.line, node.value
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            nodes.extend(n for pair in node.value for n in pair)
    return 0, text.strip()[:40]


def _read_yaml_file(rel: str, text: str) -> Any:
    if not text.strip():
        raise ContentError.at(rel, 1, "data file is empty")
    return _read_yaml(rel, text)


def _front_matter(meta: dict[str, Any], rel: str, text: str) -> FrontMatter:
    try:
        return FrontMatter.model_validate({str(k): v for k, v in meta.items()})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else ""
            problems.append(Diagnostic(rel, _key_line(text, key), "error", f"front matter '{key}': {describe(err)}"))
        raise ContentError(problems) from None


def _key_line(text: str, key: str) -> int | None:
    """The line of a top-level front matter key (the front matter's first line if not found)."""
    if split_front_matter_text(text) is None:
        return None
    return _key_lines(text).get(key, 2)


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level front matter key, from the YAML node marks."""
    head = split_front_matter_text(text)
    if head is None:
        return {}
    return _lines_of_keys(yaml.compose(head, Loader=_Loader))


def _lines_of_keys(node: yaml.Node | None) -> dict[str, int]:
    """The file line of each key of a front matter's top-level mapping (its YAML starts on line 2)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(knode.value): knode.start_mark.line + 2 for knode, _ in node.value}


def split_front_matter_text(text: str) -> str | None:
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0]):
        return None
    end = next((i for i in range(1, len(lines)) if _END.match(lines[i])), len(lines))
    return "".join(lines[1:end])


def _split_lang(stem_path: str, config: SiteConfig, rel: str) -> tuple[str, str]:
    """``about/mission.es`` -> (``about/mission``, ``es``); no suffix -> default language."""
    head, dot, suffix = stem_path.rpartition(".")
    if dot and "/" not in suffix and _LANG_SUFFIX.match(suffix):
        if suffix in config.languages:
            return head, suffix
        if _known_language(suffix):
            raise ContentError.at(
                rel, None,
                f"file name names language {suffix!r}, which is not in handpress.toml languages "
                f"({', '.join(config.languages)}); add it there or rename the file",
            )
    return stem_path, config.default_language


def _known_language(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
        return True
    except (UnknownLocaleError, ValueError):
        return False


def _key(stem_path: str, slug: str | None, rel: str, slug_line: int | None = None) -> str:
    parts = [_ORDER_PREFIX.sub("", p) for p in stem_path.split("/")]
    for part in parts:
        if part in {"", ".", ".."} or _BAD_SEGMENT.search(part):
            raise ContentError.at(rel, None, f"file name segment {part!r} cannot be part of a URL")
    if parts[-1] == "index":
        if slug is not None:
            raise ContentError.at(rel, slug_line, "an index page cannot have a slug (rename its folder instead)")
        parts = parts[:-1]
    elif slug is not None:
        parts[-1] = slug
    return "/".join(parts)


def iter_sources(content: Content) -> Iterable[str]:
    return (d.source for d in content.documents)
