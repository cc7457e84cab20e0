"""Web inputs for a run: expand feeds and sitemaps, fetch documents, remember validators.

What a run needs to remember between fetches (ETag / Last-Modified per URL, and the links
of each feed or sitemap, re-checked when the feed itself answers 304) is kept in
`DATA/web/state.json`; fetched bodies are kept content-addressed in `DATA/web/cache/`,
from where the usual loaders read them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from corpus.document import LoadError
from corpus.feeds import MAX_SITEMAP_BYTES, SNIFF_BYTES, feed_links, listing_kind, sitemap_links
from corpus.fetch import DOCUMENT_TYPES, FEED_TYPES, INPUT_TYPES, FetchResult, FetchState, Fetcher
from corpus.sources import PlannedItem

SITEMAP_DEPTH = 2  # sitemap indexes are not supposed to nest; one level of nesting is tolerated
OUTCOMES = ("downloaded", "not modified", "failed")  # what became of each link, in the order reported
OCTET_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})


def is_url(text: str) -> bool:
    """Whether an input names a web address rather than a path."""
    return text.startswith(("http://", "https://"))


@dataclass
class WebMemory:
    """Validators per URL and the remembered links of each feed or sitemap."""

    states: dict[str, dict[str, str | None]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)  # page links of a feed or sitemap
    children: dict[str, list[str]] = field(default_factory=dict)  # child sitemaps of a sitemap index
    kinds: dict[str, str] = field(default_factory=dict)  # "feed" / "sitemap" for URLs found to be one

    @classmethod
    def load(cls, data_dir: Path) -> "WebMemory":
        """The memory saved by earlier runs (empty if none)."""
        path = data_dir / "web" / "state.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls(states=raw.get("states", {}), links=raw.get("links", {}),
                   children=raw.get("children", {}), kinds=raw.get("kinds", {}))

    def save(self, data_dir: Path) -> None:
        """Write the memory atomically (a killed run keeps the previous file)."""
        folder = data_dir / "web"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-state-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"states": self.states, "links": self.links, "children": self.children, "kinds": self.kinds},
                      fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / "state.json")

    def state(self, url: str) -> FetchState | None:
        """Validators for a conditional GET of `url`, if it was fetched before."""
        known = self.states.get(url)
        return FetchState(known.get("etag"), known.get("last_modified")) if known else None

    def forget_listing(self, url: str) -> None:
        """`url` now answers with a document: drop what it listed when it was a feed or sitemap."""
        for table in (self.links, self.children, self.kinds):
            table.pop(url, None)

    def remember(self, result: FetchResult) -> None:
        """Keep the validators of a successful fetch."""
        if result.ok and not result.not_modified:
            self.states[result.url] = {"etag": result.etag, "last_modified": result.last_modified}


def listed_links(fetcher: Fetcher, url: str, memory: WebMemory, kind: str, pattern: str | None = None,
                 depth: int = 0) -> tuple[list[str], list[FetchResult]]:
    """Document URLs a feed or sitemap lists, and the failed fetches met on the way.

    A feed or sitemap answering 304 contributes the links remembered from its last download;
    a sitemap index answering 304 still has its child sitemaps checked (conditionally).
    """
    result = fetcher.fetch(url, memory.state(url), accept=FEED_TYPES)
    return read_listing(fetcher, result, memory, kind, pattern, depth)


def read_listing(fetcher: Fetcher, result: FetchResult, memory: WebMemory, kind: str,
                 pattern: str | None = None, depth: int = 0) -> tuple[list[str], list[FetchResult]]:
    """The links of a feed or sitemap already fetched (`result`), fetching child sitemaps of an index."""
    url = result.url
    failures = [] if result.ok else [result]
    if result.content is not None:
        try:
            if kind == "feed":
                memory.links[url] = feed_links(result.content, result.final_url)
                memory.children.pop(url, None)
            else:
                found = sitemap_links(result.content, result.final_url, pattern)
                memory.links[url] = [link.url for link in found if not link.is_sitemap]
                memory.children[url] = [link.url for link in found if link.is_sitemap]
            memory.kinds[url] = kind
            if is_url(url):
                memory.remember(result)
        except LoadError as exc:
            failures.append(FetchResult(url=url, final_url=result.final_url, status=result.status,
                                        fetched_at=result.fetched_at, error_type=exc.error_type,
                                        message=f"{url}: {exc.message}"))
    links = list(memory.links.get(url, []))
    for child in memory.children.get(url, []) if depth < SITEMAP_DEPTH else []:
        if result.ok:
            more, failed = listed_links(fetcher, child, memory, kind, pattern, depth + 1)
            failures += failed
        else:  # the index itself failed: what its children listed last time
            more = list(memory.links.get(child, []))
        links += more
    return list(dict.fromkeys(links)), failures


@dataclass
class Expansion:
    """What one feed or sitemap named as an input expanded to, for the run summary."""

    source: str
    kind: str  # "feed", "sitemap" or "sitemap index"
    links: list[str]
    sitemaps: int = 0  # child sitemaps of an index
    unchanged: bool = False  # the feed or sitemap itself answered 304
    outcomes: dict[str, int] = field(default_factory=dict)  # "downloaded" / "not modified" / "failed" -> links

    def describe(self) -> str:
        """One line: 'feed URL → 6 items (5 downloaded, 1 failed)'."""
        noun = "item" if self.kind == "feed" else "page"
        text = f"{self.kind} {self.source} → {len(self.links)} {noun}{'' if len(self.links) == 1 else 's'}"
        if self.sitemaps:
            text += f" from {self.sitemaps} sitemap{'' if self.sitemaps == 1 else 's'}"
        parts = [f"{self.outcomes[what]} {what}" for what in OUTCOMES if self.outcomes.get(what)]
        if self.unchanged:
            parts.append(f"{self.kind} unchanged")
        return text + (f" ({', '.join(parts)})" if parts else "")


@dataclass
class Opened:
    """An input URL or file after its first look: a document fetch, or a feed or sitemap expanded."""

    result: FetchResult
    expansion: Expansion | None = None
    failures: list[FetchResult] = field(default_factory=list)


def _may_be_listing(media_type: str | None) -> bool:
    """Whether a body of this media type is worth sniffing for a feed or sitemap root element."""
    return media_type is None or media_type in FEED_TYPES or media_type in OCTET_TYPES


def open_input(fetcher: Fetcher, entry: str, memory: WebMemory) -> Opened:
    """Fetch an input URL (or read a local feed or sitemap file) and expand it if it is a feed or sitemap.

    Whether it is one is decided by its content type and its root element, not by its name; an
    answer that is neither is the document fetch as before (XML that is no feed still refused).
    Raises TransientFetchError as Fetcher.fetch does.
    """
    if not is_url(entry):
        return _open_file(fetcher, entry, memory)
    result = fetcher.fetch(entry, memory.state(entry), accept=INPUT_TYPES)
    kind = None
    if result.not_modified:
        kind = memory.kinds.get(entry)
    elif result.content is not None and _may_be_listing(result.content_type):
        kind = listing_kind(result.content)
    if kind is None:
        if result.content is not None:
            memory.forget_listing(entry)
            if result.content_type is not None and result.content_type not in DOCUMENT_TYPES:
                message = (f"content type {result.content_type} is not one fundscope reads "
                           "(and the body is neither a feed nor a sitemap)")
                result = replace(result, content=None, error_type="unsupported_type", message=message)
        return Opened(result)
    return _expanded(fetcher, result, memory, kind)


def _open_file(fetcher: Fetcher, path: str, memory: WebMemory) -> Opened:
    now = datetime.now(timezone.utc)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SITEMAP_BYTES + 1)
    except OSError as exc:
        failed = FetchResult(url=path, final_url=path, status=None, fetched_at=now, error_type="read_error",
                             message=f"{path}: cannot read: {exc.strerror or exc}", transient=True)
        return Opened(failed)
    result = FetchResult(url=path, final_url=path, status=None, fetched_at=now, content=data)
    kind = listing_kind(data)
    if kind is None:  # changed since it was sniffed: no longer a feed or sitemap
        message = f"{path}: no longer a feed or sitemap; ingest it again to read it as a document"
        return Opened(replace(result, content=None, error_type="unsupported_type", message=message))
    return _expanded(fetcher, result, memory, kind)


def _expanded(fetcher: Fetcher, result: FetchResult, memory: WebMemory, kind: str) -> Opened:
    links, failures = read_listing(fetcher, result, memory, kind)
    url = result.url
    children = len(memory.children.get(url, []))
    label = "feed" if kind == "feed" else ("sitemap index" if children else "sitemap")
    expansion = Expansion(url, label, links, sitemaps=children, unchanged=result.not_modified)
    return Opened(result, expansion, failures)


def is_listing_file(path: str) -> bool:
    """Whether a local file named as an input is a feed or sitemap (by its root element)."""
    try:
        if not os.path.isfile(path):
            return False
        with open(path, "rb") as fh:
            return listing_kind(fh.read(SNIFF_BYTES)) is not None
    except OSError:
        return False  # the usual discovery reports it


def cache_body(data_dir: Path, content: bytes) -> tuple[str, str]:
    """Store a fetched body content-addressed; returns (doc_id, path)."""
    doc_id = hashlib.sha256(content).hexdigest()
    folder = data_dir / "web" / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / doc_id
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    return doc_id, str(path)


def fetch_metadata(result: FetchResult) -> dict[str, Any]:
    """The fetch columns of a `documents` row."""
    return {"http_status": result.status, "etag": result.etag, "last_modified": result.last_modified,
            "fetched_at": result.fetched_at, "final_url": result.final_url}


def planned_from_fetch(data_dir: Path, result: FetchResult) -> PlannedItem:
    """A fetched body as an input for the usual batch processing."""
    assert result.content is not None
    doc_id, path = cache_body(data_dir, result.content)
    return PlannedItem(result.url, path, doc_id, len(result.content), fetch=fetch_metadata(result))
