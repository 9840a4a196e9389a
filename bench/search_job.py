"""The search-index measurement of bench/run.py, in its own process: what indexing adds to a full build.

    search_job.py WORK    index every language of WORK's last build (WORK/out) as `handpress build` does

The pages are read from a copy of WORK/out without its indexes (a staging folder, as in the build);
only :func:`handpress.build.search.build_indexes` is timed. Writes ``{"seconds": …, "languages": …}``
to WORK/search-job.json.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from handpress import urls
from handpress.build import search
from handpress.build.pipeline import prepare


def main(work: Path) -> None:
    site = prepare(work).site
    with tempfile.TemporaryDirectory(prefix="search-job-", dir=work) as scratch:
        staging = Path(scratch) / "out"
        shutil.copytree(work / "out", staging, ignore=shutil.ignore_patterns(urls.SEARCH))
        started = time.perf_counter()
        written = search.build_indexes(site, staging, site.languages, dict.fromkeys(site.languages, ""))
        seconds = time.perf_counter() - started
    (work / "search-job.json").write_text(json.dumps({"seconds": seconds, "languages": len(site.languages),
                                                      "files": len(written)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
