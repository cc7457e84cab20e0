"""The `ingest` Prefect flow: plan the inputs, process them in batches, summarise the run."""

from __future__ import annotations

import uuid
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
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
    batch, stats = process_batch(items, index=store.index(), nlp=get_nlp(), model=get_model(),
                                 limits=Limits(**limits), run_id=run_id,
                                 on_document=progress.report)
    store.commit(batch, run_id)
    return stats


@task(name="record-refused", cache_policy=NO_CACHE)
def record_refused(refused: list, data_dir: str, run_id: str) -> int:
    """Write an `errors` row for every input that could not even be read."""
    batch = Batch(errors=[error_row(r.source, None, "load", r.error_type, r.message, run_id,
                                    transient=r.error_type == "read_error") for r in refused])
    return Store(data_dir).commit(batch, run_id).written["errors"]


def batches(items: list, size: int) -> list[list]:
    """Split `items` into consecutive lists of at most `size`."""
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="ingest", validate_parameters=False)
def ingest(paths: list[str], data_dir: str, batch_size: int = 100,
           limits: dict[str, Any] | None = None) -> RunSummary:
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
    for chunk in batches(planned.todo, batch_size):
        summary.stats.add(process_batch_task(chunk, data_dir, run_id, limits or {}))
    summary.finish(Store(data_dir), paths)
    create_markdown_artifact(key="ingest-summary", markdown=summary_markdown(summary),
                             description="fundscope ingest run summary")
    return summary


def _run_id() -> str:
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())
