"""Where the audit's Node packages are looked for, in order:

1. ``node_modules`` in the project's folder or one of its parents (a project pinning its own pa11y);
2. handpress's own checkout (a developer's ``make setup``);
3. the per-user folder ``handpress tools install`` fills (a pip install), ``$HANDPRESS_TOOLS_DIR`` if set,
   else platformdirs' user data folder (``~/.local/share/handpress/node-tools`` on Linux).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import platformdirs

import handpress
from handpress.errors import ToolMissing

TOOLS_DIR_VAR = "HANDPRESS_TOOLS_DIR"
INSTALL_HINT = "run `handpress tools install`"
JAR = Path("vnu-jar") / "build" / "dist" / "vnu.jar"
_PACKAGE_ROOT = Path(handpress.__file__).resolve().parent


@dataclass(frozen=True)
class Place:
    """A folder that may hold ``node_modules``, and how to name it to a user."""

    folder: Path
    kind: str          # "project", "checkout" or "per-user"

    @property
    def node_modules(self) -> Path:
        return self.folder / "node_modules"


def checkout() -> Path | None:
    """handpress's source checkout (``src/handpress`` beside ``pyproject.toml`` and ``package.json``), if this
    handpress runs from one; ``None`` for an installed wheel."""
    root = _PACKAGE_ROOT.parents[1]
    if _PACKAGE_ROOT.parent.name == "src" and (root / "pyproject.toml").is_file() and (root / "package.json").is_file():
        return root
    return None


def user_dir() -> Path:
    """The per-user folder for the Node tools (``$HANDPRESS_TOOLS_DIR``, else the platform's user data folder)."""
    chosen = os.environ.get(TOOLS_DIR_VAR)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return platformdirs.user_data_path("handpress", appauthor=False) / "node-tools"


def places(*starts: Path) -> list[Place]:
    """Every folder to look in, in order, each once."""
    found: list[Place] = []
    for start in starts:
        start = start.resolve()
        found += [Place(folder, "project") for folder in (start, *start.parents)]
    source = checkout()
    if source is not None:
        found.append(Place(source, "checkout"))
    found.append(Place(user_dir(), "per-user"))
    seen: set[Path] = set()
    return [p for p in found if not (p.folder in seen or seen.add(p.folder))]


def has_pa11y(modules: Path) -> bool:
    return (modules / "pa11y" / "package.json").is_file() and (modules / "puppeteer" / "package.json").is_file()


def find_pa11y(*starts: Path) -> Place | None:
    return next((p for p in places(*starts) if has_pa11y(p.node_modules)), None)


def find_node_modules(*starts: Path) -> Path:
    """The ``node_modules`` holding pa11y and puppeteer, or :class:`ToolMissing` naming the command that installs it."""
    place = find_pa11y(*starts)
    if place is None:
        raise ToolMissing.at("pa11y", None, f"pa11y is not installed; {INSTALL_HINT} "
                             f"(it installs handpress's pinned Node tools into {user_dir()})")
    return place.node_modules


def find_vnu(*starts: Path) -> tuple[Path, Place] | None:
    return next(((p.node_modules / JAR, p) for p in places(*starts) if (p.node_modules / JAR).is_file()), None)


def find_jar(*starts: Path) -> Path:
    """vnu.jar (npm's ``vnu-jar``), or :class:`ToolMissing` naming the command that installs it."""
    found = find_vnu(*starts)
    if found is None:
        raise ToolMissing.at("vnu", None, f"the Nu HTML Checker (npm vnu-jar) is not installed; {INSTALL_HINT}")
    return found[0]


NODE_HINT = "install Node.js 20 or newer (Debian 13: `apt-get install nodejs npm`)"
JAVA_HINT = "`apt-get install default-jre-headless`"


def find_node() -> Path:
    found = shutil.which("node")
    if found is None:
        raise ToolMissing.at("node", None, f"Node.js is not installed; {NODE_HINT}")
    return Path(found)


def find_npm() -> Path:
    found = shutil.which("npm")
    if found is None:
        raise ToolMissing.at("npm", None, f"npm is not installed; {NODE_HINT}")
    return Path(found)


def find_java() -> Path:
    found = shutil.which("java")
    if found is None:
        raise ToolMissing.at("java", None, f"Java is not installed; the Nu HTML Checker needs it: {JAVA_HINT}")
    return Path(found)
