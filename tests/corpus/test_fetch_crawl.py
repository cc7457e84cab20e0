"""Three crawls of a local site through feeds, a sitemap index and robots.txt, as `fundscope ingest` will run them.

First run: exactly the allowed documents arrive. Second run: nothing is downloaded (every
request is answered 304, is a redirect hop, or is skipped). Third run: only the changed page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from corpus.feeds import feed_links, sitemap_links
from corpus.fetch import DOCUMENT_TYPES, FEED_TYPES, FetchResult, FetchSettings, FetchState, Fetcher, TransientFetchError
from tests.corpus.webserver import PAGE_B, PAGE_C, PDF, TEXT_D, PAGE_A, WebServer, site_routes

SETTINGS = FetchSettings(timeout_seconds=0.3, min_interval_seconds=0.0)
ATTEMPTS = 3  # what the lead's Prefect task retries will give a transient failure


@dataclass
class Memory:
    """What the store keeps between runs: validators per URL and the links of each feed or sitemap."""

    states: dict[str, FetchState] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)


def fetch_with_retries(fetcher: Fetcher, url: str, memory: Memory, accept: frozenset[str] = DOCUMENT_TYPES) -> FetchResult:
    for _ in range(ATTEMPTS):
        try:
            result = fetcher.fetch(url, memory.states.get(url), accept=accept)
        except TransientFetchError as exc:
            result = exc.result
            continue
        if result.ok:
            memory.states[url] = result.state
        return result
    return result


def listed(fetcher: Fetcher, url: str, memory: Memory, read: object) -> list[str]:
    """Links of a feed or sitemap: parsed when it was downloaded, remembered when it answered 304."""
    result = fetch_with_retries(fetcher, url, memory, FEED_TYPES)
    if result.content is not None:
        memory.links[url] = read(result.content, result.final_url)
    return memory.links.get(url, [])


def crawl(base: str, memory: Memory, robots_cache: Path) -> dict[str, FetchResult]:
    """One run over the three web sources; returns the document results by URL."""
    with Fetcher(SETTINGS, robots_cache=robots_cache) as fetcher:
        urls = listed(fetcher, f"{base}/feed.rss", memory, feed_links)
        urls += listed(fetcher, f"{base}/feed.atom", memory, feed_links)
        index = f"{base}/sitemap.xml"
        for child in listed(fetcher, index, memory, lambda d, u: [link.url for link in sitemap_links(d, u)]):
            urls += listed(fetcher, child, memory, lambda d, u: [link.url for link in sitemap_links(d, u, r"/pages/")])
        return {url: fetch_with_retries(fetcher, url, memory) for url in dict.fromkeys(urls)}


@pytest.fixture()
def site() -> Iterator[WebServer]:
    routes = site_routes()
    with WebServer(routes) as server:
        for route in routes.values():
            route.body = route.body.replace(b"{BASE}", server.url("").encode())
        yield server


def test_three_runs_fetch_allowed_then_nothing_then_the_changed_page(site: WebServer, tmp_path: Path) -> None:
    memory = Memory()
    robots_cache = tmp_path / "robots.json"

    first = crawl(site.url(""), memory, robots_cache)
    downloaded = {url.removeprefix(site.url("")): r.content for url, r in first.items() if r.content is not None}
    assert downloaded == {
        "/pages/a.html": PAGE_A,
        "/flaky.html": b"<p>answers on the third try</p>",
        "/docs/call.pdf": PDF,
        "/pages/b.html": PAGE_B,
        "/redirect/1": PAGE_C,
        "/pages/d.txt": TEXT_D,
    }
    assert first[site.url("/redirect/1")].final_url == site.url("/pages/c.html")
    assert first[site.url("/private/secret.html")].error_type == "robots_disallowed"
    assert first[site.url("/slow.html")].error_type == "timeout"
    assert site.url("/other/e.html") not in first
    hits = site.take_hits()
    assert "/private/secret.html" not in {hit.path for hit in hits}
    assert [hit.status for hit in hits if hit.path == "/flaky.html"] == [500, 500, 200]

    second = crawl(site.url(""), memory, robots_cache)
    assert all(r.content is None for r in second.values())
    assert {url for url, r in second.items() if r.not_modified} == {
        site.url(path)
        for path in ("/pages/a.html", "/flaky.html", "/docs/call.pdf", "/pages/b.html", "/redirect/1", "/pages/d.txt")
    }
    hits = site.take_hits()
    answered = [(hit.path, hit.status) for hit in hits if hit.path != "/slow.html" and hit.status not in (301, 302)]
    assert {status for _, status in answered} == {304}
    assert len(answered) == 11  # robots.txt, 2 feeds, 2 sitemaps, 6 documents: each asked once
    assert [hit.status for hit in hits if hit.path == "/slow.html"] == [200] * ATTEMPTS  # all answered too late

    site.set_body("/pages/b.html", PAGE_B.replace(b"</body>", b"<p>Deadline extended to 14 March.</p></body>"))
    third = crawl(site.url(""), memory, robots_cache)
    changed = {url.removeprefix(site.url("")) for url, r in third.items() if r.content is not None}
    assert changed == {"/pages/b.html"}
    assert b"Deadline extended to 14 March." in third[site.url("/pages/b.html")].content
