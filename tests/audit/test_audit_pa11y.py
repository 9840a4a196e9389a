"""The pa11y wrapper: its config, the tools it looks for, and what it says when a URL does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from handpress.audit import chromium, pa11y
from handpress.audit.server import page_url, serve
from handpress.audit.settings import AuditSettings

from conftest import FIXTURES

CLEAN = FIXTURES / "audit-clean"


def test_config_uses_the_system_chromium_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    tools = pa11y.Tools(Path("/usr/bin/node"), Path("/x/node_modules"), Path("/usr/bin/chromium"), {})
    monkeypatch.setattr(chromium.os, "geteuid", lambda: 1000)
    config = pa11y.runner_config(AuditSettings(concurrency=3), tools, ["http://127.0.0.1:1/"])
    assert config["chromeLaunchConfig"] == {
        "executablePath": "/usr/bin/chromium", "headless": True, "args": list(chromium.FLAGS)}
    assert "--disable-background-networking" in chromium.FLAGS and "--headless=new" in chromium.FLAGS
    assert (config["standard"], config["runners"], config["concurrency"]) == ("WCAG2AA", ["htmlcs", "axe"], 3)
    monkeypatch.setattr(chromium.os, "geteuid", lambda: 0)
    assert chromium.launch_flags()[0] == "--no-sandbox"


def test_a_missing_page_is_an_error_not_a_clean_result() -> None:
    settings = AuditSettings(runners=["axe"])
    tools = pa11y.find_tools(settings, CLEAN)
    with serve(CLEAN) as base:
        outcomes = sorted(pa11y.run_pa11y([page_url(base, "index.html"), base + "nowhere/"], settings, tools),
                          key=lambda o: o.index)
    assert [(o.index, o.status, o.error) for o in outcomes] == [
        (0, 200, None), (1, 404, f"HTTP 404 for {base}nowhere/")]
    assert outcomes[0].title == "Briefing" and outcomes[0].issues == ()
