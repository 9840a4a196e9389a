"""``handpress new --from-mkdocs DIR``: the handpress.toml that says what DIR's mkdocs.yml says, for a team
that moves over for good. Each setting carries a comment naming the mkdocs.yml key (and line) it came from;
what handpress does not use is listed at the top, with what it does instead. Written with tomlkit, read
back through the schema before it is saved, so the file always loads and builds the same site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomlkit

from handpress.config import mkdocs
from handpress.config import CONFIG_NAME, parse_config
from handpress.errors import ConfigError, HandpressError

_ORDER = ("title", "description", "organisation", "base_url", "language", "languages", "content_dir", "exclude",
          "not_in_nav")


def convert(project: Path) -> str:
    """The text of an equivalent handpress.toml for the MkDocs project in ``project``."""
    settings, source = mkdocs.read(project)
    located: dict[tuple[Any, ...], tuple[Any, ...]] = source.located  # type: ignore[attr-defined]
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"Made by 'handpress new --from-mkdocs' from {source.first}; handpress now reads this "
                            "file, not mkdocs.yml."))
    unused = [d for d in source.notes if d.severity in ("warning", "info")]
    if unused:
        doc.add(tomlkit.comment("Not carried over (what handpress does instead):"))
        for note in unused:
            where = f"{note.path}:{note.line}" if note.line else note.path
            doc.add(tomlkit.comment(f"  {where}: {note.message}"))
    doc.add(tomlkit.nl())
    for key in _ORDER:
        if key in settings and settings[key] not in (None, "", ()):
            value = settings[key]
            doc.add(key, list(value) if isinstance(value, tuple) else value)
            doc[key].comment(_origin(located.get((key,)), source))
    markdown = settings.get("markdown") or {}
    if markdown:
        table = tomlkit.table()
        table.comment("from markdown_extensions (toc, pymdownx.snippets); heading ids made as MkDocs makes them")
        for key, value in markdown.items():
            table.add(key, list(value) if isinstance(value, tuple) else value)
        doc.add(tomlkit.nl())
        doc.add("markdown", table)
    if settings.get("nav"):
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(f"The navigation, {_origin(located.get(('nav',)) or ('nav',), source)}: page order, "
                                "titles and sections"))
        nav = tomlkit.aot()
        for entry in settings["nav"]:
            nav.append(_nav_table(entry, tomlkit.table()))
        doc.add("nav", nav)
    for book in settings.get("handbooks", ()):
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment("The default handbook: the whole nav as one book; its cover from site_name, "
                                "site_description, site_author and copyright"))
        books = tomlkit.aot()
        table = tomlkit.table()
        for key, value in book.items():
            if value not in (None, ""):
                table.add(key, value)
        books.append(table)
        doc.add("handbooks", books)
    text = tomlkit.dumps(doc)
    _check(project, text)
    return text


def _origin(where: tuple[Any, ...] | None, source: Any) -> str:
    if not where:
        return "from mkdocs.yml"
    name, line = source.at(*where)
    return f"from {'.'.join(str(p) for p in where)} ({name}:{line})" if line else f"from {name}"


def _nav_table(entry: Any, table: Any = None) -> Any:
    """A nav entry as a TOML table (``[[nav]]``), its children as inline tables, one a line."""
    if not isinstance(entry, dict):
        raise ConfigError.at("mkdocs.yml", None, f"this nav entry cannot be written to handpress.toml: {entry!r}")
    table = tomlkit.inline_table() if table is None else table
    for key in ("title", "page", "url"):
        if entry.get(key) is not None:
            table.add(key, entry[key])
    if entry.get("children") is not None:
        children = tomlkit.array()
        for child in entry["children"]:
            children.append(_nav_table(child))
        children.multiline(True)
        table.add("children", children)
    return table


def _check(project: Path, text: str) -> None:  # noqa: ARG001
    """``text`` read through handpress.toml's schema, as the project would read it."""
    parse_config(text, CONFIG_NAME)


def write(project: Path) -> Path:
    """Write ``project``'s handpress.toml from its mkdocs.yml (which stays, for MkDocs)."""
    if mkdocs.find(project) is None:
        raise HandpressError.at(str(project), None, "has no mkdocs.yml to read")
    target = project / CONFIG_NAME
    if target.exists():
        raise HandpressError.at(str(target), None, "already exists; this project is read from it already")
    text = convert(project)
    target.write_text(text, encoding="utf-8")
    return target
