"""Telling a feed or sitemap from other XML by its root element, whatever its name or encoding."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from corpus.feeds import listing_kind

DATA = Path(__file__).resolve().parents[1] / "data" / "web"


@pytest.mark.parametrize(("name", "kind"), [
    ("rss2.xml", "feed"),
    ("atom.xml", "feed"),
    ("rss1.rdf", "feed"),
    ("sitemap_index.xml", "sitemap"),
    ("sitemap_urlset.xml", "sitemap"),
    ("bare/sitemap", "sitemap"),  # no extension
    ("bare/feed.xml", "feed"),  # a comment before the root
    ("bare/catalog.xml", None),  # well-formed XML, neither
    ("not_a_feed.xhtml", None),
])
def test_fixture_files(name: str, kind: str | None) -> None:
    assert listing_kind((DATA / name).read_bytes()) == kind


@pytest.mark.parametrize(("data", "kind"), [
    (b'<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?>\n<!-- news -->\n<rss version="2.0"/>', "feed"),
    (b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd">\n<rss version="0.91"/>', "feed"),
    (b'\xef\xbb\xbf<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "sitemap"),
    ('<feed xmlns="http://www.w3.org/2005/Atom"/>'.encode("utf-16"), "feed"),  # with a byte-order mark
    ('<sitemapindex/>'.encode("utf-16-le"), "sitemap"),  # without one
    (b'<a:feed xmlns:a="http://www.w3.org/2005/Atom"/>', "feed"),
    (b'<feed><entry/></feed>', None),  # "feed" outside the Atom namespace
    (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', None),  # RDF, but no RSS 1.0
    (b'<html><body><rss/></body></html>', None),
    (b'%PDF-1.7\n<rss>', None),
    (b'plain text mentioning <rss> later', None),
    (b'', None),
])
def test_root_element_decides(data: bytes, kind: str | None) -> None:
    assert listing_kind(data) == kind


def test_gzipped_sitemap_and_truncated_gzip() -> None:
    body = gzip.compress((DATA / "sitemap_urlset.xml").read_bytes())
    assert listing_kind(body) == "sitemap"
    assert listing_kind(body[: len(body) // 2]) == "sitemap"  # only the head is inflated
    assert listing_kind(b"\x1f\x8b" + b"\x00" * 30) is None  # not really gzip
