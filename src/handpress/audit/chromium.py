"""Finding the system's Chromium and the flags it needs to run headless here.

Puppeteer never downloads a browser for handpress: the path comes from ``HANDPRESS_CHROMIUM``, then the
``[audit] chromium`` setting, then the usual names on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from handpress.errors import ToolMissing

ENV_VAR = "HANDPRESS_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome")
INSTALL_HINT = (
    "install it with `apt-get install chromium`, "
    f"or point {ENV_VAR} or [audit] chromium in handpress.toml at a Chrome or Chromium binary"
)
# Quiet, deterministic headless Chromium: no GPU, no /dev/shm limits, nothing fetched from the network.
FLAGS = (
    "--headless=new",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def find_chromium(setting: str | None = None) -> Path:
    """The Chromium binary to use, or :class:`ToolMissing` saying how to install one."""
    for source, value in ((ENV_VAR, os.environ.get(ENV_VAR)), ("[audit] chromium", setting)):
        if value:
            found = shutil.which(value)
            if found is None:
                raise ToolMissing.at(source, None, f"Chromium not found at {value!r}; {INSTALL_HINT}")
            return Path(found)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ToolMissing.at("chromium", None, f"Chromium is not installed; {INSTALL_HINT}")


def launch_flags() -> list[str]:
    """Command-line flags for Chromium; ``--no-sandbox`` only when running as root, where it is required."""
    flags = list(FLAGS)
    if os.geteuid() == 0:
        flags.insert(0, "--no-sandbox")
    return flags


def launch_config(executable: Path) -> dict[str, object]:
    """Puppeteer's launch options, as pa11y's ``chromeLaunchConfig`` expects them."""
    return {"executablePath": str(executable), "headless": True, "args": launch_flags()}
