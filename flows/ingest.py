"""The `ingest` Prefect flow: plan the inputs, process them in batches, summarise the run."""

from __future__ import annotations

import math
import time
import uuid
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.tasks import exponential_backoff

from corpus.loaders import Limits
from corpus.sources import Plan, discover, plan
from corpus.store import Batch, Store
from flows import progress
from flows.batch import BatchStats, error_row, process_batch
from flows.summary import RunSummary, summary_markdown
from flows.workers import get_model, get_nlp


@task(name="plan-inputs", cache_policy=NO_CACHE)
def plan_inputs(paths: list[str], data_dir: str) -> Plan:
    """Find the input files, hash them and compare with the store."""
    items, refused = discover(paths)
    result = plan(items, Store(data_dir).index())
    result.unreadable.extend(refused)
    return result


@task(name="process-batch", cache_policy=NO_CACHE, retries=2,
      retry_delay_seconds=exponential_backoff(backoff_factor=0.5), retry_jitter_factor=0.2)
def process_batch_task(items: list, data_dir: str, run_id: str, limits: dict[str, Any]) -> BatchStats:
    """Load, extract, classify and commit one batch; bad documents become error rows."""
    store = Store(data_dir)
    live = progress.active()  # False in a worker process: the flow reports when the batch ends
    batch, stats = process_batch(items, index=store.index(), nlp=get_nlp(), model=get_model(),
                                 limits=Limits(**limits), run_id=run_id,
                                 on_document=progress.report if live else None)
    t0 = time.perf_counter()
    store.commit(batch, run_id)
    stats.seconds["store_write"] += time.perf_counter() - t0
    stats.reported_live = live
    return stats


@task(name="record-refused", cache_policy=NO_CACHE)
def record_refused(refused: list, data_dir: str, run_id: str) -> int:
    """Write an `errors` row for every input that could not even be read."""
    batch = Batch(errors=[error_row(r.source, None, "load", r.error_type, r.message, run_id,
                                    transient=r.error_type == "read_error") for r in refused])
    return Store(data_dir).commit(batch, run_id).written["errors"]


def batches(items: list, size: int, workers: int = 1) -> list[list]:
    """Split `items` into consecutive lists of at most `size`, at least ~4 per worker when parallel."""
    if workers > 1 and items:
        size = max(1, min(size, math.ceil(len(items) / (workers * 4))))
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="ingest", validate_parameters=False)
def ingest(paths: list[str], data_dir: str, batch_size: int = 100,
           limits: dict[str, Any] | None = None, workers: int = 1) -> RunSummary:
    """Ingest files and folders into the parquet store at `data_dir`."""
    run_id = _run_id()
    planned = plan_inputs(paths, data_dir)
    progress.start(len(planned.todo), len(planned.unchanged) + len(planned.skipped_failed))
    summary = RunSummary(run_id=run_id, unchanged=len(planned.unchanged),
                         skipped_failed=len(planned.skipped_failed))
    if planned.todo:
        get_model()  # a missing or incompatible model stops the run here, before any work
    if planned.unreadable:
        record_refused(planned.unreadable, data_dir, run_id)
        summary.stats.failed += len(planned.unreadable)
    chunks = batches(planned.todo, batch_size, workers)
    futures = {process_batch_task.submit(chunk, data_dir, run_id, limits or {}): len(chunk) for chunk in chunks}
    for future in as_completed(list(futures)):
        stats = future.result()
        if not stats.reported_live:
            progress.report(futures[future], stats.pages)
        summary.stats.add(stats)
    summary.finish(Store(data_dir), paths)
    create_markdown_artifact(key="ingest-summary", markdown=summary_markdown(summary),
                             description="fundscope ingest run summary")
    return summary


def _run_id() -> str:
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())
