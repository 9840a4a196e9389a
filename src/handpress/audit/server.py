"""Serve a folder on 127.0.0.1 at an ephemeral port for the audit browser (never file://)."""

from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import quote


class _QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that keeps the terminal clean and never caches."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` until the block ends; yields the base URL, e.g. ``http://127.0.0.1:40123/``."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="handpress-audit-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def page_url(base: str, page: str) -> str:
    """The URL of a site-relative file; ``…/index.html`` is requested as its folder, as a visitor would."""
    path = page[: -len("index.html")] if page == "index.html" or page.endswith("/index.html") else page
    return base + quote(path, safe="/-_.~")
