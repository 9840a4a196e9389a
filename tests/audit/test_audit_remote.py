"""`handpress audit --url`: a deployed site (here a server on 127.0.0.1) audited by its sitemap or by its
links, with the same runners, reports, baseline and exit codes; a page answering 404 or 500, or redirecting
off the site, is reported for that page, never a crash."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner, Result

from handpress.audit import remote
from handpress.commands.cli import cli

from conftest import FIXTURES

LINKS = """<h2>Pages</h2>
<ul>
<li><a href="text/index.html">Text only</a></li>
<li><a href="missing-alt.html#top">A page with an image without alt text</a></li>
<li><a href="gone/">A page that is gone</a></li>
<li><a href="broken/">A page that breaks</a></li>
<li><a href="away/">A page that moved to another site</a></li>
<li><a href="{other}site/">The same site under another name</a></li>
<li><a href="guide.pdf">The guide (PDF)</a></li>
<li><a href="mailto:office@example.org">Write to us</a></li>
</ul>
"""


class Handler(SimpleHTTPRequestHandler):
    other = ""                      # the off-site origin (the same server as http://localhost:PORT/)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/site/broken"):
            self.send_error(500, "Internal Server Error")
        elif self.path.startswith("/site/away"):
            self.send_response(302)
            self.send_header("Location", f"{self.other}elsewhere/")
            self.end_headers()
        else:
            super().do_GET()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(the site's URL, the folder it serves): the clean fixture plus a page with issues, under /site/."""
    www = tmp_path_factory.mktemp("www")
    site = www / "site"
    shutil.copytree(FIXTURES / "audit-clean", site)
    shutil.copy(FIXTURES / "audit-faults" / "missing-alt.html", site)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(www)))
    port = httpd.server_address[1]
    Handler.other = f"http://localhost:{port}/"
    index = (site / "index.html").read_text(encoding="utf-8")
    (site / "index.html").write_text(index.replace("<h2>Offices</h2>", LINKS.format(other=Handler.other)), "utf-8")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/site/", site
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def hp(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["audit", *map(str, args)], catch_exceptions=False)


def report(folder: Path) -> dict[str, dict[str, object]]:
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return {r["page"]: r for r in data["results"]}


def test_without_a_sitemap_same_origin_links_are_followed(server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = server
    result = hp("--project", tmp_path, "--url", url, "--out", tmp_path / "r")
    assert result.exit_code == 1, result.output                      # pages that could not be audited
    assert f"Found 6 pages by links from {url}." in result.stderr
    found = report(tmp_path / "r")
    assert sorted(found) == ["away/index.html", "broken/index.html", "gone/index.html",
                             "index.html", "missing-alt.html", "text/index.html"]
    assert found["gone/index.html"]["error"] == f"HTTP 404 for {url}gone/"
    assert found["broken/index.html"]["error"] == f"HTTP 500 for {url}broken/"
    assert found["away/index.html"]["error"] == f"redirected off the site to {Handler.other}elsewhere/"
    assert {i["code"] for i in found["missing-alt.html"]["issues"]} >= {"image-alt"}
    assert found["index.html"]["error"] is None and found["index.html"]["issues"] == []
    assert f"gone/index.html: error: could not audit: HTTP 404 for {url}gone/" in result.stdout
    sarif = json.loads((tmp_path / "r" / "report.sarif").read_text(encoding="utf-8"))
    assert f"{url}missing-alt.html" in {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                                        for r in sarif["runs"][0]["results"]}


def test_the_sitemap_lists_the_pages(server: tuple[str, Path], tmp_path: Path) -> None:
    url, site = server
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{url}</loc></url><url><loc>{url}missing-alt.html</loc></url>"
        f"<url><loc>{Handler.other}site/text/index.html</loc></url></urlset>", encoding="utf-8")
    try:
        result = hp("--project", tmp_path, "--url", url, "--out", tmp_path / "r")
        pages = sorted(report(tmp_path / "r"))
        bounded = hp("--project", tmp_path, "--url", url, "--sitemap", f"{url}sitemap.xml", "--max-pages", "1",
                     "--out", tmp_path / "one")
    finally:
        (site / "sitemap.xml").unlink()
    assert result.exit_code == 2, result.output                      # new issues on missing-alt.html
    assert f"Found 2 pages by sitemap {url}sitemap.xml." in result.stderr
    assert f"{Handler.other}site/text/index.html: not on {url}; left out" in result.stderr
    assert pages == ["index.html", "missing-alt.html"]
    assert bounded.exit_code == 0 and sorted(report(tmp_path / "one")) == ["index.html"]
    assert "2 pages found; auditing the first 1 (--max-pages)" in bounded.stderr


def test_the_baseline_and_page_globs_work_as_on_files(server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = server
    args = ("--project", tmp_path, "--url", url, "--pages", "missing-alt.html", "--out", tmp_path / "r")
    assert hp(*args).exit_code == 2
    assert hp(*args, "--update-baseline").exit_code == 0
    again = hp(*args)
    assert again.exit_code == 0 and "No new issues." in again.stdout
    keys = {e["page"] for e in json.loads((tmp_path / "audit-baseline.json").read_text())["issues"]}
    assert keys == {"missing-alt.html"}


def test_an_unreachable_site_is_one_clear_error(tmp_path: Path) -> None:
    result = hp("--project", tmp_path, "--url", "http://127.0.0.1:9/site/", "--out", tmp_path / "r")
    assert result.exit_code == 1
    assert result.stderr.startswith("http://127.0.0.1:9/site/sitemap.xml: error: cannot reach the site:")


@pytest.mark.parametrize("args, message", [
    (["--url", "ftp://x/"], "ftp://x/: error: not an http(s) URL"),
    (["--url", "http://127.0.0.1:9/", "--dir", "."], "Error: --url and --dir name two things to audit; give one"),
    (["--sitemap", "http://127.0.0.1:9/s.xml"], "Error: --sitemap goes with --url"),
])
def test_wrong_arguments(args: list[str], message: str, tmp_path: Path) -> None:
    result = hp("--project", tmp_path, *args)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == message


def test_a_preview_whose_sitemap_names_production_is_read_at_the_preview(server: tuple[str, Path],
                                                                        tmp_path: Path) -> None:
    url, site = server
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.org/briefing/</loc></url>"
        "<url><loc>https://example.org/briefing/text/index.html</loc></url></urlset>", encoding="utf-8")
    try:
        result = hp("--project", tmp_path, "--url", url, "--out", tmp_path / "r")
    finally:
        (site / "sitemap.xml").unlink()
    assert result.exit_code == 0, result.output
    assert f"the sitemap names https://example.org/briefing/; read as {url}" in result.stderr
    assert sorted(report(tmp_path / "r")) == ["index.html", "text/index.html"]


def test_page_names_follow_the_start_folder() -> None:
    assert remote.base_of("https://x.org/docs/index.html") == "https://x.org/docs/"
    assert remote.page_name("https://x.org/docs/es/text/about/", "https://x.org/docs/") == "es/text/about/index.html"
    assert remote.page_name("https://x.org/other/a.html", "https://x.org/docs/") == "other/a.html"
