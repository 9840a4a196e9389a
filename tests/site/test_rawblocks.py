"""Raw HTML blocks that open a <pre> keep their blank lines; everywhere else CommonMark stands."""

from __future__ import annotations

from handpress.site.markdown import parser


def types(source: str) -> list[tuple[str, str]]:
    return [(t.type, t.content) for t in parser().parse(source) if t.type in ("html_block", "inline")]


def test_a_pre_inside_a_div_runs_to_its_end_then_to_a_blank_line() -> None:
    source = "<div><pre>\nfirst\n\n\nsecond\n</pre></div>\n<p>still the block</p>\n\nAfter.\n"
    assert types(source) == [("html_block", "<div><pre>\nfirst\n\n\nsecond\n</pre></div>\n<p>still the block</p>\n"),
                             ("inline", "After.")]
    assert "<p>" not in parser().render("<div><pre>a\n\nb</pre></div>\n").split("</pre>")[0]


def test_inside_a_list_item_the_block_loses_the_item_indent() -> None:
    assert types("- item\n\n  <div><pre>a\n\n  b</pre></div>\n") == [
        ("inline", "item"), ("html_block", "<div><pre>a\n\nb</pre></div>\n")]


def test_markdown_inside_other_raw_html_stays_markdown() -> None:
    assert types("<details>\n\n*Markdown* here\n\n</details>\n") == [
        ("html_block", "<details>\n"), ("inline", "*Markdown* here"), ("html_block", "</details>\n")]


def test_an_unclosed_pre_is_left_to_commonmark() -> None:
    assert types("<div><pre>\nopen\n\nText.\n") == [("html_block", "<div><pre>\nopen\n"), ("inline", "Text.")]
