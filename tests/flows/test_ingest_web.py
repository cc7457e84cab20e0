"""`ingest` over feeds, a sitemap and URLs served on 127.0.0.1: allowed documents, then 304s, then a new version."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from corpus.query import run_query
from corpus.store import Store
from tests.corpus.webserver import PAGE_B, PAGE_C, Route, WebServer, site_routes

ALLOWED = {"/pages/a.html", "/flaky.html", "/docs/call.pdf", "/pages/b.html", "/redirect/1", "/pages/d.txt"}


@pytest.fixture()
def site() -> Iterator[WebServer]:
    routes = site_routes()
    # a real page, so that once fetched (third try) it also loads
    routes["/flaky.html"] = Route(PAGE_C.replace(b"</body>", b"<p>Served on the third attempt.</p></body>"), fail_first=2)
    with WebServer(routes) as server:
        for route in routes.values():
            route.body = route.body.replace(b"{BASE}", server.url("").encode())
        yield server


def sources_file(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "fundscope.toml"
    path.write_text(f"""
[fetch]
timeout_seconds = 0.3
min_interval_seconds = 0.0

[sources.news-rss]
kind = "feed"
feed = "{base}/feed.rss"

[sources.news-atom]
kind = "feed"
feed = "{base}/feed.atom"

[sources.site-calls]
kind = "sitemap"
sitemap = "{base}/sitemap.xml"
url_pattern = "/pages/"
schedule = "0 6 * * *"
""", encoding="utf-8")
    return path


def q(data: Path, sql: str) -> list[tuple]:
    return run_query(Store(data), sql)[1]


def test_web_sources_ingest_then_cost_only_304s_then_pick_up_a_change(prefect_api: str, site: WebServer,
                                                                       tmp_path: Path) -> None:
    from flows.ingest import ingest

    config = sources_file(tmp_path, site.url(""))
    data = tmp_path / "data"
    run = dict(paths=[], data_dir=str(data), sources=["news-rss", "news-atom", "site-calls"], config=str(config))

    first = ingest(**run)
    sources = {s.removeprefix(site.url("")) for (s,) in q(data, "select source from documents")}
    assert sources == ALLOWED
    assert first.stats.new == len(ALLOWED)
    errors = {s.removeprefix(site.url("")): (stage, t) for s, stage, t in q(data, "select source, stage, error_type from errors")}
    assert errors == {"/private/secret.html": ("fetch", "robots_disallowed"), "/slow.html": ("fetch", "timeout")}
    hits = site.take_hits()
    assert "/private/secret.html" not in {h.path for h in hits}
    assert [h.status for h in hits if h.path == "/flaky.html"] == [500, 500, 200]  # Prefect task retries
    redirected = q(data, f"select final_url, http_status from documents where source = '{site.url('/redirect/1')}'")
    assert redirected == [(site.url("/pages/c.html"), 200)]
    assert q(data, "select count(*) from documents where fetched_at is null") == [(0,)]

    second = ingest(**run)
    assert second.stats.new == 0
    assert second.unchanged == len(ALLOWED)
    answered = {(h.path, h.status) for h in site.take_hits() if h.path != "/slow.html" and h.status not in (301, 302)}
    assert {status for _, status in answered} == {304}
    assert q(data, "select count(*) from documents_all") == [(len(ALLOWED),)]

    site.set_body("/pages/b.html", PAGE_B.replace(b"</article>", b"<p>Deadline extended to 14 March.</p></article>"))
    third = ingest(**run)
    assert third.stats.new == 1
    b = site.url("/pages/b.html")
    assert q(data, f"select count(*) from documents_all where source = '{b}'") == [(2,)]
    assert "Deadline extended to 14 March." in q(data, f"select text from documents where source = '{b}'")[0][0]
