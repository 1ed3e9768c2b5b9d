"""A stand-in site for engine tests: the static fixture pages plus a CMS sitemap listing them.

``/<name>/`` serves ``fixtures/<name>.html``; unknown paths get the 404 page with status 404;
``/server-error/`` answers 500; ``/slow/?ms=N`` answers after N ms (for pages that fetch content
after loading); ``/moved/<name>/`` redirects to ``/<name>/`` and ``/elsewhere/<name>/`` to the
same page on another origin (localhost for 127.0.0.1). The sitemap lists whichever names a test
puts in ``pages``.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PORT_RANGE = range(8300, 8400)


def free_port_in_range(ports: range = PORT_RANGE) -> int:
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {ports}")


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass

    def handle(self):
        # A browser leaving a page drops its slow requests: nothing to report.
        with contextlib.suppress(ConnectionError):
            super().handle()

    def do_GET(self):
        site: FixtureSite = self.server.site
        url = urlsplit(self.path)
        if url.path == "/api/v3/sitemap/":
            query = parse_qs(url.query)
            limit, offset = int(query["limit"][0]), int(query["offset"][0])
            site.sitemap_requests += 1
            items = site.sitemap_items()
            return self._send(
                200,
                "application/json",
                json.dumps({"count": len(items), "items": items[offset : offset + limit]}),
            )
        if url.path.startswith("/api/v3/pages/"):
            detail = site.details.get(url.path.split("/")[4])
            if detail is None:
                return self._send(404, "application/problem+json", '{"status": 404}')
            return self._send(200, "application/json", json.dumps(detail))
        if url.path == "/slow/":
            time.sleep(int(parse_qs(url.query)["ms"][0]) / 1000)
            return self._send(200, "text/plain", "late")
        if url.path.startswith(("/moved/", "/elsewhere/")):
            moved = url.path.startswith("/moved/")
            origin = "" if moved else f"http://localhost:{site.port}"
            self.send_response(301 if moved else 302)
            self.send_header("Location", origin + "/" + url.path.split("/", 2)[2])
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if url.path == "/server-error/":
            return self._send(500, "text/html", "<h1>Server error</h1>")
        fixture = FIXTURES / f"{url.path.strip('/') or 'clean'}.html"
        if fixture.is_file() and "/" not in url.path.strip("/"):
            return self._send(200, "text/html; charset=utf-8", fixture.read_text())
        return self._send(
            404, "text/html; charset=utf-8", (FIXTURES / "not-found.html").read_text()
        )

    def _send(self, status: int, content_type: str, body: str):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FixtureSite:
    """Serves as both "CMS" (sitemap only) and "frontend" on one port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port_in_range()
        self.url = f"http://127.0.0.1:{self.port}"
        # name → (page type, last_published_at)
        self.pages: dict[str, tuple[str, str]] = {}
        self.sitemap_requests = 0
        # page id (as text) → API detail, for listings whose views come from the API
        self.details: dict[str, dict] = {}
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        self._server.site = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def publish(
        self,
        *names: str,
        page_type: str = "pages.ReviewPage",
        at: str = "2026-01-10T09:00:00+00:00",
    ) -> None:
        for name in names:
            self.pages[name] = (page_type, at)

    def sitemap_items(self) -> list[dict]:
        return [
            {
                "id": number,
                "type": page_type,
                "title": name,
                "path": f"/{name}/",
                "last_published_at": published,
                "last_updated": published[:10],
            }
            for number, (name, (page_type, published)) in enumerate(self.pages.items(), start=1)
        ]

    def page_url(self, name: str) -> str:
        return f"{self.url}/{name}/"

    def start(self) -> FixtureSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
