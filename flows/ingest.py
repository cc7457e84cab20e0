"""The `ingest` Prefect flow: plan the inputs, process them in batches, summarise the run."""

from __future__ import annotations

import heapq
import math
import time
import uuid
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from corpus.loaders import Limits
from corpus import failpoints
from corpus.config import DEFAULT_CONFIG, Source, load_sources
from corpus.fetch import FetchSettings, Fetcher
from corpus.sources import Plan, discover, discover_selected, plan, sort_planned
from corpus.web import is_url
from corpus.storage import WEB_NEEDS_LOCAL, RemoteDataError, display
from corpus.store import Batch, Store
from flows import progress
from flows.artifacts import new_documents_artifact
from flows.batch import BatchStats, error_row, process_batch
from flows.fetching import gather_web_inputs, split_listing_files
from flows.summary import RunSummary, summary_markdown
from flows.workers import get_model, get_nlp, get_nlp_for, run_store
from models.artifact import read_header


@task(name="plan-inputs", cache_policy=NO_CACHE)
def plan_inputs(paths: list[str], data_dir: str, path_sources: list[Source] | None = None) -> Plan:
    """Find the input files (named, or from `path` sources), hash them and compare with the store."""
    items, refused = discover(paths)
    for source in path_sources or []:
        for root in source.paths:
            found, bad = discover_selected(root, source.selects)
            items += found
            refused += bad
    result = plan(items, Store(data_dir).index())
    result.unreadable.extend(refused)
    failpoints.reach("flow.planned")
    return result


@task(name="process-batch", cache_policy=NO_CACHE, retries=2,
      retry_delay_seconds=exponential_backoff(backoff_factor=0.5), retry_jitter_factor=0.2)
def process_batch_task(items: list, data_dir: str, run_id: str,
                       limits: dict[str, Any], language: str | None = None) -> BatchStats | tuple[BatchStats, Batch]:
    """Load, extract, classify and commit one batch; bad documents become error rows.

    `language` (ISO 639-1) forces every document's language; without it each one's is detected.

    With an object store the rows go back to the flow, which commits them: no lock spans machines there.
    """
    store = run_store(data_dir, run_id)
    live = progress.active()  # False in a worker process: the flow reports when the batch ends
    batch, stats = process_batch(items, index=store.index(), nlp=get_nlp(), model=get_model(),
                                 limits=Limits(**limits), run_id=run_id,
                                 on_document=progress.report if live else None,
                                 language=language, nlp_for=get_nlp_for)
    stats.reported_live = live
    if store.remote:
        return stats, batch
    return _commit(store, batch, run_id, stats)


def _commit(store: Store, batch: Batch, run_id: str, stats: BatchStats) -> BatchStats:
    """Commit a processed batch, timing the write."""
    t0 = time.perf_counter()
    store.commit(batch, run_id)
    stats.seconds["store_write"] += time.perf_counter() - t0
    return stats


@task(name="record-refused", cache_policy=NO_CACHE)
def record_refused(refused: list, data_dir: str, run_id: str, transient: set[str] | None = None) -> int:
    """Write an `errors` row for every input that could not be read or fetched."""
    rows = []
    for r in refused:
        stage = "fetch" if is_url(r.source) else "load"
        rows.append(error_row(r.source, None, stage, r.error_type, r.message, run_id,
                              transient=r.error_type == "read_error" or r.source in (transient or set())))
    return Store(data_dir).commit(Batch(errors=rows), run_id).written["errors"]


def batches(items: list, size: int, workers: int = 1) -> list[list]:
    """Split `items` into batches: consecutive runs of `size` in one process, balanced bins when parallel.

    With several workers, a batch left running alone at the end idles every other core, so the
    items are dealt (largest estimated cost first, each to the lightest bin) into at least four
    bins per worker of about equal cost, and the bins are submitted heaviest first.
    """
    if workers <= 1 or not items:
        return [items[i:i + size] for i in range(0, len(items), size)]
    n_bins = min(len(items), max(workers * 4, math.ceil(len(items) / size)))
    bins: list[list[tuple[int, Any]]] = [[] for _ in range(n_bins)]
    lightest = [(0.0, b) for b in range(n_bins)]
    for position, item in sorted(enumerate(items), key=lambda p: -estimated_cost(p[1])):
        total, b = heapq.heappop(lightest)
        bins[b].append((position, item))
        heapq.heappush(lightest, (total + estimated_cost(item), b))
    totals = {b: total for total, b in lightest}
    order = sorted(range(n_bins), key=lambda b: -totals[b])
    return [[item for _, item in sorted(bins[b], key=lambda p: p[0])] for b in order if bins[b]]


def estimated_cost(item: Any) -> float:
    """A planned input's expected processing cost: its bytes, PDFs weighing more (page layout is the slow part)."""
    weight = PDF_COST_WEIGHT if str(item.path).lower().endswith(".pdf") else 1.0
    return weight * max(int(item.size_bytes), 1)


# Per byte, a PDF's text costs tens of times an HTML or text file's (bench/scaling.py's stage table).
PDF_COST_WEIGHT = 20.0


# Default: batches one after another in one process (threads would not help: the GIL).
# The CLI swaps in a process pool or Dask with `with_options(task_runner=...)`.
@flow(name="ingest", validate_parameters=False, task_runner=ThreadPoolTaskRunner(max_workers=1))
def ingest(paths: list[str], data_dir: str, batch_size: int = 100,
           limits: dict[str, Any] | None = None, workers: int = 1,
           sources: list[str] | None = None, config: str | None = None,
           workers_note: str | None = None, language: str | None = None,
           compact_over: int | None = None) -> RunSummary:
    """Ingest files, folders, URLs and named sources into the Delta tables at `data_dir`.

    `workers_note` is the caller's reason for using fewer processes than asked, kept in the summary.
    `language` (ISO 639-1) forces every new document's language instead of detecting it.
    `compact_over`: compact the tables at the end once they hold more data files than this
    (scheduled serving sets it; ad hoc runs leave upkeep to `fundscope compact`).
    """
    run_id = _run_id()
    named = [load_sources(config or DEFAULT_CONFIG).source(n) for n in sources or []]
    local, listing_files = split_listing_files([p for p in paths if not is_url(p)])
    urls = [p for p in paths if is_url(p)] + listing_files  # local feeds and sitemaps are expanded like URLs
    writer = Store(data_dir)
    if writer.remote and (urls or any(s.kind != "path" for s in named)):  # no page cache for the workers
        raise RemoteDataError(f"{display(data_dir)}: {WEB_NEEDS_LOCAL}")
    planned = plan_inputs(local, data_dir, [s for s in named if s.kind == "path"])
    web = None
    web_sources = [s for s in named if s.kind != "path"]
    if urls or web_sources:
        settings = load_sources(config).fetch if config else FetchSettings()
        with Fetcher(settings, robots_cache=Path(data_dir) / "web" / "robots.json") as fetcher:
            web = gather_web_inputs(urls, web_sources, data_dir, fetcher)
        fetched = sort_planned(web.todo, Store(data_dir).index())
        planned.todo += fetched.todo
        planned.unchanged += fetched.unchanged
        planned.skipped_failed += fetched.skipped_failed
        planned.unreadable += web.failed
    progress.start(len(planned.todo), len(planned.unchanged) + len(planned.skipped_failed))
    summary = RunSummary(run_id=run_id, unchanged=len(planned.unchanged),
                         skipped_failed=len(planned.skipped_failed), workers_note=workers_note)
    if planned.todo:  # a missing or incompatible model stops the run here, before any work
        # batches in this process need the whole model; workers load their own, so only check it
        get_model() if workers == 1 else read_header()
    summary.unchanged += web.not_modified if web else 0
    summary.expanded = [e.describe() for e in web.expanded] if web else []
    if planned.unreadable:
        record_refused(planned.unreadable, data_dir, run_id, web.transient if web else set())
        summary.stats.failed += len(planned.unreadable)
    chunks = batches(planned.todo, batch_size, workers)
    futures = {process_batch_task.submit(chunk, data_dir, run_id, limits or {}, language): len(chunk) for chunk in chunks}
    # results in submission order: prefect's as_completed does not see Dask futures finish
    for future in futures:
        stats = future.result()
        if isinstance(stats, tuple):  # rows handed back for this process to commit (object store)
            stats = _commit(writer, stats[1], run_id, stats[0])
        if not stats.reported_live:
            progress.report(futures[future], stats.pages)
        summary.stats.add(stats)
    if web:
        web.memory.save(Path(data_dir))  # only now: a killed run re-fetches instead of trusting a 304
    summary.finish(Store(data_dir), paths)
    if compact_over is not None:
        compact_if_needed(data_dir, compact_over)
    new_documents_artifact(summary.stats.overview, summary.stats.new)
    if summary.warning:
        get_run_logger().warning(summary.warning)
    create_markdown_artifact(key="ingest-summary", markdown=summary_markdown(summary, data_dir),
                             description="fundscope ingest run summary")
    return summary


@task(name="compact-store", cache_policy=NO_CACHE)
def compact_if_needed(data_dir: str, threshold: int) -> dict[str, Any] | None:
    """Run Delta's optimize and vacuum when the tables hold more than `threshold` data files."""
    store = Store(data_dir)
    files = store.data_files()
    if files <= threshold:
        return None
    report = store.compact()
    run_logger().info(f"compacted the store: {files} data files were more than {threshold}; "
                          f"{sum(r['files_after'] for r in report.values())} now")
    return report


def run_logger() -> Any:
    """Prefect's run logger inside a flow or task, a plain logger outside one."""
    from prefect.exceptions import MissingContextError

    try:
        return get_run_logger()
    except MissingContextError:
        import logging

        return logging.getLogger("fundscope")


def _run_id() -> str:
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())
