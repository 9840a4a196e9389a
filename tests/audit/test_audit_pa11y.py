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


def big_page(items: int, setter: str) -> str:
    """A page of about ``items`` elements whose ``window.__pa11y`` setter runs ``setter`` first: it holds up
    the audit itself at the moment pa11y's runner is injected, after the page has loaded and been measured."""
    rows = "".join(f"<li>Item {n}</li>" for n in range(items))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Big</title><script>
let kept; Object.defineProperty(window, "__pa11y", {{configurable: true, get: () => kept,
  set: value => {{ {setter} kept = value; }}}});
</script></head><body><main><h1>Big</h1><ul>{rows}</ul></main></body></html>"""


def test_a_big_page_gets_time_in_proportion_to_its_size(tmp_path: Path) -> None:
    """timeout_ms is what a page of up to 2,000 elements gets: one of 10,000 that takes 4 s before its audit
    even starts is audited within its five times 3 s (a fixed 3 s would have timed it out)."""
    (tmp_path / "index.html").write_text(big_page(9991, "const end = Date.now() + 4000; while (Date.now() < end) {}"),
                                         encoding="utf-8")
    settings = AuditSettings(runners=["htmlcs"], timeout_ms=3000, concurrency=1)
    with serve(tmp_path) as base:
        [outcome] = pa11y.run_pa11y([page_url(base, "index.html")], settings, pa11y.find_tools(settings, CLEAN))
    assert (outcome.status, outcome.error, outcome.title) == (200, None, "Big")


def test_a_page_that_never_finishes_is_reported_with_its_budget_and_the_next_is_audited(tmp_path: Path) -> None:
    (tmp_path / "stuck.html").write_text(big_page(91, "for (;;) {}"), encoding="utf-8")
    settings = AuditSettings(runners=["htmlcs"], timeout_ms=3000, concurrency=1)
    with serve(tmp_path) as base, serve(CLEAN) as clean:
        urls = [page_url(base, "stuck.html"), page_url(clean, "index.html")]
        outcomes = sorted(pa11y.run_pa11y(urls, settings, pa11y.find_tools(settings, CLEAN)), key=lambda o: o.index)
    stuck, after = outcomes
    assert stuck.error is not None and stuck.error.startswith(f"{urls[0]} timed out after 3000 ms")
    assert stuck.error.endswith("(a page gets [audit] timeout_ms, 3000 ms, per 2000 elements; this one has 100)")
    assert (after.status, after.error, after.title) == (200, None, "Briefing")
