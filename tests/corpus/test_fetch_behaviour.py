"""Each behaviour of the Fetcher against a local server on 127.0.0.1."""

from __future__ import annotations

import pickle
import socket
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

from corpus.fetch import USER_AGENT, FetchSettings, FetchState, Fetcher, RateLimiter, TransientFetchError
from corpus.robots import RobotsCache
from tests.corpus.webserver import Route, WebServer

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"
PAGE = (SAMPLES / "nsf-snsf-lead-agency.html").read_bytes()
PDF = (SAMPLES / "dfg-anr-lead-agency-call.pdf").read_bytes()
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
FAST = FetchSettings(timeout_seconds=0.4, min_interval_seconds=0.0)


def site() -> dict[str, Route]:
    return {
        "/robots.txt": Route(ROBOTS, content_type="text/plain"),
        "/page.html": Route(PAGE),
        "/lm-only.html": Route(b"<p>dated</p>", validators="last_modified"),
        "/private/minutes.html": Route(b"<p>internal</p>"),
        "/flaky.html": Route(b"<p>third time lucky</p>", fail_first=2),
        "/slow.html": Route(b"<p>late</p>", delay=8.0),
        "/hop/1": Route(status=302, location="/hop/2"),
        "/hop/2": Route(status=301, location="/hop/3"),
        "/hop/3": Route(status=307, location="/page.html"),
        "/to-private": Route(status=302, location="/private/minutes.html"),
        "/gone.html": Route(b"gone", status=410),
        "/forbidden.html": Route(b"no", status=403),
        "/busy.html": Route(b"slow down", status=429),
        "/big.html": Route(b"x" * 300_000),
        "/big-unannounced.html": Route(b"y" * 300_000, send_length=False),
        "/chart.png": Route(b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        "/report.pdf": Route(b"<html><body>an HTML page at a .pdf URL</body></html>"),
        "/download?id=3": Route(PDF, content_type="application/pdf"),
    }


@pytest.fixture()
def server() -> Iterator[WebServer]:
    with WebServer(site()) as running:
        yield running


@pytest.fixture()
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as made:
        yield made


def test_page_body_validators_and_metadata(server: WebServer, fetcher: Fetcher) -> None:
    before = datetime.now(timezone.utc)
    result = fetcher.fetch(server.url("/page.html"))
    assert result.ok and result.status == 200 and not result.not_modified
    assert result.content == PAGE
    assert result.content_type == "text/html" and result.charset == "utf-8"
    assert result.etag == server.routes["/page.html"].etag
    assert result.last_modified == "Mon, 02 Mar 2026 09:30:00 GMT"
    assert result.final_url == result.url == server.url("/page.html")
    assert result.fetched_at.tzinfo is timezone.utc
    assert before <= result.fetched_at <= before + timedelta(seconds=5)
    assert {hit.user_agent for hit in server.take_hits()} == {USER_AGENT}


def test_unchanged_page_costs_a_304(server: WebServer, fetcher: Fetcher) -> None:
    first = fetcher.fetch(server.url("/page.html"))
    second = fetcher.fetch(server.url("/page.html"), first.state)
    assert second.ok and second.not_modified and second.status == 304
    assert second.content is None
    assert second.etag == first.etag and second.last_modified == first.last_modified
    page_hits = [hit for hit in server.take_hits() if hit.path == "/page.html"]
    assert [hit.status for hit in page_hits] == [200, 304]
    assert page_hits[1].if_none_match == first.etag


def test_last_modified_alone_also_gives_a_304(server: WebServer, fetcher: Fetcher) -> None:
    first = fetcher.fetch(server.url("/lm-only.html"))
    assert first.etag is None
    second = fetcher.fetch(server.url("/lm-only.html"), first.state)
    assert second.not_modified and second.last_modified == "Mon, 02 Mar 2026 09:30:00 GMT"


def test_changed_page_is_downloaded_again(server: WebServer, fetcher: Fetcher) -> None:
    first = fetcher.fetch(server.url("/page.html"))
    server.set_body("/page.html", b"<p>deadline extended to 30 January</p>")
    second = fetcher.fetch(server.url("/page.html"), first.state)
    assert second.status == 200 and second.content == b"<p>deadline extended to 30 January</p>"
    assert second.etag != first.etag
    assert second.last_modified == "Tue, 03 Mar 2026 09:30:00 GMT"


def test_robots_disallowed_url_is_never_requested(server: WebServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(server.url("/private/minutes.html"))
    assert result.error_type == "robots_disallowed" and result.status is None and not result.transient
    assert fetcher.fetch(server.url("/page.html")).ok
    assert fetcher.allowed(server.url("/private/other.html")) is False
    assert [hit.path for hit in server.take_hits()] == ["/robots.txt", "/page.html"]


def test_redirect_into_a_disallowed_path_stops_before_it(server: WebServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(server.url("/to-private"))
    assert result.error_type == "robots_disallowed"
    assert result.final_url == server.url("/private/minutes.html")
    assert "/private/minutes.html" not in [hit.path for hit in server.take_hits()]


def test_missing_robots_txt_allows_everything() -> None:
    with WebServer({"/private/minutes.html": Route(b"<p>open here</p>")}) as bare, Fetcher(FAST) as fetcher:
        assert fetcher.fetch(bare.url("/private/minutes.html")).content == b"<p>open here</p>"
        assert [(hit.path, hit.status) for hit in bare.take_hits()] == [
            ("/robots.txt", 404),
            ("/private/minutes.html", 200),
        ]


def test_robots_txt_kept_between_runs_is_fetched_conditionally(server: WebServer, tmp_path: Path) -> None:
    cache = tmp_path / "robots.json"
    with Fetcher(FAST, robots_cache=cache) as first_run:
        first_run.fetch(server.url("/page.html"))
    with Fetcher(FAST, robots_cache=RobotsCache(cache)) as second_run:
        assert second_run.fetch(server.url("/private/minutes.html")).error_type == "robots_disallowed"
    robots_hits = [hit for hit in server.take_hits() if hit.path == "/robots.txt"]
    assert [hit.status for hit in robots_hits] == [200, 304]


def test_damaged_robots_cache_file_costs_only_an_unconditional_request(server: WebServer, tmp_path: Path) -> None:
    cache = tmp_path / "robots.json"
    cache.write_text("{not json", encoding="utf-8")
    with Fetcher(FAST, robots_cache=cache) as fetcher:
        assert fetcher.fetch(server.url("/private/minutes.html")).error_type == "robots_disallowed"
    robots_hit = server.take_hits()[0]
    assert (robots_hit.path, robots_hit.status, robots_hit.if_none_match) == ("/robots.txt", 200, None)
    assert "Disallow: /private/" in cache.read_text(encoding="utf-8")


def test_robots_txt_server_error_is_transient_and_the_page_waits() -> None:
    routes = {"/robots.txt": Route(ROBOTS, fail_first=1), "/page.html": Route(PAGE)}
    with WebServer(routes) as flaky_robots, Fetcher(FAST) as fetcher:
        with pytest.raises(TransientFetchError) as caught:
            fetcher.fetch(flaky_robots.url("/page.html"))
        assert "robots.txt" in caught.value.message
        assert caught.value.result.url == flaky_robots.url("/page.html")
        assert fetcher.fetch(flaky_robots.url("/page.html")).content == PAGE
        assert [hit.path for hit in flaky_robots.take_hits()] == ["/robots.txt", "/robots.txt", "/page.html"]


def test_server_errors_are_transient_until_the_page_answers(server: WebServer, fetcher: Fetcher) -> None:
    for _ in range(2):
        with pytest.raises(TransientFetchError) as caught:
            fetcher.fetch(server.url("/flaky.html"))
        assert caught.value.error_type == "http_error" and caught.value.transient
        assert caught.value.result.status == 500
    assert fetcher.fetch(server.url("/flaky.html")).content == b"<p>third time lucky</p>"


def test_transient_error_survives_pickling(server: WebServer, fetcher: Fetcher) -> None:
    with pytest.raises(TransientFetchError) as caught:
        fetcher.fetch(server.url("/busy.html"))
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.error_type, copy.message, copy.transient) == ("http_error", "HTTP 429 Too Many Requests", True)
    assert copy.result == caught.value.result


def test_too_many_requests_is_transient(server: WebServer, fetcher: Fetcher) -> None:
    with pytest.raises(TransientFetchError) as caught:
        fetcher.fetch(server.url("/busy.html"))
    assert caught.value.result.status == 429


def test_slow_page_times_out_as_transient(server: WebServer, fetcher: Fetcher) -> None:
    started = time.monotonic()
    with pytest.raises(TransientFetchError) as caught:
        fetcher.fetch(server.url("/slow.html"))
    assert caught.value.error_type == "timeout"
    # the page answers after 8 s and the timeout is 0.4 s: well under 8 s shows the timeout fired,
    # with seconds to spare for a slow machine
    assert time.monotonic() - started < 5.0


def test_redirect_chain_is_followed_to_the_final_url(server: WebServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(server.url("/hop/1"))
    assert result.status == 200 and result.content == PAGE
    assert result.url == server.url("/hop/1") and result.final_url == server.url("/page.html")
    assert [(h.path, h.status) for h in server.take_hits() if h.path != "/robots.txt"] == [
        ("/hop/1", 302),
        ("/hop/2", 301),
        ("/hop/3", 307),
        ("/page.html", 200),
    ]


def test_redirects_beyond_the_limit_fail(server: WebServer) -> None:
    with Fetcher(FetchSettings(max_redirects=2, min_interval_seconds=0.0)) as fetcher:
        result = fetcher.fetch(server.url("/hop/1"))
    assert result.error_type == "too_many_redirects" and not result.transient
    assert result.final_url == server.url("/hop/3")
    assert "/page.html" not in [hit.path for hit in server.take_hits()]


def test_client_errors_are_permanent_results(server: WebServer, fetcher: Fetcher) -> None:
    gone = fetcher.fetch(server.url("/gone.html"))
    assert (gone.error_type, gone.status, gone.transient, gone.content) == ("not_found", 410, False, None)
    missing = fetcher.fetch(server.url("/nowhere.html"))
    assert (missing.error_type, missing.status) == ("not_found", 404)
    forbidden = fetcher.fetch(server.url("/forbidden.html"))
    assert (forbidden.error_type, forbidden.status) == ("http_error", 403)


def test_size_cap_with_and_without_content_length(server: WebServer) -> None:
    with Fetcher(FetchSettings(max_bytes=100_000, min_interval_seconds=0.0)) as fetcher:
        announced = fetcher.fetch(server.url("/big.html"))
        streamed = fetcher.fetch(server.url("/big-unannounced.html"))
        small = fetcher.fetch(server.url("/page.html"))
    assert (announced.error_type, announced.content) == ("too_large", None)
    assert "Content-Length 300000" in announced.message
    assert (streamed.error_type, streamed.content) == ("too_large", None)
    assert small.content == PAGE


def test_content_type_comes_from_the_response_not_the_url(server: WebServer, fetcher: Fetcher) -> None:
    html_at_pdf_url = fetcher.fetch(server.url("/report.pdf"))
    assert html_at_pdf_url.content_type == "text/html"
    pdf_at_query_url = fetcher.fetch(server.url("/download?id=3"))
    assert pdf_at_query_url.content_type == "application/pdf" and pdf_at_query_url.content == PDF
    image = fetcher.fetch(server.url("/chart.png"))
    assert (image.error_type, image.content_type, image.content) == ("unsupported_type", "image/png", None)
    assert fetcher.fetch(server.url("/chart.png"), accept=None).content == b"\x89PNG\r\n\x1a\n"


def test_non_web_urls_are_refused_without_a_request(fetcher: Fetcher) -> None:
    for url in ("ftp://files.example.org/call.pdf", "file:///etc/passwd", "http:///no-host"):
        result = fetcher.fetch(url)
        assert result.error_type == "fetch_failed" and result.status is None and not result.transient


def test_connection_refused_is_transient(fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientFetchError) as caught:
        fetcher.fetch(f"http://127.0.0.1:{port}/page.html")
    assert caught.value.error_type == "fetch_failed" and "robots.txt" in caught.value.message


def test_requests_to_one_host_keep_the_minimum_interval(server: WebServer) -> None:
    with Fetcher(FetchSettings(min_interval_seconds=0.2)) as fetcher:
        for _ in range(3):
            fetcher.fetch(server.url("/page.html"), FetchState())
    starts = [hit.at for hit in server.take_hits()]
    assert len(starts) == 4  # robots.txt, then the page three times
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    assert min(gaps) >= 0.18
    assert starts[-1] - starts[0] < 6.0  # three 0.2 s gaps; only a runaway wait would pass 6 s


def test_rate_limiter_queues_per_host_and_not_across_hosts() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(1.5, clock=lambda: now[0], sleep=sleep)
    assert limiter.wait("a.example.org") == 0.0
    assert limiter.wait("b.example.org") == 0.0
    now[0] += 0.5
    assert limiter.wait("a.example.org") == 1.0
    assert limiter.wait("a.example.org", interval=4.0) == 4.0
    assert slept == [1.0, 4.0]


def test_crawl_delay_above_the_minimum_interval_is_honoured() -> None:
    robots = b"User-agent: fundscope\nCrawl-delay: 1\n"  # whole seconds: urllib.robotparser reads no fractions
    routes = {"/robots.txt": Route(robots, content_type="text/plain"), "/page.html": Route(PAGE)}
    with WebServer(routes) as polite, Fetcher(FAST) as fetcher:
        fetcher.fetch(polite.url("/page.html"))
        fetcher.fetch(polite.url("/page.html"))
        starts = [hit.at for hit in polite.take_hits() if hit.path == "/page.html"]
    assert 0.95 <= starts[1] - starts[0] < 2.0
