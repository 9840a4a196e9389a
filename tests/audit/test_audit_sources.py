"""Audit issues at their source: a page's offending element named by the Markdown file and line it came from
(content/…md:LINE), or by the template that wrote it; GitHub annotations and SARIF point there."""

from __future__ import annotations

import json
import os
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner, Result

from handpress.build.pipeline import build, environments, prepare
from handpress.commands.cli import cli
from handpress.site.sourcelines import render_page

from conftest import copy_fixture

IMAGE_LINE = 13      # "two lines, with ![](office.png) …": the second line of its paragraph
HEADING_LINE = 15    # "#### A skipped level": a heading-skip warning, published as h3 (no gap reaches a page)


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    tmp = tmp_path_factory.mktemp("sources")
    project = copy_fixture("audit-sources", tmp)
    build(project, html_only=True)
    cwd = Path.cwd()
    os.chdir(tmp)                        # as CI runs it: from the repository, the project in a folder
    try:
        result = CliRunner().invoke(cli, ["audit", "--project", "audit-sources", "--format", "github"])
    finally:
        os.chdir(cwd)
    return project, result


def test_a_rendered_again_page_is_the_published_page_and_knows_its_lines(tmp_path: Path) -> None:
    project = copy_fixture("audit-sources", tmp_path)
    build(project, html_only=True)
    prepared = prepare(project)
    translations, envs = environments(prepared)
    for variant, path in (("graphical", "index.html"), ("text", "text/index.html"), ("print", "print/index.html")):
        again = render_page(prepared.site, envs["en"], translations["en"], "", "en", variant)
        assert again.html.encode("utf-8") == (project / "out" / path).read_bytes()
        lines = again.html.splitlines()
        body_line = prepared.site.page("", "en").doc.body_line
        for needle, line in (("<h3", HEADING_LINE), ("two, with", 10), ("<h2", 7)):
            at = next(n for n, text in enumerate(lines, 1) if needle in text)
            assert body_line + again.markdown_line(at) == line, (variant, needle)
        assert again.markdown_line(1) is None                         # <!doctype>: the template's
    assert again.template == "templates/print/page.html"


def test_issues_name_the_markdown_line_or_the_template(audited: tuple[Path, Result]) -> None:
    project, result = audited
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    def at(code: str) -> set[str]:
        return {line.split("::")[1] for line in lines if f"%3A {code}::" in line}
    # found at its Markdown line; the whole-guide page is the handbook's HTML, whose figures need words for
    # the tagged PDF ("Image without a description"), so it is not reported there again
    assert at("image-alt") == {f"error file=audit-sources/content/index.md,line={IMAGE_LINE},title=axe%3A image-alt"}
    assert at("heading-order") == set()  # the skipped level was published without the gap
    assert at("link-name") == {"error file=audit-sources/templates/page.html,title=axe%3A link-name",
                               # the site map is no content page: its issues stay at its file
                               "error file=audit-sources/out/site-map/index.html,title=axe%3A link-name"}
    image = next(line for line in lines if f"line={IMAGE_LINE},title=axe" in line)
    assert image.endswith("[axe] on index.html (graphical, en), print/index.html (print, en)")
    assert "Audited 10 pages" in result.stdout  # the summary follows the annotations; 3 of them the site map


def test_reports_carry_the_source(audited: tuple[Path, Result]) -> None:
    project, _ = audited
    report = json.loads((project / "out" / "audit" / "report.json").read_text(encoding="utf-8"))
    issues = [i for r in report["results"] for i in r["issues"]]
    alt = [(i["page"], i["source"], i["line"]) for i in issues if i["code"] == "image-alt"]
    assert sorted(alt) == [("index.html", "content/index.md", IMAGE_LINE),
                           ("print/index.html", "content/index.md", IMAGE_LINE)]
    sarif = json.loads((project / "out" / "audit" / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    placed = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["locations"][0]["physicalLocation"].get("region", {}).get("startLine")) for r in run["results"]}
    # at paths from where the audit ran (the repository, in CI), as code scanning reads them
    assert ("image-alt", "audit-sources/content/index.md", IMAGE_LINE) in placed
    assert not [r for r in run["results"] if r["ruleId"] == "heading-order"]
    assert ("link-name", "audit-sources/templates/page.html", None) in placed
    assert all(rules[r["ruleIndex"]] == r["ruleId"] and r["level"] in ("error", "warning", "note")
               for r in run["results"])


def test_an_out_older_than_its_content_names_the_file_but_no_line(tmp_path: Path) -> None:
    project = copy_fixture("audit-sources", tmp_path)
    build(project, html_only=True)
    index = project / "content" / "index.md"
    index.write_text("New first line.\n\n" + index.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", "--project", str(project), "--variant", "graphical",
                                      "--pages", "index.html", "--format", "sarif"])
    assert result.exit_code == 2
    run = json.loads(result.stdout)["runs"][0]
    alt = [r for r in run["results"] if r["ruleId"] == "image-alt"]
    assert [r["locations"][0]["physicalLocation"] for r in alt] == [
        {"artifactLocation": {"uri": f"{project}/content/index.md"}}]
    assert "Audited 1 page" in result.stderr                        # stdout holds only the SARIF log


def test_an_issue_on_the_whole_guide_page_is_placed_at_its_chapters_markdown_file(tmp_path: Path) -> None:
    """The whole-guide page is a handbook's HTML: an element in a chapter came from that chapter's page, an
    element of the cover or the contents from the handbook's template."""
    from handpress.audit.models import Issue
    from handpress.audit.sources import Origin, Sources

    project = copy_fixture("audit-sources", tmp_path)
    build(project, html_only=True)
    sources = Sources(project, project / "out")
    page = "print/handbooks/handbook/index.html"
    assert sources.books[page][0].id == "handbook"
    articles = lxml.html.parse(str(project / "out" / page)).getroot().iter("article")
    (other,) = [a.get("id") for a in articles if a.get("id", "").endswith("-other")]

    def issue(selector: str) -> Issue:
        return Issue(page, "print", "en", "axe", "link-name", "error", "Links must have discernible text", selector)

    assert sources.origin(issue(f"#{other} .chapter-body > p")) == Origin("content/other.md", None)
    assert sources.origin(issue(f"#{other}")) == Origin("content/other.md", None)
    assert sources.origin(issue("#toc-title")) == Origin("templates/handbook/document.html", None)
    assert sources.origin(issue("#nothing-here")) is None
