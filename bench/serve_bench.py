"""Save-to-browser latency of ``handpress serve``: how long after a page is saved an open page has
reloaded with the edit.

    .venv/bin/python bench/serve_bench.py [--pages 300] [--edits 10] [--work DIR]

Runs ``handpress serve`` as a user would (a separate process, on a free port) on a synthetic corpus
(bench/corpus.py). An open page is played by a client that does what the page's injected script does:
it long-polls ``/__handpress__/build?after=N``. Each edit appends a sentence to a different page, then
the clock runs until the long poll has answered and the page, fetched again, holds the sentence — what a
reader of the browser tab would see. Prints the median and the worst of the edits.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import corpus

BENCH = Path(__file__).resolve().parent
PYTHON = Path(sys.executable)
BUILD = "__handpress__/build"


def fetch(url: str, timeout: float = 60) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def start(work: Path) -> tuple[subprocess.Popen[str], str]:
    """``handpress serve`` on a free port, once its first build is served; (process, base URL)."""
    server = subprocess.Popen([str(PYTHON), "-m", "handpress", "serve", "--project", str(work), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    line = server.stdout.readline()
    found = re.search(r"at (http://\S+/) ", line)
    if not found:
        server.kill()
        raise SystemExit(f"handpress serve did not start: {line!r}")
    return server, found.group(1)


def edit_latency(base: str, page: Path, url: str, n: int) -> float:
    """Seconds from saving ``page`` to the open page (``url``) holding the edit."""
    number = int(fetch(base + BUILD))
    answered: list[int] = []
    poll = threading.Thread(target=lambda: answered.append(int(fetch(f"{base}{BUILD}?after={number}"))))
    poll.start()
    time.sleep(0.2)  # the long poll is waiting, as an open page's is
    marker = f"Edited while serving, number {n}."
    saved = time.monotonic()
    with page.open("a", encoding="utf-8") as file:
        file.write(f"\n{marker}\n")
    poll.join(timeout=60)
    while marker not in fetch(url):  # the build that answered may have started before the save
        poll_again = int(fetch(f"{base}{BUILD}?after={answered[-1]}"))
        answered.append(poll_again)
    return time.monotonic() - saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="pages in the corpus (default 300)")
    parser.add_argument("--edits", type=int, default=10, help="edits to time (default 10)")
    parser.add_argument("--work", type=Path, default=BENCH / ".corpus-serve", help="where the corpus is made")
    args = parser.parse_args()
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    corpus.generate(work, args.pages)
    pages = sorted((work / "content").rglob("*.md"))
    server, base = start(work)
    try:
        times = []
        for n in range(args.edits):
            page = pages[(n * 37) % len(pages)]
            parts = page.relative_to(work / "content").with_suffix("").parts  # the corpus has no numbered names
            url = base + "".join(part + "/" for part in (parts[:-1] if parts[-1] == "index" else parts))
            times.append(edit_latency(base, page, url, n))
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"handpress serve, {args.pages} pages, {args.edits} edits: save to reloaded page "
          f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
