"""Which Prefect task runner runs the batches: one process, all cores, or a Dask cluster."""

from __future__ import annotations

import os
from typing import Any

# Below this many documents per extra worker, starting worker processes (each imports
# spaCy, scikit-learn and the model: several CPU-seconds) costs more than it saves.
MIN_DOCS_PER_WORKER = 50


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def effective_workers(requested: int, n_docs: int) -> int:
    """Workers worth starting for `n_docs` documents (never more than requested)."""
    return max(1, min(requested, n_docs // MIN_DOCS_PER_WORKER))


def task_runner(workers: int, dask_address: str | None = None) -> Any:
    """A task runner: Dask at `dask_address`, a process pool for several workers, else one thread."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    if workers > 1:
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=workers)
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=1)
