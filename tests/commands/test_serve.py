"""handpress serve: serves out/ with a reload script, rebuilds on changes, shows failed builds."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from handpress.build.pipeline import build
from handpress.commands import serve
from handpress.commands.serve import BUILD_URL, Server, inject, page_file
from handpress.errors import HandpressError

from conftest import copy_fixture

SCRIPT = b'fetch("/__handpress__/build"'


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def served(tmp_path: Path):
    project = copy_fixture("basic", tmp_path)
    lines: list[str] = []
    server = Server(project, port=0, report=lines.append)
    server.start()
    server.lines = lines  # type: ignore[attr-defined]
    yield server
    server.stop()


def index_files(out: Path) -> list[Path]:
    return [p for p in [*(out / "pagefind").rglob("*"), *(out / "es" / "pagefind").rglob("*")] if p.is_file()]


def build_number(server: Server) -> int:
    return int(get(server.url + BUILD_URL.lstrip("/"))[1])


def test_pages_are_served_with_the_reload_script_which_out_never_holds(served: Server) -> None:
    status, body = get(served.url)
    assert status == 200
    assert SCRIPT in body and body.rstrip().endswith(b"</html>")
    on_disk = (served.out / "index.html").read_bytes()
    assert SCRIPT not in on_disk
    assert body == inject(on_disk, served.page("inject.html"))
    status, body = get(served.url + "guide/deep/detail/")
    assert status == 200 and SCRIPT in body
    total = 49 + len(index_files(served.out))  # 42 files, the site map's 6, search.js, the search indexes
    assert served.lines == [f"Built 5 pages ({total} of {total} files changed) in " + served.lines[0].split(" in ")[1]]


def test_other_files_are_served_as_they_are(served: Server) -> None:
    status, body = get(served.url + "assets/site.css")
    assert status == 200 and body == (served.out / "assets" / "site.css").read_bytes()
    assert get(served.url + "no/such/page/")[0] == 404
    assert get(served.url + "../handpress.toml")[0] == 404


def test_a_rebuild_bumps_the_build_number_and_serves_the_new_page(served: Server) -> None:
    first = build_number(served)
    page = served.project / "content" / "news.md"
    page.write_text(page.read_text() + "\nFresh news.\n")
    assert served.rebuild()
    assert build_number(served) == first + 1
    assert b"Fresh news." in get(served.url + "news/")[1]
    index = len(index_files(served.out))  # both languages' (the Spanish page shows the English text)
    assert served.lines[-1].startswith(f"Built 5 pages ({9 + index} of {49 + index} files changed) in ")


def test_open_pages_hear_of_a_build_the_moment_it_ends(served: Server) -> None:
    first = build_number(served)
    answers: list[int] = []
    waiting = threading.Thread(target=lambda: answers.append(
        int(get(served.url + BUILD_URL.lstrip("/") + f"?after={first}")[1])))
    waiting.start()
    time.sleep(0.5)
    assert answers == []  # held open while nothing has changed
    assert served.rebuild()
    waiting.join(timeout=10)  # well before a long poll's own end (WAIT_SECONDS): answered by the build
    assert answers == [first + 1]
    # A page that saw an older build is answered at once.
    assert int(get(served.url + BUILD_URL.lstrip("/") + f"?after={first}")[1]) == first + 1


def test_a_failed_build_shows_its_problems_over_the_last_good_site(served: Server) -> None:
    before = (served.out / "index.html").read_bytes()
    page = served.project / "content" / "index.md"
    page.write_text(page.read_text() + "\n![](images/square.svg)\n")
    assert not served.rebuild()
    error = ("content/index.md:10: error: image 'images/square.svg' has no alt text: describe it in ![…](…), or "
             "mark a purely decorative image with ![](…){.decorative} [image-alt]")
    assert served.lines[-2:] == [error, "Build failed (1 error); still serving the last good site."]
    status, body = get(served.url)
    assert status == 200
    assert body.startswith(before[: before.rfind(b"</body>")])  # the last good page
    text = body.decode()
    assert 'role="alert"' in text and "The last build failed" in text
    assert error.replace("'", "&#39;") in text
    assert (served.out / "index.html").read_bytes() == before
    page.write_text(page.read_text().replace("![](images/square.svg)", "![A square](images/square.svg)"))
    assert served.rebuild()
    assert b'role="alert"' not in get(served.url)[1]


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_broken_live_edit_is_shown_in_the_browser_and_the_next_good_edit_recovers(served: Server,
                                                                                     tmp_path: Path) -> None:
    before = tree(served.out)
    page = served.project / "content" / "news.md"
    good = page.read_text()
    page.write_text(good + "\n![](images/square.svg)\n")
    assert not served.rebuild([page])  # the change to one page, as the watcher gives it
    error = ("content/news.md:9: error: image 'images/square.svg' has no alt text: describe it in ![…](…), or "
             "mark a purely decorative image with ![](…){.decorative} [image-alt]")
    assert served.lines[-2:] == [error, "Build failed (1 error); still serving the last good site."]
    for url in ("news/", "guide/", "es/"):  # over every page, the last good one underneath
        text = get(served.url + url)[1].decode()
        assert 'role="alert"' in text and error.replace("'", "&#39;") in text
    assert b"Recent news from the offices." in get(served.url + "news/")[1]
    assert tree(served.out) == before  # out/ untouched, search index and all
    page.write_text(good + "\nFixed news.\n")
    assert served.rebuild([page])
    assert served.live.live == 1  # built in this process, from the last good build
    body = get(served.url + "news/")[1]
    assert b"Fixed news." in body and b'role="alert"' not in body
    served.live.wait()  # the search index follows the pages
    build(served.project, tmp_path / "clean", html_only=True, cache=False)
    assert tree(served.out) == tree(tmp_path / "clean")


def test_a_page_address_names_the_out_file_it_shows() -> None:
    assert [page_file(p) for p in ("/", "/news/", "/es/guide/deep/", "/guide", "/print/index.html", "/caf%C3%A9/")] == [
        "index.html", "news/index.html", "es/guide/deep/index.html", "guide/index.html", "print/index.html",
        "café/index.html"]


def polls(server: Server, after: int, pages: list[str]) -> tuple[list[threading.Thread], dict[str, int]]:
    """Long polls as the open ``pages`` make them (the injected script), each answered into the dict."""
    answers: dict[str, int] = {}

    def poll(page: str) -> None:
        answers[page] = int(get(f"{server.url}{BUILD_URL.lstrip('/')}?after={after}&page={page}")[1])

    threads = [threading.Thread(target=poll, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # all of them waiting
    return threads, answers


def test_a_live_edit_reloads_the_open_pages_it_changed_and_no_other(served: Server, monkeypatch) -> None:
    monkeypatch.setattr(serve, "WAIT_SECONDS", 2.0)
    page = served.project / "content" / "news.md"
    first = build_number(served)
    threads, answers = polls(served, first, ["/news/", "/es/news/", "/guide/", "/site-map/"])
    page.write_text(page.read_text() + "\nA body edit.\n")
    assert served.rebuild([page])
    assert served.live.files == ("news/index.html", "text/news/index.html", "print/news/index.html",
                                 "es/news/index.html", "es/text/news/index.html", "es/print/news/index.html")
    served.live.wait()  # then the whole-guide pages (they gather the page), in a second build number
    for thread in threads:
        thread.join(timeout=10)
    assert build_number(served) == first + 2
    # the page in both languages (the Spanish one shows the English text) reloads; the others,
    # unchanged, are answered when the poll times out with the number they had
    assert answers["/news/"] > first and answers["/es/news/"] > first
    assert answers["/guide/"] == first and answers["/site-map/"] == first
    second = build_number(served)
    threads, answers = polls(served, second, ["/guide/", "/print/handbooks/handbook/"])
    page.write_text(page.read_text().replace("title: News", "title: Latest news"))
    assert served.rebuild([page])
    # the pages open now are made with the edited one, first: their navigation names it
    assert {"news/index.html", "guide/index.html", "print/handbooks/handbook/index.html"} <= set(served.live.files)
    assert "site-map/index.html" not in served.live.files  # not open: in the background, with the others
    assert b"Latest news" in (served.out / "guide" / "index.html").read_bytes()
    served.live.wait()
    for thread in threads:
        thread.join(timeout=10)
    assert build_number(served) == second + 2
    assert answers["/guide/"] > second and answers["/print/handbooks/handbook/"] > second
    assert b"Latest news" in get(served.url + "site-map/")[1]
    threads, answers = polls(served, build_number(served), ["/guide/"])
    assert served.rebuild()  # a build: every open page reloads
    threads[0].join(timeout=10)
    assert answers == {"/guide/": second + 3}
    assert served.state.showing() == []  # no page waits any more


def test_before_any_good_build_pages_are_the_error_page(tmp_path: Path) -> None:
    project = copy_fixture("bad-yaml", tmp_path)
    server = Server(project, port=0)
    server.start()
    try:
        status, body = get(server.url)
        assert status == 503
        assert b"<h1>The build failed</h1>" in body and b"invalid YAML" in body and SCRIPT in body
    finally:
        server.stop()


def test_a_change_on_disk_is_rebuilt_and_open_pages_are_told(served: Server) -> None:
    watcher = threading.Thread(target=served.watch, daemon=True)
    watcher.start()
    time.sleep(0.5)  # the watcher is up
    first = build_number(served)
    page = served.project / "content" / "guide" / "index.md"
    page.write_text(page.read_text() + "\nWritten while serving.\n")
    deadline = time.monotonic() + 20
    while build_number(served) == first and time.monotonic() < deadline:
        time.sleep(0.1)
    assert build_number(served) > first
    assert b"Written while serving." in get(served.url + "guide/")[1]
    served.stop()
    watcher.join(timeout=10)
    assert not watcher.is_alive()


def test_a_port_in_use_is_a_located_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = Server(copy_fixture("basic", tmp_path), port=port)
        with pytest.raises(HandpressError) as caught:
            server.start()
    assert str(caught.value) == (f"127.0.0.1:{port}: error: cannot serve here: Address already in use (is "
                                 "another server using this port? choose another with --port)")


def test_the_command_is_there_with_its_options() -> None:
    from click.testing import CliRunner

    from handpress.commands.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--project", "--host", "--port", "--jobs", "--pdf"):
        assert option in result.output


def test_a_missing_project_is_an_error_not_an_empty_server(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from handpress.commands.cli import cli

    missing = CliRunner().invoke(cli, ["serve", "--project", str(tmp_path / "nowhere"), "--port", "0"])
    assert missing.exit_code == 1
    assert missing.stderr.splitlines() == [f"{tmp_path / 'nowhere'}: error: project folder does not exist"]
    bare = CliRunner().invoke(cli, ["serve", "--project", str(tmp_path), "--port", "0"])
    assert bare.exit_code == 1
    assert bare.stderr.startswith("handpress.toml: error: no handpress.toml in ")
    assert "Serving" not in missing.output + bare.output
