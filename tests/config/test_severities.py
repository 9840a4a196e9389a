"""[checks] in handpress.toml: a check's severity for the whole project or for paths (config/checks.py)."""

from __future__ import annotations

import re
from pathlib import Path

import page as pdfcheck
import pikepdf
import pytest
from click.testing import CliRunner

from handpress.audit import pa11y
from handpress.audit.server import page_url, serve
from handpress.audit.settings import AuditSettings
from handpress.build.pipeline import build
from handpress.commands.cli import cli
from handpress.config import parse_config
from handpress.config.checks import ADJUSTABLE, FIXED
from handpress.errors import ConfigError, Diagnostic, HandpressError

from conftest import REPO, copy_fixture, parse_html

OLD = "content/legacy/old.md"


def problems(toml: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config('title = "T"\n' + toml)
    return [d.format() for d in caught.value.diagnostics]


def test_unknown_fixed_and_misspelt_settings_are_reported_together_at_their_lines() -> None:
    assert problems('[checks]\nseverty = {}\n[checks.severity]\nimage-alts = "warning"\nduplicate-url = "info"\n'
                    '[checks.paths."legacy/**"]\nmissing-anchor = "warn"\n') == [
        "handpress.toml:3: error: unknown key 'checks.severty' (did you mean 'severity'?)",
        "handpress.toml:5: error: 'checks.severity.image-alts': unknown check 'image-alts' (did you mean 'image-alt'?)",
        "handpress.toml:6: error: 'checks.severity.duplicate-url': the severity of 'duplicate-url' cannot be set: a "
        "build cannot go on past it",
        "handpress.toml:8: error: 'checks.paths.legacy/**.missing-anchor': input should be 'error', 'warning' or "
        "'info' (found 'warn')",
    ]


def test_the_last_matching_path_wins_over_earlier_ones_and_the_project() -> None:
    checks = parse_config('title = "T"\n[checks.severity]\nimage-alt = "warning"\n'
                          '[checks.paths]\n"content/legacy/" = { image-alt = "info" }\n'
                          '"legacy/keep/*.md" = { image-alt = "error" }\n').checks
    assert checks.level("image-alt", "content/news.md") == "warning"
    assert checks.level("image-alt", "content/legacy/a/b.md") == "info"  # a folder holds everything under it
    assert checks.level("image-alt", "content/legacy/keep/x.md") == "error"
    assert checks.level("missing-page", "content/legacy/a.md") is None
    found = checks.apply([Diagnostic("content/legacy/a.md", 3, "error", "m", "image-alt"),
                          Diagnostic("content/legacy/keep/x.md", 4, "error", "m", "image-alt"),
                          Diagnostic("content/legacy/a.md", 5, "error", "m", "duplicate-url")])
    assert [(d.severity, d.configured) for d in found] == [("info", True), ("error", False), ("error", False)]


@pytest.fixture(scope="module")
def adopting(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Diagnostic]]:
    project = copy_fixture("adopting", tmp_path_factory.mktemp("adopting"))
    return project, list(build(project, html_only=True).diagnostics)


def test_lowered_problems_are_still_reported_and_the_pages_published(adopting: tuple[Path, list[Diagnostic]]) -> None:
    project, found = adopting
    assert [(d.format(), d.configured) for d in found if d.severity != "info"] == [
        (f"{OLD}:7: warning: image '../img/square.svg' has no alt text: describe it in ![…](…), or mark a purely "
         "decorative image with ![](…){.decorative} [image-alt]", True),
        (f"{OLD}:9: warning: raw HTML image '/img/square.svg' has no alt attribute: describe it in alt=\"…\", or "
         "write alt=\"\" if it is purely decorative [image-alt]", True)]
    images = parse_html(project / "out/legacy/old/index.html").get_element_by_id("main").findall(".//img")
    assert [(img.get("src"), "alt" in img.attrib) for img in images] == [
        ("../../img/square.svg", False), ("../../img/square.svg", False)]  # no alt: the audit finds them


def test_the_audit_still_finds_what_was_lowered(adopting: tuple[Path, list[Diagnostic]]) -> None:
    project, _ = adopting
    settings = AuditSettings(runners=["axe"])
    with serve(project / "out") as base:
        [outcome] = pa11y.run_pa11y([page_url(base, "legacy/old/index.html")], settings,
                                    pa11y.find_tools(settings, project))
    assert [issue["code"] for issue in outcome.issues].count("image-alt") == 2  # axe: <img> without alt


def test_the_summary_counts_them_and_other_paths_keep_the_default(tmp_path: Path) -> None:
    project = copy_fixture("adopting", tmp_path)
    checked = CliRunner().invoke(cli, ["check", "--project", str(project)])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.endswith("Checked 2 pages: no errors, 2 warnings, 0 notes; 2 at a severity set in "
                                   "handpress.toml.\n")
    built = CliRunner().invoke(cli, ["build", "--html-only", "--project", str(project)])
    assert built.exit_code == 0, built.output
    assert built.stdout.splitlines()[-1].endswith("s: 2 warnings, 2 at a severity set in handpress.toml.")
    (project / "content/new.md").write_text("# New\n\n![](img/square.svg)\n\n[Home](index.md#nowhere)\n",
                                            encoding="utf-8")
    with pytest.raises(HandpressError) as caught:
        build(project, html_only=True)
    assert [d.format() for d in caught.value.diagnostics if d.path == "content/new.md"] == [
        "content/new.md:3: error: image 'img/square.svg' has no alt text: describe it in ![…](…), or mark a purely "
        "decorative image with ![](…){.decorative} [image-alt]",
        "content/new.md:5: error: link to 'index.md#nowhere': content/index.md has no heading or element with id "
        "'nowhere' [missing-anchor]"]


def test_a_lowered_image_alt_never_fails_the_handbook_which_names_the_undescribed_images(tmp_path: Path) -> None:
    """A warning in the content checks is never an error in the PDF stage: a tagged PDF's figure needs words,
    so the handbook says the image is there without a description."""
    project = copy_fixture("adopting", tmp_path)
    built = CliRunner().invoke(cli, ["build", "--project", str(project)])
    assert built.exit_code == 0, built.output
    assert "error" not in built.output
    pdf = project / "out/pdf/handbook.en.pdf"
    assert pdfcheck.validate_pdf(str(pdf), profile="ua1").is_compliant
    with pikepdf.open(pdf) as doc:
        alts = [str(node.get("/Alt")) for node in _struct_nodes(doc.Root.StructTreeRoot)
                if node.get("/S") == "/Figure"]
    assert alts.count("Image without a description") == 2


def _struct_nodes(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    if kids is None:
        return [node]
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [node] + [n for kid in kids if isinstance(kid, pikepdf.Dictionary) for n in _struct_nodes(kid)]


def test_the_settable_checks_are_those_docs_checks_md_lists_before_collection() -> None:
    codes = re.findall(r"^\| `([a-z0-9-]+)` \|", (REPO / "docs/checks.md").read_text(encoding="utf-8"), re.M)
    assert set(codes[: codes.index("collection")]) == ADJUSTABLE
    assert set(codes[codes.index("collection") :]) == FIXED
