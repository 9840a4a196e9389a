"""The code palette in the theme's stylesheets: every class the highlighter writes has its rule, and every token
colour has at least 4.5:1 contrast (WCAG 2 AA) on each background code sits on, on screen, on print pages and in
handbooks; on paper the kinds differ in weight and slant too, so a greyscale printer keeps them apart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import tinycss2
from tinycss2.color3 import parse_color

from handpress.site.highlight import CLASSES, SCOPE

from conftest import REPO

STYLES = REPO / "styles"
# Each medium as the stylesheets apply: (file, the @media types that apply to it) in cascade order.
MEDIA = {
    "graphical on screen": [("site.css", {"screen", "all"})],
    "graphical printed": [("site.css", {"print", "all"})],
    "print page on screen": [("print.css", {"screen", "all"})],
    "print page printed": [("print.css", {"print", "all"})],
    "handbook": [("print.css", {"print", "all"}), ("handbook.css", {"print", "all"})],
}


@dataclass(frozen=True)
class Rule:
    selector: str
    declarations: dict[str, str]


def _rules(nodes: list, media: set[str]) -> Iterator[Rule]:
    for node in nodes:
        if node.type == "qualified-rule":
            declarations = {d.lower_name: tinycss2.serialize(d.value).strip()
                            for d in tinycss2.parse_declaration_list(node.content, skip_whitespace=True,
                                                                     skip_comments=True)
                            if d.type == "declaration"}
            for selector in tinycss2.serialize(node.prelude).split(","):
                yield Rule(" ".join(selector.split()), declarations)
        elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content is not None:
            types = {t.lower_value for t in node.prelude if t.type == "ident"}
            if types & media or not types - {"and", "not", "only"}:  # a media type that applies, or a feature query
                yield from _rules(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True),
                                  media)


def cascade(medium: str) -> list[Rule]:
    rules: list[Rule] = []
    for name, media in MEDIA[medium]:
        text = (STYLES / name).read_text(encoding="utf-8")
        rules += _rules(tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True), media)
    return rules


def value(rules: list[Rule], selector: str, *properties: str) -> str | None:
    """The last value the cascade gives ``selector`` for any of ``properties`` (var() resolved from :root)."""
    found = None
    for rule in rules:
        if rule.selector == selector:
            for prop in properties:
                if prop in rule.declarations:
                    found = rule.declarations[prop]
    if found and found.startswith("var("):
        found = value(rules, ":root", found[4:-1].strip())
    return found


def rgb(css: str) -> tuple[float, float, float]:
    color = parse_color(css.split()[0])
    assert color is not None and color.alpha == 1, css
    return color.red, color.green, color.blue


def luminance(css: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb(css)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def backgrounds(rules: list[Rule]) -> dict[str, str]:
    """The backgrounds code sits on: the block's tint, inline code's, and the page's."""
    found = {"pre": value(rules, "pre", "background", "background-color"),
             "code": value(rules, "code", "background", "background-color"),
             "page": value(rules, "body", "background", "background-color") or "#ffffff"}
    assert found["pre"] and parse_color(found["pre"]), "code blocks have a tint"
    return {where: colour for where, colour in found.items() if colour and parse_color(colour.split()[0])}  # not "none"


def token_styles(rules: list[Rule]) -> dict[str, dict[str, str]]:
    styles: dict[str, dict[str, str]] = {}
    for css in CLASSES.values():
        for rule in rules:
            if rule.selector == f".{SCOPE} .{css}":
                styles.setdefault(css, {}).update(rule.declarations)
    return styles


@pytest.mark.parametrize("medium", list(MEDIA))
def test_every_token_colour_has_4_5_to_1_on_every_code_background(medium: str) -> None:
    rules = cascade(medium)
    ink = value(rules, "pre", "color") or value(rules, "body", "color")
    assert ink
    styles = token_styles(rules)
    assert medium == "graphical printed" or sorted(styles) == sorted(CLASSES.values()), "a class without a rule"
    low = {(css, where, round(contrast(style.get("color", ink), bg), 2))
           for css, style in {**styles, "(text)": {}}.items() for where, bg in backgrounds(rules).items()
           if contrast(style.get("color", ink), bg) < 4.5}
    assert low == set()


@pytest.mark.parametrize("medium", ["graphical on screen", "print page printed", "handbook"])
def test_kinds_differ_in_weight_or_slant_not_only_in_hue(medium: str) -> None:
    styles = token_styles(cascade(medium))
    look = {css: (styles[css].get("font-weight", "400"), styles[css].get("font-style", "normal"))
            for css in ("k", "s", "c", "nf", "gh")}
    assert look["k"] == ("700", "normal") and look["c"][1] == "italic" and look["s"] == ("400", "normal")
    assert look["nf"][0] == look["gh"][0] == "700"


def test_the_contrast_computation_is_wcags() -> None:
    assert round(contrast("#000", "#fff"), 2) == 21.0 and contrast("#777777", "#ffffff") < 4.5 < contrast(
        "#767676", "#ffffff")
    assert value([Rule(":root", {"--tint": "#eee"}), Rule("pre", {"background": "var(--tint)"})], "pre",
                 "background") == "#eee"
