"""SIGKILL at 20 points across the stages and between the Delta commits of a batch: the store
stays readable and consistent after each, and a recovery run ends with exactly the tables of one clean run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from typing import Iterator

import pytest

from corpus.query import run_query
from corpus.store import Store
from tests.corpus.s3server import S3Server, s3_server

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"
HOSTILE = REPO / "tests" / "data" / "hostile"

# 18 inputs in batches of 4: five batches, the last holding the two bad files
KILL_POINTS = [
    "flow.planned:1", "batch.loaded:1", "batch.loaded:3", "batch.loaded:5", "batch.extracted:2",
    "batch.extracted:4", "batch.classified:1", "batch.classified:3", "store.before_documents:2",
    "store.before_mentions:1", "store.before_mentions:4", "store.before_classifications:3",
    "store.before_errors:1", "store.committed_mentions:1", "store.committed_evidence:2",
    "store.committed_facts:3", "store.committed_classifications:1", "store.committed_classifications:4",
    "store.committed_flows:2", "store.committed_documents:2",
]
CONTENT = {
    "documents": "select doc_id, source, title, kind, text, n_pages from documents_all",
    "mentions": "select * from mentions_all",
    "classifications": "select doc_id, funding_mode, p_matching_fund, p_direct_fund, p_neither, model_version "
                       "from classifications_all",
    "errors": "select source, doc_id, stage, error_type from errors_all",
}


# the same on an object store (moto's S3 server): a kill before, between and after the Delta commits of a batch
S3_KILL_POINTS = ["store.committed_mentions:3"]  # between two Delta commits of a batch; more cost suite time


def tables(data: Path | str) -> dict[str, list[tuple]]:
    store = Store(data)
    return {name: sorted(run_query(store, sql)[1], key=repr) for name, sql in CONTENT.items()}


def ingest_cmd(src: Path, data: Path | str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "ingest", str(src), "--data", str(data), "--batch-size", "4",
            "--workers", "1", "--quiet"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("kill") / "inputs"
    shutil.copytree(SAMPLES, src)
    shutil.copy(HOSTILE / "corrupt.pdf", src / "zz-corrupt.pdf")
    shutil.copy(HOSTILE / "zero_bytes.txt", src / "zz-empty.txt")
    return src


@pytest.fixture(scope="module")
def reference(prefect_api: str, inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = tmp_path_factory.mktemp("clean")
    env = dict(os.environ, PREFECT_API_URL=prefect_api, PYTHONPATH=str(REPO))
    subprocess.run(ingest_cmd(inputs, data), env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
    return tables(data)


@pytest.mark.parametrize("point", KILL_POINTS)
def test_kill_then_recover(point: str, prefect_api: str, inputs: Path, reference: dict, tmp_path: Path) -> None:
    from flows.ingest import ingest

    data = tmp_path / "data"
    env = dict(os.environ, PREFECT_API_URL=prefect_api, PYTHONPATH=str(REPO), FUNDSCOPE_KILL_AT=point)
    killed = subprocess.run(ingest_cmd(inputs, data), env=env, cwd=REPO, capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, f"{point} was not reached: {killed.stderr.decode()[-500:]}"

    partial = tables(data)  # readable, and never a document without its extraction results
    assert partial != reference  # the kill left work undone
    # documents commit last in each batch: a committed document always has its label
    assert {r[0] for r in partial["documents"]} <= {r[0] for r in partial["classifications"]}
    assert set(partial["mentions"]) <= set(reference["mentions"])

    ingest(paths=[str(inputs)], data_dir=str(data), batch_size=4)
    assert tables(data) == reference


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.mark.parametrize("point", S3_KILL_POINTS)
def test_kill_then_recover_on_s3(point: str, prefect_api: str, inputs: Path, reference: dict, s3: S3Server) -> None:
    from flows.ingest import ingest

    url = s3.url()
    env = dict(os.environ, PREFECT_API_URL=prefect_api, PYTHONPATH=str(REPO), FUNDSCOPE_KILL_AT=point)
    killed = subprocess.run(ingest_cmd(inputs, url), env=env, cwd=REPO, capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, f"{point} was not reached: {killed.stderr.decode()[-500:]}"
    partial = tables(url)
    assert partial != reference
    assert {r[0] for r in partial["documents"]} <= {r[0] for r in partial["classifications"]}
    ingest(paths=[str(inputs)], data_dir=url, batch_size=4)
    assert tables(url) == reference
