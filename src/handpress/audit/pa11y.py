"""The pa11y wrapper: find node, pa11y and Chromium; run pa11y over many URLs in one browser; parse its JSON.

pa11y is pinned in handpress's package.json and found by :mod:`handpress.audit.tools.locate` (the project's
node_modules, handpress's checkout, or the per-user folder that ``handpress tools install`` fills). One ``node pa11y_runner.js CONFIG`` process audits every URL through pa11y's Node API
in a single Chromium, and streams one JSON line per page back here.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from handpress.audit import chromium
from handpress.audit.models import Issue, Target
from handpress.audit.settings import AuditSettings
from handpress.audit.tools.locate import find_node, find_node_modules
from handpress.errors import HandpressError

RUNNER_JS = Path(__file__).with_name("pa11y_runner.js")
# [audit] timeout_ms is what a page of up to this many elements gets for its audit; a bigger one, as many times
# that as it is bigger: axe's contrast check takes seconds per thousand elements, and a handbook's whole-guide
# page has thousands (a typical page a few hundred).
ELEMENTS_PER_TIMEOUT = 2000


@dataclass(frozen=True)
class Tools:
    """Everything pa11y needs on this machine, found once."""

    node: Path
    node_modules: Path
    chromium: Path
    versions: dict[str, str]        # pa11y, axe-core and HTML_CodeSniffer versions (part of the cache key)


@dataclass(frozen=True)
class PageOutcome:
    """pa11y's answer for one URL, as streamed by the runner."""

    index: int
    url: str
    status: int = 0
    title: str = ""
    issues: tuple[dict[str, str], ...] = ()
    error: str | None = None


def find_tools(settings: AuditSettings, *starts: Path) -> Tools:
    """Locate node, pa11y and Chromium, or raise :class:`ToolMissing` with how to install the missing one."""
    node = find_node()
    modules = find_node_modules(*starts)
    browser = chromium.find_chromium(settings.chromium)
    return Tools(node, modules, browser, package_versions(modules))


def package_versions(modules: Path) -> dict[str, str]:
    versions = {}
    for name in ("pa11y", "axe-core", "@pa11y/html_codesniffer"):
        manifest = modules / name / "package.json"
        if manifest.is_file():
            versions[name] = json.loads(manifest.read_text(encoding="utf-8")).get("version", "")
    return versions


def runner_config(settings: AuditSettings, tools: Tools, urls: Sequence[str]) -> dict[str, object]:
    """The JSON config handed to pa11y_runner.js (pa11y's own option names where they exist)."""
    return {
        "nodeModules": str(tools.node_modules),
        "chromeLaunchConfig": chromium.launch_config(tools.chromium),
        "standard": settings.standard,
        "runners": list(settings.runners),
        "includeWarnings": settings.include_warnings,
        "concurrency": settings.concurrency,
        "timeout": settings.timeout_ms,
        "elementsPerTimeout": ELEMENTS_PER_TIMEOUT,
        "urls": list(urls),
    }


def run_pa11y(urls: Sequence[str], settings: AuditSettings, tools: Tools) -> Iterator[PageOutcome]:
    """Audit ``urls`` in one browser; yield each page's outcome as soon as it is known (any order)."""
    if not urls:
        return
    with tempfile.TemporaryDirectory(prefix="handpress-pa11y-") as tmp:
        config_path = Path(tmp) / "pa11y-config.json"     # always an absolute path: pa11y reads ./pa11y.json
        config_path.write_text(json.dumps(runner_config(settings, tools, urls)), encoding="utf-8")
        stderr_path = Path(tmp) / "stderr.txt"
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        with open(stderr_path, "w+", encoding="utf-8") as stderr:
            process = subprocess.Popen([str(tools.node), str(RUNNER_JS), str(config_path)], cwd=tmp, env=env,
                                       stdout=subprocess.PIPE, stderr=stderr, text=True, encoding="utf-8")
            seen = 0
            try:
                assert process.stdout is not None
                for line in process.stdout:
                    if line.strip():
                        seen += 1
                        yield parse_outcome(line)
            finally:
                if process.poll() is None and seen < len(urls):
                    process.kill()
                code = process.wait()
            stderr.seek(0)
            problem = stderr.read().strip()
        if code != 0 or seen < len(urls):
            detail = problem.splitlines()[-1] if problem else f"node exited with status {code}"
            raise HandpressError.at("pa11y", None, f"the audit browser failed ({tools.chromium}): {detail}")


def parse_outcome(line: str) -> PageOutcome:
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        raise HandpressError.at("pa11y", None, f"unexpected output from pa11y_runner.js: {line[:200]!r}") from None
    return PageOutcome(
        index=int(data["index"]),
        url=str(data["url"]),
        status=int(data.get("status") or 0),
        title=str(data.get("title") or ""),
        issues=tuple(data.get("issues") or ()),
        error=data.get("error"),
    )


def to_issues(target: Target, raw: Sequence[dict[str, str]]) -> tuple[Issue, ...]:
    """pa11y's issue objects as typed :class:`Issue` records for one page, in a stable order."""
    issues = {
        Issue(
            page=target.page,
            variant=target.variant,
            language=target.language,
            runner=str(item.get("runner", "")),
            code=str(item.get("code", "")),
            type=str(item.get("type", "error")),
            message=str(item.get("message", "")),
            selector=str(item.get("selector") or ""),
            context=str(item.get("context") or ""),
        )
        for item in raw
    }
    return tuple(sorted(issues))
