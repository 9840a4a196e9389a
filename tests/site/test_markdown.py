"""The Markdown stage: title, heading ids, references and the per-document lint, each at its source line."""

from __future__ import annotations

import re

from handpress.site.content import Document, FrontMatter
from handpress.site.lint import RESERVED_IDS
from handpress.site.markdown import Fragment, Image, Link, parse


def fragment(body: str, *, title: str | None = None, source: str = "content/guide/page.md",
             body_line: int = 1) -> Fragment:
    base = source.removeprefix("content/")
    return parse(Document(source=source, base=base, lang="en", key=base.removesuffix(".md"),
                          meta=FrontMatter(title=title), body=body, body_line=body_line))


def findings(frag: Fragment) -> list[str]:
    return [d.format() for d in frag.diagnostics]


def test_the_leading_heading_is_the_title_in_plain_words() -> None:
    frag = fragment("# The *real* `thing` {#top}\n\nText.\n")
    assert frag.title == "The real thing"
    assert frag.tokens[0].type == "paragraph_open"
    assert findings(frag) == []


def test_heading_ids_slugs_duplicates_and_reserved_names() -> None:
    frag = fragment("# T\n\n## Costs\n\n## Costs\n\n## Main\n\n## Section nav\n\n## Ñandú & co\n")
    assert [(h.text, h.id) for h in frag.headings] == [
        ("Costs", "costs"), ("Costs", "costs-1"), ("Main", "main-1"), ("Section nav", "section-nav-1"),
        ("Ñandú & co", "ñandú--co")]
    assert not frag.ids & RESERVED_IDS
    assert findings(frag) == []


def test_explicit_ids_that_clash_are_errors_at_their_line() -> None:
    frag = fragment("# T\n\n## One {#x}\n\n## Two {#x}\n\n{#main}\nPara\n\n<div id=\"x\">raw</div>\n", body_line=5)
    assert findings(frag) == [
        "content/guide/page.md:9: error: duplicate id 'x' (first used on line 7); ids must be unique in a page "
        "[duplicate-id]",
        "content/guide/page.md:12: error: id 'main' is used by the page template (breadcrumbs, children-title, "
        "global-nav, main, print-links-title, section-nav, section-nav-title, site-map-title, site-search, "
        "site-search-field, site-search-results, site-search-results-title, site-search-status are reserved); "
        "choose another id [duplicate-id]",
        "content/guide/page.md:14: error: duplicate id 'x' (first used on line 7); ids must be unique in a page "
        "[duplicate-id]",
    ]


def test_footnote_ids_are_known_and_stepped_around() -> None:
    frag = fragment("# T\n\nA claim.[^1]\n\n## fn1\n\n[^1]: The source.\n")
    assert {"fn1", "fnref1"} <= frag.ids
    assert [h.id for h in frag.headings] == ["fn1-1"]


def test_lines_of_links_inside_a_long_paragraph() -> None:
    frag = fragment("# T\n\nFirst line,\nsecond line with [a](a.md),\nthird with [b](b.md#x) and [](c.md).\n",
                    body_line=4)
    assert [(link.href, link.line) for link in frag.links] == [("a.md", 7), ("b.md#x", 8), ("c.md", 8)]
    assert findings(frag) == ["content/guide/page.md:8: warning: link to 'c.md' has no text; screen readers "
                              "announce it as just 'link' [empty-link]"]


def test_links_are_classified_as_pages_anchors_files_or_outside() -> None:
    frag = fragment("# T\n\n[a](../about.md#team) [b](#costs) [c](files/r%C3%A9sum%C3%A9.pdf?x=1#page=2) "
                    "[d](https://example.org/) [e](mailto:a@example.org) [f](/root/) [g](sub/) [h](../../x.md)\n")
    assert list(frag.links) == [
        Link("../about.md#team", 3, "a", "about.md", "team"),
        Link("#costs", 3, "b", "guide/page.md", "costs"),
        Link("files/r%C3%A9sum%C3%A9.pdf?x=1#page=2", 3, "c", None, "", "guide/files/résumé.pdf"),
        Link("https://example.org/", 3, "d", None, ""),
        Link("mailto:a@example.org", 3, "e", None, ""),
        Link("/root/", 3, "f", "root/index.md", ""),  # from the site's root (content/); a folder: its index page
        Link("sub/", 3, "g", "guide/sub/index.md", ""),
        Link("../../x.md", 3, "h", "../x.md", ""),
    ]


def test_images_alt_text_and_decorative_images() -> None:
    frag = fragment("# T\n\n![A map](map.png) ![](border.png){.decorative}\n\n![](photo.png)\n")
    assert [(i.src, i.alt, i.asset) for i in frag.images] == [
        ("map.png", "A map", "guide/map.png"), ("border.png", "", "guide/border.png"),
        ("photo.png", "", "guide/photo.png")]
    assert findings(frag) == [
        "content/guide/page.md:5: error: image 'photo.png' has no alt text: describe it in ![…](…), or mark a purely "
        "decorative image with ![](…){.decorative} [image-alt]"]


def test_raw_html_images_need_alt_and_their_paths_are_resolved_at_their_line() -> None:
    frag = fragment('# T\n\n<figure>\n<img src="https://example.org/a.png" alt="">\n<img\n  src="b.png">\n'
                    "</figure>\n\nInline <img src='/c.png' alt='C'> image and <a href='../x/#y'>a link</a>.\n",
                    body_line=3)
    assert findings(frag) == [
        "content/guide/page.md:7: error: raw HTML image 'b.png' has no alt attribute: describe it in alt=\"…\", or "
        "write alt=\"\" if it is purely decorative [image-alt]",
    ]
    assert [(t.name, t.line) for t in frag.raw_tags] == [("figure", 5), ("img", 6), ("img", 7), ("img", 11), ("a", 11)]
    assert list(frag.images) == [Image("https://example.org/a.png", "", 6, None), Image("b.png", "", 7, "guide/b.png"),
                                 Image("/c.png", "C", 11, "c.png")]
    assert list(frag.links) == [Link("../x/#y", 11, "", "x/index.md", "y")]


def test_heading_levels_and_titles() -> None:
    frag = fragment("# Page\n\n### Too deep\n\n## Fine\n\n# Another h1\n", title="Page")
    assert findings(frag) == [
        "content/guide/page.md:3: warning: heading level skips from h1 to h3; use h2 [heading-skip]",
        "content/guide/page.md:7: warning: a second level-1 heading; the page title is the only h1, use '##' for "
        "sections [heading-h1]",
    ]
    other = fragment("# Shown as the h1\n\nText.\n", title="The title")  # the title names the page: nothing dropped
    assert findings(other) == []
    assert other.title == "Shown as the h1"
    assert findings(fragment("Only text.\n")) == [
        "content/guide/page.md:1: warning: page has no heading: add a title in the front matter or a '# Heading' "
        "[no-heading]"]
    assert findings(fragment("Only text.\n", title="Titled")) == []


def test_skipped_heading_levels_are_published_without_gaps() -> None:
    """The author's levels are warned about once, at their lines; the page's outline has no gap (Nu HTML
    Checker and screen readers expect none): a heading goes one below the nearest lower one before it."""
    from markdown_it.renderer import RendererHTML

    frag = fragment("# Page\n\n### A\n\n### B\n\n##### C\n\n## D\n\n#### E\n\n# F\n\n### G\n", title="Page")
    assert [(h.text, h.level) for h in frag.headings] == [
        ("A", 2), ("B", 2), ("C", 3), ("D", 2), ("E", 3), ("F", 1), ("G", 2)]
    assert [d.code for d in frag.diagnostics] == ["heading-skip", "heading-skip", "heading-skip", "heading-h1",
                                                  "heading-skip"]
    assert "skips from h3 to h5; use h4" in findings(frag)[1]  # the levels as written
    html = RendererHTML().render(list(frag.tokens), {}, {})
    assert re.findall(r"<(h\d)[^>]*>(\w)</\1>", html) == [
        ("h2", "A"), ("h2", "B"), ("h3", "C"), ("h2", "D"), ("h3", "E"), ("h1", "F"), ("h2", "G")]


def test_table_captions() -> None:
    frag = fragment("# T\n\nTable: Staff by office\n\n| A | B |\n|---|---|\n| 1 | 2 |\n")
    table = next(t for t in frag.tokens if t.type == "table_open")
    assert table.meta["caption"] == "Staff by office"


RICH = """Intro with *emphasis*, `code` and a note.[^1]

- tight
- list with [a link](other.md#part)

1. loose

2. list

| A | B |
|:--|--:|
| 1 | ![A chart](chart.png) |

!!! note

    An untitled note.

<div class="raw">raw block</div>

---

Term
: its definition

> A quote with a [file](report.pdf).

[^1]: A footnote with [a link](https://example.org/).
"""


def test_web_variants_render_shared_blocks_as_they_render_alone() -> None:
    """SharedBlocks hands the blocks a page's variants have in common from one render to the next:
    each variant's body must be what it is when rendered on its own."""
    from handpress.site.renderers import PrintRenderer, RenderContext, SharedBlocks, SiteRenderer, TextRenderer, render

    frag = fragment(RICH)

    def context() -> RenderContext:
        return RenderContext(lambda target, anchor: f"../{target}/#{anchor}", lambda path: f"../../{path}",
                             labels={"image": "Imagen", "footnotes": "Notas"})

    shared = SharedBlocks()
    together = [render(frag, kind, context(), shared=shared) for kind in (SiteRenderer, TextRenderer, PrintRenderer)]
    alone = [render(frag, kind, context()) for kind in (SiteRenderer, TextRenderer, PrintRenderer)]
    assert together == alone
    assert together[0] != together[1] != together[2]  # the variants do differ where links and images are
    assert shared.spans is not None and any(same for _, _, same in shared.spans)
    assert any(not same for _, _, same in shared.spans)
    assert len(shared.html) == sum(same for _, _, same in shared.spans)  # each shared block rendered once
