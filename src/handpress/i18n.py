"""gettext catalogs: the theme's and the project's, compiled at build time with Babel."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from handpress.errors import Diagnostic, HandpressError
from handpress.theme import theme_dir

DOMAIN = "messages"


def catalog_path(root: Path, lang: str) -> Path:
    return root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(project: Path, lang: str) -> gettext.NullTranslations:
    """The theme's catalog for ``lang`` with the project's catalog overriding string by string."""
    merged: Translations | None = None
    for root, label in ((theme_dir("locales"), "locales"), (project / "locales", "locales")):
        path = catalog_path(root, lang)
        if not path.is_file():
            continue
        display = f"{label}/{lang}/LC_MESSAGES/{DOMAIN}.po"
        translations = _compile(path, lang, display)
        merged = translations if merged is None else merged.merge(translations)
    return merged if merged is not None else gettext.NullTranslations()


def _compile(path: Path, lang: str, display: str) -> Translations:
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang.replace("-", "_"), abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise HandpressError([Diagnostic(display, line, "error", f"invalid catalog: {exc}")]) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise HandpressError([Diagnostic(display, None, "error", f"invalid catalog: {exc}")]) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)
