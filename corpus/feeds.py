"""The links in RSS / Atom feeds and XML sitemaps, read with entity expansion refused."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree.ElementTree import Element

from corpus.document import LoadError
from corpus.loaders.xml_safety import parse_xml_safely

ATOM_NS = "http://www.w3.org/2005/Atom"
RSS1_NS = "http://purl.org/rss/1.0/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
PDF_TYPES = {"application/pdf", "application/x-pdf"}
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one uncompressed sitemap
SNIFF_BYTES = 64 * 1024  # enough for the XML declaration, comments, a DOCTYPE and the root start tag
# What may come before the root element: a byte-order mark, whitespace, the XML declaration,
# processing instructions, comments and a DOCTYPE without an internal subset.
_PROLOGUE = re.compile(r"(?:[\s\ufeff]+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*>)*", re.S | re.I)
_START_TAG = re.compile(r"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)([^>]*)>", re.S)


@dataclass(frozen=True)
class SitemapLink:
    """A URL listed in a sitemap; `is_sitemap` marks a child of a sitemap index, to fetch and read in turn."""

    url: str
    is_sitemap: bool = False
    lastmod: str | None = None


def feed_links(data: bytes, base_url: str) -> list[str]:
    """The pages and PDF enclosures an RSS (0.9x/1.0/2.0) or Atom feed links to, in feed order.

    Raises LoadError: unsafe_xml, corrupt_xml, or unsupported_type when the XML is no feed.
    """
    root = parse_xml_safely(data)
    name = _local(root.tag)
    if name == "feed" and _namespace(root.tag) == ATOM_NS:
        links = _atom_links(root, urljoin(base_url, root.get(XML_BASE, "")))
    elif name in ("rss", "RDF"):
        links = _rss_links(root, base_url)
    else:
        raise LoadError("unsupported_type", f"root element <{name}> is neither an RSS nor an Atom feed")
    return _unique_web_urls(links)


def sitemap_links(data: bytes, base_url: str, pattern: str | None = None) -> list[SitemapLink]:
    """The URLs of a sitemap (pages kept only when `pattern` is searched in them) or of a sitemap index.

    Gzipped sitemaps are accepted. Raises LoadError: unsafe_xml, corrupt_xml, too_large, or
    unsupported_type when the XML is neither a urlset nor a sitemapindex.
    """
    root = parse_xml_safely(_gunzip(data) if data[:2] == b"\x1f\x8b" else data, max_bytes=MAX_SITEMAP_BYTES)
    name = _local(root.tag)
    if name not in ("urlset", "sitemapindex"):
        raise LoadError("unsupported_type", f"root element <{name}> is neither a sitemap urlset nor a sitemapindex")
    is_index = name == "sitemapindex"
    wanted = re.compile(pattern) if pattern is not None else None
    links: list[SitemapLink] = []
    seen: set[str] = set()
    for entry in root:
        if _local(entry.tag) != ("sitemap" if is_index else "url"):
            continue
        loc = _child_text(entry, "loc")
        url = _web_url(base_url, loc) if loc else None
        if url is None or url in seen:
            continue
        if not is_index and wanted is not None and not wanted.search(url):
            continue
        seen.add(url)
        links.append(SitemapLink(url=url, is_sitemap=is_index, lastmod=_child_text(entry, "lastmod")))
    return links


def listing_kind(data: bytes) -> str | None:
    """'feed' (RSS or Atom) or 'sitemap' (urlset or sitemapindex) judged from the root element, else None.

    Only the first bytes are read (gzipped ones are inflated first), so a large document costs
    nothing here; the full, safe parse happens when its links are read.
    """
    head = _head_text(data)
    if head is None:
        return None
    start = _START_TAG.match(head, _PROLOGUE.match(head).end())
    if start is None:
        return None
    name, attributes = start.group(1), start.group(2)
    local = name.rsplit(":", 1)[-1]
    if local == "rss" or (local == "RDF" and RSS1_NS in attributes):
        return "feed"
    if local == "feed" and ATOM_NS in attributes:
        return "feed"
    if local in ("urlset", "sitemapindex"):
        return "sitemap"
    return None


def _head_text(data: bytes) -> str | None:
    head = data[:SNIFF_BYTES]
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(data[:SNIFF_BYTES], SNIFF_BYTES)
        except zlib.error:
            return None
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="replace")
    if head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a byte-order mark
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="replace")
    # tags are ASCII in every ASCII-compatible encoding, so latin-1 is enough to find the root
    return head.decode("latin-1")


def _rss_links(root: Element, base_url: str) -> list[str]:
    links: list[str] = []
    for item in root.iter():
        if _local(item.tag) != "item":
            continue
        link = None
        for child in item:
            if _local(child.tag) == "link" and _namespace(child.tag) in ("", RSS1_NS) and (child.text or "").strip():
                link = child.text.strip()
                break
        if link is None:
            link = _permalink_guid(item)
        if link is not None:
            links.append(urljoin(base_url, link))
        for child in item:
            if _local(child.tag) == "enclosure" and _is_pdf(child.get("url"), child.get("type")):
                links.append(urljoin(base_url, child.get("url", "")))
    return links


def _permalink_guid(item: Element) -> str | None:
    for child in item:
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true").lower() != "false":
            text = (child.text or "").strip()
            return text if text.startswith(("http://", "https://")) else None
    return None


def _atom_links(feed: Element, base_url: str) -> list[str]:
    links: list[str] = []
    for entry in feed.iter(f"{{{ATOM_NS}}}entry"):
        base = urljoin(base_url, entry.get(XML_BASE, ""))
        alternate = None
        enclosures = []
        for link in entry.findall(f"{{{ATOM_NS}}}link"):
            href, rel = link.get("href"), link.get("rel", "alternate")
            if not href:
                continue
            if rel == "alternate" and alternate is None:
                alternate = urljoin(base, href)
            elif rel == "enclosure" and _is_pdf(href, link.get("type")):
                enclosures.append(urljoin(base, href))
        links.extend(([alternate] if alternate else []) + enclosures)
    return links


def _is_pdf(url: str | None, media_type: str | None) -> bool:
    if not url:
        return False
    if media_type:
        return media_type.split(";", 1)[0].strip().lower() in PDF_TYPES
    return urlsplit(url).path.lower().endswith(".pdf")


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise LoadError("corrupt_xml", f"the gzipped sitemap cannot be decompressed ({exc})") from exc
    if len(out) > MAX_SITEMAP_BYTES:
        raise LoadError("too_large", f"the gzipped sitemap expands past {MAX_SITEMAP_BYTES:,} bytes")
    return out


def _unique_web_urls(links: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for link in links:
        url = _web_url("", link)
        if url is not None and url not in seen:
            seen.add(url)
            kept.append(url)
    return kept


def _web_url(base_url: str, link: str) -> str | None:
    """`link` made absolute and without fragment, or None when it is not an http(s) URL."""
    url = urldefrag(urljoin(base_url, link.strip()))[0]
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
