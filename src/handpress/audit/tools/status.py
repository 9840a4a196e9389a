"""``handpress tools check``: each tool the audit needs, where it was found and its version, or what is wrong
with it and the Debian package or command that brings it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from handpress.audit import chromium
from handpress.audit.tools import install, locate
from handpress.errors import ToolMissing

WHERE = {"project": "the project's node_modules", "checkout": "handpress's checkout",
         "per-user": "the per-user folder"}


@dataclass(frozen=True)
class Tool:
    """One tool: found (``path``, ``version``, how it was found) or not (``problem`` and ``hint``)."""

    name: str
    path: Path | None = None
    version: str = ""
    source: str = ""       # how it was found: PATH, HANDPRESS_CHROMIUM, the per-user folder …
    problem: str = ""      # empty when the tool is usable
    hint: str = ""         # the Debian package or command that brings or fixes it

    @property
    def ok(self) -> bool:
        return self.path is not None and not self.problem


def check_tools(*starts: Path, chromium_setting: str | None = None) -> list[Tool]:
    """Node.js ≥ 20, pa11y (with puppeteer), vnu.jar, Chromium and Java, looked for as the audit looks."""
    return [_node(), _pa11y(starts), _vnu(starts), _chromium(chromium_setting), _java()]


def _run(command: list[str]) -> str:
    """What a ``--version`` call prints (stdout, else stderr), or '' when it cannot run."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout.strip() or done.stderr.strip()) if done.returncode == 0 else ""


def _node() -> Tool:
    found = shutil.which("node")
    if found is None:
        return Tool("Node.js", problem="not found on PATH", hint=locate.NODE_HINT)
    version = install.node_version(Path(found))
    if install.major(version) < install.NODE_MAJOR:
        return Tool("Node.js", Path(found), version, "PATH",
                    problem=f"version {version or 'unknown'}; pa11y needs {install.NODE_MAJOR} or newer",
                    hint=locate.NODE_HINT)
    return Tool("Node.js", Path(found), version, "PATH")


def _package_version(modules: Path, name: str) -> str:
    try:
        return str(json.loads((modules / name / "package.json").read_text(encoding="utf-8")).get("version", ""))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return ""


def _stale(place: locate.Place) -> str:
    if place.kind == "per-user" and not install.up_to_date(place.folder):
        return "installed for another version of handpress, or not completely"
    return ""


def _pa11y(starts: tuple[Path, ...]) -> Tool:
    place = locate.find_pa11y(*starts)
    if place is None:
        return Tool("pa11y", problem="not installed", hint=locate.INSTALL_HINT.removeprefix("run "))
    modules = place.node_modules
    version = f"{_package_version(modules, 'pa11y')} (puppeteer {_package_version(modules, 'puppeteer')})"
    stale = _stale(place)
    return Tool("pa11y", modules / "pa11y", version, WHERE[place.kind], problem=stale,
                hint="`handpress tools install`" if stale else "")


def _vnu(starts: tuple[Path, ...]) -> Tool:
    found = locate.find_vnu(*starts)
    if found is None:
        return Tool("vnu.jar", problem="not installed", hint="`handpress tools install`")
    jar, place = found
    stale = _stale(place)
    return Tool("vnu.jar", jar, _package_version(place.node_modules, "vnu-jar"), WHERE[place.kind], problem=stale,
                hint="`handpress tools install`" if stale else "")


def _chromium(setting: str | None) -> Tool:
    source = chromium.ENV_VAR if os.environ.get(chromium.ENV_VAR) else "[audit] chromium" if setting else "PATH"
    try:
        binary = chromium.find_chromium(setting)
    except ToolMissing as exc:
        return Tool("Chromium", problem=exc.diagnostics[0].message.split(";")[0],
                    hint=f"`apt-get install chromium`, or set {chromium.ENV_VAR} to a Chrome or Chromium binary")
    words = _run([str(binary), "--version"]).split()
    version = next((w for w in words if w[:1].isdigit()), "")
    if not version:
        return Tool("Chromium", binary, source=source, problem="does not run (`--version` failed)",
                    hint="`apt-get install chromium`")
    return Tool("Chromium", binary, version, source)


def _java() -> Tool:
    found = shutil.which("java")
    if found is None:
        return Tool("Java", problem="not found on PATH (the Nu HTML Checker needs it)", hint=locate.JAVA_HINT)
    first = _run([found, "-version"]).splitlines()[:1]
    parts = first[0].split('"') if first else []
    version = parts[1] if len(parts) > 2 else (first[0] if first else "")
    if not version:
        return Tool("Java", Path(found), source="PATH", problem="does not run (`java -version` failed)",
                    hint=locate.JAVA_HINT)
    return Tool("Java", Path(found), version, "PATH")
