"""For any input, the loaders and the Markdown stage return a result or raise handpress's own located error."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sanitize import assert_harmless

from handpress.config import parse_config
from handpress.errors import ConfigError, ContentError, HandpressError
from handpress.site import sanitize
from handpress.site.content import Document, FrontMatter, read_document, split_front_matter
from handpress.site.markdown import parse
from handpress.site.renderers import HandbookRenderer, PrintRenderer, RenderContext, SiteRenderer, TextRenderer, render

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONFIG = parse_config('title = "T"\nlanguages = ["en", "es"]\n')


def assert_located(error: HandpressError, path: str, *, line_required: bool = True) -> None:
    assert error.diagnostics
    for d in error.diagnostics:
        assert d.path == path and d.severity == "error" and d.message
        if line_required:
            assert isinstance(d.line, int) and d.line >= 1, d


# Text that looks like what people write, mixed with anything at all.
MARKDOWN_BITS = [
    "# ", "## ", "###### ", "#", "\n", "\n\n", "---\n", "...\n", "- ", "1. ", "> ", "    ", "```\n", "~~~", "`",
    "*", "**", "_", "~~", "[", "]", "(", ")", "![", "](", "{#", "{.", "}", "{", "=", '"', "'", "<", ">", "</",
    "<img src=x>", "<img alt='a' src='b.png'>", "<div id=\"main\">", "</div>", "<script>", "<a href=\"javascript:x\">",
    "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>", "&amp;", "&#0;", "&#x110000;", "|", "|---|", ":---:", "[^1]",
    "[^1]: note", "!!! note", "Table: ", ": ", "a.md", "#anchor", "../x.md", "http://", "mailto:", "\t", "\r\n",
    "\u200b", "\ufeff", "é", "مرحبا", "日本", "\x00", "\x0b", "\u2028", "{#x .y lang=fr}", "{.decorative}", "title",
]
markdown_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), st.text(max_size=8)), max_size=60).map("".join),
)
YAML_BITS = [
    "title: ", "order: ", "date: ", "updated: ", "slug: ", "lang: ", "draft: ", "template: ", "summary: ",
    "\n", "  ", "- ", "[", "]", "{", "}", ":", ",", '"', "'", "&a ", "*a", "!!", "!!python/name:os.system", "|",
    ">", "#", "2024-02-30", "2024-01-01", "0000-01-01", "1e309", "yes", "null", "~", "es", "xx", "..", "a/b", "\t",
    "---", "...", "\x07", "é", "%YAML 1.1\n", "? ",
]
yaml_text = st.lists(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=6)), max_size=40).map("".join)
front_matter_text = st.one_of(
    markdown_text,
    st.builds(lambda head, body: f"---\n{head}\n---\n{body}", yaml_text, markdown_text),
    st.builds(lambda head: f"---\n{head}", yaml_text),
)


@SETTINGS
@given(front_matter_text)
def test_split_front_matter_never_fails_unexpectedly(text: str) -> None:
    try:
        meta, body, line = split_front_matter(text, "content/p.md")
    except ContentError as exc:
        assert_located(exc, "content/p.md")
        return
    assert isinstance(meta, dict) and isinstance(body, str) and line >= 1


@SETTINGS
@given(st.one_of(front_matter_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200)),
       st.sampled_from(["p.md", "p.es.md", "p.fr.md", "index.md", "a/index.es.md", "01-x.md", "x.zz.md"]))
def test_read_document_never_fails_unexpectedly(raw: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        path = project / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        try:
            doc = read_document(project, path, CONFIG)
        except ContentError as exc:
            # A file name naming an unconfigured language is about the whole file: no line.
            assert_located(exc, f"content/{name}", line_required=name != "p.fr.md")
            return
    assert doc.source == f"content/{name}" and doc.lang in CONFIG.languages


RENDERERS = (SiteRenderer, TextRenderer, PrintRenderer, HandbookRenderer)


@SETTINGS
@given(markdown_text, st.booleans())
def test_markdown_parses_and_renders_in_every_variant(body: str, trusted: bool) -> None:
    doc = Document(source="content/a/p.md", base="a/p.md", lang="en", key="a/p", meta=FrontMatter(), body=body,
                   body_line=3)
    frag = parse(doc)
    for d in frag.diagnostics:
        assert d.path == "content/a/p.md" and isinstance(d.line, int) and d.line >= 3 and d.code
    for kind in RENDERERS:
        ctx = RenderContext(resolve_page=lambda target, anchor: "../x/", resolve_asset=lambda p: "../" + p,
                            absolute=lambda href: "https://example.org/" + href, trusted_html=trusted)
        html = str(render(frag, kind, ctx, doc_id="d"))
        if not trusted:
            assert_harmless(html)


@SETTINGS
@given(markdown_text)
def test_raw_html_scanning_never_fails(text: str) -> None:
    for tag in sanitize.scan(text, first_line=5):
        assert tag.line >= 5
        sanitize.removed(tag)
    assert_harmless(sanitize.clean(text))


TOML_BITS = [
    "title", "language", "languages", "base_url", "trusted_html", "organisation", "description", "[audit]",
    "[[handbooks]]", "[pdf]", "[translate]", "id", "pages", "paper", "standard", "runners", "concurrency",
    "variant", "hook", "timeout_ms", "ignore", "code", " = ", "=", "\n", '"', "'", "[", "]", "{", "}", ",", ".",
    '"en"', '"es"', '"xx"', '"pt-BR"', '"en_US"', "true", "false", "1", "-1", "99", "1.5", "inf", "nan",
    '"A4"', '"axe"', '"WCAG2AA"', '"https://example.org/"', '"javascript:x"', "1979-05-27", "#", '"""', "\\",
    '"a.b:c"', "[[audit.ignore]]",
]
toml_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(TOML_BITS), st.text(max_size=5)), max_size=50).map("".join),
    st.lists(st.tuples(st.sampled_from(TOML_BITS[:20]), st.sampled_from(TOML_BITS[38:])), max_size=8).map(
        lambda pairs: 'title = "T"\n' + "".join(f"{k} = {v}\n" for k, v in pairs)),
)


@SETTINGS
@given(toml_text)
def test_config_loader_never_fails_unexpectedly(text: str) -> None:
    try:
        config = parse_config(text)
    except ConfigError as exc:
        assert_located(exc, "handpress.toml", line_required=False)
        for d in exc.diagnostics:
            assert d.line is None or 1 <= d.line <= text.count("\n") + 1
        return
    assert config.title and config.languages[0] == config.language

