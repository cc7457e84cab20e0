"""`ingest` given a bare feed or sitemap URL (or a local feed file): expanded like a named source.

Against the local test site: the first run ingests every item robots.txt allows, the second
downloads nothing (every request answered 304) and adds no document rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from corpus.query import run_query
from corpus.store import Store
from tests.corpus.webserver import BARE, PAGE_C, WebServer, bare_listing_routes, fill_base


@pytest.fixture()
def site() -> Iterator[WebServer]:
    with WebServer(bare_listing_routes()) as server:
        fill_base(server)
        yield server


def fast_fetch(tmp_path: Path) -> str:
    """A sources file whose [fetch] table leaves no pause between requests to the test host."""
    path = tmp_path / "fundscope.toml"
    path.write_text("[fetch]\ntimeout_seconds = 2.0\nmin_interval_seconds = 0.0\n\n"
                    f'[sources.unused]\nkind = "path"\npaths = ["{tmp_path}"]\n', encoding="utf-8")
    return str(path)


def q(data: Path, sql: str) -> list[tuple]:
    return run_query(Store(data), sql)[1]


def stored(data: Path, site: WebServer) -> set[str]:
    return {s.removeprefix(site.url("")) for (s,) in q(data, "select source from documents")}


def errors(data: Path, site: WebServer) -> set[tuple[str, str, str]]:
    rows = q(data, "select source, stage, error_type from errors")
    return {(s.removeprefix(site.url("")), stage, t) for s, stage, t in rows}


def test_bare_feed_url_first_run_ingests_allowed_items_second_downloads_nothing(
        prefect_api: str, site: WebServer, tmp_path: Path) -> None:
    from flows.ingest import ingest

    feed = site.url("/feed.xml")  # RSS served as text/xml
    data = tmp_path / "data"
    run = dict(paths=[feed], data_dir=str(data), config=fast_fetch(tmp_path))

    first = ingest(**run)
    assert stored(data, site) == {"/pages/a.html", "/pages/b.html", "/docs/call.pdf"}
    assert first.stats.new == 3
    assert errors(data, site) == {("/private/secret.html", "fetch", "robots_disallowed")}
    assert "/private/secret.html" not in {h.path for h in site.take_hits()}
    assert first.expanded == [f"feed {feed} → 4 items (3 downloaded, 1 failed)"]
    assert q(data, "select count(*) from documents where fetched_at is null or http_status <> 200") == [(0,)]
    rows = q(data, "select count(*) from documents_all")

    second = ingest(**run)
    hits = site.take_hits()
    assert hits and {h.status for h in hits} == {304}  # robots.txt, the feed and its items: no body sent
    assert second.stats.new == 0 and second.unchanged == 3
    assert q(data, "select count(*) from documents_all") == rows
    assert second.expanded == [f"feed {feed} → 4 items (3 not modified, 1 failed, feed unchanged)"]


def test_bare_sitemap_without_extension_and_a_sitemap_index(prefect_api: str, site: WebServer,
                                                             tmp_path: Path) -> None:
    from flows.ingest import ingest

    config = fast_fetch(tmp_path)
    plain = ingest(paths=[site.url("/sitemap")], data_dir=str(tmp_path / "plain"), config=config)
    assert stored(tmp_path / "plain", site) == {"/pages/c.html", "/pages/d.txt"}
    assert plain.expanded == [f"sitemap {site.url('/sitemap')} → 3 pages (2 downloaded, 1 failed)"]

    index = site.url("/sitemap-index.xml")  # children: /sitemap and a gzipped /sitemap-news.xml.gz
    data = tmp_path / "index"
    first = ingest(paths=[index], data_dir=str(data), config=config)
    assert stored(data, site) == {"/pages/c.html", "/pages/d.txt", "/pages/a.html"}
    assert errors(data, site) == {("/private/secret.html", "fetch", "robots_disallowed")}
    assert first.expanded == [f"sitemap index {index} → 4 pages from 2 sitemaps (3 downloaded, 1 failed)"]
    rows = q(data, "select count(*) from documents_all")
    site.take_hits()

    second = ingest(paths=[index], data_dir=str(data), config=config)
    assert {h.status for h in site.take_hits()} == {304}
    assert second.stats.new == 0
    assert q(data, "select count(*) from documents_all") == rows


def test_documents_and_plain_xml_next_to_a_feed_are_handled_as_before(prefect_api: str, site: WebServer,
                                                                     tmp_path: Path) -> None:
    from flows.ingest import ingest

    # a real page, so that once fetched (third try, Prefect task retries) it also loads
    site.routes["/flaky.html"].body = PAGE_C.replace(b"</body>", b"<p>Served on the third attempt.</p></body>")
    data = tmp_path / "data"
    page, feed, catalog = site.url("/pages/a.html"), site.url("/feed.rss"), site.url("/catalog.xml")
    summary = ingest(paths=[page, feed, catalog], data_dir=str(data), config=fast_fetch(tmp_path))
    # /pages/a.html is named and listed in the feed (twice): fetched once
    assert [h.path for h in site.take_hits()].count("/pages/a.html") == 1
    assert stored(data, site) == {"/pages/a.html", "/flaky.html", "/docs/call.pdf"}
    assert errors(data, site) == {("/private/secret.html", "fetch", "robots_disallowed"),
                                  ("/catalog.xml", "fetch", "unsupported_type")}
    assert summary.expanded == [f"feed {feed} → 4 items (3 downloaded, 1 failed)"]  # a.html counts once, for both


def test_local_feed_file_has_its_items_fetched(prefect_api: str, site: WebServer, tmp_path: Path) -> None:
    from flows.ingest import ingest

    local = tmp_path / "agency-feed.xml"
    local.write_bytes((BARE / "feed.xml").read_bytes().replace(b"{BASE}", site.url("").encode()))
    plain = tmp_path / "catalog.xml"
    plain.write_bytes((BARE / "catalog.xml").read_bytes())
    data = tmp_path / "data"
    summary = ingest(paths=[str(local), str(plain)], data_dir=str(data), config=fast_fetch(tmp_path))
    assert stored(data, site) == {"/pages/a.html", "/pages/b.html", "/docs/call.pdf"}
    assert summary.expanded == [f"feed {local} → 4 items (3 downloaded, 1 failed)"]
    # XML that is no feed is still refused by the loaders, as before
    assert errors(data, site) == {("/private/secret.html", "fetch", "robots_disallowed"),
                                  (str(plain), "load", "unsupported_type")}


def test_cli_summary_says_what_the_feed_expanded_to(prefect_api: str, site: WebServer, tmp_path: Path) -> None:
    from flows.cli import app

    feed = site.url("/feed.xml")
    result = CliRunner().invoke(app, ["ingest", feed, "--data", str(tmp_path / "data"), "-q", "--workers", "1",
                                      "--config", fast_fetch(tmp_path)],
                                env={"PREFECT_API_URL": prefect_api}, terminal_width=250)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if feed in line)
    cells = " ".join(line.replace("│", " ").replace("|", " ").split())  # the table row without its borders
    assert cells == f"feed {feed} → 4 items (3 downloaded, 1 failed)", line
