"""Benchmark: pages per second of ``handpress audit`` against pa11y-ci run directly on the same pages.

Both audit the same URLs (the sample publication, built into a temporary folder and served on 127.0.0.1)
with the same standard, runners, warnings setting, Chromium, launch flags and concurrency. handpress runs
with its cache off (a cold audit), then once more with a warm cache (nothing changed).

    .venv/bin/python bench/audit_bench.py [--pages N] [--concurrency N] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from handpress.audit.pa11y import find_tools, runner_config
from handpress.audit.pages import find_targets
from handpress.audit.server import page_url, serve
from handpress.audit.settings import AuditSettings, read_project
from handpress.build.pipeline import build

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="how many pages to audit (default 40)")
    parser.add_argument("--concurrency", type=int, default=2, help="pages at once, for both tools (default 2)")
    parser.add_argument("--out", type=Path, default=None, help="an already built site (default: build the sample)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="handpress-bench-") as tmp_name:
        tmp = Path(tmp_name)
        out = args.out or build(REPO, tmp / "out", html_only=True).out
        languages = read_project(REPO).languages
        targets = [t for t in find_targets(out, languages) if not t.is_pdf][: args.pages]
        site = tmp / "site"                       # exactly the chosen pages, plus the assets they use
        for target in targets:
            (site / target.page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(out / target.page, site / target.page)
        for folder in ("assets", "images"):
            if (out / folder).is_dir():
                shutil.copytree(out / folder, site / folder)
        settings = AuditSettings(concurrency=args.concurrency)
        count = len(targets)
        print(f"{count} pages, {settings.standard}, runners {', '.join(settings.runners)}, "
              f"warnings {'on' if settings.include_warnings else 'off'}, concurrency {settings.concurrency}")

        project = tmp / "project"
        project.mkdir()
        (project / "handpress.toml").write_text(
            f'title = "bench"\nlanguage = "{languages[0]}"\nlanguages = {json.dumps(list(languages))}\n'
            f'[audit]\nconcurrency = {args.concurrency}\n', encoding="utf-8")
        handpress = [sys.executable, "-m", "handpress", "audit", "--project", str(project), "--dir", str(site),
                     "--out", str(tmp / "report"), "--report-only"]
        cold, hp_issues = timed(handpress + ["--no-cache"], tmp), issues_in(tmp / "report" / "report.json")
        timed(handpress, tmp)                                           # fill the cache
        warm = timed(handpress, tmp)

        tools = find_tools(settings, REPO)
        pa11y_ci = tools.node_modules / ".bin" / "pa11y-ci"
        with serve(site) as base:
            urls = [page_url(base, t.page) for t in targets]
            ours = runner_config(settings, tools, urls)
            config = {"defaults": {"standard": ours["standard"], "runners": ours["runners"],
                                   "includeWarnings": settings.include_warnings, "timeout": settings.timeout_ms,
                                   "concurrency": settings.concurrency, "useIncognitoBrowserContext": False,
                                   "chromeLaunchConfig": ours["chromeLaunchConfig"]},
                      "urls": urls}
            config_path = tmp / "pa11y-ci.json"                       # by absolute path, never from the cwd
            config_path.write_text(json.dumps(config), encoding="utf-8")
            json_path = tmp / "pa11y-ci-results.json"
            ci = timed([str(pa11y_ci), "--config", str(config_path), "--json"], tmp, stdout=json_path)
        ci_issues = sum(len(v) for v in json.loads(json_path.read_text(encoding="utf-8"))["results"].values())

    print(f"{'':24}{'seconds':>9}{'pages/s':>10}{'issues':>8}")
    print(f"{'handpress audit (cold)':24}{cold:9.1f}{count / cold:10.2f}{hp_issues:8}")
    print(f"{'handpress audit (warm)':24}{warm:9.1f}{count / warm:10.2f}")
    print(f"{'pa11y-ci':24}{ci:9.1f}{count / ci:10.2f}{ci_issues:8}")
    print(f"ratio handpress/pa11y-ci: cold {ci / cold:.2f}x, warm {ci / warm:.1f}x")
    return 0


def timed(command: list[str], cwd: Path, stdout: Path | None = None) -> float:
    started = time.monotonic()
    with open(stdout, "w") if stdout else open("/dev/null", "w") as sink:
        done = subprocess.run(command, cwd=cwd, stdout=sink, stderr=subprocess.PIPE, text=True,
                              env={**__import__("os").environ, "PUPPETEER_SKIP_DOWNLOAD": "1"})
    if done.returncode not in (0, 2):
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.monotonic() - started


def issues_in(report: Path) -> int:
    return json.loads(report.read_text(encoding="utf-8"))["summary"]["issues"]


if __name__ == "__main__":
    sys.exit(main())
