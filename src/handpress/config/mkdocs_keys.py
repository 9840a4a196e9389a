"""The parts of mkdocs.yml, one function each: ``nav``, ``theme``, ``markdown_extensions``, ``plugins``,
and what handpress says about the keys it does not use (:data:`IGNORED`)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any, Protocol

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class Source(Protocol):
    def warn(self, path: tuple[Any, ...], message: str, severity: str = ..., code: str = ...) -> None: ...


IGNORED = {
    "site_dir": "site_dir is not used: handpress builds into out/ (or --out)",
    "repo_url": "repo_url is not shown: handpress's theme has no repository link (override templates/ to add one)",
    "repo_name": "repo_name is not shown: handpress's theme has no repository link",
    "edit_uri": "edit_uri is not used: handpress's pages have no edit link",
    "edit_uri_template": "edit_uri_template is not used: handpress's pages have no edit link",
    "extra_css": "extra_css is not used: handpress's theme is the audited one; put stylesheets in styles/ to "
                 "override it by name",
    "extra_javascript": "extra_javascript is not used: handpress's pages work without scripts; override "
                        "templates/ to add one",
    "extra_templates": "extra_templates is not used: put templates in templates/",
    "extra": "extra is not used: handpress's templates do not read it",
    "use_directory_urls": "use_directory_urls is not used: handpress always publishes page/index.html",
    "strict": "strict is not used: pass --strict to handpress build or check",
    "validation": "validation is not used: handpress checks every link, image and anchor itself",
    "dev_addr": "dev_addr is not used: pass --host and --port to handpress serve",
    "watch": "watch is not used: handpress serve watches the project's own folders",
    "hooks": "hooks are not run: handpress runs no Python named in its configuration",
    "remote_branch": "remote_branch is not used: handpress does not deploy",
    "remote_name": "remote_name is not used: handpress does not deploy",
    "google_analytics": "google_analytics is not used: handpress's pages load no trackers",
}

# Markdown extensions whose syntax handpress reads (some options are read too, see extensions()).
SUPPORTED = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "extra", "fenced_code", "footnotes", "md_in_html", "tables",
    "toc", "meta", "sane_lists", "smarty", "codehilite", "markdown.extensions.abbr",
    "pymdownx.details", "pymdownx.tabbed", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.tasklist", "pymdownx.emoji", "pymdownx.snippets", "pymdownx.betterem", "pymdownx.saneheaders",
})
_PLUGINS = {
    "search": "plugin 'search' is not used: handpress's site map, contents and whole-guide page take its place",
    "mkdocstrings": "plugin 'mkdocstrings' is not used: '::: identifier' blocks are shown as a note that the "
                    "reference is not generated",
    "i18n": "",  # read: its languages are the site's
    "offline": "",  # what handpress's pages are anyway
}


def nav(value: Any, source: Source, located: dict[tuple[Any, ...], tuple[Any, ...]]) -> Any:
    """MkDocs' nav (``- path.md``, ``- Title: path.md``, ``- Title: https://…``, ``- Section: [...]``) as
    handpress's nav entries; a malformed entry is passed on as it is, for the schema's located error."""
    if not isinstance(value, list):
        located[("nav",)] = ("nav",)
        return value
    return tuple(_entry(item, ("nav", i), ("nav", i), located) for i, item in enumerate(value))


def _entry(item: Any, at: tuple[Any, ...], where: tuple[Any, ...],
           located: dict[tuple[Any, ...], tuple[Any, ...]]) -> Any:
    located[at] = where
    if isinstance(item, str):
        return {"url": item} if _URL.match(item) else {"page": _page(item)}
    if isinstance(item, dict) and len(item) == 1:
        (title, target), = item.items()
        title = str(title)
        if isinstance(target, list):
            located[at + ("children",)] = where + (title,)
            return {"title": title, "children": tuple(
                _entry(child, at + ("children", i), where + (title, i), located) for i, child in enumerate(target))}
        if isinstance(target, str):
            return {"title": title, "url": target} if _URL.match(target) else {"title": title, "page": _page(target)}
    return item


def _page(path: str) -> str:
    """A nav path as a content path: ``guide/`` is the folder's ``guide/index.md``, as in MkDocs."""
    folder = path.strip().endswith("/")
    path = posixpath.normpath(path.strip().lstrip("/")) if path.strip() else path
    return f"{path}/index.md" if folder and path not in ("", ".") else "index.md" if folder else path


def theme(value: Any, source: Source, settings: dict[str, Any], located: dict[tuple[Any, ...], tuple[Any, ...]]) -> None:
    """theme.language / theme.locale give the site's language; the rest of the theme is not used."""
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        source.warn(("theme",), "theme is not used: handpress's theme is the audited one")
        return
    for key in ("locale", "language"):
        if isinstance(value.get(key), str):
            settings.setdefault("language", value[key].replace("_", "-"))
            located[("language",)] = ("theme", key)
    name = value.get("name")
    shown = f"theme '{name}'" if isinstance(name, str) else "theme"
    rest = [k for k in value if k not in ("locale", "language", "name")]
    source.warn(("theme", "name") if name else ("theme",),
                f"{shown} is not used: handpress's own theme is the audited one (templates/ and styles/ still "
                "override it file by file)" + (f"; its settings ({', '.join(map(str, rest))}) are not read"
                                                if rest else ""))


def extensions(value: Any, source: Source, project: Path, config_dir: Path) -> dict[str, Any]:
    """Which of the listed Markdown extensions handpress reads; the options it uses (toc permalink and
    toc_depth, the snippets' base_path)."""
    options: dict[str, Any] = {}
    if not isinstance(value, list):
        source.warn(("markdown_extensions",), "markdown_extensions should be a list; it is not read")
        return options
    for i, item in enumerate(value):
        name, config = (item, {}) if isinstance(item, str) else next(iter(item.items())) if isinstance(
            item, dict) and len(item) == 1 else (None, {})
        if not isinstance(name, str):
            source.warn(("markdown_extensions", i), "this extension entry is not a name or 'name: {options}'")
            continue
        config = config if isinstance(config, dict) else {}
        short = name.removeprefix("markdown.extensions.")
        if short not in SUPPORTED and name not in SUPPORTED:
            source.warn(("markdown_extensions", i), f"markdown extension '{name}' is not supported: its syntax is "
                        "shown as it is written")
            continue
        if short == "toc":
            if "permalink" in config:
                options["permalink"] = bool(config["permalink"])
            depth = config.get("toc_depth")
            if isinstance(depth, int):
                options["toc_depth"] = depth
            elif isinstance(depth, str) and re.fullmatch(r"\d-\d", depth):
                options["toc_depth"] = int(depth[-1])
        elif short == "pymdownx.snippets":
            base = config.get("base_path", ["."])
            bases = [base] if isinstance(base, str) else [b for b in base if isinstance(b, str)] if isinstance(
                base, list) else ["."]
            folders = []
            for b in bases:
                folder = (config_dir / b).resolve()
                try:
                    folders.append(folder.relative_to(project.resolve()).as_posix() or ".")
                except ValueError:
                    source.warn(("markdown_extensions", i, name, "base_path"),
                                f"snippets base_path '{b}' is outside the project; it is not read")
            options["snippets"] = tuple(folders) or (".",)  # MkDocs' default: the folder it runs in
            appended = config.get("auto_append", [])
            appended = [appended] if isinstance(appended, str) else appended if isinstance(appended, list) else []
            kept = []
            for n, file in enumerate(appended):
                if isinstance(file, str) and any((project / f / file).resolve().is_file()
                                                 and (project / f / file).resolve().is_relative_to(project.resolve())
                                                 for f in options["snippets"]):
                    kept.append(file)
                else:
                    source.warn(("markdown_extensions", i, name, "auto_append", n),
                                f"snippets auto_append '{file}' is not a file in "
                                f"{', '.join(f + '/' for f in options['snippets'])}; it is not appended")
            if kept:
                options["auto_append"] = tuple(kept)
    return options


def plugins(value: Any, source: Source, settings: dict[str, Any],
            located: dict[tuple[Any, ...], tuple[Any, ...]]) -> None:
    """mkdocs-static-i18n's languages become the site's; other plugins are not run."""
    items = value if isinstance(value, list) else list(value.items()) if isinstance(value, dict) else []
    for i, item in enumerate(items):
        name, config = (item, {}) if isinstance(item, str) else next(iter(item.items())) if isinstance(
            item, dict) and len(item) == 1 else item if isinstance(item, tuple) else (None, {})
        at = ("plugins", i) if isinstance(value, list) else ("plugins", name)
        if not isinstance(name, str):
            source.warn(at, "this plugin entry is not a name or 'name: {options}'")
            continue
        if name == "i18n":
            _i18n(config if isinstance(config, dict) else {}, at + ((name,) if isinstance(value, list) else ()),
                  source, settings, located)
        elif _PLUGINS.get(name, None) != "":
            source.warn(at, _PLUGINS.get(name) or f"plugin '{name}' is not run: handpress builds without MkDocs "
                        "plugins, so what it adds to pages is missing")


def _i18n(config: dict[str, Any], at: tuple[Any, ...], source: Source, settings: dict[str, Any],
          located: dict[tuple[Any, ...], tuple[Any, ...]]) -> None:
    """mkdocs-static-i18n: ``languages`` as a list of ``{locale, default}`` (1.x) or a mapping (0.x, with
    ``default_language``)."""
    structure = config.get("docs_structure", "suffix")
    if structure != "suffix":
        source.warn(at + ("docs_structure",), f"i18n docs_structure '{structure}' is not read: handpress finds "
                    "translations beside their originals (page.fr.md), the 'suffix' structure")
    langs = config.get("languages")
    codes: list[str] = []
    default = config.get("default_language")
    if isinstance(langs, list):
        for entry in langs:
            if isinstance(entry, dict) and isinstance(entry.get("locale"), str):
                if entry["locale"] == "null":
                    continue
                codes.append(entry["locale"].replace("_", "-"))
                if entry.get("default"):
                    default = entry["locale"]
    elif isinstance(langs, dict):
        codes = [str(code).replace("_", "-") for code in langs]
    if default is None and codes:
        default = codes[0]
    if isinstance(default, str):
        settings["language"] = default.replace("_", "-")
        located[("language",)] = at + ("languages",)
    if codes:
        settings["languages"] = tuple(codes)
        located[("languages",)] = at + ("languages",)
