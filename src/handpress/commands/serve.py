"""``handpress serve``: build, serve out/ on this machine, rebuild when a source changes, reload open pages.

- The site is served by :mod:`http.server` in a thread, from out/ as the last good build left it.
- Sources (handpress.toml, content/, templates/, styles/, locales/; an MkDocs project's whole folder) are
  watched with watchfiles; a change starts an incremental build (only what changed is rendered again);
  a change to pages only is built in this process from the last build, kept in memory
  (:mod:`handpress.build.live`: the edited page and the open ones first, on screen in a tenth of a
  second; what else lists or gathers it, and the search index, after). PDF handbooks are made only
  with ``--pdf``: laying out a book on every save is slow; ``handpress build`` makes them.
- Every HTML page served gets a small script (``templates/serve/inject.html``) that long-polls
  ``/__handpress__/build?after=N&page=P``: the server answers as soon as a build after N has changed the
  page at P (any build does, but a live one: the files it wrote), and the page reloads at once. It is
  added to the response only, never written to out/.
- A failed build prints its located errors in the terminal and shows them over the page in the
  browser; the last good site stays underneath. Before any build has succeeded, pages are an error page.
"""

from __future__ import annotations

import http.server
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import parse_qs, unquote

import click

from handpress.commands.cli import project_option, user_errors
from handpress.errors import Diagnostic, HandpressError

BUILD_URL = "/__handpress__/build"  # the build number; with ?after=N[&page=P], once a build changed P (long poll)
WAIT_SECONDS = 20.0  # how long a long poll is held before it is answered anyway
HISTORY = 1000  # builds whose changed files are remembered (a page that saw an older one reloads)
Report = Callable[[str], None]  # one line for the terminal


@dataclass
class State:
    """What the server shows: the number of the last build (good or not), its problems, and which out/
    files each build changed (None: any, as a build or a failed one)."""

    number: int = 0
    problems: tuple[Diagnostic, ...] = ()
    lock: threading.Condition = field(default_factory=threading.Condition)  # notified after each build
    changed: dict[int, frozenset[str] | None] = field(default_factory=dict)
    open: Counter[str] = field(default_factory=Counter)  # out/ files shown by pages waiting for a build

    def showing(self) -> list[str]:
        """The out/ files open pages show (a live build makes them first)."""
        with self.lock:
            return [page for page, count in self.open.items() if count > 0]

    def advance(self, files: Iterable[str] | None, problems: Iterable[Diagnostic] = ()) -> None:
        """A build has finished, changing ``files`` (None: any); open pages it changed reload."""
        with self.lock:
            problems = tuple(problems)
            everywhere = files is None or bool(problems) or bool(self.problems)  # shown over every page, or no longer
            self.number += 1
            self.problems = problems
            self.changed[self.number] = None if everywhere else frozenset(files or ())
            self.changed.pop(self.number - HISTORY, None)
            self.lock.notify_all()

    def wait_past(self, number: int, timeout: float, page: str | None = None) -> int:
        """The build number once a build after ``number`` changed ``page`` (an out/ file; None: any
        page), or after ``timeout`` seconds: then the number, or ``number`` if none changed ``page``."""
        def changed() -> bool:
            if page is None or number > self.number:  # a page from another run of the server
                return self.number != number
            for n in range(number + 1, self.number + 1):
                files = self.changed.get(n)
                if files is None or page in files:
                    return True
            return False

        with self.lock:
            if page is not None:
                self.open[page] += 1
            try:
                self.lock.wait_for(changed, timeout)
            finally:
                if page is not None:
                    self.open[page] -= 1
                    if not self.open[page]:
                        del self.open[page]
            return self.number if page is None or changed() else number


def page_file(path: str) -> str:
    """The out/ file a page's address shows (``/guide/`` -> ``guide/index.html``)."""
    rel = unquote(path.split("?", 1)[0].split("#", 1)[0]).lstrip("/")
    return rel if rel.endswith(".html") else (rel.rstrip("/") + "/index.html").lstrip("/")


class Server:
    """A development server for one project. :meth:`start` builds and serves; :meth:`rebuild` builds
    again; :meth:`watch` rebuilds on every change until :meth:`stop`."""

    def __init__(self, project: Path, host: str = "127.0.0.1", port: int = 8000, *, jobs: int | None = None,
                 pdfs: bool = False, report: Report = lambda line: None):
        self.project = project.resolve()
        self.out = self.project / "out"
        self.host, self.port = host, port
        self.jobs = jobs
        self.pdfs = pdfs
        self.report = report
        self.state = State()
        self.stopped = threading.Event()
        self._http: http.server.ThreadingHTTPServer | None = None
        self._env: Any = None
        self.live: Any = None  # handpress.build.live.LiveBuild, made at the first build

    @property
    def url(self) -> str:
        if self._http is None:
            raise RuntimeError("the server has not started")
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        """Bind the port, build once, and serve in a background thread."""
        from handpress import theme

        try:
            self._http = http.server.ThreadingHTTPServer((self.host, self.port), self._handler())
        except OSError as exc:
            raise HandpressError.at(f"{self.host}:{self.port}", None, f"cannot serve here: {exc.strerror or exc} "
                                    "(is another server using this port? choose another with --port)") from None
        self._http.daemon_threads = True
        self._env = theme.environment(self.project)
        self.rebuild()
        threading.Thread(target=self._http.serve_forever, name="handpress-http", daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()
        if self.live is not None:
            self.live.close()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None

    def rebuild(self, changed: Iterable[Path] = ()) -> bool:
        """Build once after ``changed`` (paths) and report it; the new build number makes open pages
        reload. True if it built. A change to pages only is built in this process from what the last
        build kept (:mod:`handpress.build.live`)."""
        if self.live is None:
            from handpress.build.live import LiveBuild

            self.live = LiveBuild(self.project, self.out, jobs=self.jobs, pdfs=self.pdfs, written=self._written,
                                  indexed=self._indexed, showing=self.state.showing)
        files = None
        try:
            result = self.live.build(changed, follow=False)
            files = self.live.files
        except HandpressError as exc:
            problems = exc.diagnostics
            for d in problems:
                self.report(d.format())
            errors = sum(d.severity == "error" for d in problems)
            self.report(f"Build failed ({errors} error{'s' if errors != 1 else ''}); still serving the last "
                        "good site.")
        else:
            problems = ()
            for d in result.diagnostics:
                if d.severity != "info":
                    self.report(d.format())
            self.report(f"Built {result.pages} pages ({result.rendered} of {result.files} files changed) in "
                        f"{result.seconds:.1f}s.")
        self.state.advance(files, problems)  # open pages it changed, waiting on BUILD_URL, reload now
        if self.live is not None:
            self.live.follow()  # the rest of a live build, once the edited page's reload is under way
        return not problems

    def _written(self, files: Sequence[str], error: HandpressError | None) -> None:
        """A live build's second step (:mod:`handpress.build.live_after`) wrote ``files``, or failed."""
        if error is not None:
            for d in error.diagnostics:
                self.report(d.format())
            self.report("Build failed; still serving the last good site.")
            self.state.advance(None, error.diagnostics)
        else:
            self.report(f"Updated {len(files)} more files that list or gather the edited pages.")
            self.state.advance(files)

    def _indexed(self, seconds: float, error: HandpressError | None) -> None:
        """A live build's search index has been made (in the background), or could not be."""
        if error is not None:
            for d in error.diagnostics:
                self.report(d.format())
            self.report("The search index could not be brought up to date; the next change tries again.")

    def watch(self) -> None:
        """Rebuild whenever a source changes, until :meth:`stop` (or Ctrl+C, which is raised)."""
        from watchfiles import watch

        while not self.stopped.is_set():
            sources = self._sources()
            for changes in watch(*(path for path, _ in sources), stop_event=self.stopped, rust_timeout=500, yield_on_timeout=True,
                                 debounce=300, step=20):
                moved = self._sources() != sources  # a source folder made or removed, handpress.toml replaced
                if moved:
                    self.rebuild()
                elif changes:
                    self.rebuild(Path(path) for _, path in changes)
                if moved:
                    break

    def _sources(self) -> list[tuple[Path, int]]:
        from handpress.digest import project_inputs

        found = []
        for name in project_inputs(self.project):
            path = self.project / name
            if path.exists():
                found.append((path, path.stat().st_ino))
        return found

    def page(self, name: str) -> bytes:
        """``templates/serve/<name>``: the injected script (and problems), or the page shown before any
        build has succeeded."""
        with self.state.lock:
            number, problems = self.state.number, self.state.problems
        html = self._env.get_template(f"serve/{name}").render(
            build=number, build_url=BUILD_URL, problems=[d.format() for d in problems])
        return html.encode("utf-8")

    def _handler(self) -> type[http.server.SimpleHTTPRequestHandler]:
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any):
                super().__init__(*args, directory=str(server.out), **kwargs)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path, _, query = self.path.split("#", 1)[0].partition("?")
                if path == BUILD_URL:
                    asked = parse_qs(query)
                    seen, page = asked.get("after", [""])[0], asked.get("page")
                    if seen.isdigit():  # a long poll: answered as soon as a build changes the page
                        number = server.state.wait_past(int(seen), WAIT_SECONDS, page_file(page[0]) if page else None)
                    else:
                        with server.state.lock:
                            number = server.state.number
                    return self._send(str(number).encode(), "text/plain; charset=utf-8")
                file = Path(self.translate_path(self.path))
                if file.is_dir() and path.endswith("/"):
                    file = file / "index.html"
                if file.suffix == ".html" and file.is_file():
                    return self._send(inject(file.read_bytes(), server.page("inject.html")), "text/html; charset=utf-8")
                if not server.out.is_dir() and (path.endswith("/") or path.endswith(".html")):
                    return self._send(server.page("error.html"), "text/html; charset=utf-8", 503)
                return super().do_GET()

            def _send(self, body: bytes, kind: str, status: int = 200) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def end_headers(self) -> None:
                self.send_header("Cache-Control", "no-store")  # a rebuilt page is never read from a cache
                super().end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows builds
                pass

        return Handler


def inject(page: bytes, snippet: bytes) -> bytes:
    """``page`` with ``snippet`` before its closing body tag (at the end if it has none)."""
    at = page.rfind(b"</body>")
    return page + snippet if at < 0 else page[:at] + snippet + page[at:]


@click.command()
@project_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on (this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to serve on.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: cores).")
@click.option("--pdf", "pdfs", is_flag=True, help="Also make the PDF handbooks on every change (slower).")
@user_errors
def serve(project: Path, host: str, port: int, jobs: int | None, pdfs: bool) -> None:
    """Build, serve out/ on this machine, rebuild on every change and reload open pages."""
    from handpress.config import require_project

    require_project(project)  # mistakes in the project are shown while serving; a missing project is not
    server = Server(project, host, port, jobs=jobs, pdfs=pdfs, report=lambda line: click.echo(line, err=True))
    server.start()
    click.echo(f"Serving {server.project / 'out'} at {server.url} and watching for changes; Ctrl+C stops.")
    try:
        server.watch()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.stop()
