"""Control characters in content (C0 and C1, but tab and line breaks) are never published.

HTML forbids them and fonts have no glyph for them, yet they turn up in pasted terminal output and
code examples (U+0002, U+001B). Each is replaced by a visible stand-in — the Unicode control
picture of a C0 character (U+0002 → ␂, U+007F → ␡), the replacement character � for a C1 one — and
reported with a ``control-character`` warning at its line, so the author can see and fix it.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # not \t, \n, \r (line ends)
STAND_INS = {**{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n\r"}, 0x7F: 0x2421,
             **{code: 0xFFFD for code in range(0x80, 0xA0)}}


def has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None


def replace_controls(text: str) -> tuple[str, dict[int, list[str]]]:
    """``text`` with its control characters replaced by stand-ins, and {0-based line: ['U+0002 (STX)', …]}."""
    found: dict[int, list[str]] = {}
    for match in _CONTROLS.finditer(text):
        line = text.count("\n", 0, match.start())
        names = found.setdefault(line, [])
        name = describe(match.group())
        if name not in names:
            names.append(name)
    return text.translate(STAND_INS), found


def describe(char: str) -> str:
    """``U+0002 (start of text)``: the name of a C0 control's picture; C1 controls have none."""
    code = ord(char)
    picture = chr(STAND_INS[code])
    name = unicodedata.name(picture).removeprefix("SYMBOL FOR ").lower() if picture != "\ufffd" else ""
    return f"U+{code:04X}" + (f" ({name})" if name else "")
