"""mkdocs.yml as a project file: an MkDocs project read into the same :class:`SiteConfig` that
handpress.toml gives, so it builds unchanged.

The YAML is read with PyYAML: composed first, so every key keeps the line it was written on, then
constructed. Its tags never break reading: ``!ENV`` is resolved as MkDocs resolves it, other tags
(``!!python/name:…``, ``!relative``) are left out with a note. ``INHERIT`` files are merged under it,
as MkDocs merges them. Every key, extension or plugin handpress does not use gets one warning at its
line, saying what handpress does instead (the wording is in :mod:`.mkdocs_keys`).
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup
from pydantic import ValidationError

from handpress.config import mkdocs_keys as keys
from handpress.config.project import SiteConfig, describe
from handpress.errors import ConfigError, Diagnostic

NAMES = ("mkdocs.yml", "mkdocs.yaml")
_TEXT_KEYS = {"site_name": "title", "site_description": "description", "site_author": "organisation"}


def find(project: Path) -> Path | None:
    """The project's mkdocs.yml (or mkdocs.yaml), if it has one."""
    return next((project / name for name in NAMES if (project / name).is_file()), None)


@dataclass
class _Read:
    """One mkdocs.yml and the files it inherits from, merged: values, and where each key was written."""

    data: dict[str, Any] = field(default_factory=dict)
    where: dict[tuple[Any, ...], tuple[str, int]] = field(default_factory=dict)  # key path -> (file, line)
    notes: list[Diagnostic] = field(default_factory=list)

    def at(self, *path: Any) -> tuple[str, int | None]:
        for k in range(len(path), 0, -1):
            if path[:k] in self.where:
                return self.where[path[:k]]
        return (self.first, None)

    first: str = "mkdocs.yml"

    def warn(self, path: tuple[Any, ...], message: str, severity: str = "warning", code: str = "mkdocs") -> None:
        name, line = self.at(*path)
        self.notes.append(Diagnostic(name, line, severity, message, code))  # type: ignore[arg-type]


class _Loader(yaml.SafeLoader):
    """SafeLoader with MkDocs' ``!ENV`` and a place for every other tag it does not know."""

    def __init__(self, stream: str, name: str):
        super().__init__(stream)
        self.name = name
        self.ignored: list[Diagnostic] = []


def _env(loader: _Loader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable that is set, read as YAML reads a
    plain value; else the default (as pyyaml_env_tag, which MkDocs uses, does)."""
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
        if len(children) > 1:
            default = loader.construct_object(children[-1])
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV takes a name or a list of names",
                                                node.start_mark)
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _ignored(loader: _Loader, suffix: str, node: yaml.Node) -> None:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    loader.ignored.append(Diagnostic(loader.name, node.start_mark.line + 1, "info",
                                     f"the value tagged {tag} is left out: handpress runs no Python named in its "
                                     "configuration and reads paths from the project folder", "mkdocs"))
    return None


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("", _ignored)  # after the exact tags: !!python/name:…, !relative and the like


def _lines(node: yaml.Node, path: tuple[Any, ...], name: str, into: dict[tuple[Any, ...], tuple[str, int]]) -> None:
    into[path] = (name, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                into[path + (key.value,)] = (name, key.start_mark.line + 1)
                _lines(value, path + (key.value,), name, into)
                into[path + (key.value,)] = (name, key.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, path + (i,), name, into)


def _read_file(path: Path, name: str, seen: tuple[Path, ...] = ()) -> _Read:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError.at(name, None, f"cannot read the file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError.at(name, None, "file is not valid UTF-8 text") from None
    loader = _Loader(text, name)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "malformed YAML"
        raise ConfigError.at(name, mark.line + 1 if mark else None, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError.at(name, None, f"invalid YAML: {str(exc).splitlines()[0]}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ConfigError.at(name, 1, "mkdocs.yml must be a mapping of keys to values (site_name: …)")
    read = _Read(first=name)
    _lines(node, (), name, read.where)
    read.notes.extend(loader.ignored)
    parent = data.pop("INHERIT", None)
    if parent is None:
        read.data = data
        return read
    line = read.where.get(("INHERIT",), (name, None))[1]
    if not isinstance(parent, str) or not parent:
        raise ConfigError.at(name, line, "INHERIT should be the path of another YAML file")
    base_path = (path.parent / parent).resolve()
    base_name = posixpath.normpath(posixpath.join(posixpath.dirname(name), parent))
    if base_path in seen + (path.resolve(),):
        raise ConfigError.at(name, line, f"INHERIT: {parent} inherits from this file again")
    if not base_path.is_file():
        raise ConfigError.at(name, line, f"INHERIT: no file {parent} (paths are relative to {name})")
    base = _read_file(base_path, base_name, seen + (path.resolve(),))
    base.data = _merge(base.data, data)
    base.where.update(read.where)
    base.notes.extend(read.notes)
    base.first = name
    return base


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base``: mappings key by key, anything else replaced (mergedeep's default, as MkDocs)."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read(project: Path) -> tuple[dict[str, Any], _Read]:
    """The settings of ``project``'s mkdocs.yml as handpress.toml would hold them, and the reading
    (lines and notes) they came from."""
    path = find(project)
    if path is None:
        raise ConfigError.at(NAMES[0], None, f"no mkdocs.yml in {project}")
    source = _read_file(path, path.name)
    data = source.data
    settings: dict[str, Any] = {}
    located: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # handpress key path -> mkdocs.yml key path
    for name, value in data.items():
        if value is None:
            continue
        if name in _TEXT_KEYS:
            settings[_TEXT_KEYS[name]] = value
            located[(_TEXT_KEYS[name],)] = (name,)
        elif name == "site_url":
            settings["base_url"], located[("base_url",)] = value, (name,)
        elif name == "docs_dir":
            settings["content_dir"], located[("content_dir",)] = _folder(value), (name,)
        elif name == "copyright":
            pass  # on the default handbook's cover, below
        elif name == "nav":
            settings["nav"] = keys.nav(value, source, located)
        elif name == "exclude_docs":
            settings["exclude"] = tuple(l.strip() for l in str(value).splitlines() if l.strip())
            located[("exclude",)] = (name,)
        elif name == "not_in_nav":
            settings["not_in_nav"] = tuple(l.strip() for l in str(value).splitlines() if l.strip())
            located[("not_in_nav",)] = (name,)
        elif name == "theme":
            keys.theme(value, source, settings, located)
        elif name == "markdown_extensions":
            settings["markdown"] = {**settings.get("markdown", {}), **keys.extensions(value, source, project,
                                                                                    path.parent)}
        elif name == "plugins":
            keys.plugins(value, source, settings, located)
        elif name in keys.IGNORED:
            source.warn((name,), keys.IGNORED[name])
        else:
            source.warn((name,), f"unknown mkdocs.yml key '{name}' is not used")
    settings.setdefault("content_dir", "docs")  # MkDocs' default docs_dir
    settings["exclude"] = _not_published(data.get("theme"), path.parent, settings["content_dir"]) + tuple(
        settings.get("exclude", ()))
    settings.setdefault("markdown", {})["heading_ids"] = "python-markdown"  # as MkDocs' toc makes them
    if "title" not in settings:
        settings.setdefault("title", "")
        located[("title",)] = ("site_name",)
    title = str(settings.get("title") or "")
    copyright = Markup(str(data["copyright"])).striptags() if data.get("copyright") else None
    settings["handbooks"] = ({"id": "handbook", "title": title or "Handbook",
                              "subtitle": str(settings.get("description") or ""),
                              **({"organisation": str(settings["organisation"])} if settings.get("organisation") else {}),
                              **({"marking": copyright} if copyright else {})},)
    located[("handbooks",)] = ("copyright",) if copyright else ("site_name",)
    source.located = located  # type: ignore[attr-defined]
    return settings, source


def _not_published(theme: Any, config_dir: Path, docs_dir: Any) -> tuple[str, ...]:
    """What MkDocs never publishes from docs_dir besides hidden files: ``templates/`` at its top, and the
    theme's ``custom_dir`` when it lies inside (an MkDocs theme's partials are templates, not pages)."""
    found = ["/templates/"]
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom, str) and isinstance(docs_dir, str):
        docs, overrides = (config_dir / docs_dir).resolve(), (config_dir / custom).resolve()
        if overrides != docs and overrides.is_relative_to(docs):
            found.append(f"/{overrides.relative_to(docs).as_posix()}/")
    return tuple(found)


def _folder(value: Any) -> Any:
    return value.strip().rstrip("/").removeprefix("./") if isinstance(value, str) else value


def load(project: Path) -> SiteConfig:
    """Read ``project``'s mkdocs.yml into a :class:`SiteConfig`; its warnings are the config's notes."""
    settings, source = read(project)
    try:
        config = SiteConfig.model_validate(settings)
    except ValidationError as exc:
        found = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            cause = (err.get("ctx") or {}).get("error")
            if getattr(cause, "loc", None) is not None:
                loc = cause.loc
            where = _mkdocs_path(loc, source.located)  # type: ignore[attr-defined]
            name, line = source.at(*where)
            if loc == ("title",):
                message = "site_name is required: the title of the site"
            else:
                message = f"'{'.'.join(str(p) for p in where)}': {describe(err)}"
            found.append(Diagnostic(name, line, "error", message))
        raise ConfigError(sorted(set(found), key=lambda d: (d.line or 0, d.message))) from None
    config._name = source.first
    config._notes = tuple(source.notes)
    config._lines = {loc: source.at(*where)[1] for loc, where in source.located.items()}  # type: ignore[attr-defined]
    return config


def _mkdocs_path(loc: tuple[Any, ...], located: dict[tuple[Any, ...], tuple[Any, ...]]) -> tuple[Any, ...]:
    for k in range(len(loc), 0, -1):
        if loc[:k] in located:
            return located[loc[:k]]
    return loc[:1]
