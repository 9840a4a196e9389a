"""Syntax highlighting: Pygments' tokens as spans with the palette's classes, the text kept as written."""

from __future__ import annotations

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from handpress.site.highlight import CLASSES, highlight, highlight_inline, language_name

PYTHON = 'import sys\n\n\n@dataclass\nclass Office:\n    """Doc."""\n    staff: int = 0  # counted\n\n    def name(self) -> str:\n        return f"{self.city}\\n"\n'


def spans(html: str) -> list[tuple[str, str]]:
    root = lxml.html.fragment_fromstring(f"<code>{html}</code>")
    return [(span.get("class"), span.text_content()) for span in root.iter("span")]


def text_of(html: str) -> str:
    return lxml.html.fragment_fromstring(f"<code>{html}</code>").text_content()


def test_python_tokens_become_the_palettes_classes() -> None:
    html = highlight(PYTHON, "python")
    assert isinstance(html, Markup)
    found = spans(html)
    assert ("k", "import") in found and ("k", "class") in found and ("k", "def") in found
    assert ("nd", "@dataclass") in found and ("nc", "Office") in found and ("nf", "name") in found
    assert ("s", '"""Doc."""') in found and ("c", "# counted") in found and ("m", "0") in found
    assert ("se", "\\n") in found and ("si", "{") in found and ("nb", "int") in found
    assert text_of(html) == PYTHON  # every character kept, blank lines and the final newline too


def test_languages_are_found_by_any_of_their_names_in_any_case() -> None:
    assert language_name("python") == language_name("py") == language_name("Python") == "Python"
    assert (language_name("yaml"), language_name("js"), language_name("console")) == (
        "YAML", "JavaScript", "Bash Session")
    yaml = spans(highlight("site:\n  title: Briefing  # shown\n", "yml") or "")
    assert ("nt", "site") in yaml and ("c", "# shown") in yaml


def test_unknown_plain_or_missing_languages_are_not_highlighted() -> None:
    for lang in ("klingon-script", "", "  ", "text", "plaintext", "none"):
        assert highlight("x = 1\n", lang) is None, lang
        assert highlight_inline("x = 1", lang) is None, lang
        assert language_name(lang) is None, lang


def test_inline_code_has_no_newline_added() -> None:
    html = highlight_inline("len(offices) > 1", "python")
    assert html is not None and text_of(html) == "len(offices) > 1"
    assert ("nb", "len") in spans(html) and ("o", ">") in spans(html)
    assert highlight("x = 1", "python") is not None and text_of(highlight("x = 1", "python") or "") == "x = 1"


def test_markup_in_code_is_escaped() -> None:
    html = highlight('<script>alert("x")</script>\n', "html") or ""
    assert "<script" not in html and text_of(html) == '<script>alert("x")</script>\n'


def test_only_the_palettes_classes_are_written() -> None:
    samples = {"python": PYTHON, "diff": "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n",
               "html": '<p class="x">&amp; <!-- c --></p>\n', "c": "#include <stdio.h>\nint main() { return 0; }\n",
               "console": "$ ls\nfile\n", "css": "a:hover { color: #fff; }\n", "sql": "SELECT * FROM t WHERE a = 'x';\n",
               "rust": "fn main() { let x: u8 = 0x1f; println!(\"{x}\"); }\n", "pytb": "Traceback (most recent call last):\nValueError: x\n"}
    found = {css for lang, code in samples.items() for css, _ in spans(highlight(code, lang) or "")}
    assert found <= set(CLASSES.values())
    assert {"k", "s", "c", "m", "gd", "gi", "nt", "na", "cp", "gp", "go", "nf"} <= found


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"), max_size=80),
       st.sampled_from(["python", "yaml", "js", "bash", "html", "json"]))
def test_highlighting_keeps_every_character(code: str, lang: str) -> None:
    html = highlight(code, lang)
    assert html is not None and text_of(html) == code
