"""Which Prefect task runner runs the batches: one process, all cores, or a Dask cluster.

How many processes: the work is estimated in seconds from what the batch balancer weighs
(`flows.ingest.estimated_cost`: bytes, PDFs heavier) and, where a PDF's page objects can be
counted in its bytes, from its pages; workers are started when that work pays for their start-up.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

# Rough rates on a 2-core machine like the project's (bench/pdf_workers.py re-measures the effect).
# One byte of text or HTML through load, spaCy and the classifier: ~3.5 µs measured on bench/synthetic.py pages.
SECONDS_PER_COST_UNIT = 3e-6
# One dense PDF page (~2,800 characters) loaded and extracted: 17.5 ms (pdfium) or 126 ms (pdfplumber)
# of loading, plus ~7 ms of spaCy and classifier, on the 475-page corpus of bench/pdf_workers.py.
SECONDS_PER_PDF_PAGE = {"pdfium": 0.025, "pdfplumber": 0.13}
# Starting one worker: spawn, import Prefect and the flows (2.6–3.3 s), build the spaCy pipeline (1.2–1.6 s),
# load the model (1.5 s), start the loaders' forkserver (0.6 s): ~6 s measured in a fresh process here.
# The parent then skips its own pipeline and model, but two workers warming up together on two busy
# cores took longer than that (bench/pdf_workers.py), so that saving is not counted.
WORKER_START_CPU_S = 6.0

_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@dataclass(frozen=True)
class _Sized:
    """What `estimated_cost` reads of a planned input."""

    path: str
    size_bytes: int


def pdf_pages(data: bytes) -> int | None:
    """Page objects written in a PDF's bytes; None when they are hidden (compressed object streams)."""
    found = len(_PAGE_OBJECT.findall(data))
    return found or None


def estimated_seconds(path: str, pdf_engine: str = "pdfium") -> float:
    """Seconds one process would spend loading, extracting and classifying the file at `path`."""
    from flows.ingest import estimated_cost

    try:
        size = os.path.getsize(path)
    except OSError:
        return 0.0  # it will be an errors row, not work
    cost = estimated_cost(_Sized(path, size)) * SECONDS_PER_COST_UNIT
    if not path.lower().endswith(".pdf"):
        return cost
    per_page = SECONDS_PER_PDF_PAGE.get(pdf_engine, SECONDS_PER_PDF_PAGE["pdfplumber"])
    try:
        pages = pdf_pages(Path(path).read_bytes())
    except OSError:
        pages = None
    if pages is not None:
        return pages * per_page
    # the balancer's PDF weight is pdfplumber's per-byte cost; a faster engine scales it down
    return cost * per_page / SECONDS_PER_PDF_PAGE["pdfplumber"]


def estimate_work(paths: Iterable[str], pdf_engine: str = "pdfium", enough: float = float("inf")) -> float:
    """Estimated seconds of work for the files at `paths`, stopping early once past `enough`."""
    total = 0.0
    for path in paths:
        total += estimated_seconds(path, pdf_engine)
        if total > enough:
            break
    return total


def start_wall_seconds(workers: int, cores: int) -> float:
    """Wall seconds `workers` processes take to start when they share `cores` cores."""
    return WORKER_START_CPU_S * workers / max(1, min(workers, cores))


def break_even_seconds(workers: int, cores: int) -> float:
    """Work above which `workers` processes finish sooner than one, start-up included (inf: never)."""
    parallel = min(workers, cores)
    if parallel <= 1:
        return float("inf")
    # one process takes W; n workers take start + W / parallel
    return start_wall_seconds(workers, cores) / (1 - 1 / parallel)


@dataclass(frozen=True)
class WorkerChoice:
    """How many processes a run uses, and why when that is fewer than asked."""

    requested: int
    used: int
    work_seconds: float
    cores: int

    @property
    def note(self) -> str | None:
        """A summary line when fewer processes than asked are used, saying why; else None."""
        if self.used >= self.requested:
            return None
        used = f"{self.used} process{'es' if self.used > 1 else ''} instead of {self.requested}"
        if min(self.requested, self.cores) <= 1:
            return f"{used}: this machine gives fundscope 1 core, so extra workers could only add their start-up"
        return (f"{used}: about {self.work_seconds:.1f} s of estimated work; {self.requested} workers pay for "
                f"their start-up (≈{start_wall_seconds(self.requested, self.cores):.0f} s) only from about "
                f"{break_even_seconds(self.requested, self.cores):.0f} s of work")


def choose_workers(requested: int, paths: list[str], pdf_engine: str = "pdfium",
                   cores: int | None = None) -> WorkerChoice:
    """The largest number of processes, at most `requested`, whose start-up the estimated work pays for."""
    cores = cores or default_workers()
    if requested <= 1:
        return WorkerChoice(requested, max(1, requested), 0.0, cores)
    work = estimate_work(paths, pdf_engine, enough=break_even_seconds(requested, cores))
    used = next((n for n in range(requested, 1, -1) if work > break_even_seconds(n, cores)), 1)
    return WorkerChoice(requested, used, work, cores)


def effective_workers(requested: int, paths: list[str], pdf_engine: str = "pdfium") -> int:
    """Workers worth starting for the files at `paths` (never more than requested)."""
    return choose_workers(requested, paths, pdf_engine).used


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
