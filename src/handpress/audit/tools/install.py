"""``handpress tools install``: handpress's pinned Node tools (pa11y, puppeteer, vnu-jar) in the per-user folder.

The wheel carries the repository's ``package.json`` and ``package-lock.json`` beside this module; a checkout
has them at its top. They are copied into the per-user folder and installed there with ``npm ci`` (the lock's
exact versions, devDependencies left out); puppeteer never downloads a browser. A stamp records which lock
was installed, so a second install with nothing changed does nothing and an upgrade of handpress is noticed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from handpress import __version__
from handpress.audit.tools import locate
from handpress.errors import HandpressError, ToolMissing

MANIFESTS = ("package.json", "package-lock.json")
STAMP = "handpress-tools.json"
NODE_MAJOR = 20
NO_BROWSER_DOWNLOAD = {"PUPPETEER_SKIP_DOWNLOAD": "1", "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD": "1"}


@dataclass(frozen=True)
class Installed:
    folder: Path
    changed: bool      # False: the same lock was installed already, nothing was done


def manifests() -> Path:
    """The folder holding the package.json and package-lock.json this handpress was made with."""
    for folder in (Path(__file__).parent, locate.checkout()):
        if folder is not None and all((folder / name).is_file() for name in MANIFESTS):
            return folder
    raise HandpressError.at("handpress", None, "this handpress was installed without its package.json and "
                            "package-lock.json; reinstall it from a wheel or a checkout")


def lock_digest(folder: Path) -> str:
    return hashlib.sha256(b"".join((folder / name).read_bytes() for name in MANIFESTS)).hexdigest()


def stamp(folder: Path) -> dict[str, str] | None:
    """What ``handpress tools install`` recorded in ``folder``, if it finished there."""
    try:
        data = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def up_to_date(folder: Path) -> bool:
    recorded = stamp(folder)
    return recorded is not None and recorded.get("lock") == lock_digest(manifests())


def node_version(node: Path) -> str:
    done = subprocess.run([str(node), "--version"], capture_output=True, text=True)
    return done.stdout.strip()


def major(version: str) -> int:
    try:
        return int(version.lstrip("v").split(".")[0])
    except ValueError:
        return 0


def install(folder: Path | None = None, *, force: bool = False) -> Installed:
    """``npm ci`` of handpress's lock into ``folder`` (default: the per-user folder). npm's own output goes to
    the terminal; a failure raises :class:`HandpressError` with npm's exit status."""
    folder = folder or locate.user_dir()
    source = manifests()
    if not force and up_to_date(folder) and locate.has_pa11y(folder / "node_modules"):
        return Installed(folder, changed=False)
    node = locate.find_node()
    version = node_version(node)
    if major(version) < NODE_MAJOR:
        raise ToolMissing.at("node", None, f"Node.js {version or '(unknown version)'} at {node} is too old; "
                             f"pa11y needs {NODE_MAJOR} or newer: {locate.NODE_HINT}")
    npm = locate.find_npm()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STAMP).unlink(missing_ok=True)
    for name in MANIFESTS:
        shutil.copyfile(source / name, folder / name)
    command = [str(npm), "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(command, cwd=folder, env={**os.environ, **NO_BROWSER_DOWNLOAD})
    if done.returncode != 0:
        raise HandpressError.at(str(folder), None, f"`npm ci` failed with exit status {done.returncode}; "
                                "see npm's messages above")
    if not locate.has_pa11y(folder / "node_modules"):
        raise HandpressError.at(str(folder), None, "`npm ci` finished but pa11y is not in node_modules")
    (folder / STAMP).write_text(json.dumps({"lock": lock_digest(source), "handpress": __version__}) + "\n",
                                encoding="utf-8")
    return Installed(folder, changed=True)
