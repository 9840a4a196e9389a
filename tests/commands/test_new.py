"""handpress new: a small project that builds at once, with no warnings and no notes."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml
from click.testing import CliRunner

from handpress.build.pipeline import build, prepare
from handpress.commands.cli import cli
from handpress.commands.new import create


def test_a_new_project_builds_cleanly_with_its_handbook(tmp_path: Path) -> None:
    target = tmp_path / "guide"
    result = CliRunner().invoke(cli, ["new", str(target), "--title", "Field guide"])
    assert result.exit_code == 0, result.output
    assert result.output == (f"Created 7 files in {target}. Next:\n"
                             f"  handpress serve --project {target}    see the site as you edit it\n"
                             f"  handpress build --project {target}    build it into {target / 'out'}\n")
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        ".gitignore", "content/guide/getting-started.md", "content/guide/index.md", "content/guide/writing.md",
        "content/images/diagram.svg", "content/index.md", "handpress.toml"]
    prepared = prepare(target, strict=True)
    assert prepared.diagnostics == ()  # not even a note
    assert [h.id for h in prepared.site.handbooks] == ["guide"]
    assert prepared.site.handbooks[0].keys == prepared.site.keys  # the whole guide
    built = build(target, html_only=True)
    assert built.pages == 4 and built.diagnostics == ()
    page = (target / "out" / "guide" / "writing" / "index.html").read_text()
    assert "<title>Writing pages — Field guide</title>" in page
    assert 'alt="A diagram: a Markdown file goes into handpress' in page
    assert "<caption>The files of a project</caption>" in (target / "out" / "guide" / "getting-started" /
                                                           "index.html").read_text()


def test_any_title_is_written_safely(tmp_path: Path) -> None:
    title = 'Quotes " and \\ backslashes: {braces} $dollar #hash\nnew line'
    create(tmp_path / "p", title=title, organisation="Ünïcode Office")
    config = tomllib.loads((tmp_path / "p" / "handpress.toml").read_text())
    assert config["title"] == title and config["organisation"] == "Ünïcode Office"
    assert config["handbooks"][0]["title"] == title
    front = (tmp_path / "p" / "content" / "index.md").read_text().split("---")[1]
    assert yaml.safe_load(front)["title"] == title


def test_an_existing_folder_with_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "taken")])
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'taken'}: error: already exists and is not empty; choose a new folder\n"
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    assert CliRunner().invoke(cli, ["new", str(tmp_path / "empty")]).exit_code == 0


def test_a_new_project_passes_its_audit_at_once(tmp_path: Path) -> None:
    """Every page in every variant (pa11y, htmlcs and axe) and its PDF handbook (PDF/UA-1)."""
    target = tmp_path / "guide"
    assert CliRunner().invoke(cli, ["new", str(target)]).exit_code == 0
    assert CliRunner().invoke(cli, ["build", "--project", str(target)]).exit_code == 0
    result = CliRunner().invoke(cli, ["audit", "--project", str(target), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "No new issues." in result.output
    results = json.loads((target / "out" / "audit" / "report.json").read_text(encoding="utf-8"))["results"]
    assert {r["variant"] for r in results} == {"graphical", "text", "print", "pdf"}
    assert len(results) == 5 * 3 + 1 + 1  # 4 pages and the site map × 3 variants, the whole-guide page, the PDF
