"""WCAG 1.4.10 Reflow: at 320 CSS pixels wide (a 1280-pixel window at 400% zoom) no page of the sample, in
any variant or language, scrolls sideways. Measured in the system Chromium through puppeteer."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from handpress.audit.chromium import find_chromium, launch_config

from conftest import REPO, html_pages


def overflow(pages: list[Path], width: int) -> dict[str, dict]:
    launch = json.dumps(launch_config(find_chromium()))
    done = subprocess.run(["node", str(REPO / "tests/js/reflow.js"), launch, str(width), *map(str, pages)],
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_no_page_scrolls_sideways_at_320_css_pixels(sample_site: Path) -> None:
    pages = [p for p in html_pages(sample_site) if "handbooks" not in p.parts]
    found = overflow(pages, 320)
    assert len(found) == len(pages) > 100
    wide = {str(Path(page).relative_to(sample_site)): seen for page, seen in found.items() if seen["overflow"] > 0}
    assert wide == {}


def test_the_check_sees_a_page_that_does_scroll(tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><html lang="en"><title>Wide</title><body><p style="width:900px">x</p></body>'
                    "</html>", encoding="utf-8")
    found = overflow([page], 320)
    assert found[str(page)]["overflow"] > 500 and found[str(page)]["wide"]
