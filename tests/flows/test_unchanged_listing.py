"""A named local feed or sitemap file always goes through the flow: its items may have changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.unchanged import is_local_listing

BARE = Path(__file__).resolve().parents[1] / "data" / "web" / "bare"
SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"


@pytest.mark.parametrize("name", ["feed.xml", "sitemap", "sitemap-index.xml"])
def test_feeds_and_sitemaps_are_listing_files(name: str) -> None:
    assert is_local_listing(str(BARE / name))


def test_other_xml_documents_and_folders_are_not(tmp_path: Path) -> None:
    assert not is_local_listing(str(BARE / "catalog.xml"))
    assert not is_local_listing(str(SAMPLES))
    assert not is_local_listing(str(tmp_path / "missing.xml"))
    html = tmp_path / "page.html"
    html.write_text("<!DOCTYPE html><html><body><rss>not a feed</rss></body></html>", encoding="utf-8")
    assert not is_local_listing(str(html))
    renamed = tmp_path / "news.txt"  # a feed under a document's name is still a feed
    shutil.copy(BARE / "feed.xml", renamed)
    assert is_local_listing(str(renamed))
