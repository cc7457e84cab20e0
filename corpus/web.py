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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.feeds import feed_links, sitemap_links
from corpus.fetch import FEED_TYPES, FetchResult, FetchState, Fetcher
from corpus.sources import PlannedItem

SITEMAP_DEPTH = 2  # sitemap indexes are not supposed to nest; one level of nesting is tolerated


def is_url(text: str) -> bool:
    """Whether an input names a web address rather than a path."""
    return text.startswith(("http://", "https://"))


@dataclass
class WebMemory:
    """Validators per URL and the remembered links of each feed or sitemap."""

    states: dict[str, dict[str, str | None]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: Path) -> "WebMemory":
        """The memory saved by earlier runs (empty if none)."""
        path = data_dir / "web" / "state.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls(states=raw.get("states", {}), links=raw.get("links", {}))

    def save(self, data_dir: Path) -> None:
        """Write the memory atomically (a killed run keeps the previous file)."""
        folder = data_dir / "web"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-state-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"states": self.states, "links": self.links}, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / "state.json")

    def state(self, url: str) -> FetchState | None:
        """Validators for a conditional GET of `url`, if it was fetched before."""
        known = self.states.get(url)
        return FetchState(known.get("etag"), known.get("last_modified")) if known else None

    def remember(self, result: FetchResult) -> None:
        """Keep the validators of a successful fetch."""
        if result.ok and not result.not_modified:
            self.states[result.url] = {"etag": result.etag, "last_modified": result.last_modified}


def listed_links(fetcher: Fetcher, url: str, memory: WebMemory, kind: str, pattern: str | None = None,
                 depth: int = 0) -> tuple[list[str], list[FetchResult]]:
    """Document URLs a feed or sitemap lists, and the failed fetches met on the way.

    A feed or sitemap answering 304 contributes the links remembered from its last download.
    """
    from corpus.document import LoadError

    result = fetcher.fetch(url, memory.state(url), accept=FEED_TYPES)
    failures = [] if result.ok else [result]
    if result.content is not None:
        try:
            if kind == "feed":
                memory.links[url] = feed_links(result.content, result.final_url)
            else:
                found = sitemap_links(result.content, result.final_url, pattern)
                links = [link.url for link in found if not link.is_sitemap]
                for child in (link.url for link in found if link.is_sitemap):
                    if depth < SITEMAP_DEPTH:
                        more, failed = listed_links(fetcher, child, memory, kind, pattern, depth + 1)
                        links += more
                        failures += failed
                memory.links[url] = links
            memory.remember(result)
        except LoadError as exc:
            failures.append(FetchResult(url=url, final_url=result.final_url, status=result.status,
                                        fetched_at=result.fetched_at, error_type=exc.error_type,
                                        message=f"{url}: {exc.message}"))
    return list(memory.links.get(url, [])), failures


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
