"""`open_input` on URLs served by the local test site: feeds and sitemaps expanded, documents left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from corpus.fetch import FetchSettings, Fetcher
from corpus.web import WebMemory, open_input
from tests.corpus.webserver import WebServer, bare_listing_routes, fill_base

SETTINGS = FetchSettings(timeout_seconds=0.3, min_interval_seconds=0.0)


@pytest.fixture()
def site() -> Iterator[WebServer]:
    with WebServer(bare_listing_routes()) as server:
        fill_base(server)
        yield server


def paths(server: WebServer, urls: list[str]) -> list[str]:
    return [u.removeprefix(server.url("")) for u in urls]


def test_feed_served_as_text_xml_is_expanded(site: WebServer, tmp_path: Path) -> None:
    memory = WebMemory()
    with Fetcher(SETTINGS, robots_cache=tmp_path / "robots.json") as fetcher:
        opened = open_input(fetcher, site.url("/feed.xml"), memory)
    assert opened.expansion is not None and opened.expansion.kind == "feed"
    # robots.txt is applied when the items are fetched, not when the feed is read
    assert paths(site, opened.expansion.links) == ["/pages/a.html", "/pages/b.html", "/private/secret.html",
                                                   "/docs/call.pdf"]
    assert opened.failures == []
    assert memory.kinds == {site.url("/feed.xml"): "feed"}


def test_rss_content_type_that_failed_before_is_now_a_feed(site: WebServer, tmp_path: Path) -> None:
    with Fetcher(SETTINGS, robots_cache=tmp_path / "robots.json") as fetcher:
        opened = open_input(fetcher, site.url("/feed.rss"), WebMemory())
    assert opened.result.error_type is None
    assert opened.expansion is not None and len(opened.expansion.links) == 4


def test_extensionless_sitemap_and_index_with_gzipped_child(site: WebServer, tmp_path: Path) -> None:
    with Fetcher(SETTINGS, robots_cache=tmp_path / "robots.json") as fetcher:
        plain = open_input(fetcher, site.url("/sitemap"), WebMemory())
        index = open_input(fetcher, site.url("/sitemap-index.xml"), WebMemory())
    assert plain.expansion is not None and plain.expansion.kind == "sitemap"
    assert paths(site, plain.expansion.links) == ["/pages/c.html", "/pages/d.txt", "/private/secret.html"]
    assert index.expansion is not None and index.expansion.kind == "sitemap index"
    assert index.expansion.sitemaps == 2
    assert paths(site, index.expansion.links) == ["/pages/c.html", "/pages/d.txt", "/private/secret.html",
                                                  "/pages/a.html"]


def test_plain_xml_is_refused_as_before_and_html_is_a_document(site: WebServer, tmp_path: Path) -> None:
    with Fetcher(SETTINGS, robots_cache=tmp_path / "robots.json") as fetcher:
        catalog = open_input(fetcher, site.url("/catalog.xml"), WebMemory())
        page = open_input(fetcher, site.url("/pages/a.html"), WebMemory())
    assert catalog.expansion is None
    assert catalog.result.error_type == "unsupported_type"
    assert "application/xml" in (catalog.result.message or "")
    assert page.expansion is None and page.result.content and page.result.error_type is None


def test_index_answering_304_still_checks_its_children(site: WebServer, tmp_path: Path) -> None:
    """A child sitemap can change while the index stays the same: its new page must still be found."""
    memory = WebMemory()
    index = site.url("/sitemap-index.xml")
    with Fetcher(SETTINGS, robots_cache=tmp_path / "robots.json") as fetcher:
        open_input(fetcher, index, memory)
    assert all(memory.states[site.url(p)]["etag"] for p in ("/sitemap-index.xml", "/sitemap", "/sitemap-news.xml.gz"))
    body = site.routes["/sitemap"].body.replace(b"</urlset>",
                                                f"<url><loc>{site.url('/pages/b.html')}</loc></url></urlset>".encode())
    site.set_body("/sitemap", body)
    site.take_hits()
    with Fetcher(SETTINGS, robots_cache=tmp_path / "robots.json") as fetcher:
        again = open_input(fetcher, index, memory)
    hits = {h.path: h.status for h in site.take_hits() if h.path != "/robots.txt"}
    assert hits == {"/sitemap-index.xml": 304, "/sitemap": 200, "/sitemap-news.xml.gz": 304}
    assert again.expansion is not None and again.expansion.unchanged
    assert "/pages/b.html" in paths(site, again.expansion.links)
