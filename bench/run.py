"""The benchmark: handpress and its peers on one synthetic corpus, side by side, medians of several runs.

    .venv/bin/python bench/run.py [--pages 300] [--runs 3] [--skip mkdocs,pdf,audit] [--work DIR]

Measured, each in a fresh process (wall time, CPU time, peak memory):

- a full HTML build of every variant (out/ and the cache deleted first), against ``mkdocs build``
  (one variant) of the same Markdown;
- a no-op rebuild, against ``mkdocs build --dirty``;
- a rebuild after one page was edited (a different page each run), against ``mkdocs build --dirty``;
- one large handbook PDF (every page of the corpus), against one WeasyPrint call on the same HTML;
- the audit, by running ``bench/audit_bench.py`` (the audit's own benchmark, against pa11y-ci);
- the live preview, by running ``bench/serve_bench.py`` (save to reloaded page, ``handpress serve``).

mkdocs is installed with pip into ``bench/.venv-peers`` (git-ignored) on first use. Runs of handpress
and of its peer alternate, so a busy machine slows both alike; the load average is printed with the
results. Targets (ratios) are checked here, never by unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from dataclasses import asdict, dataclass, field
from pathlib import Path

import corpus

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = Path(sys.executable)
HANDPRESS = [str(PYTHON), "-m", "handpress"]
PEERS = BENCH / ".venv-peers"
MKDOCS_VERSION = "1.6.1"


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and its workers
    rss: float  # MB, the largest process
    tree_rss: float  # MB, all its processes together (sampled)


@dataclass
class Row:
    name: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    def median(self, what: str) -> float:
        return statistics.median(getattr(s, what) for s in self.samples) if self.samples else float("nan")


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``command``, measuring it and every process it starts; stop the benchmark if it fails."""
    with tempfile.TemporaryFile() as errors:
        started = time.monotonic()
        proc = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                                stderr=errors)
        peak = [0.0]
        threading.Thread(target=_sample_tree, args=(proc.pid, peak), daemon=True).start()
        _, status, usage = os.wait4(proc.pid, 0)  # with the resources of the workers it waited for
        wall = time.monotonic() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({code}):\n{errors.read().decode(errors='replace')[-3000:]}")
    largest = usage.ru_maxrss / 1024
    return Sample(wall, usage.ru_utime + usage.ru_stime, largest, max(peak[0], largest))


def _sample_tree(pid: int, peak: list[float]) -> None:
    """The summed resident memory of ``pid`` and its descendants, every 50 ms, keeping the maximum."""
    while Path(f"/proc/{pid}").exists():
        total = 0
        for proc in _tree(pid):
            try:
                for line in Path(f"/proc/{proc}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        peak[0] = max(peak[0], total / 1024)
        time.sleep(0.05)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def mkdocs() -> list[str] | None:
    """mkdocs in bench/.venv-peers, installed on first use; None if it cannot be installed."""
    exe = PEERS / "bin" / "mkdocs"
    if not exe.exists():
        print(f"Installing mkdocs {MKDOCS_VERSION} into {PEERS.relative_to(REPO)} ...", flush=True)
        venv.create(PEERS, with_pip=True)
        done = subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", f"mkdocs=={MKDOCS_VERSION}"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  could not install mkdocs: {done.stderr.strip()[-500:]}")
            return None
    return [str(exe)]


def clean(work: Path, *names: str) -> None:
    for name in names:
        shutil.rmtree(work / name, ignore_errors=True)


def html_rows(work: Path, runs: int, with_mkdocs: bool) -> dict[str, Row]:
    rows = {name: Row(name) for name in (
        "handpress full build (3 variants)", "mkdocs build (1 variant)",
        "handpress no-op rebuild", "mkdocs build --dirty (no-op)",
        "handpress one-page edit", "mkdocs build --dirty (one-page edit)")}
    peer = mkdocs() if with_mkdocs else None
    build = HANDPRESS + ["build", "--project", str(work), "--html-only"]
    pages = sorted((work / "content").glob("section-*/page-*.md"))
    for i in range(runs):
        clean(work, "out", ".handpress-cache")
        rows["handpress full build (3 variants)"].samples.append(run(build, work))
        if peer:
            clean(work, "site-mkdocs")
            rows["mkdocs build (1 variant)"].samples.append(run(peer + ["build", "-q"], work))
    for i in range(runs):
        rows["handpress no-op rebuild"].samples.append(run(build, work))
        if peer:
            rows["mkdocs build --dirty (no-op)"].samples.append(run(peer + ["build", "-q", "--dirty"], work))
    for i in range(runs):
        page = pages[(i * 7) % len(pages)]
        page.write_text(page.read_text() + f"\nAn edit for run {i}.\n")
        rows["handpress one-page edit"].samples.append(run(build, work))
        if peer:
            rows["mkdocs build --dirty (one-page edit)"].samples.append(
                run(peer + ["build", "-q", "--dirty"], work))
    if not peer:
        for name in rows:
            if name.startswith("mkdocs"):
                rows[name].note = "skipped"
    return rows


def pdf_rows(work: Path, runs: int) -> dict[str, Row]:
    rows = {"handpress handbook PDF": Row("handpress handbook PDF"),
            "WeasyPrint, one call on the same HTML": Row("WeasyPrint, one call on the same HTML")}
    job = [str(PYTHON), str(BENCH / "pdf_job.py"), str(work)]
    run(job + ["html"], work)  # the handbook's HTML, written once for the peer
    for i in range(runs):
        rows["handpress handbook PDF"].samples.append(run(job + ["handpress"], work))
        rows["WeasyPrint, one call on the same HTML"].samples.append(run(job + ["weasyprint"], work))
    pages = json.loads((work / "pdf-job.json").read_text())
    for row in rows.values():
        row.note = f"{pages.get(row.name, '?')} pages"
    return rows


def audit(pages: int) -> str:
    script = BENCH / "audit_bench.py"
    if not script.exists():
        return "bench/audit_bench.py is not there: no audit figures."
    done = subprocess.run([str(PYTHON), str(script), "--pages", str(pages)], capture_output=True, text=True,
                          cwd=REPO)
    return done.stdout.strip() if done.returncode == 0 else f"audit_bench.py failed:\n{done.stderr[-2000:]}"


def serve(pages: int) -> str:
    done = subprocess.run([str(PYTHON), str(BENCH / "serve_bench.py"), "--pages", str(pages)], capture_output=True,
                          text=True, cwd=REPO)
    return done.stdout.strip() if done.returncode == 0 else f"serve_bench.py failed:\n{done.stderr[-2000:]}"


TARGETS = [  # (what, ours, theirs, measure, at most this ratio)
    ("full build vs mkdocs build", "handpress full build (3 variants)", "mkdocs build (1 variant)", "wall", 0.5),
    ("no-op vs mkdocs --dirty", "handpress no-op rebuild", "mkdocs build --dirty (no-op)", "wall", 0.5),
    ("handbook PDF time vs WeasyPrint", "handpress handbook PDF", "WeasyPrint, one call on the same HTML",
     "wall", 0.6),
    ("handbook PDF memory vs WeasyPrint", "handpress handbook PDF", "WeasyPrint, one call on the same HTML",
     "rss", 0.5),
]


def report(rows: dict[str, Row], args: argparse.Namespace, load: tuple[float, float]) -> list[str]:
    lines = [f"Corpus: {args.pages} pages; {args.runs} runs each, medians. Machine: {os.cpu_count()} cores, "
             f"Python {platform.python_version()}; load average {load[0]:.1f} before, {load[1]:.1f} after.", "",
             "| run | wall s | CPU s | peak MB (largest process) | peak MB (all processes) | |",
             "|---|---:|---:|---:|---:|---|"]
    for row in rows.values():
        if row.samples:
            lines.append(f"| {row.name} | {row.median('wall'):.2f} | {row.median('cpu'):.2f} | "
                         f"{row.median('rss'):.0f} | {row.median('tree_rss'):.0f} | {row.note} |")
        else:
            lines.append(f"| {row.name} | | | | | {row.note or 'not run'} |")
    lines += ["", "| target | ratio | at most | |", "|---|---:|---:|---|"]
    for what, ours, theirs, measure, limit in TARGETS:
        if rows.get(ours) and rows.get(theirs) and rows[ours].samples and rows[theirs].samples:
            ratio = rows[ours].median(measure) / rows[theirs].median(measure)
            lines.append(f"| {what} | {ratio:.2f} | {limit} | {'met' if ratio <= limit else 'NOT MET'} |")
    edit = rows.get("handpress one-page edit")
    if edit and edit.samples:
        lines.append(f"| one-page edit, fresh process | {edit.median('wall'):.2f} s | well under 1 s | "
                     f"{'met' if edit.median('wall') < 0.8 else 'NOT MET'} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="pages in the corpus (default 300)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--skip", default="", help="comma-separated: html, mkdocs, pdf, audit, serve")
    parser.add_argument("--pdf-runs", type=int, default=1, help="runs of the PDF measurements (default 1)")
    parser.add_argument("--audit-pages", type=int, default=40, help="pages for the audit benchmark (default 40)")
    parser.add_argument("--work", type=Path, default=BENCH / ".corpus", help="where the corpus is made")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    corpus.generate(work, args.pages)
    load_before = os.getloadavg()[0]
    rows = html_rows(work, args.runs, "mkdocs" not in skip) if "html" not in skip else {}
    if "pdf" not in skip:
        rows.update(pdf_rows(work, args.pdf_runs))
    lines = report(rows, args, (load_before, os.getloadavg()[0]))
    if "audit" not in skip:
        lines += ["", "Audit (bench/audit_bench.py):", "", "```", audit(args.audit_pages), "```"]
    if "serve" not in skip:
        lines += ["", "Live preview (bench/serve_bench.py):", "", "```", serve(args.pages), "```"]
    print("\n".join(lines))
    (work / "results.json").write_text(json.dumps({name: [asdict(s) for s in row.samples]
                                                   for name, row in rows.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
