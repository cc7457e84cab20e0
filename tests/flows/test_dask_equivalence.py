"""The ingest flow on a two-worker Dask cluster writes the same tables as a single-process run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from corpus.query import run_query
from corpus.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"
N_SAMPLES = 16  # the files in corpus/samples, counted by hand

DOCUMENTS = "select doc_id, source, title, kind, text, n_pages from documents order by source"
MENTIONS = ("select doc_id, label, value, text, start, \"end\", sentence, trl_min, trl_max, agency_country, page "
            "from mentions order by doc_id, start, \"end\", label, value")
CLASSIFICATIONS = ("select doc_id, funding_mode, p_matching_fund, p_direct_fund, p_neither, model_version "
                   "from classifications order by doc_id")


def rows(data: Path, sql: str) -> list[tuple]:
    return run_query(Store(data), sql)[1]


@pytest.fixture(scope="module")
def dask_cluster(prefect_api: str) -> Iterator[object]:
    """A local two-process Dask cluster whose workers report to the test harness and can import the repo."""
    distributed = pytest.importorskip("dask.distributed")
    saved = {k: os.environ.get(k) for k in ("PREFECT_API_URL", "PYTHONPATH")}
    os.environ["PREFECT_API_URL"] = prefect_api
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), saved["PYTHONPATH"]) if p)
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster:
            yield cluster
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def two_runs(dask_cluster: object, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The samples ingested once on the Dask cluster and once in a single thread."""
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from flows.ingest import ingest

    src = tmp_path_factory.mktemp("in") / "samples"
    shutil.copytree(SAMPLES, src)
    on_dask, single = tmp_path_factory.mktemp("dask-data"), tmp_path_factory.mktemp("single-data")
    ingest.with_options(task_runner=DaskTaskRunner(address=dask_cluster.scheduler_address))(
        paths=[str(src)], data_dir=str(on_dask), batch_size=4, workers=2)
    ingest.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))(
        paths=[str(src)], data_dir=str(single), batch_size=4)
    return on_dask, single


def test_the_batches_ran_in_the_dask_workers(two_runs: tuple[Path, Path], dask_cluster: object) -> None:
    from distributed import Client

    with Client(dask_cluster.scheduler_address) as client:
        loaded = client.run(lambda: __import__("flows.workers", fromlist=["_model"])._model is not None)
    assert len(loaded) == 2
    assert any(loaded.values()), "no Dask worker loaded the model: the batches did not run on the cluster"


def test_dask_run_stores_every_sample_without_errors(two_runs: tuple[Path, Path]) -> None:
    on_dask, _ = two_runs
    assert rows(on_dask, "select error_type, message from errors order by source") == []
    assert rows(on_dask, "select count(*) from documents") == [(N_SAMPLES,)]
    assert rows(on_dask, "select count(*) from classifications") == [(N_SAMPLES,)]


def test_documents_are_equal(two_runs: tuple[Path, Path]) -> None:
    on_dask, single = two_runs
    assert rows(on_dask, DOCUMENTS) == rows(single, DOCUMENTS)


def test_mentions_are_equal(two_runs: tuple[Path, Path]) -> None:
    on_dask, single = two_runs
    dask_rows = rows(on_dask, MENTIONS)
    assert dask_rows, "the samples name agencies, countries and TRLs: mentions cannot be empty"
    assert dask_rows == rows(single, MENTIONS)


def test_classifications_are_equal(two_runs: tuple[Path, Path]) -> None:
    on_dask, single = two_runs
    assert rows(on_dask, CLASSIFICATIONS) == rows(single, CLASSIFICATIONS)
