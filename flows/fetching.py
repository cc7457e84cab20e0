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
from corpus.web import WebMemory, listed_links, planned_from_fetch

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


@dataclass
class WebInputs:
    """What fetching gave: bodies to process, URLs unchanged since last time, and failures."""

    todo: list[PlannedItem] = field(default_factory=list)
    not_modified: int = 0
    failed: list[Refused] = field(default_factory=list)
    transient: set[str] = field(default_factory=set)  # sources whose failure may pass
    memory: WebMemory = field(default_factory=WebMemory)  # saved once the run's batches are committed


def _failure(result: FetchResult, out: WebInputs) -> None:
    message = result.message or f"{result.url}: {result.error_type}"
    out.failed.append(Refused(result.url, result.error_type or "fetch_failed", message))
    if result.transient:
        out.transient.add(result.url)


def gather_web_inputs(urls: list[str], sources: list[Source], data_dir: str, fetcher: Fetcher) -> WebInputs:
    """Expand the web sources and fetch every URL once (conditionally, when fetched before)."""
    data = Path(data_dir)
    memory = WebMemory.load(data)
    out = WebInputs(memory=memory)
    wanted = list(dict.fromkeys(urls))
    for source in sources:
        try:
            links, failures = list_web_source(fetcher, source, memory)
        except TransientFetchError as exc:
            links, failures = [], [exc.result]
        for failure in failures:
            _failure(failure, out)
        wanted += [u for u in links if u not in wanted]
    for url in wanted:
        try:
            result = fetch_url(fetcher, url, memory)
        except TransientFetchError as exc:
            result = exc.result
        if not result.ok:
            _failure(result, out)
        elif result.not_modified:
            out.not_modified += 1
        else:
            out.todo.append(planned_from_fetch(data, result))
            memory.remember(result)
    return out
