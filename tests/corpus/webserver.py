"""A local HTTP server for fetch tests: fixed routes on 127.0.0.1, validators, faults, and a request log."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIRST_MODIFIED = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


@dataclass
class Route:
    """What one path answers. Validators (ETag from the body, Last-Modified) are sent as `validators` says."""

    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    validators: str = "both"  # "both" | "etag" | "last_modified" | "none"
    location: str | None = None  # answer `status` (a 3xx) with this Location
    fail_first: int = 0  # answer 500 this many times, then normally
    delay: float = 0.0  # seconds to wait before answering
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    modified: datetime = FIRST_MODIFIED

    @property
    def etag(self) -> str:
        """A strong ETag derived from the body, so a new body means a new tag."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None
    at: float = field(default_factory=time.monotonic)


class WebServer:
    """Serves `routes` (path with query -> Route) on 127.0.0.1 at a free port until stopped."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> WebServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this server."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def set_body(self, path: str, body: bytes) -> None:
        """Change a page: new body, new ETag, Last-Modified one day later."""
        with self._lock:
            route = self.routes[path]
            route.body = body
            route.modified = route.modified + timedelta(days=1)

    def take_hits(self) -> list[Hit]:
        """The requests seen since the last call (and forget them)."""
        with self._lock:
            hits, self.hits = self.hits, []
        return hits

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            route = self.routes.get(handler.path)
            status, headers, body = _respond(route, handler.headers)
            self.hits.append(
                Hit(
                    path=handler.path,
                    status=status,
                    if_none_match=handler.headers.get("If-None-Match"),
                    if_modified_since=handler.headers.get("If-Modified-Since"),
                    user_agent=handler.headers.get("User-Agent"),
                )
            )
        if route is not None and route.delay:
            self._stopping.wait(route.delay)
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            if body:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test) before the answer came


def _respond(route: Route | None, request: Message) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body for one request; updates the route's failure countdown."""
    if route is None:
        return 404, {"Content-Type": "text/plain", "Content-Length": "9"}, b"not found"
    if route.fail_first > 0:
        route.fail_first -= 1
        return 500, {"Content-Type": "text/plain", "Content-Length": "5"}, b"oops!"
    headers: dict[str, str] = {}
    if route.location is not None:
        return route.status, {"Location": route.location, "Content-Length": "0"}, b""
    if route.validators in ("both", "etag"):
        headers["ETag"] = route.etag
    if route.validators in ("both", "last_modified"):
        headers["Last-Modified"] = format_datetime(route.modified, usegmt=True)
    if route.status == 200 and _unchanged(route, request):
        return 304, headers, b""
    if route.content_type is not None:
        headers["Content-Type"] = route.content_type
    if route.send_length:
        headers["Content-Length"] = str(len(route.body))
    else:
        headers["Connection"] = "close"
    return route.status, headers, route.body


def _unchanged(route: Route, request: Message) -> bool:
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since."""
    tags = request.get("If-None-Match")
    if tags is not None:
        if route.validators not in ("both", "etag"):
            return False
        offered = {t.strip().removeprefix("W/") for t in tags.split(",")}
        return "*" in offered or route.etag in offered
    since = request.get("If-Modified-Since")
    if since is None or route.validators not in ("both", "last_modified"):
        return False
    try:
        return route.modified <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def _handler_for(server: WebServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            server._answer(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


# The small site the crawl tests (fetch layer and flow) run against.
SITE = Path(__file__).resolve().parents[1] / "data" / "web" / "site"
SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"
PAGE_A = (SAMPLES / "anr-fapesp-bilateral-call.html").read_bytes()
PAGE_B = (SAMPLES / "baltic-clean-shipping-common-pot.html").read_bytes()
PAGE_C = (SAMPLES / "nsf-snsf-lead-agency.html").read_bytes()
TEXT_D = (SAMPLES / "india-norway-agreement-news.txt").read_bytes()
PDF = (SAMPLES / "dfg-anr-lead-agency-call.pdf").read_bytes()


def site_routes() -> dict[str, Route]:
    """A site with feeds, a sitemap index, robots.txt, a flaky, a slow and a redirecting page."""
    def xml(name: str, kind: str) -> Route:
        return Route((SITE / name).read_bytes(), content_type=kind)

    return {
        "/robots.txt": xml("robots.txt", "text/plain"),
        "/feed.rss": xml("feed.rss", "application/rss+xml"),
        "/feed.atom": xml("feed.atom", "application/atom+xml"),
        "/sitemap.xml": xml("sitemap.xml", "application/xml"),
        "/sitemap-pages.xml": xml("sitemap-pages.xml", "application/xml"),
        "/pages/a.html": Route(PAGE_A),
        "/pages/b.html": Route(PAGE_B),
        "/pages/c.html": Route(PAGE_C),
        "/pages/d.txt": Route(TEXT_D, content_type="text/plain; charset=utf-8", validators="last_modified"),
        "/other/e.html": Route(b"<p>not in the pattern</p>"),
        "/docs/call.pdf": Route(PDF, content_type="application/pdf"),
        "/private/secret.html": Route(b"<p>internal</p>"),
        "/flaky.html": Route(b"<p>answers on the third try</p>", fail_first=2),
        "/slow.html": Route(b"<p>too late</p>", delay=1.0),
        "/redirect/1": Route(status=301, location="/redirect/2"),
        "/redirect/2": Route(status=302, location="/redirect/3"),
        "/redirect/3": Route(status=302, location="/pages/c.html"),
    }


# Feeds and sitemaps named as bare inputs: served under the content types real sites use.
BARE = Path(__file__).resolve().parents[1] / "data" / "web" / "bare"


def bare_listing_routes() -> dict[str, Route]:
    """`site_routes` plus a feed as text/xml, an extensionless sitemap, a sitemap index with a gzipped child.

    Bodies still hold `{BASE}`; `fill_base` puts the server's address in (and gzips the .gz routes).
    """
    def xml(name: str, kind: str) -> Route:
        return Route((BARE / name).read_bytes(), content_type=kind)

    routes = site_routes()
    routes.update({
        "/feed.xml": xml("feed.xml", "text/xml; charset=utf-8"),
        "/sitemap": xml("sitemap", "application/xml"),
        "/sitemap-index.xml": xml("sitemap-index.xml", "application/xml"),
        "/sitemap-news.xml.gz": xml("sitemap-news.xml", "application/gzip"),
        "/catalog.xml": xml("catalog.xml", "application/xml"),
    })
    return routes


def fill_base(server: WebServer) -> None:
    """Replace `{BASE}` in every body with the server's address; gzip the bodies of paths ending in .gz."""
    import gzip

    base = server.url("").encode()
    for path, route in server.routes.items():
        route.body = route.body.replace(b"{BASE}", base)
        if path.endswith(".gz"):
            route.body = gzip.compress(route.body, mtime=0)
