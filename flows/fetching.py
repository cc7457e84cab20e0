"""Prefect tasks that turn URLs and named web sources into inputs for the batch work.

One task run per URL fetched: transient failures (5xx, 429, timeouts, connection errors)
are retried by Prefect with exponential backoff. A polite crawler waits about a second
between requests to one host anyway, so the task's few milliseconds of bookkeeping are
no real cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from corpus.config import Source
from corpus.fetch import FetchResult, Fetcher, TransientFetchError
from corpus.sources import PlannedItem, Refused
from corpus.web import Expansion, Opened, WebMemory, is_listing_file, listed_links, open_input, planned_from_fetch

RETRIES = 3


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only failures that may go away: the server or the network, not a 404."""
    try:
        state.result()
    except TransientFetchError:
        return True
    except Exception:
        return False
    return False


_RETRYING = dict(cache_policy=NO_CACHE, retries=RETRIES, retry_condition_fn=_transient,
                 retry_delay_seconds=exponential_backoff(backoff_factor=0.5), retry_jitter_factor=0.2)


@task(name="list-web-source", **_RETRYING)
def list_web_source(fetcher: Fetcher, source: Source, memory: WebMemory) -> tuple[list[str], list[FetchResult]]:
    """The document URLs a `urls`, `feed` or `sitemap` source names today."""
    if source.kind == "urls":
        return list(source.urls), []
    if source.kind == "feed":
        return listed_links(fetcher, source.feed, memory, "feed")
    return listed_links(fetcher, source.sitemap, memory, "sitemap", source.url_pattern)


@task(name="fetch-url", **_RETRYING)
def fetch_url(fetcher: Fetcher, url: str, memory: WebMemory) -> FetchResult:
    """One conditional GET (raises TransientFetchError for Prefect to retry)."""
    return fetcher.fetch(url, memory.state(url))


@task(name="open-input", **_RETRYING)
def open_input_task(fetcher: Fetcher, entry: str, memory: WebMemory) -> Opened:
    """Fetch a URL named as an input (or read a local feed file); a feed or sitemap comes back expanded."""
    return open_input(fetcher, entry, memory)


def split_listing_files(paths: list[str]) -> tuple[list[str], list[str]]:
    """Local paths named as inputs, split into (documents and folders, feed or sitemap files)."""
    listings = [p for p in paths if is_listing_file(p)]
    return [p for p in paths if p not in listings], listings


@dataclass
class WebInputs:
    """What fetching gave: bodies to process, URLs unchanged since last time, and failures."""

    todo: list[PlannedItem] = field(default_factory=list)
    not_modified: int = 0
    failed: list[Refused] = field(default_factory=list)
    transient: set[str] = field(default_factory=set)  # sources whose failure may pass
    memory: WebMemory = field(default_factory=WebMemory)  # saved once the run's batches are committed
    expanded: list[Expansion] = field(default_factory=list)  # feeds and sitemaps named as inputs


def _failure(result: FetchResult, out: WebInputs) -> None:
    message = result.message or f"{result.url}: {result.error_type}"
    out.failed.append(Refused(result.url, result.error_type or "fetch_failed", message))
    if result.transient:
        out.transient.add(result.url)


def gather_web_inputs(urls: list[str], sources: list[Source], data_dir: str, fetcher: Fetcher) -> WebInputs:
    """Expand feeds and sitemaps (named as inputs or sources) and fetch every document URL once.

    `urls` may also hold local feed or sitemap files. Fetches are conditional when fetched before.
    """
    data = Path(data_dir)
    memory = WebMemory.load(data)
    out = WebInputs(memory=memory)
    wanted: list[str] = []
    done: dict[str, str] = {}  # URL -> outcome, for the expansions' counts
    for entry in dict.fromkeys(urls):
        try:
            opened = open_input_task(fetcher, entry, memory)
        except TransientFetchError as exc:
            opened = Opened(exc.result)
        if opened.expansion is not None:
            out.expanded.append(opened.expansion)
            wanted += opened.expansion.links
            for failure in opened.failures:
                _failure(failure, out)
        else:
            done[entry] = _outcome(opened.result, data, out)
    for source in sources:
        try:
            links, failures = list_web_source(fetcher, source, memory)
        except TransientFetchError as exc:
            links, failures = [], [exc.result]
        for failure in failures:
            _failure(failure, out)
        wanted += links
    for url in dict.fromkeys(wanted):
        if url in done:
            continue
        try:
            result = fetch_url(fetcher, url, memory)
        except TransientFetchError as exc:
            result = exc.result
        done[url] = _outcome(result, data, out)
    for expansion in out.expanded:
        for url in expansion.links:
            expansion.outcomes[done[url]] = expansion.outcomes.get(done[url], 0) + 1
    return out


def _outcome(result: FetchResult, data: Path, out: WebInputs) -> str:
    """File one document fetch under failed, not modified or to do; returns which."""
    if not result.ok:
        _failure(result, out)
        return "failed"
    if result.not_modified:
        out.not_modified += 1
        return "not modified"
    out.todo.append(planned_from_fetch(data, result))
    out.memory.remember(result)
    return "downloaded"
