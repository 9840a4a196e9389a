"""The content checks: each finding with its code, line and exact words; clean projects stay quiet."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from handpress import theme
from handpress.build.pipeline import build
from handpress.commands.cli import cli
from handpress.config import load_config
from handpress.errors import Diagnostic
from handpress.site import checks, markdown
from handpress.site.content import load_content
from handpress.site.model import build_site

from conftest import FIXTURES, REPO, copy_fixture, html_pages


def diagnose(project: Path) -> list[str]:
    """Every finding for a project, info included, as the user reads them."""
    config = load_config(project)
    content = load_content(project, config)
    fragments = {doc.source: markdown.parse(doc) for doc in content.documents}
    found: list[Diagnostic] = [d for f in fragments.values() for d in f.diagnostics]
    site = build_site(config, content, fragments)
    found += checks.check_site(site, project, content.drafts, theme.environment(project))
    return [d.format() for d in sorted(found, key=lambda d: (d.path, d.line or 0, d.message))]


UNSAFE = ("handpress removes scripts, event handlers, script URLs, iframes, objects and forms from content; if "
          "everyone who writes this project's content is trusted, set trusted_html = true in handpress.toml")

EXPECTED = [
    "content/index.md: info: no es translation: es readers see the en text (translate it in content/index.es.md) "
    "[untranslated]",
    "content/index.md:3: warning: link to 'about.md#peple': content/about.md has no heading or element with id "
    "'peple' [missing-anchor]",
    "content/index.md:3: warning: link to 'about.md#team': content/about.es.md, which es readers see, has no heading "
    "or element with id 'team'; give the heading the same id in every language, e.g. '## … {#team}' "
    "[missing-anchor]",
    "content/index.md:4: error: link to 'abuot.md': no page content/abuot.md (did you mean 'about.md'?) "
    "[missing-page]",
    "content/index.md:4: error: link to 'plans.md': content/plans.md is a draft (draft: true), so it is not "
    "published and the link would be broken; publish it or remove the link [draft-link]",
    "content/index.md:5: error: link to '../handpress.toml' points outside content/; put the files the site uses "
    "inside content/ [missing-file]",
    "content/index.md:5: error: link to 'files/missing.pdf' not found (looked for content/files/missing.pdf) "
    "[missing-file]",
    "content/index.md:5: error: link to 'offices' not found (looked for content/offices); to link to that page, "
    "link to its Markdown file: 'offices/index.md' [missing-file]",
    "content/index.md:9: error: image 'images/photo.png' has no alt text: describe it in ![…](…), or mark a purely "
    "decorative image with ![](…){.decorative} [image-alt]",
    "content/index.md:9: error: image 'images/photo.png' not found (looked for content/images/photo.png) "
    "[missing-file]",
    "content/index.md:11: warning: link to 'about.md' has no text; screen readers announce it as just 'link' "
    "[empty-link]",
    "content/index.md:13: error: raw HTML image 'images/logo.png' has no alt attribute: describe it in alt=\"…\", or "
    "write alt=\"\" if it is purely decorative [image-alt]",
    "content/index.md:15: error: id 'main' is used by the page template (breadcrumbs, children-title, global-nav, "
    "main, print-links-title, section-nav, section-nav-title, site-map-title, site-search, site-search-field, "
    "site-search-results, site-search-results-title, site-search-status are reserved); choose another id "
    "[duplicate-id]",
    "content/index.md:19: error: duplicate id 'contact' (first used on line 17); ids must be unique in a page "
    "[duplicate-id]",
    "content/index.md:21: warning: heading level skips from h3 to h5; use h4 [heading-skip]",
    f"content/index.md:23: warning: raw HTML <iframe> and its content is removed ({UNSAFE}) [unsafe-html]",
    "content/index.md:25: warning: a second level-1 heading; the page title is the only h1, use '##' for sections "
    "[heading-h1]",
    "content/notes.md: info: no es translation: es readers see the en text (translate it in content/notes.es.md) "
    "[untranslated]",
    "content/notes.md:1: warning: page has no heading: add a title in the front matter or a '# Heading' "
    "[no-heading]",
    "content/offices/index.md: info: no es translation: es readers see the en text (translate it in "
    "content/offices/index.es.md) [untranslated]",
    "content/offices/lima/team.md: warning: content/offices/lima/index.md is a draft, so its section's navigation "
    "does not reach this page; it is listed under content/offices/index.md instead. Publish the section page, or "
    "mark this page as a draft too [unreachable]",
    "content/offices/lima/team.md: info: no es translation: es readers see the en text (translate it in "
    "content/offices/lima/team.es.md) [untranslated]",
    "content/sitemap.xml: error: would overwrite the file handpress writes to sitemap.xml; rename or move it "
    "[reserved-url]",
    "content/titled.md: info: no es translation: es readers see the en text (translate it in "
    "content/titled.es.md) [untranslated]",
]


def test_every_finding_on_the_bad_checks_fixture() -> None:
    assert diagnose(FIXTURES / "bad-checks") == EXPECTED


def test_check_command_lists_findings_and_writes_nothing(tmp_path: Path) -> None:
    project = copy_fixture("bad-checks", tmp_path)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = CliRunner().invoke(cli, ["check", "--project", str(project)])
    assert result.exit_code == 1
    shown = [line for line in EXPECTED if ": info: " not in line]
    assert result.stderr.splitlines() == shown + ["11 errors; nothing was written."]
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_check_lists_notes_only_when_asked() -> None:
    quiet = CliRunner().invoke(cli, ["check", "--project", str(FIXTURES / "basic")])
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert quiet.stdout == "Checked 5 pages: no errors, 0 warnings, 4 notes (list them with --info).\n"
    loud = CliRunner().invoke(cli, ["check", "--info", "--project", str(FIXTURES / "basic")])
    assert loud.stderr.splitlines()[0] == ("content/guide/deep/detail.md: info: no es translation: es readers see "
                                           "the en text (translate it in content/guide/deep/detail.es.md) "
                                           "[untranslated]")
    assert loud.stdout == "Checked 5 pages: no errors, 0 warnings, 4 notes.\n"


def test_codes_are_documented_in_docs_checks_md() -> None:
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", (REPO / "docs" / "checks.md").read_text(), re.M))
    emitted = {line.rsplit("[", 1)[1].rstrip("]") for line in EXPECTED}
    in_source = set()
    for path in (REPO / "src" / "handpress").rglob("*.py"):
        in_source |= set(re.findall(r'"([a-z]+(?:-[a-z0-9]+)*)"', path.read_text()))
    assert emitted <= documented
    missing = {code for code in documented if code not in emitted}
    assert missing <= in_source, missing  # each documented code is emitted somewhere


@pytest.mark.parametrize("name", ["basic", "unusual"])
def test_clean_fixtures_have_no_errors_or_warnings(name: str) -> None:
    assert [d for d in diagnose(FIXTURES / name) if ": info: " not in d] == []


def test_the_sample_publication_has_no_errors_or_warnings() -> None:
    assert [d for d in diagnose(REPO) if ": info: " not in d] == []


def test_a_heading_named_like_a_template_landmark_gets_its_own_id(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "handpress.toml").write_text('title = "Ids"\n')
    (tmp_path / "content" / "index.md").write_text(
        "# Home\n\n## Main\n\n## Breadcrumbs\n\nSee [main](#main-1) and [crumbs](#breadcrumbs-1).\n\n"
        "A note.[^1]\n\n## fn1\n\n[^1]: The note.\n"
    )
    result = build(tmp_path, html_only=True)
    assert [d.format() for d in result.diagnostics if d.severity != "info"] == []
    page = lxml.html.fromstring((tmp_path / "out" / "index.html").read_bytes())
    headings = [(h.text_content(), h.get("id")) for h in page.xpath("//main//h2")]
    assert headings == [("Main", "main-1"), ("Breadcrumbs", "breadcrumbs-1"), ("fn1", "fn1-1")]


def test_no_built_page_has_a_duplicate_id(basic_site: Path, sample_site: Path, tmp_path: Path) -> None:
    project = copy_fixture("unusual", tmp_path)
    build(project, html_only=True)
    for out in (basic_site, sample_site, project / "out"):
        for path in html_pages(out):
            ids = Counter(el.get("id") for el in lxml.html.fromstring(path.read_bytes()).xpath("//*[@id]"))
            assert [i for i, n in ids.items() if n > 1] == [], path


def test_links_to_local_files_point_at_the_copied_file(tmp_path: Path) -> None:
    (tmp_path / "content" / "guide" / "files").mkdir(parents=True)
    (tmp_path / "handpress.toml").write_text('title = "Files"\n')
    (tmp_path / "content" / "index.md").write_text("# Home\n")
    (tmp_path / "content" / "guide" / "rules.md").write_text(
        "# Rules\n\nThe [full rules (PDF)](files/rules%20v2.pdf#page=3).\n")
    (tmp_path / "content" / "guide" / "files" / "rules v2.pdf").write_bytes(b"%PDF-1.4\n")
    build(tmp_path, html_only=True)
    for variant in ("", "text/", "print/"):
        page = tmp_path / "out" / variant / "guide" / "rules" / "index.html"
        href = lxml.html.fromstring(page.read_bytes()).xpath("//div[@class='content']//a")[0].get("href")
        target = (page.parent / href.split("#")[0].replace("%20", " ")).resolve()
        assert target == (tmp_path / "out" / "guide" / "files" / "rules v2.pdf").resolve(), (variant, href)
        assert href.endswith("#page=3")


def test_collections_need_a_list_of_titled_entries(tmp_path: Path) -> None:
    (tmp_path / "content" / "news").mkdir(parents=True)
    (tmp_path / "handpress.toml").write_text('title = "News"\nlanguages = ["en", "es"]\n')
    (tmp_path / "content" / "index.md").write_text("# Home\n")
    (tmp_path / "content" / "news" / "index.md").write_text(
        "---\ntitle: News\ntemplate: collection.html\ncollection: news\n---\nThe news.\n")
    (tmp_path / "content" / "news" / "item.md").write_text("# An item\n")
    (tmp_path / "content" / "events.md").write_text("---\ntitle: Events\ncollection: events\n---\n")
    (tmp_path / "content" / "news.yaml").write_text(
        "- title: Fine\n  link: item.md\n- just words\n- title: Gone\n  link: gone.md#top\n- date: 2024-01-01\n")
    (tmp_path / "content" / "news.es.yaml").write_text("title: Noticias\n")
    assert [d for d in diagnose(tmp_path) if ": info: " not in d] == [
        "content/events.md:3: error: collection 'events' has no data file (expected content/events.yaml) "
        "[collection]",
        "content/news.es.yaml:1: error: a collection is a list of entries, each starting with '- title: …' "
        "[collection]",
        "content/news.yaml:3: error: entry 2 is not a set of keys (title:, date:, place:, summary:, link:) "
        "[collection]",
        "content/news.yaml:4: error: entry 3 links to 'gone.md#top': no page content/news/gone.md (links in "
        "content/news.yaml are read from content/news/index.md's folder) [missing-page]",
        "content/news.yaml:6: error: entry 4 has no title (title: …) [collection]",
    ]
