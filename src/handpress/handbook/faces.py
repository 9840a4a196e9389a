"""One PDF font per font file, not per font description.

WeasyPrint 70 keys the fonts it embeds by their description (family, style, weight). When a face lacks
a character, fontconfig may lend the same family's upright face with a synthetic slant (``➜`` in italic
DejaVu Sans Mono, whose oblique face has no dingbats); both faces have the same description, so the
lent glyph is written into the italic face's PDF font, which has no such glyph, and PDF/UA rejects the
book ("no embedded glyph for rendered CID"). The hooks installed here, once when the engine is imported,
key a font by its description and its file, and name it by both.
"""

from __future__ import annotations

from hashlib import md5
from typing import Any

import weasyprint.pdf.fonts as pdffonts
import weasyprint.pdf.stream as pdfstream
from weasyprint.text.ffi import ffi, harfbuzz, pango

_font_key = pdfstream.get_pango_font_key
_font_init = pdffonts.Font.__init__


def _key(pango_font: Any) -> tuple[Any, Any, float]:
    key, description, size = _font_key(pango_font)
    face = harfbuzz.hb_font_get_face(pango.pango_font_get_hb_font(pango_font))
    blob = harfbuzz.hb_face_reference_blob(face)
    with ffi.new("unsigned int *") as length:
        data = harfbuzz.hb_blob_get_data(blob, length)
        file = (int(ffi.cast("uintptr_t", data)), int(length[0]), harfbuzz.hb_face_get_index(face))
    harfbuzz.hb_blob_destroy(blob)
    return (key, file), description, size


def _init(self: Any, pango_font: Any, description: Any, font_size: float) -> None:
    _font_init(self, pango_font, description, font_size)
    digest = md5(self.hash.encode() + md5(self.file_content or b"", usedforsecurity=False).digest()
                 + str(self.index).encode(), usedforsecurity=False).digest()
    self.hash = "".join(chr(65 + byte % 26) for byte in digest[:6])
    self.name = b"/" + self.hash.encode() + b"+" + self.name.split(b"+", 1)[1]


def install() -> None:
    pdfstream.get_pango_font_key = _key
    pdffonts.Font.__init__ = _init
