"""Save-to-browser latency of ``handpress serve``: how long after a page is saved an open page has
reloaded with the edit, and its search index holds it.

    .venv/bin/python bench/serve_bench.py [--pages 300] [--edits 10] [--title-edits 5] [--work DIR]

Runs ``handpress serve`` as a user would (a separate process, on a free port) on a synthetic corpus
(bench/corpus.py, the standard shape). An open page is played by a client that does what the page's
injected script does: it long-polls ``/__handpress__/build?after=N&page=P``. Each body edit appends a sentence
to a different page, then the clock runs until the long poll has answered and the page, fetched again,
holds the sentence — what a reader of the browser tab would see; then on until the language's search
index (``pagefind/pagefind-entry.json``, which names the rest of it) is the new one, which live builds
make after the pages. Then each of a few edits gives a page a new title, and the clock runs until its
section's page (open, whose navigation names it) holds it. Each edit is made once the one before has
been rebuilt to the end (its search index too): an edit saved while the background step of a title
edit is still rendering the other pages waits for it. Prints the medians and the worst, and the load
average before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import corpus

BENCH = Path(__file__).resolve().parent
PYTHON = Path(sys.executable)
BUILD = "__handpress__/build"
ENTRY = "pagefind/pagefind-entry.json"  # the default language's search index


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


def long_poll(base: str, url: str, after: int) -> str:
    """The injected script's request: answered once a build after ``after`` changed the page at ``url``."""
    return f"{base}{BUILD}?after={after}&page={urllib.parse.quote(urllib.parse.urlsplit(url).path)}"


def edit_latency(base: str, page: Path, url: str, n: int) -> tuple[float, float]:
    """Seconds from saving ``page`` to the open page (``url``) holding the edit, and to the search
    index being the new one."""
    entry = fetch(base + ENTRY)
    number = int(fetch(base + BUILD))
    answered: list[int] = []
    poll = threading.Thread(target=lambda: answered.append(int(fetch(long_poll(base, url, number)))))
    poll.start()
    time.sleep(0.2)  # the long poll is waiting, as an open page's is
    marker = f"Edited while serving, number {n}."
    saved = time.monotonic()
    with page.open("a", encoding="utf-8") as file:
        file.write(f"\n{marker}\n")
    poll.join(timeout=60)
    while marker not in fetch(url):  # the build that answered may have started before the save
        answered.append(int(fetch(long_poll(base, url, answered[-1]))))
    shown = time.monotonic() - saved
    while fetch(base + ENTRY) == entry:
        time.sleep(0.01)
    return shown, time.monotonic() - saved


def title_latency(base: str, page: Path, url: str, n: int) -> float:
    """Seconds from giving ``page`` a new title to ``url`` (another page, whose navigation names it) holding it.
    Returns once the rebuild has finished (its search index is the new one), so each edit is timed alone."""
    entry = fetch(base + ENTRY)
    number = int(fetch(base + BUILD))
    answered: list[int] = []
    poll = threading.Thread(target=lambda: answered.append(int(fetch(long_poll(base, url, number)))))
    poll.start()
    time.sleep(0.2)
    title = f"Retitled while serving {n}"
    text = re.sub(r"^title: .*$", f"title: {title}", page.read_text(encoding="utf-8"), count=1, flags=re.M)
    saved = time.monotonic()
    page.write_text(text, encoding="utf-8")
    poll.join(timeout=60)
    while title not in fetch(url):
        answered.append(int(fetch(long_poll(base, url, answered[-1]))))
    shown = time.monotonic() - saved
    while fetch(base + ENTRY) == entry:  # the rest of the rebuild, before the next edit
        time.sleep(0.01)
    return shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="pages in the corpus (default 300)")
    parser.add_argument("--edits", type=int, default=10, help="edits of a page's text to time (default 10)")
    parser.add_argument("--title-edits", type=int, default=5, help="edits of a page's title to time (default 5)")
    parser.add_argument("--work", type=Path, default=BENCH / ".corpus-serve", help="where the corpus is made")
    args = parser.parse_args()
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    corpus.generate(work, args.pages)
    pages = sorted((work / "content").rglob("*.md"))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    server, base = start(work)
    try:
        time.sleep(5)  # what the first build left to do in the background (parsing in the server) is done
        times, indexed = [], []
        for n in range(args.edits):
            page = pages[(n * 37) % len(pages)]
            parts = page.relative_to(work / "content").with_suffix("").parts  # the corpus has no numbered names
            url = base + "".join(part + "/" for part in (parts[:-1] if parts[-1] == "index" else parts))
            shown, search = edit_latency(base, page, url, n)
            times.append(shown)
            indexed.append(search)
            time.sleep(0.5)
        titles = []
        for n in range(args.title_edits):
            page = pages[(n * 41 + 5) % len(pages)]
            parts = page.relative_to(work / "content").with_suffix("").parts
            section = base + "".join(part + "/" for part in parts[:-1])  # its section's page lists it
            titles.append(title_latency(base, page, section, n))
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average {load} before, {' '.join(f'{x:.2f}' for x in os.getloadavg())} after, "
          f"{os.cpu_count()} cores")
    print(f"handpress serve, {args.pages} pages, {args.edits} edits of a page's text: save to reloaded page "
          f"median {statistics.median(times):.3f} s, worst {max(times):.3f} s "
          f"({', '.join(f'{t:.3f}' for t in times)})")
    print(f"handpress serve, {args.pages} pages, the same edits: save to the search index holding the edit "
          f"median {statistics.median(indexed):.3f} s, worst {max(indexed):.3f} s")
    if titles:
        print(f"handpress serve, {args.pages} pages, {args.title_edits} edits of a page's title: save to its "
              f"section's page reloaded with it median {statistics.median(titles):.3f} s, worst {max(titles):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
