"""``handpress new --from-mkdocs DIR``: an equivalent handpress.toml, commented with where each setting came
from; the project then builds the same site from either file."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_fixture
from handpress.build.pipeline import build
from handpress.commands.cli import cli


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
            and p.suffix != ".pdf"}


@pytest.mark.parametrize("fixture", ["mkdocs-nav", "mkdocs-includes", "mkdocs-blocks"])
def test_the_site_is_the_same_from_either_file(tmp_path: Path, fixture: str) -> None:
    project = copy_fixture(fixture, tmp_path)
    build(project, html_only=True)
    from_mkdocs = tree(project / "out")
    shutil.rmtree(project / "out")
    result = CliRunner().invoke(cli, ["new", "--from-mkdocs", str(project)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (f"Wrote {project / 'handpress.toml'} from its mkdocs.yml (which "
                                             "handpress no longer reads; MkDocs still can).")
    built = build(project, html_only=True)
    assert "not read: this project's settings are in handpress.toml" in [d.message for d in built.diagnostics]
    from_toml = tree(project / "out")
    assert sorted(from_toml) == sorted(from_mkdocs)
    assert [name for name in from_toml if from_toml[name] != from_mkdocs[name]] == []


def test_each_setting_says_where_it_came_from_and_what_is_left_out_is_listed(tmp_path: Path) -> None:
    project = copy_fixture("mkdocs-nav", tmp_path)
    assert CliRunner().invoke(cli, ["new", "--from-mkdocs", str(project)]).exit_code == 0
    text = (project / "handpress.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert 'title = "Field Guide" # from site_name (mkdocs.yml:2)' in lines
    assert 'organisation = "Example Office" # from site_author (base.yml:1)' in lines
    assert 'content_dir = "pages" # from docs_dir (mkdocs.yml:6)' in lines
    assert ("#   mkdocs.yml:34: markdown extension 'pymdownx.magiclink' is not supported: its syntax is shown as it "
            "is written") in lines
    data = tomllib.loads(text)
    assert [entry.get("title") for entry in data["nav"]] == [
        "Home", "Getting started", "User guide", "Reference", "Source code"]
    assert data["handbooks"] == [{"id": "handbook", "title": "Field Guide", "subtitle": "How the field office works",
                                  "organisation": "Example Office", "marking": "Copyright \u00a9 2026 Example Office"}]


def test_it_refuses_a_folder_without_mkdocs_yml_or_with_handpress_toml(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["new", "--from-mkdocs", str(empty)])
    assert (result.exit_code, result.output) == (1, f"{empty}: error: has no mkdocs.yml to read\n")
    project = copy_fixture("mkdocs-nav", tmp_path)
    assert CliRunner().invoke(cli, ["new", "--from-mkdocs", str(project)]).exit_code == 0
    result = CliRunner().invoke(cli, ["new", "--from-mkdocs", str(project)])
    assert (result.exit_code, result.output) == (
        1, f"{project / 'handpress.toml'}: error: already exists; this project is read from it already\n")
