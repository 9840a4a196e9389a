"""Code blocks and tables in each variant: highlighted on graphical and print pages and in handbooks, plain on
text-only pages; scrolling code and every table a named keyboard stop on screen."""

from __future__ import annotations

import lxml.html
import pytest

from handpress.i18n.catalogs import load_translations
from handpress.site.renderers import (HandbookRenderer, PrintRenderer, RenderContext, SharedBlocks, SiteRenderer,
                                      TextRenderer, body_labels, render)

from conftest import REPO
from test_markdown import fragment

BODY = """Some `inline code` first.

```python
def name(self) -> str:  # the office's name
    return self.city
```

```klingon-script
qaStaHvIS wa' ram
```

    indented, no language

Table: Offices

| Office | City |
|--------|------|
| Mexico | Mexico City |

| A | B |
|---|---|
| 1 | 2 |

| C | D |
|---|---|
| 3 | 4 |
"""
KINDS = {"graphical": SiteRenderer, "text": TextRenderer, "print": PrintRenderer, "handbook": HandbookRenderer}


def body(kind: str, lang: str = "en", source: str = BODY, chapter: str = "") -> lxml.html.HtmlElement:
    labels = body_labels(load_translations(REPO, lang).gettext)
    ctx = RenderContext(lambda target, anchor: "x/", lambda path: path, labels=labels, chapter=chapter)
    return lxml.html.fragment_fromstring(str(render(fragment(source), KINDS[kind], ctx)), create_parent="div")


@pytest.mark.parametrize("kind", ["graphical", "print", "handbook"])
def test_code_in_a_known_language_is_highlighted(kind: str) -> None:
    pre = body(kind).find(".//pre")
    assert pre.get("class") == "highlight" and pre.get("dir") == "ltr"
    code = pre.find("code")
    assert code.get("class") == "language-python"
    assert [(s.get("class"), s.text) for s in code.iter("span")][:3] == [("k", "def"), ("nf", "name"), ("nb", "self")]
    assert code.text_content() == "def name(self) -> str:  # the office's name\n    return self.city\n"


def test_text_only_pages_have_plain_code_without_spans_or_stops() -> None:
    root = body("text")
    assert root.findall(".//span") == [] and root.findall(".//pre[@tabindex]") == []
    assert [(pre.get("class"), pre.get("dir"), pre.find("code").get("class")) for pre in root.iter("pre")] == [
        (None, "ltr", "language-python"), (None, "ltr", "language-klingon-script"), (None, "ltr", None)]
    assert b"<span" not in lxml.html.tostring(root)


@pytest.mark.parametrize("kind", ["graphical", "text", "print", "handbook"])
def test_unknown_languages_and_indented_code_stay_plain(kind: str) -> None:
    pres = body(kind).findall(".//pre")
    assert [pre.find("code").text for pre in pres[1:]] == ["qaStaHvIS wa' ram\n", "indented, no language\n"]
    assert all(pre.find(".//span") is None and pre.get("class") is None for pre in pres[1:])


def test_graphical_code_is_a_named_keyboard_stop_on_screen_only() -> None:
    names = [(pre.get("tabindex"), pre.get("role"), pre.get("aria-label")) for pre in body("graphical").iter("pre")]
    assert names == [("0", "region", "Code 1: Python"), ("0", "region", "Code 2"), ("0", "region", "Code 3")]
    single = body("graphical", source="```yaml\na: 1\n```\n").find(".//pre")
    assert single.get("aria-label") == "Code: YAML"
    for kind in ("text", "print", "handbook"):  # code wraps there: nothing to scroll
        assert [pre.get("tabindex") for pre in body(kind).iter("pre")] == [None] * 3, kind


@pytest.mark.parametrize("kind", ["graphical", "text", "print", "handbook"])
def test_every_table_sits_in_a_named_scrolling_region(kind: str) -> None:
    regions = body(kind).find_class("table-scroll")
    assert [(r.tag, r.get("tabindex"), r.get("role"), r.get("aria-label")) for r in regions] == [
        ("div", "0", "region", "Offices"), ("div", "0", "region", "Table 1"), ("div", "0", "region", "Table 2")]
    assert [len(r) for r in regions] == [1, 1, 1] and regions[0][0].find("caption").text == "Offices"


def test_a_handbook_chapter_s_numbered_tables_carry_its_title() -> None:
    """On the whole-guide page every chapter's "Table 1" would be a second landmark of one name."""
    regions = body("handbook", chapter="Changelog").find_class("table-scroll")
    assert [r.get("aria-label") for r in regions] == ["Offices", "Table 1 (Changelog)", "Table 2 (Changelog)"]


@pytest.mark.parametrize(("lang", "code", "table"), [("es", "Código 1: Python", "Tabla 1"),
                                                      ("ar", "شيفرة برمجية 1: Python", "جدول 1")])
def test_region_names_are_translated(lang: str, code: str, table: str) -> None:
    root = body("graphical", lang)
    assert root.find(".//pre").get("aria-label") == code
    assert root.find_class("table-scroll")[1].get("aria-label") == table


def test_code_and_tables_keep_the_shared_blocks_right() -> None:
    """Code differs between the web variants and tables do not: each variant's body is what it is alone."""
    frag = fragment(BODY)

    def context() -> RenderContext:
        return RenderContext(lambda target, anchor: "x/", lambda path: path, labels={})

    shared = SharedBlocks()
    kinds = (SiteRenderer, TextRenderer, PrintRenderer)
    together = [render(frag, kind, context(), shared=shared) for kind in kinds]
    assert together == [render(frag, kind, context()) for kind in kinds]
    assert len(set(together)) == 3
    shared_types = {frag.tokens[start].type for start, _stop, same in shared.spans or [] if same}
    assert "table_open" in shared_types and not shared_types & {"fence", "code_block"}
