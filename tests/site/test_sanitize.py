"""The raw-HTML sanitiser: hostile markup never reaches a page; everything the renderers emit survives."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from handpress.build.pipeline import build
from handpress.site import sanitize
from handpress.site.content import Document, FrontMatter
from handpress.site.markdown import parse
from handpress.site.renderers import HandbookRenderer, PrintRenderer, RenderContext, SiteRenderer, TextRenderer, render

RENDERERS = (SiteRenderer, TextRenderer, PrintRenderer, HandbookRenderer)

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x.png" alt="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">click</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<form action="https://evil.example/"><input name="q"><button>Send</button></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    '<p onmouseover="alert(1)" style="background:url(javascript:alert(1))">hover</p>',
    '<div><style>body{display:none}</style></div>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<script>alert(1)</script>-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    '<video><source onerror="alert(1)"></video>',
    '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
]
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FORBIDDEN_TAGS = {"script", "iframe", "form", "input", "button", "object", "embed", "svg", "math", "style",
                  "base", "meta", "link", "video", "source", "noscript"}


def assert_harmless(html: str) -> None:
    html = NOT_XML.sub("", html)  # lxml refuses control characters and non-characters; they are inert
    if not html.strip():
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in FORBIDDEN_TAGS, html
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), html
            assert name not in ("style", "background", "action", "formaction"), html
            if name in ("href", "src"):
                assert not value.strip().lower().startswith(("javascript:", "vbscript:", "data:")), html


def doc(body: str, source: str = "content/page.md") -> Document:
    base = source.removeprefix("content/")
    return Document(source=source, base=base, lang="en", key=base.removesuffix(".md"), meta=FrontMatter(),
                    body=body, body_line=1)


def context(trusted: bool = False) -> RenderContext:
    return RenderContext(resolve_page=lambda target, anchor: "../other/", resolve_asset=lambda p: "../" + p,
                         trusted_html=trusted)


@pytest.mark.parametrize("markup", HOSTILE)
def test_clean_removes_hostile_markup(markup: str) -> None:
    assert_harmless(sanitize.clean(markup))


@pytest.mark.parametrize("markup", HOSTILE)
@pytest.mark.parametrize("kind", RENDERERS, ids=lambda k: k.__name__)
def test_hostile_raw_html_in_markdown_never_reaches_the_body(markup: str, kind: type[SiteRenderer]) -> None:
    body = f"# Title\n\nBefore {markup} after.\n\n{markup}\n\nEnd.\n"
    assert_harmless(str(render(parse(doc(body)), kind, context())))


def test_attributes_set_through_markdown_are_cleaned_too() -> None:
    body = '# T\n\n[link](https://example.org/){onclick="alert(1)" href="javascript:alert(1)"}\n'
    html = str(render(parse(doc(body)), SiteRenderer, context()))
    assert_harmless(html)
    assert "link</a>" in html


def test_a_tag_opened_in_one_raw_token_and_closed_in_another_stays_whole() -> None:
    body = '# T\n\nSee <span class="note" lang="fr">*très* **bien**</span> and <a href="javascript:x">this</a>.\n'
    html = str(render(parse(doc(body)), SiteRenderer, context()))
    assert html == ('<p>See <span class="note" lang="fr"><em>très</em> <strong>bien</strong></span> '
                    "and <a>this</a>.</p>\n")


def test_trusted_html_passes_raw_html_as_written() -> None:
    body = '# T\n\n<iframe src="https://www.example.org/map" title="Map"></iframe>\n'
    assert "<iframe" in str(render(parse(doc(body)), SiteRenderer, context(trusted=True)))
    assert "<iframe" not in str(render(parse(doc(body)), SiteRenderer, context(trusted=False)))


RICH = """\
# Rich page

Intro with *em*, **strong**, ~~struck~~, `code`, a [page link](other.md#part){#own-id .special lang=fr},
an [outside link](https://example.org/ "Title"), a [mail](mailto:office@example.org), a footnote[^n] and a
hard break  
here.

## Lists {#lists}

1. one
2. two

- a
- b

Table: Offices and staff

| Office | Staff |
|:-------|------:|
| Mexico | 4     |

Term
: Definition.

!!! note "Remember"
    Admonition body.

> A quotation.

```python
print("code")
```

![A square](images/square.svg){width=20 height=20}

![](images/border.svg){.decorative}

<details><summary>More</summary>Raw but allowed <abbr title="World Health Organization">WHO</abbr>.</details>

---

[^n]: The note, with a [link](https://example.org/n).
"""


def shape(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(el.tag, tuple(sorted(el.attrib.items()))) for el in root.iter() if isinstance(el.tag, str)]


@pytest.mark.parametrize("kind", RENDERERS, ids=lambda k: k.__name__)
def test_everything_the_renderers_emit_survives_cleaning(kind: type[SiteRenderer]) -> None:
    fragment = parse(doc(RICH))
    trusted = str(render(fragment, kind, context(trusted=True), doc_id="d"))
    cleaned = str(render(fragment, kind, context(trusted=False), doc_id="d"))
    assert shape(cleaned) == shape(trusted)
    assert "<abbr" in cleaned


def test_clean_is_stable_on_its_own_output() -> None:
    once = str(render(parse(doc(RICH)), SiteRenderer, context()))
    assert sanitize.clean(once) == once


def test_removed_names_what_cleaning_takes_away() -> None:
    raw = '<p onclick="x">\n<script>x</script>\n<a href="javascript:x" class="c">\n<video>\n<img src=a alt=b>'
    assert [(t.name, t.line, sanitize.removed(t)) for t in sanitize.scan(raw, first_line=10)] == [
        ("p", 10, ["onclick=… on <p>"]),
        ("script", 11, ["<script> and its content"]),
        ("a", 12, ["the href 'javascript:x' on <a>"]),
        ("video", 13, ["<video>"]),
        ("img", 14, []),
    ]


def test_image_sizes_become_pixels_as_html_wants_them() -> None:
    """Real content writes ``width="400px"`` (browsers accept it, Nu HTML Checker does not): the number of
    pixels is kept; a size that is no number of pixels is removed, and said so."""
    raw = '<img src="a.png" alt="A" width="400px" height=" 30 ">\n<img src="b.png" alt="B" width="50%" height="auto">'
    assert sanitize.clean(raw) == '<img src="a.png" alt="A" width="400" height="30">\n<img src="b.png" alt="B">'
    assert [sanitize.removed(t) for t in sanitize.scan(raw)] == [
        [], ["the width '50%' on <img> (not a number of pixels)", "the height 'auto' on <img> (not a number of pixels)"]]


def write_project(root: Path, *, trusted: bool) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "handpress.toml").write_text(f'title = "Raw"\ntrusted_html = {"true" if trusted else "false"}\n')
    (root / "content" / "index.md").write_text(
        "# Home\n\n<script>document.title = 'owned'</script>\n\n"
        '<p class="lead" onclick="steal()">Lead <a href="javascript:steal()">text</a></p>\n'
    )
    return root


def test_build_cleans_raw_html_and_warns_where(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", trusted=False)
    result = build(project, html_only=True)
    for page in (project / "out").rglob("*.html"):
        text = page.read_text()
        assert "owned" not in text and "steal()" not in text, page  # the theme's own search loader stays
        assert not lxml.html.fromstring(text).xpath("//main//script"), page
        if "site-map" not in page.parts:
            assert '<p class="lead">Lead <a>text</a></p>' in text
    assert [d.format() for d in result.diagnostics if d.code == "unsafe-html"] == [
        "content/index.md:3: warning: raw HTML <script> and its content is removed (handpress removes scripts, "
        "event handlers, script URLs, iframes, objects and forms from content; if everyone who writes this "
        "project's content is trusted, set trusted_html = true in handpress.toml) [unsafe-html]",
        "content/index.md:5: warning: raw HTML onclick=… on <p>, the href 'javascript:steal()' on <a> is removed "
        "(handpress removes scripts, event handlers, script URLs, iframes, objects and forms from content; if "
        "everyone who writes this project's content is trusted, set trusted_html = true in handpress.toml) "
        "[unsafe-html]",
    ]


def test_trusted_project_keeps_its_raw_html(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", trusted=True)
    result = build(project, html_only=True)
    assert "<script>document.title = 'owned'</script>" in (project / "out" / "index.html").read_text()
    assert not [d for d in result.diagnostics if d.code == "unsafe-html"]


# --- bodies that need no cleaning -------------------------------------------------------------------------

PLAIN = """# Title

Text with *emphasis*, `code`, a [relative link](other.md#part), an [absolute one](https://example.org/a?b=1&c=2),
<https://example.org/auto>, [mail](mailto:office@example.org) and a note.[^1]

![A map of the offices](map.svg)

## Part {#part .wide}

| Office | Staff |
|:-------|------:|
| Rome   | 12    |

Term
: Its definition.

!!! note
    Inside a note.

```python
print("<b>not markup</b>")
```

[^1]: The note's text.
"""

NEEDS_CLEANING = [
    "Raw <b>html</b> inline.",
    "<div>raw block</div>",
    '[link](https://example.org/){target="_blank"}',
    "[ftp](ftp://example.org/file)",
    "![dot](data:image/png;base64,iVBORw0KGgo=)",
    '{style="color: red"}\nA paragraph.',
    '{data-x="1"}\n## Heading',
    '![x](x.png){srcset="https://evil.example/x.png 2x"}',
]


def test_markdown_without_raw_html_or_odd_attributes_is_plain_and_renders_as_cleaned() -> None:
    fragment = parse(doc(PLAIN))
    assert fragment.plain
    for kind in RENDERERS:
        as_is = str(render(fragment, kind, context(), doc_id="d"))
        assert shape(sanitize.clean(as_is)) == shape(as_is), kind.__name__


@pytest.mark.parametrize("body", NEEDS_CLEANING)
def test_raw_html_and_attributes_cleaning_would_touch_are_never_plain(body: str) -> None:
    fragment = parse(doc(f"# T\n\n{body}\n"))
    assert not fragment.plain
    for kind in RENDERERS:
        assert_harmless(str(render(fragment, kind, context(), doc_id="d")))


@pytest.mark.parametrize("markup", HOSTILE)
def test_hostile_markup_as_markdown_links_and_attributes_stays_harmless(markup: str) -> None:
    # The same payloads where Markdown, not raw HTML, carries them: link targets, image sources, attributes.
    payload = markup.replace('"', "'")
    bodies = [f"[x]({payload})", f"![x]({payload})", f'[x](y.md){{title="{payload}"}}', f"<{payload}>"]
    for body in bodies:
        fragment = parse(doc(f"# T\n\n{body}\n"))
        for kind in RENDERERS:
            html = str(render(fragment, kind, context(), doc_id="d"))
            assert_harmless(html)
            if fragment.plain:
                assert shape(sanitize.clean(html)) == shape(html), (body, kind.__name__)
