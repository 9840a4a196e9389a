"""The benchmark: handpress and its peers on synthetic corpora of several shapes, side by side, medians.

    .venv/bin/python bench/run.py [--shapes standard,short,...,3000] [--pages 300] [--runs 3]
                                  [--skip mkdocs,pdf,audit,serve] [--work DIR]

For every shape of :mod:`corpus` (and the standard one at 3,000 pages), measured, each in a fresh
process (wall time, CPU time, peak memory):

- a full HTML build of every variant (out/ and the cache deleted first), against ``mkdocs build``
  (one variant) of the same Markdown;
- a no-op rebuild, against ``mkdocs build --dirty``;
- a rebuild after one page was edited (a different page each run), against ``mkdocs build --dirty``;
- one large handbook PDF (every page of the standard corpus), against one WeasyPrint call on the same HTML;
- the audit, by running ``bench/audit_bench.py`` (the audit's own benchmark, against pa11y-ci);
- the live preview, by running ``bench/serve_bench.py`` (save to reloaded page, ``handpress serve``).

mkdocs (with Pygments and mkdocs-static-i18n) is installed with pip into ``bench/.venv-peers``
(git-ignored) on first use. Runs of handpress
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
PEER_PACKAGES = ("mkdocs==1.6.1", "pygments==2.19.2", "mkdocs-static-i18n==1.3.1")
FULL, MKDOCS = "handpress full build (3 variants)", "mkdocs build (1 variant)"
NOOP, MKDOCS_NOOP = "handpress no-op rebuild", "mkdocs build --dirty (no-op)"
EDIT, MKDOCS_EDIT = "handpress one-page edit", "mkdocs build --dirty (one-page edit)"
SEARCH = "search index (inside the full build)"


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and its workers
    rss: float  # MB, the largest process
    tree_rss: float  # MB, all its processes together (sampled): the sum of their resident sizes
    tree_pss: float = 0.0  # MB, the same with each shared page counted once (proportional set sizes)


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
        peak = [0.0, 0.0]
        threading.Thread(target=_sample_tree, args=(proc.pid, peak), daemon=True).start()
        _, status, usage = os.wait4(proc.pid, 0)  # with the resources of the workers it waited for
        wall = time.monotonic() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({code}):\n{errors.read().decode(errors='replace')[-3000:]}")
    largest = usage.ru_maxrss / 1024
    return Sample(wall, usage.ru_utime + usage.ru_stime, largest, max(peak[0], largest), peak[1])


def _sample_tree(pid: int, peak: list[float]) -> None:
    """The summed resident (``peak[0]``) and proportional (``peak[1]``) memory of ``pid`` and its
    descendants, every 50 ms, keeping the maxima. Forked processes share the pages they have not
    written to: the resident sizes count those once per process, the proportional ones once in all."""
    while Path(f"/proc/{pid}").exists():
        rss = pss = 0
        for proc in _tree(pid):
            try:
                for line in Path(f"/proc/{proc}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            except OSError:
                pass
        peak[0], peak[1] = max(peak[0], rss / 1024), max(peak[1], pss / 1024)
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
    """mkdocs in bench/.venv-peers (with Pygments for its code highlighting and mkdocs-static-i18n for
    the languages shape), installed on first use; None if it cannot be installed."""
    exe = PEERS / "bin" / "mkdocs"
    if not (PEERS / ".stamp").exists():
        print(f"Installing {', '.join(PEER_PACKAGES)} into {PEERS.relative_to(REPO)} ...", flush=True)
        venv.create(PEERS, with_pip=True)
        done = subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", *PEER_PACKAGES],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  could not install them: {done.stderr.strip()[-500:]}")
            return None
        (PEERS / ".stamp").write_text(" ".join(PEER_PACKAGES))
    return [str(exe)]


def clean(work: Path, *names: str) -> None:
    for name in names:
        shutil.rmtree(work / name, ignore_errors=True)


def html_rows(work: Path, runs: int, peer: list[str] | None) -> dict[str, Row]:
    """The full build, the no-op and the one-page edit of the corpus in ``work``, alternating with ``peer``."""
    rows = {name: Row(name) for name in (FULL, MKDOCS, NOOP, MKDOCS_NOOP, EDIT, MKDOCS_EDIT, SEARCH)}
    build = HANDPRESS + ["build", "--project", str(work), "--html-only"]
    pages = corpus.pages_of(work)
    for i in range(runs):
        clean(work, "out", ".handpress-cache")
        rows[FULL].samples.append(run(build, work))
        # What the index took of that build: the same step again, on its pages, right after it.
        run([str(PYTHON), str(BENCH / "search_job.py"), str(work)], work)
        indexed = json.loads((work / "search-job.json").read_text())["seconds"]
        rows[SEARCH].samples.append(Sample(indexed, 0.0, 0.0, 0.0))
        if peer:
            clean(work, "site-mkdocs")
            rows[MKDOCS].samples.append(run(peer + ["build", "-q"], work))
    for i in range(runs):
        rows[NOOP].samples.append(run(build, work))
        if peer:
            rows[MKDOCS_NOOP].samples.append(run(peer + ["build", "-q", "--dirty"], work))
    for i in range(runs):
        page = pages[(i * 7) % len(pages)]
        page.write_text(page.read_text() + f"\nAn edit for run {i}.\n")
        rows[EDIT].samples.append(run(build, work))
        if peer:
            rows[MKDOCS_EDIT].samples.append(run(peer + ["build", "-q", "--dirty"], work))
    for name in rows:
        if name.startswith("mkdocs") and not peer:
            rows[name].note = "skipped"
    return rows


def pdf_rows(work: Path, runs: int) -> dict[str, Row]:
    rows = {PDF: Row(PDF), WEASYPRINT: Row(WEASYPRINT)}
    job = [str(PYTHON), str(BENCH / "pdf_job.py"), str(work)]
    run(job + ["html"], work)  # the handbook's HTML, written once for the peer
    for i in range(runs):
        rows[PDF].samples.append(run(job + ["handpress"], work))
        rows[WEASYPRINT].samples.append(run(job + ["weasyprint"], work))
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


BIG = "3000"  # the standard shape at --big-pages: the per-page cost and memory at scale
SHAPES = (*corpus.SHAPES, BIG)
PDF, WEASYPRINT = "handpress handbook PDF", "WeasyPrint, one call on the same HTML"


def search_share(rows: dict[str, Row]) -> float:
    """The median, over runs, of what indexing took over what the rest of that run's full build took."""
    pairs = list(zip(rows[FULL].samples, rows[SEARCH].samples)) if SEARCH in rows else []
    if not pairs:
        return float("nan")
    return statistics.median(index.wall / (full.wall - index.wall) for full, index in pairs)


def ratio(rows: dict[str, Row], ours: str, theirs: str, measure: str = "wall") -> float:
    if rows.get(ours) and rows.get(theirs) and rows[ours].samples and rows[theirs].samples:
        return rows[ours].median(measure) / rows[theirs].median(measure)
    return float("nan")


def verdict(value: float, limit: float, stretch: float | None = None) -> str:
    if value != value:  # nan: not measured
        return "not measured"
    if stretch is not None and value <= stretch:
        return "met (and the stretch target)"
    return "met" if value <= limit else "NOT MET"


def shape_lines(results: dict[str, tuple[int, dict[str, Row], tuple[float, float]]]) -> list[str]:
    lines = ["| shape | pages | handpress full s | mkdocs s | ratio | no-op s | mkdocs --dirty s | ratio | "
             "one-page edit s | mkdocs --dirty edit s | peak MB all processes (RSS / PSS) | load before, after |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for shape, (pages, rows, load) in results.items():
        full = rows[FULL]
        lines.append(f"| {shape} | {pages} | {full.median('wall'):.2f} | {rows[MKDOCS].median('wall'):.2f} | "
                     f"{ratio(rows, FULL, MKDOCS):.2f} | {rows[NOOP].median('wall'):.2f} | "
                     f"{rows[MKDOCS_NOOP].median('wall'):.2f} | {ratio(rows, NOOP, MKDOCS_NOOP):.2f} | "
                     f"{rows[EDIT].median('wall'):.2f} | {rows[MKDOCS_EDIT].median('wall'):.2f} | "
                     f"{full.median('tree_rss'):.0f} / {full.median('tree_pss'):.0f} | {load[0]:.1f}, {load[1]:.1f} |")
    lines += ["", "| target | shape | value | at most | |", "|---|---|---:|---:|---|"]
    for shape, (pages, rows, _) in results.items():
        share = search_share(rows)
        lines.append(f"| search index vs the rest of the full build | {shape} | {share:.2f} | 0.2 | "
                     f"{verdict(share, 0.2)} |")
        lines.append(f"| full build vs mkdocs build | {shape} | {ratio(rows, FULL, MKDOCS):.2f} | 0.5 (stretch 0.3) | "
                     f"{verdict(ratio(rows, FULL, MKDOCS), 0.5, 0.3)} |")
        lines.append(f"| no-op vs mkdocs --dirty | {shape} | {ratio(rows, NOOP, MKDOCS_NOOP):.2f} | 0.5 | "
                     f"{verdict(ratio(rows, NOOP, MKDOCS_NOOP), 0.5)} |")
    if BIG in results and "standard" in results:
        big_pages, big, _ = results[BIG]
        pages, small, _ = results["standard"]
        per_page = (big[FULL].median("wall") / big_pages) / (small[FULL].median("wall") / pages)
        lines.append(f"| per-page cost, {big_pages} vs {pages} pages | standard | {per_page:.2f} | 1.1 | "
                     f"{verdict(per_page, 1.1)} |")
        peak = big[FULL].median("tree_rss")
        lines.append(f"| peak memory, all processes (RSS), {big_pages} pages | standard | {peak:.0f} MB | 400 MB | "
                     f"{verdict(peak / 400, 1)} |")
    return lines


def pdf_lines(rows: dict[str, Row], load: tuple[float, float]) -> list[str]:
    lines = [f"Handbook PDF (load average {load[0]:.1f} before, {load[1]:.1f} after):", "",
             "| run | wall s | CPU s | peak MB (largest process) | peak MB all processes (RSS / PSS) | |",
             "|---|---:|---:|---:|---:|---|"]
    for row in rows.values():
        lines.append(f"| {row.name} | {row.median('wall'):.2f} | {row.median('cpu'):.2f} | {row.median('rss'):.0f} | "
                     f"{row.median('tree_rss'):.0f} / {row.median('tree_pss'):.0f} | {row.note} |")
    time_ratio = ratio(rows, PDF, WEASYPRINT)
    memory = rows[PDF].median("tree_rss") / rows[WEASYPRINT].median("rss")
    pss = rows[PDF].median("tree_pss") / rows[WEASYPRINT].median("rss")
    return lines + ["", "| target | ratio | at most | |", "|---|---:|---:|---|",
                    f"| handbook PDF time vs WeasyPrint | {time_ratio:.2f} | 0.5 | {verdict(time_ratio, 0.5)} |",
                    f"| handbook PDF memory, all processes (RSS) vs WeasyPrint | {memory:.2f} | 1.0 | "
                    f"{verdict(memory, 1.0)} |",
                    f"| handbook PDF memory, all processes (PSS) vs WeasyPrint | {pss:.2f} | 1.0 | {verdict(pss, 1.0)} |"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES),
                        help=f"comma-separated corpus shapes (default all: {', '.join(SHAPES)})")
    parser.add_argument("--pages", type=int, default=300, help="pages in each corpus (default 300)")
    parser.add_argument("--big-pages", type=int, default=3000, help=f"pages of the '{BIG}' corpus (default 3000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3; 2 at most for "
                        f"the '{BIG}' corpus)")
    parser.add_argument("--skip", default="", help="comma-separated: html, mkdocs, pdf, audit, serve")
    parser.add_argument("--pdf-runs", type=int, default=1, help="runs of the PDF measurements (default 1)")
    parser.add_argument("--audit-pages", type=int, default=40, help="pages for the audit benchmark (default 40)")
    parser.add_argument("--work", type=Path, default=BENCH / ".corpus", help="where the corpora are made")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    if unknown := [s for s in shapes if s not in SHAPES]:
        parser.error(f"unknown shape {unknown[0]!r}: one of {', '.join(SHAPES)}")
    work = args.work.resolve()
    peer = mkdocs() if "mkdocs" not in skip else None
    lines = [f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; medians of {args.runs} runs "
             f"(the {BIG}-page corpus: {min(args.runs, 2)}), handpress and mkdocs alternating.", ""]
    results: dict[str, tuple[int, dict[str, Row], tuple[float, float]]] = {}
    if "html" not in skip:
        for shape in shapes:
            pages = args.big_pages if shape == BIG else args.pages
            folder = work / shape
            shutil.rmtree(folder, ignore_errors=True)
            corpus.generate(folder, pages, shape="standard" if shape == BIG else shape)
            before = os.getloadavg()[0]
            rows = html_rows(folder, min(args.runs, 2) if shape == BIG else args.runs, peer)
            results[shape] = (pages, rows, (before, os.getloadavg()[0]))
            print(f"{shape}: {ratio(rows, FULL, MKDOCS):.2f} of mkdocs", file=sys.stderr, flush=True)
        lines += shape_lines(results)
    if "pdf" not in skip:
        folder = work / "standard"
        if not (folder / "handpress.toml").exists():
            corpus.generate(folder, args.pages)
        before = os.getloadavg()[0]
        pdf = pdf_rows(folder, args.pdf_runs)
        lines += [""] + pdf_lines(pdf, (before, os.getloadavg()[0]))
        results["pdf"] = (args.pages, pdf, (before, 0.0))
    if "audit" not in skip:
        lines += ["", "Audit (bench/audit_bench.py):", "", "```", audit(args.audit_pages), "```"]
    if "serve" not in skip:
        lines += ["", "Live preview (bench/serve_bench.py):", "", "```", serve(args.pages), "```"]
    print("\n".join(lines))
    work.mkdir(parents=True, exist_ok=True)
    (work / "results.json").write_text(json.dumps(
        {shape: {name: [asdict(s) for s in row.samples] for name, row in rows.items()}
         for shape, (_, rows, _) in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
