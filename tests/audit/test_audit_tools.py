"""Where the audit's Node tools are looked for (project, checkout, per-user folder), what `handpress tools
check` says about each tool, and what the audit says when pa11y is nowhere."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from handpress.audit.tools import install, locate, status
from handpress.commands.cli import cli
from handpress.errors import ToolMissing

from conftest import REPO


def fake_modules(folder: Path, pa11y: str = "9.1.1") -> Path:
    for name, version in (("pa11y", pa11y), ("puppeteer", "24.43.1"), ("vnu-jar", "26.9.27")):
        (folder / "node_modules" / name).mkdir(parents=True)
        (folder / "node_modules" / name / "package.json").write_text(json.dumps({"version": version}), "utf-8")
    jar = folder / "node_modules" / locate.JAR
    jar.parent.mkdir(parents=True)
    jar.write_bytes(b"PK")
    return folder / "node_modules"


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A project inside a folder, a checkout (its package.json and lock only) and a per-user folder."""
    found = {"project": tmp_path / "work" / "project", "checkout": tmp_path / "checkout", "per-user": tmp_path / "user"}
    for folder in found.values():
        folder.mkdir(parents=True)
    for name in install.MANIFESTS:                     # the checkout's manifests: what `tools install` installs
        shutil.copyfile(REPO / name, found["checkout"] / name)
    monkeypatch.setattr(locate, "checkout", lambda: found["checkout"])
    monkeypatch.setenv(locate.TOOLS_DIR_VAR, str(found["per-user"]))
    return found


def test_the_project_comes_first_then_the_checkout_then_the_per_user_folder(places: dict[str, Path]) -> None:
    project = places["project"]
    kinds = [(p.folder, p.kind) for p in locate.places(project)]
    assert kinds[:3] == [(project, "project"), (project.parent, "project"), (project.parent.parent, "project")]
    assert kinds[-2:] == [(places["checkout"], "checkout"), (places["per-user"], "per-user")]
    fake_modules(places["per-user"])
    assert locate.find_node_modules(project) == places["per-user"] / "node_modules"
    fake_modules(places["checkout"])
    assert locate.find_node_modules(project) == places["checkout"] / "node_modules"
    fake_modules(project.parent)                      # a parent folder of the project holding node_modules
    assert locate.find_node_modules(project) == project.parent / "node_modules"
    assert locate.find_jar(project) == project.parent / "node_modules" / locate.JAR


def test_pa11y_without_puppeteer_does_not_count(places: dict[str, Path]) -> None:
    modules = fake_modules(places["project"])
    (modules / "puppeteer" / "package.json").unlink()
    assert locate.find_pa11y(places["project"]) is None


def test_missing_pa11y_names_handpress_tools_install(places: dict[str, Path]) -> None:
    with pytest.raises(ToolMissing) as info:
        locate.find_node_modules(places["project"])
    assert str(info.value) == ("pa11y: error: pa11y is not installed; run `handpress tools install` "
                               f"(it installs handpress's pinned Node tools into {places['per-user']})")
    with pytest.raises(ToolMissing) as info:
        locate.find_jar(places["project"])
    assert str(info.value) == ("vnu: error: the Nu HTML Checker (npm vnu-jar) is not installed; "
                               "run `handpress tools install`")


def test_the_per_user_folder_defaults_to_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(locate.TOOLS_DIR_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert locate.user_dir() == tmp_path / "data" / "handpress" / "node-tools"


def test_the_checkout_is_found_when_handpress_runs_from_source() -> None:
    source = locate.checkout()
    assert source == REPO and (source / "src" / "handpress" / "__init__.py").is_file()
    assert install.manifests() == source             # package.json and package-lock.json at its top


def test_check_lists_every_tool_with_where_and_version(places: dict[str, Path]) -> None:
    fake_modules(places["per-user"], pa11y="9.1.1")
    (places["per-user"] / install.STAMP).write_text(json.dumps({"lock": install.lock_digest(install.manifests())}),
                                                   "utf-8")
    found = {t.name: t for t in status.check_tools(places["project"])}
    assert list(found) == ["Node.js", "pa11y", "vnu.jar", "Chromium", "Java"]
    assert all(t.ok for t in found.values()), found
    assert found["pa11y"].version == "9.1.1 (puppeteer 24.43.1)"
    assert found["pa11y"].source == "the per-user folder"
    assert found["vnu.jar"].path == places["per-user"] / "node_modules" / locate.JAR
    assert int(found["Node.js"].version.lstrip("v").split(".")[0]) >= 20
    assert found["Chromium"].version[:1].isdigit() and found["Java"].version[:1].isdigit()


def test_a_per_user_folder_from_another_lock_is_reported_stale(places: dict[str, Path]) -> None:
    fake_modules(places["per-user"])
    (places["per-user"] / install.STAMP).write_text(json.dumps({"lock": "old"}), "utf-8")
    pa11y = status.check_tools(places["project"])[1]
    assert not pa11y.ok and pa11y.problem.startswith("installed for another version of handpress")
    assert pa11y.hint == "`handpress tools install`"


def test_check_exits_1_and_says_what_brings_each_missing_tool(places: dict[str, Path],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    empty = places["project"] / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("HANDPRESS_CHROMIUM", raising=False)
    result = CliRunner().invoke(cli, ["tools", "check", "--project", str(places["project"])])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines == [
        "Node.js   MISSING  not found on PATH; get it with install Node.js 20 or newer "
        "(Debian 13: `apt-get install nodejs npm`)",
        "pa11y     MISSING  not installed; get it with `handpress tools install`",
        "vnu.jar   MISSING  not installed; get it with `handpress tools install`",
        "Chromium  MISSING  Chromium is not installed; get it with `apt-get install chromium`, "
        "or set HANDPRESS_CHROMIUM to a Chrome or Chromium binary",
        "Java      MISSING  not found on PATH (the Nu HTML Checker needs it); get it with "
        "`apt-get install default-jre-headless`",
        "Missing: Node.js, pa11y, vnu.jar, Chromium, Java.",
    ]


def test_handpress_chromium_names_the_browser(places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDPRESS_CHROMIUM", "/usr/bin/chromium")
    chromium = status.check_tools(places["project"])[3]
    assert (chromium.ok, chromium.path, chromium.source) == (True, Path("/usr/bin/chromium"), "HANDPRESS_CHROMIUM")
    monkeypatch.setenv("HANDPRESS_CHROMIUM", str(places["project"] / "no-such-browser"))
    chromium = status.check_tools(places["project"])[3]
    assert not chromium.ok and "not found at" in chromium.problem


def test_install_refuses_an_old_node(places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = places["project"] / "bin"
    bin_dir.mkdir()
    node = bin_dir / "node"
    node.write_text("#!/bin/sh\necho v18.19.0\n", "utf-8")
    node.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(ToolMissing) as info:
        install.install(places["per-user"])
    assert f"Node.js v18.19.0 at {node} is too old; pa11y needs 20 or newer" in str(info.value)
    assert not (places["per-user"] / "node_modules").exists()
