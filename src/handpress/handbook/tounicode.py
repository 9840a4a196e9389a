"""No glyph without text in a PDF's ToUnicode maps (PDF/UA-1 rejects an empty mapping as malformed).

WeasyPrint 70 maps each glyph it draws to the text of its cluster, once per glyph. When a cluster has
several glyphs, as a Devanagari consonant with a vowel sign drawn before it has (``हि``: the sign ``ि``
first), the cluster's text goes to one glyph and the others get an empty mapping. Those get U+2060 WORD
JOINER instead: invisible, no break inside the word, and the word's letters still extract as before.
:func:`install` wraps WeasyPrint's font dictionary builder, which writes the maps; it is installed once,
when the engine is imported.
"""

from __future__ import annotations

from typing import Any

import weasyprint.pdf

STAND_IN = "\u2060"
_build_fonts_dictionary = weasyprint.pdf.build_fonts_dictionary


def _fonts_dictionary(pdf: Any, fonts: Any, *args: Any, **kwargs: Any) -> Any:
    for font in fonts.values():
        for glyph, text in font.to_unicode.items():
            if not text:
                font.to_unicode[glyph] = STAND_IN
    return _build_fonts_dictionary(pdf, fonts, *args, **kwargs)


def install() -> None:
    weasyprint.pdf.build_fonts_dictionary = _fonts_dictionary
