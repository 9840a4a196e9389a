"""The template environment: the user's templates first, the default theme last, and the
default theme also under ``base/`` so an override can extend the file it replaces."""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from handpress import __version__


@lru_cache(maxsize=1)
def theme_root() -> Path:
    """Where the default theme lives: inside the installed package, or the source tree."""
    packaged = Path(__file__).parent / "theme"
    if (packaged / "templates").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def theme_dir(kind: str) -> Path:
    return theme_root() / kind


def environment(project: Path, translations: gettext.NullTranslations | None = None) -> jinja2.Environment:
    """A Jinja environment for one language of one project."""
    theme = jinja2.FileSystemLoader(str(theme_dir("templates")))
    loaders: list[jinja2.BaseLoader] = []
    if (project / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project / "templates")))
    loaders += [jinja2.PrefixLoader({"base": theme}, delimiter="/"), theme]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,  # every template kept, in a plain dict: an include looks it up without a lock
    )
    translations = translations or gettext.NullTranslations()
    env.install_gettext_translations(translations, newstyle=True)
    env.globals["_"] = translator(translations)
    env.globals["handpress_version"] = __version__
    return env


def translator(translations: gettext.NullTranslations) -> Callable[..., Markup]:
    """The templates' ``_()``: what Jinja's new-style gettext gives (the translation as markup, always
    %-formatted, its variables escaped), as one plain call instead of three context-passing ones, and
    remembered for the words without variables (a page asks for a dozen, the same on every page)."""
    done: dict[str, Markup] = {}

    def _(string: str, **variables: Any) -> Markup:
        if variables:
            return Markup(translations.gettext(string)) % variables
        found = done.get(string)
        if found is None:
            found = done[string] = Markup(translations.gettext(string)) % {}
        return found

    return _


def style_files(project: Path) -> dict[str, Path]:
    """Every stylesheet, script and asset of the theme, with the project's styles/ and scripts/ overriding
    by name (all published in assets/)."""
    found: dict[str, Path] = {}
    for root in (theme_dir("styles"), theme_dir("scripts"), project / "styles", project / "scripts"):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    found[path.relative_to(root).as_posix()] = path
    return found
