"""Control characters in content: visible stand-ins and where they were."""

from __future__ import annotations

from handpress.site.characters import has_controls, replace_controls


def test_c0_and_c1_controls_become_visible_stand_ins_but_tabs_and_line_ends_stay() -> None:
    text, found = replace_controls("a\x02b\x03\r\n\tc\x1b[0m\x7f\nd\x85\x9f\x00\n")
    assert text == "a␂b␃\r\n\tc␛[0m␡\nd��␀\n"
    assert found == {0: ["U+0002 (start of text)", "U+0003 (end of text)"],
                     1: ["U+001B (escape)", "U+007F (delete)"], 2: ["U+0085", "U+009F", "U+0000 (null)"]}
    assert not has_controls(text) and has_controls("\x0c") and not has_controls("tab\tand\r\nlines\u00a0")
