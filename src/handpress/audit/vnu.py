"""The Nu HTML Checker (vnu.jar from npm's ``vnu-jar``): validate many HTML files in ONE Java run.

Starting the JVM dominates the cost, so :func:`check_html` passes every file at once and parses the JSON
that ``--format json --stdout`` prints into typed :class:`VnuMessage` records.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote, urlsplit

from handpress.audit.tools.locate import find_jar, find_java
from handpress.errors import HandpressError


@dataclass(frozen=True, order=True)
class VnuMessage:
    file: Path
    line: int | None
    type: str            # "error", "warning" (vnu's info/warning), "info" or "non-document-error"
    message: str
    extract: str = ""


def check_html(files: Sequence[Path], *, project: Path | None = None) -> list[VnuMessage]:
    """Validate ``files`` with one ``java -jar vnu.jar`` run; messages sorted by file and line."""
    if not files:
        return []
    paths = [Path(f).resolve() for f in files]
    jar = find_jar(*([project] if project else []), Path.cwd())
    command = [str(find_java()), "-Xss8m", "-jar", str(jar), "--format", "json", "--stdout", *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    # vnu exits 1 when it found errors; anything but JSON on stdout means it did not run.
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        detail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise HandpressError.at("vnu", None, f"the Nu HTML Checker failed: {detail}") from None
    return sorted(_message(item) for item in data.get("messages", []))


def _message(item: dict[str, object]) -> VnuMessage:
    kind = str(item.get("type", "error"))
    if kind == "info" and item.get("subType") == "warning":
        kind = "warning"
    url = str(item.get("url", ""))
    path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
    line = item.get("lastLine") or item.get("firstLine")
    return VnuMessage(path, int(line) if isinstance(line, int) else None, kind,
                      str(item.get("message", "")), str(item.get("extract", "")))
