"""The translation hook: the contract, handpress translate's drafts and catalog entries, segments of Markdown,
and the pseudo-localisation hook."""

from __future__ import annotations

import hashlib
import math
import re
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from handpress.build.pipeline import build
from handpress.commands.cli import cli
from handpress.i18n import catalogs as i18n
from handpress.i18n import segments
from handpress.i18n.pseudo import CLOSE, OPEN, pseudo
from handpress.i18n.translate import Batch, Segment, load_hook, ui_segment
from handpress.site.markdown import parser

from conftest import copy_fixture, parse_html

HOOKS = '''
import re

CALLS = []


def upper(batch):
    CALLS.append(batch)
    return [re.sub(r'<x id="\\d+"/>|[a-z]+', lambda m: m.group(0) if m.group(0)[0] == "<" else m.group(0).upper(),
                   s.text) for s in batch.segments]


def broken(batch):
    raise RuntimeError("quota exceeded")


def short(batch):
    return ["only one"]


def lossy(batch):
    return [re.sub(r'<x id="\\d+"/>', "", s.text).upper() for s in batch.segments]


nothing_callable = 42
'''

GUIDE_AR = """---
title: THE GUIDE
summary: HOW TO USE THE GUIDE.
order: 2
machine_translated: true
---
START WITH THE [ABOUT PAGE](about.md#work), THEN READ `handpress build` AND
THE NOTES BELOW.  
THIS LINE FOLLOWS A HARD BREAK.

## STEPS {#steps}

1. INSTALL THE *TOOL*.
2. RUN IT: SEE <https://example.org/run>.

| STEP | TIME |
|------|-----:|
| ONE  | 5    |

```sh
handpress build --project docs
```

> A QUOTED LINE
> THAT GOES ON.

TERM
: ITS DEFINITION.
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The i18n-basic fixture with a hooks module in the project folder."""
    root = copy_fixture("i18n-basic", tmp_path)
    (root / "myhooks.py").write_text(HOOKS, encoding="utf-8")
    monkeypatch.delitem(sys.modules, "myhooks", raising=False)
    yield root
    sys.modules.pop("myhooks", None)


def use_hook(project: Path, spec: str) -> None:
    with (project / "handpress.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[translate]\nhook = "{spec}"\n')


def translate(project: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["translate", "--project", str(project), *args])


def interface_to_translate(project: Path, lang: str) -> int:
    """How many interface strings have no translation (the project's own, and any the theme lacks)."""
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in i18n.extract(project) if m.id}
    return len(ids - i18n.translated_ids(project, lang))


def entries(n: int) -> str:
    return "1 fuzzy entry" if n == 1 else f"{n} fuzzy entries"


def snapshot(project: Path) -> dict[str, str]:
    return {p.relative_to(project).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(project.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


# --- handpress translate ------------------------------------------------------------------------------


def test_drafts_are_written_for_untranslated_pages_and_human_translations_are_untouched(project: Path) -> None:
    use_hook(project, "myhooks:upper")
    before = snapshot(project)
    count = interface_to_translate(project, "ar")
    result = translate(project, "--to", "ar")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "wrote content/about.ar.md (4 segments from content/about.md; machine translated)",
        "wrote content/guide.ar.md (12 segments from content/guide.md; machine translated)",
        f"wrote locales/ar/LC_MESSAGES/messages.po ({entries(count)}; used once a person reviews them and removes "
        "the fuzzy flag)",
        "Translated into ar with 'myhooks:upper': 3 files. Review the drafts before publishing; pages built from "
        "them show a machine-translation notice.",
    ]
    after = snapshot(project)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing existing was changed
    assert sorted(set(after) - set(before)) == ["content/about.ar.md", "content/guide.ar.md",
                                                "locales/ar/LC_MESSAGES/messages.po"]
    assert (project / "content/guide.ar.md").read_text(encoding="utf-8") == GUIDE_AR
    catalog = i18n.read_catalog(project / "locales/ar/LC_MESSAGES/messages.po", "ar", "ar")
    entry = catalog["Printed on recycled paper"]
    assert (entry.string, entry.fuzzy) == ("PRINTED ON RECYCLED PAPER", True)
    assert entry.user_comments == ["machine translation (myhooks:upper): review it, then remove the fuzzy flag"]
    again = translate(project, "--to", "ar")
    assert again.stdout == "Nothing to translate into ar: every page and interface string has a translation.\n"


def test_pages_built_from_drafts_say_they_were_machine_translated(project: Path) -> None:
    use_hook(project, "myhooks:upper")
    assert translate(project, "--to", "ar").exit_code == 0
    build(project, html_only=True)
    for variant in ("", "text/", "print/"):
        doc = parse_html(project / f"out/ar/{variant}guide/index.html")
        assert [p.text_content() for p in doc.xpath("//p[contains(@class, 'notice')]")] == [
            "تُرجمت هذه الصفحة ترجمة آلية ولم يراجعها أحد بعد."], variant
        assert doc.xpath("//div[@class='content']/@lang") == []  # the content is the page's language now
        assert doc.xpath("string(//h1)") == "THE GUIDE"
    doc = parse_html(project / "out/ar/index.html")
    assert doc.xpath("string(//p[@class='footer-note'])") == "Printed on recycled paper"  # fuzzy: not used yet


def test_a_projects_catalog_keeps_its_translations_and_gains_fuzzy_entries(project: Path) -> None:
    use_hook(project, "myhooks:upper")
    human = (project / "content/about.es.md").read_bytes()
    result = translate(project, "--to", "es")
    assert result.exit_code == 0, result.output
    assert (project / "content/about.es.md").read_bytes() == human
    assert (project / "content/guide.es.md").is_file() and not (project / "content/index.es.md.es.md").exists()
    catalog = i18n.read_catalog(project / "locales/es/LC_MESSAGES/messages.po", "es", "es")
    assert catalog["Skip to main content"].string == "Ir al contenido"
    assert not catalog["Skip to main content"].fuzzy
    assert catalog["Printed on recycled paper"].fuzzy
    added = [m for m in catalog if m.id and m.id != "Skip to main content"]
    assert "Printed on recycled paper" in [m.id for m in added] and all(m.fuzzy for m in added)


def test_the_hook_receives_batches_of_segments_with_placeholders(project: Path) -> None:
    use_hook(project, "myhooks:upper")
    count = interface_to_translate(project, "ar")
    assert translate(project, "--to", "ar").exit_code == 0
    calls = sys.modules["myhooks"].CALLS
    assert [(b.source_language, b.target_language, len(b.segments)) for b in calls] == [
        ("en", "ar", 4), ("en", "ar", 12), ("en", "ar", count)]
    guide = calls[1].segments
    assert guide[0] == Segment("content/guide.md:title", "The guide", markdown=False)
    assert guide[2] == Segment(
        "content/guide.md:6",
        'Start with the <x id="0"/>about page<x id="1"/>, then read <x id="2"/> and\n'
        'the notes below.<x id="3"/>This line follows a hard break.',
        markdown=True,
    )
    assert Segment("ui:Printed on recycled paper", "Printed on recycled paper") in calls[2].segments


def test_a_hook_that_raises_is_named_and_nothing_is_written(project: Path) -> None:
    use_hook(project, "myhooks:broken")
    before = snapshot(project)
    result = translate(project, "--to", "ar")
    assert result.exit_code == 1
    assert result.stderr == ("handpress.toml: error: translation hook 'myhooks:broken' failed: RuntimeError: quota "
                             "exceeded\n")
    assert snapshot(project) == before


@pytest.mark.parametrize(("spec", "message"), [
    ("myhooks:short", "translation hook 'myhooks:short' returned 1 translations for 4 segments"),
    ("myhooks:nothing", "translation hook 'myhooks:nothing': module 'myhooks' has no attribute 'nothing'"),
    ("myhooks:nothing_callable", "translation hook 'myhooks:nothing_callable' is not callable"),
    ("nosuchmodule:go", "translation hook 'nosuchmodule:go' cannot be imported: ModuleNotFoundError: No module "
                        "named 'nosuchmodule'"),
])
def test_a_hook_that_misbehaves_is_reported_and_nothing_is_written(project: Path, spec: str, message: str) -> None:
    use_hook(project, spec)
    before = snapshot(project)
    result = translate(project, "--to", "ar")
    assert (result.exit_code, result.stderr) == (1, f"handpress.toml: error: {message}\n")
    assert snapshot(project) == before


def test_a_hook_that_loses_placeholders_leaves_those_blocks_in_the_source_language(project: Path) -> None:
    result = translate(project, "--to", "ar", "--hook", "myhooks:lossy")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "content/about.md:8: warning: the translation lost or repeated a placeholder (a link target, code or "
        "markup); this block was left in the source language [translate-placeholder]",
        "content/guide.md:6: warning: the translation lost or repeated a placeholder (a link target, code or "
        "markup); this block was left in the source language [translate-placeholder]",
        "content/guide.md:13: warning: the translation lost or repeated a placeholder (a link target, code or "
        "markup); this block was left in the source language [translate-placeholder]",
    ]
    draft = (project / "content/guide.ar.md").read_text(encoding="utf-8")
    assert "Start with the [about page](about.md#work), then read `handpress build` and\n" in draft
    assert "1. INSTALL THE *TOOL*.\n2. Run it: see <https://example.org/run>.\n" in draft


@pytest.mark.parametrize(("args", "message"), [
    (("--to", "fr"), "handpress.toml: error: 'fr' is not one of the configured languages (en, es, ar); add it "
                     "to languages first"),
    (("--to", "en"), "handpress.toml: error: 'en' is the default language, which pages are written in; choose "
                     "another one"),
    (("--to", "es"), "handpress.toml: error: no translation hook: set [translate] hook = \"package.module:function\" "
                     "(or try --hook handpress.i18n.pseudo:translate)"),
    (("--to", "es", "--hook", "not a hook"), "--hook: error: translation hook 'not a hook' is not in the form "
                                             "'package.module:function'"),
])
def test_translate_refuses_bad_requests(project: Path, args: tuple[str, ...], message: str) -> None:
    result = translate(project, *args)
    assert (result.exit_code, result.stderr) == (1, message + "\n")


def test_a_dry_run_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = translate(project, "--to", "ar", "--hook", "myhooks:upper", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ("would write content/about.ar.md (4 segments from content/about.md; "
                                             "machine translated)")
    assert snapshot(project) == before


def test_pseudo_drafts_are_made_offline(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("network connection attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = translate(project, "--to", "es", "--hook", "handpress.i18n.pseudo:translate")
    assert result.exit_code == 0, result.output
    draft = (project / "content/guide.es.md").read_text(encoding="utf-8")
    assert "title: ⟦Ţĥéé ĝûûîîðé⟧\n" in draft
    assert "](about.md#work)" in draft and "`handpress build`" in draft and "handpress build --project docs\n" in draft


def test_hooks_named_by_their_modules_before_the_stage_folders_still_load(project: Path) -> None:
    old = load_hook("handpress.pseudo:translate", project)
    new = load_hook("handpress.i18n.pseudo:translate", project)
    assert old.function is new.function
    assert old.spec == "handpress.pseudo:translate"  # messages name the hook as the user wrote it


# --- segments of Markdown -------------------------------------------------------------------------------


def identity(body: str) -> str:
    found, _ = segments.blocks(body)
    return segments.apply(body, [(b, segments.restore(b.text, b.originals)) for b in found])


def test_what_a_hook_may_not_change_is_a_placeholder() -> None:
    body = ('See [the *guide*](guide.md#top "Guide") and ![a map](map.png), `code`, <https://x.org>, <b>bold</b>,'
            ' &amp; [^1] [ref] [text][ref] {.note} ^[aside]\n\n## Heading {#id}\n\nTable: Offices\n\n| a |\n|---|\n'
            '| b |\n\n[ref]: https://example.org\n[^1]: A note.\n')
    found, unplaced = segments.blocks(body)
    assert unplaced == ()
    assert [(b.text, b.originals) for b in found] == [
        ('See <x id="0"/>the *guide*<x id="1"/> and <x id="2"/>a map<x id="3"/>, <x id="4"/>, <x id="5"/>, '
         '<x id="6"/>bold<x id="7"/>, <x id="8"/> <x id="9"/> <x id="10"/> <x id="11"/>text<x id="12"/> '
         '{.note} <x id="13"/>',
         ("[", '](guide.md#top "Guide")', "![", "](map.png)", "`code`", "<https://x.org>", "<b>", "</b>", "&amp;",
          "[^1]", "[ref]", "[", "][ref]", "^[aside]")),
        ('Heading<x id="0"/>', (" {#id}",)),
        ('<x id="0"/>Offices', ("Table: ",)),
        ("a", ()),
        ("b", ()),
        ("A note.", ()),
    ]


def test_fenced_code_html_blocks_and_reference_definitions_are_never_segments() -> None:
    body = "```\nnot text\n```\n\n<div>\nraw\n</div>\n\n    indented code\n\n[ref]: https://example.org\n"
    assert segments.blocks(body) == ((), ())


def test_restore_needs_every_placeholder_exactly_once() -> None:
    originals = ("[", "](a.md)")
    assert segments.restore('<x id="1"/> <x id="0"/>', originals) == "](a.md) ["
    assert segments.restore('<x  id="0" /> text <x id="1"/>', originals) == "[ text ](a.md)"
    assert segments.restore('<x id="0"/> text', originals) is None
    assert segments.restore('<x id="0"/><x id="0"/><x id="1"/>', originals) is None
    assert segments.restore('<x id="0"/><x id="1"/><x id="2"/>', originals) is None


def test_table_cells_keep_their_pipes() -> None:
    body = "| a | b |\n|---|---|\n| c | d |\n"
    found, _ = segments.blocks(body)
    result = segments.apply(body, [(b, "x|y") for b in found])
    assert result == "| x\\|y | x\\|y |\n|---|---|\n| x\\|y | x\\|y |\n"


def test_longer_and_shorter_translations_keep_the_block_structure() -> None:
    body = "- one\n  two\n  three\n\n> four\n> five\n\n# Title\n"
    found, _ = segments.blocks(body)
    shorter = segments.apply(body, [(found[0], "uno"), (found[1], "cuatro\ncinco\nseis"), (found[2], "Tí\ntulo")])
    assert shorter == "- uno\n\n> cuatro\n> cinco\n> seis\n\n# Tí tulo\n"
    assert segments.structure(shorter) == segments.structure(body)


MARKDOWN_PIECES = st.sampled_from([
    "Plain words.", "*emphasis* and **strong**", "`code span`", "[link](page.md#part)", "![alt](img.png)",
    "<https://example.org>", "a &amp; b", "line one\nline two", "hard  \nbreak", "back\\\nslash break",
    "# Heading", "## Heading {#custom}", "- item\n- item two", "1. first\n2. second", "> quoted\n> text",
    "| h |\n|---|\n| c |", "```\ncode block\n```", "Term\n: definition", "<span>raw</span> html",
    "[^1]\n\n[^1]: note", "Table: Caption\n\n| x |\n|---|\n| y |", "    indented code", "text {.class}",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(MARKDOWN_PIECES, min_size=1, max_size=6), st.sampled_from(["\n\n", "\n"]))
def test_an_identity_translation_renders_exactly_like_the_source(pieces: list[str], joiner: str) -> None:
    body = joiner.join(pieces) + "\n"
    result = identity(body)
    assert parser().render(result) == parser().render(body)
    assert segments.structure(result) == segments.structure(body)


def test_an_identity_translation_of_the_fixture_pages_changes_nothing() -> None:
    from conftest import FIXTURES

    for path in sorted((FIXTURES / "i18n-basic" / "content").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        assert identity(body) == body, path.name


# --- pseudo-localisation -----------------------------------------------------------------------------------


def test_pseudo_is_accented_longer_and_bracketed() -> None:
    assert pseudo("Next page") == "⟦Ñééẋţ þááĝéé⟧"
    assert pseudo("Next") == "⟦Ñééẋţ·⟧"
    assert pseudo('Page <x id="0"/> of <x id="1"/>') == '⟦Þááĝéé <x id="0"/> ööƒ⟧ <x id="1"/>'
    assert pseudo('<x id="0"/>Offices') == '<x id="0"/>⟦ÖÖƒƒîîçééš⟧'
    assert pseudo("  ") == "  " and pseudo("42") == "42"


@given(st.lists(st.one_of(st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "Zs", "P"]),
                                  max_size=30), st.integers(0, 3).map(segments.placeholder)), max_size=6))
@settings(deadline=None)  # a busy machine is no reason to fail: the property, not the speed, is tested
def test_pseudo_keeps_placeholders_and_leaves_no_plain_letters(parts: list[str]) -> None:
    text = "".join(parts)
    result = pseudo(text)
    assert sorted(segments.PLACEHOLDER.findall(result)) == sorted(segments.PLACEHOLDER.findall(text))
    words = segments.PLACEHOLDER.sub("", text)
    if any(ch.isalpha() for ch in words):
        assert not re.search(r"[A-Za-z]", segments.PLACEHOLDER.sub("", result))
        assert result.count(OPEN) == result.count(CLOSE) == 1
        visible = len(segments.PLACEHOLDER.sub("", text).strip())
        assert len(segments.PLACEHOLDER.sub("", result)) >= len(words) + math.ceil(visible / 3) + 2
    else:
        assert result == text


def test_interface_strings_become_segments_with_placeholders() -> None:
    assert ui_segment("This page has not been translated into %(lang)s yet. 100%% <b>sure</b> &amp;") == (
        'This page has not been translated into <x id="0"/> yet. 100<x id="1"/> <x id="2"/>sure<x id="3"/> '
        '<x id="4"/>', ("%(lang)s", "%%", "<b>", "</b>", "&amp;"))


def test_the_pseudo_hook_follows_the_contract() -> None:
    from handpress.i18n.pseudo import translate as pseudo_hook

    batch = Batch("en", "qps-ploc", (Segment("a", "Hello"), Segment("b", '<x id="0"/>', markdown=True)))
    assert pseudo_hook(batch) == ["⟦Ĥééļļöö⟧", '<x id="0"/>']
