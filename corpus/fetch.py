"""Polite HTTP fetching: conditional GET, robots.txt, a per-host rate limit, size and redirect caps."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpx

from corpus.document import LoadError
from corpus.robots import RobotsCache, RobotsEntry, RobotsRules

USER_AGENT = "fundscope/0.1 (+https://github.com/fundscope/fundscope)"

# Media types fetched as documents; the loaders then decide from the bytes (octet-stream is
# how many servers send PDFs). A response with no Content-Type at all is also read.
DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/x-pdf",
        "application/octet-stream",
        "binary/octet-stream",
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/markdown",
        "text/x-markdown",
    }
)
# Media types fetched as feeds and sitemaps (gzip for sitemap.xml.gz).
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/plain",
        "application/gzip",
        "application/x-gzip",
    }
)
# A URL named on the command line may be a document, a feed or a sitemap: all of these are
# fetched, and the root element of an XML answer decides (corpus.web.open_input).
INPUT_TYPES = DOCUMENT_TYPES | FEED_TYPES
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: crawlers read at least the first 500 KiB
MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay above this is capped, not obeyed
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class FetchSettings:
    """Limits every fetch obeys; the [fetch] table of the sources file overrides them."""

    timeout_seconds: float = 20.0  # connect / read / write / pool, each
    total_seconds: float = 120.0  # whole body download
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5
    min_interval_seconds: float = 1.0  # between request starts to one host
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class FetchState:
    """Validators kept from the last fetch of a URL, sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """One fetch: where it ended, what the server said, and the body unless unchanged or failed."""

    url: str
    final_url: str
    status: int | None  # None when no response was had (robots, refused URL, network failure)
    fetched_at: datetime  # UTC
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None  # media type from the Content-Type header, lower case, no parameters
    charset: str | None = None  # charset parameter of the Content-Type header
    content: bytes | None = None  # None on 304 and on failure
    not_modified: bool = False
    error_type: str | None = None  # one of corpus.document.ERROR_TYPES when failed
    message: str | None = None
    transient: bool = False

    @property
    def ok(self) -> bool:
        """True for a body received or a 304."""
        return self.error_type is None

    @property
    def state(self) -> FetchState:
        """The validators to keep for the next conditional GET of this URL."""
        return FetchState(etag=self.etag, last_modified=self.last_modified)


class TransientFetchError(LoadError):
    """A 5xx, 429, timeout or connection failure: worth retrying (Prefect task retries do)."""

    def __init__(self, result: FetchResult) -> None:
        super().__init__(result.error_type or "fetch_failed", result.message or "fetch failed", transient=True)
        self.result = result

    def __reduce__(self) -> tuple[type, tuple[FetchResult]]:
        # rebuilt from the result, so the error survives pickling (Prefect states, process pools)
        return (TransientFetchError, (self.result,))


class RateLimiter:
    """Keeps at least `interval` seconds between the starts of requests to one host (thread-safe)."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}

    def wait(self, host: str, interval: float | None = None) -> float:
        """Block until a request to `host` may start; return the seconds waited."""
        gap = self.interval if interval is None else interval
        with self._lock:
            now = self._clock()
            slot = max(now, self._last[host] + gap) if host in self._last else now
            # reserving the slot before sleeping lets concurrent callers queue up behind it
            self._last[host] = slot
        if slot > now:
            self._sleep(slot - now)
        return slot - now


class Fetcher:
    """Fetches URLs the way a polite crawler does; one instance per run, shared by its tasks."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        robots_cache: RobotsCache | str | Path | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            headers={"User-Agent": self.settings.user_agent},
            follow_redirects=False,
            transport=transport,
        )
        self._limiter = RateLimiter(self.settings.min_interval_seconds)
        self._robots_cache = robots_cache if isinstance(robots_cache, RobotsCache) else RobotsCache(robots_cache)
        self._rules: dict[str, RobotsRules] = {}
        self._origin_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def fetch(
        self, url: str, previous: FetchState | None = None, *, accept: frozenset[str] | None = DOCUMENT_TYPES
    ) -> FetchResult:
        """GET `url` (conditionally when `previous` is given); permanent failures come back as results.

        Raises TransientFetchError on 5xx, 429, timeouts and connection failures.
        `accept=None` takes any content type; FEED_TYPES suits feeds and sitemaps.
        """
        return self._get(url, previous, accept, self.settings.max_bytes, obey_robots=True)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets fundscope fetch it (fetched once per host and run).

        Raises TransientFetchError when robots.txt answers 5xx or cannot be reached.
        """
        return self._rules_for(_origin(url)).allows(url)

    def _get(
        self,
        url: str,
        previous: FetchState | None,
        accept: frozenset[str] | None,
        max_bytes: int,
        obey_robots: bool,
    ) -> FetchResult:
        current = url
        redirects = 0
        while True:
            problem = _url_problem(current)
            if problem:
                return _failed(url, current, None, "fetch_failed", problem)
            if obey_robots and not self._allowed_for(url, current):
                return _failed(url, current, None, "robots_disallowed", f"robots.txt of {_origin(current)} disallows {current}")
            self._limiter.wait(_host(current), self._interval(current))
            try:
                with self._client.stream("GET", current, headers=_request_headers(previous, accept)) as response:
                    location = response.headers.get("Location")
                    if response.status_code in _REDIRECTS and location:
                        redirects += 1
                        if redirects > self.settings.max_redirects:
                            message = f"more than {self.settings.max_redirects} redirects (last to {location})"
                            return _failed(url, current, response.status_code, "too_many_redirects", message)
                        current = urljoin(current, location)
                        continue
                    return self._answer(url, current, response, previous, accept, max_bytes, truncate=not obey_robots)
            except httpx.TimeoutException as exc:
                message = f"no answer within {self.settings.timeout_seconds:g} s ({type(exc).__name__})"
                raise TransientFetchError(_failed(url, current, None, "timeout", message, transient=True)) from None
            except httpx.UnsupportedProtocol as exc:
                return _failed(url, current, None, "fetch_failed", str(exc))
            except httpx.TransportError as exc:
                message = f"connection failed ({type(exc).__name__}: {exc})"
                raise TransientFetchError(_failed(url, current, None, "fetch_failed", message, transient=True)) from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                return _failed(url, current, None, "fetch_failed", f"{type(exc).__name__}: {exc}")

    def _answer(
        self,
        url: str,
        final_url: str,
        response: httpx.Response,
        previous: FetchState | None,
        accept: frozenset[str] | None,
        max_bytes: int,
        truncate: bool,
    ) -> FetchResult:
        status = response.status_code
        media_type, charset = _media_type(response.headers.get("Content-Type"))
        result = FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            fetched_at=datetime.now(timezone.utc),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=media_type,
            charset=charset,
        )
        if status == 304:
            kept = previous or FetchState()
            return replace(
                result,
                not_modified=True,
                etag=result.etag or kept.etag,
                last_modified=result.last_modified or kept.last_modified,
            )
        if status >= 500 or status == 429:
            message = f"HTTP {status} {response.reason_phrase}".strip()
            raise TransientFetchError(replace(result, error_type="http_error", message=message, transient=True))
        if status in (404, 410):
            return replace(result, error_type="not_found", message=f"HTTP {status}: the server has no such page")
        if not 200 <= status < 300:
            return replace(result, error_type="http_error", message=f"HTTP {status} {response.reason_phrase}".strip())
        if accept is not None and media_type is not None and media_type not in accept:
            return replace(result, error_type="unsupported_type", message=f"content type {media_type} is not one fundscope reads")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes and not truncate:
            return replace(result, error_type="too_large", message=f"Content-Length {declared} exceeds {max_bytes} bytes")
        body = bytearray()
        deadline = time.monotonic() + self.settings.total_seconds
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                if truncate:
                    del body[max_bytes:]
                    break
                return replace(result, error_type="too_large", message=f"body exceeds {max_bytes} bytes")
            if time.monotonic() > deadline:
                message = f"body not received within {self.settings.total_seconds:g} s"
                raise TransientFetchError(replace(result, error_type="timeout", message=message, transient=True))
        return replace(result, content=bytes(body))

    def _allowed_for(self, url: str, current: str) -> bool:
        try:
            return self.allowed(current)
        except TransientFetchError as exc:
            # the failure is reported for the page asked for, not for robots.txt
            raise TransientFetchError(replace(exc.result, url=url, final_url=current)) from None

    def _interval(self, url: str) -> float:
        rules = self._rules.get(_origin(url))
        delay = rules.crawl_delay() if rules is not None else None
        if delay is None:
            return self.settings.min_interval_seconds
        return max(self.settings.min_interval_seconds, min(delay, MAX_CRAWL_DELAY))

    def _rules_for(self, origin: str) -> RobotsRules:
        with self._lock:
            if origin in self._rules:
                return self._rules[origin]
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            if origin not in self._rules:
                rules = self._load_rules(origin)
                with self._lock:
                    self._rules[origin] = rules
            return self._rules[origin]

    def _load_rules(self, origin: str) -> RobotsRules:
        """Fetch robots.txt (conditionally when a copy is kept); 4xx and no answer in redirects mean allow all."""
        kept = self._robots_cache.get(origin)
        previous = FetchState(kept.etag, kept.last_modified) if kept is not None and kept.text is not None else None
        robots_url = f"{origin}/robots.txt"
        try:
            result = self._get(robots_url, previous, None, ROBOTS_MAX_BYTES, obey_robots=False)
        except TransientFetchError as exc:
            message = f"robots.txt of {origin} could not be read ({exc.message}); its pages wait until it can"
            raise TransientFetchError(replace(exc.result, message=message)) from None
        if result.not_modified and kept is not None:
            text = kept.text
        elif result.ok and result.content is not None:
            text = result.content.decode("utf-8", errors="replace")
        else:
            text = None
        self._robots_cache.put(
            origin, RobotsEntry(text, result.etag, result.last_modified, result.fetched_at.isoformat())
        )
        return RobotsRules(text)


def _failed(
    url: str, final_url: str, status: int | None, error_type: str, message: str, transient: bool = False
) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final_url,
        status=status,
        fetched_at=datetime.now(timezone.utc),
        error_type=error_type,
        message=message,
        transient=transient,
    )


def _request_headers(previous: FetchState | None, accept: frozenset[str] | None) -> dict[str, str]:
    headers = {"Accept": (", ".join(sorted(accept)) + ", */*;q=0.1") if accept else "*/*"}
    if previous is not None and previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous is not None and previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    return headers


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.split(";", 1)[0].strip():
        return None, None
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


def _url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"{url!r} is not a URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"{url!r}: only http and https URLs are fetched"
    if not parts.hostname:
        return f"{url!r} names no host"
    return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()
