"""Benchmark: pages per second of ``handpress audit`` against pa11y-ci run directly on the same pages, and
what splitting the audit into CI shards costs.

Both audit the same URLs (the sample publication, built into a temporary folder and served on 127.0.0.1)
with the same standard, runners, warnings setting, Chromium, launch flags and concurrency. Each round runs
handpress with its cache off (a cold audit) and pa11y-ci, in alternating order, so a busy machine slows both
alike; the ratio is taken per round and its median reported. Then: handpress with a warm cache (nothing
changed), and one unsharded cold audit against ``--shards`` cold shards run one after another (alternating).

    .venv/bin/python bench/audit_bench.py [--pages N] [--concurrency N] [--runs N] [--shards N] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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
COLD_TARGET = 3.0          # cold audit: at least this many times pa11y-ci's pages per second
SHARD_TARGET = 1.2         # shards one after another: at most this times one unsharded run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="how many pages to audit (default 40)")
    parser.add_argument("--concurrency", type=int, default=2, help="pages at once, for both tools (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="alternating rounds of each comparison (default 3)")
    parser.add_argument("--shards", type=int, default=4, help="shards for the sharding cost (default 4)")
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
              f"warnings {'on' if settings.include_warnings else 'off'}, concurrency {settings.concurrency}; "
              f"load average {os.getloadavg()[0]:.1f}")

        project = tmp / "project"
        project.mkdir()
        (project / "handpress.toml").write_text(
            f'title = "bench"\nlanguage = "{languages[0]}"\nlanguages = {json.dumps(list(languages))}\n'
            f'[audit]\nconcurrency = {args.concurrency}\n', encoding="utf-8")
        handpress = [sys.executable, "-m", "handpress", "audit", "--project", str(project), "--dir", str(site),
                     "--out", str(tmp / "report"), "--report-only"]

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
            pa11y = [str(pa11y_ci), "--config", str(config_path), "--json"]
            colds, cis = [], []
            for round_ in range(args.runs):
                runs = [lambda: colds.append(timed(handpress + ["--no-cache"], tmp)),
                        lambda: cis.append(timed(pa11y, tmp, stdout=json_path))]
                for run in runs if round_ % 2 == 0 else reversed(runs):
                    run()
        hp_issues = issues_in(tmp / "report" / "report.json")
        ci_issues = sum(len(v) for v in json.loads(json_path.read_text(encoding="utf-8"))["results"].values())
        timed(handpress, tmp)                                           # fill the cache
        warm = statistics.median(timed(handpress, tmp) for _ in range(args.runs))

        unsharded, sharded = [], []
        for round_ in range(args.runs):
            runs = [lambda: unsharded.append(timed(handpress + ["--no-cache"], tmp)),
                    lambda: sharded.append(sum(timed(handpress + ["--no-cache", "--shard", f"{k}/{args.shards}"], tmp)
                                               for k in range(1, args.shards + 1)))]
            for run in runs if round_ % 2 == 0 else reversed(runs):
                run()
        print(f"load average after: {os.getloadavg()[0]:.1f}")

    cold, ci = statistics.median(colds), statistics.median(cis)
    ratios = [c / h for h, c in zip(colds, cis)]
    shard_ratios = [s / u for u, s in zip(unsharded, sharded)]
    print(f"{'':34}{'seconds':>9}{'pages/s':>10}{'issues':>8}")
    print(f"{'handpress audit (cold)':34}{cold:9.1f}{count / cold:10.2f}{hp_issues:8}")
    print(f"{'handpress audit (warm)':34}{warm:9.1f}{count / warm:10.2f}")
    print(f"{'pa11y-ci':34}{ci:9.1f}{count / ci:10.2f}{ci_issues:8}")
    print(f"{f'handpress, {args.shards} shards one after another':34}{statistics.median(sharded):9.1f}"
          f"{count / statistics.median(sharded):10.2f}")
    print(f"cold ratio handpress/pa11y-ci per round: {', '.join(f'{r:.2f}' for r in ratios)}; median "
          f"{statistics.median(ratios):.2f}x (target ≥ {COLD_TARGET}x: "
          f"{'met' if statistics.median(ratios) >= COLD_TARGET else 'NOT met'}); warm {ci / warm:.0f}x")
    print(f"{args.shards} shards / one run per round: {', '.join(f'{r:.2f}' for r in shard_ratios)}; median "
          f"{statistics.median(shard_ratios):.2f} (target ≤ {SHARD_TARGET}: "
          f"{'met' if statistics.median(shard_ratios) <= SHARD_TARGET else 'NOT met'})")
    return 0


def timed(command: list[str], cwd: Path, stdout: Path | None = None) -> float:
    started = time.monotonic()
    with open(stdout, "w") if stdout else open("/dev/null", "w") as sink:
        done = subprocess.run(command, cwd=cwd, stdout=sink, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"})
    if done.returncode not in (0, 2):
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.monotonic() - started


def issues_in(report: Path) -> int:
    return json.loads(report.read_text(encoding="utf-8"))["summary"]["issues"]


if __name__ == "__main__":
    sys.exit(main())
