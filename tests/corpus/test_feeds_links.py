"""Links read from RSS, Atom and sitemap fixtures, and refusals of unsafe or malformed XML."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from corpus import feeds
from corpus.document import LoadError
from corpus.feeds import SitemapLink, feed_links, sitemap_links

WEB = Path(__file__).resolve().parents[1] / "data" / "web"


def read(name: str) -> bytes:
    return (WEB / name).read_bytes()


def test_rss2_items_pdf_enclosures_and_permalink_guids() -> None:
    links = feed_links(read("rss2.xml"), "https://funder.example.org/feeds/news.rss")
    assert links == [
        "https://funder.example.org/calls/2026-quantum-joint-call.html",
        "https://funder.example.org/files/quantum-call-text.pdf",
        "https://funder.example.org/news/partner-funding-update",
        "https://funder.example.org/news/123",
        "https://funder.example.org/files/Guidelines-2026.PDF",
    ]


def test_atom_alternates_and_pdf_enclosures_resolved_against_xml_base() -> None:
    links = feed_links(read("atom.xml"), "https://agency.example.net/en/feed.atom")
    assert links == [
        "https://agency.example.net/en/calls/bilateral-2026",
        "https://agency.example.net/media/guide.pdf",
        "https://agency.example.net/en/news/lead-agency",
        "https://agency.example.net/en/news/two-languages",
    ]


def test_rss1_rdf_items() -> None:
    links = feed_links(read("rss1.rdf"), "https://council.example.org/rss")
    assert links == ["https://council.example.org/news/common-pot", "https://council.example.org/news/matching"]


def test_sitemap_index_gives_child_sitemaps_flagged() -> None:
    links = sitemap_links(read("sitemap_index.xml"), "https://research.example.gov/sitemap.xml", pattern="/calls/")
    assert links == [
        SitemapLink("https://research.example.gov/sitemap-calls.xml", is_sitemap=True, lastmod="2026-11-02"),
        SitemapLink("https://research.example.gov/sitemap-news.xml.gz", is_sitemap=True, lastmod=None),
    ]


def test_sitemap_urlset_with_and_without_pattern() -> None:
    data = read("sitemap_urlset.xml")
    base = "https://research.example.gov/sitemap-calls.xml"
    assert [link.url for link in sitemap_links(data, base)] == [
        "https://research.example.gov/en/calls/joint-call-korea-2026",
        "https://research.example.gov/en/calls/direct-partner-grants",
        "https://research.example.gov/en/about",
        "https://research.example.gov/en/news/partner-countries",
    ]
    assert sitemap_links(data, base, pattern=r"/calls/") == [
        SitemapLink("https://research.example.gov/en/calls/joint-call-korea-2026", lastmod="2026-10-15T09:00:00+00:00"),
        SitemapLink("https://research.example.gov/en/calls/direct-partner-grants"),
    ]


def test_gzipped_sitemap_is_read() -> None:
    data = gzip.compress(read("sitemap_urlset.xml"))
    links = sitemap_links(data, "https://research.example.gov/s.xml.gz", pattern="partner")
    assert [link.url for link in links] == [
        "https://research.example.gov/en/calls/direct-partner-grants",
        "https://research.example.gov/en/news/partner-countries",
    ]


def test_gzip_bomb_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_SITEMAP_BYTES", 2000)
    data = gzip.compress(b"<urlset>" + b" " * 50_000 + b"</urlset>")
    with pytest.raises(LoadError) as caught:
        sitemap_links(data, "https://research.example.gov/s.xml.gz")
    assert caught.value.error_type == "too_large"


def test_billion_laughs_is_refused_not_expanded() -> None:
    with pytest.raises(LoadError) as caught:
        feed_links(read("billion_laughs.xml"), "https://funder.example.org/rss")
    assert caught.value.error_type == "unsafe_xml"


def test_malformed_feed_is_corrupt_xml() -> None:
    with pytest.raises(LoadError) as caught:
        feed_links(read("broken.xml"), "https://funder.example.org/rss")
    assert caught.value.error_type == "corrupt_xml"


def test_xhtml_page_is_not_a_feed_nor_a_sitemap() -> None:
    with pytest.raises(LoadError) as caught:
        feed_links(read("not_a_feed.xhtml"), "https://funder.example.org/calls")
    assert caught.value.error_type == "unsupported_type"
    assert "<html>" in caught.value.message
    with pytest.raises(LoadError) as caught:
        sitemap_links(read("rss2.xml"), "https://funder.example.org/sitemap.xml")
    assert caught.value.error_type == "unsupported_type"
    assert "<rss>" in caught.value.message
