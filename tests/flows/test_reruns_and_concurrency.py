"""Re-runs retry transient failures and skip permanent ones; two concurrent runs equal one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from corpus.query import run_query
from corpus.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"
HOSTILE = REPO / "tests" / "data" / "hostile"


def test_rerun_retries_a_timeout_and_skips_a_corrupt_file(prefect_api: str, tmp_path: Path) -> None:
    from flows.ingest import ingest

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(HOSTILE / "slow_4m_chars.pdf", src / "slow.pdf")
    shutil.copy(HOSTILE / "corrupt.pdf", src / "corrupt.pdf")
    shutil.copy(SAMPLES / "india-norway-agreement-news.txt", src / "news.txt")
    data = str(tmp_path / "data")
    limits = {"max_seconds": 0.5}
    first = ingest(paths=[str(src)], data_dir=data, limits=limits)
    assert (first.stats.new, first.failed, first.skipped_failed) == (1, 2, 0)
    second = ingest(paths=[str(src)], data_dir=data, limits=limits)
    # the timeout (transient) is tried again; the corrupt PDF (permanent) is skipped
    assert (second.stats.new, second.failed, second.skipped_failed, second.unchanged) == (0, 1, 1, 1)
    rows = run_query(Store(data), "select source, error_type, transient from errors_all order by source")[1]
    assert [(Path(s).name, t, tr) for s, t, tr in rows] == [("corrupt.pdf", "corrupt_pdf", False),
                                                             ("slow.pdf", "timeout", True)]


CONTENT = {
    "documents": "select doc_id, source, title, kind, text, n_pages from documents_all",
    "mentions": "select * from mentions_all",
    "classifications": "select doc_id, funding_mode, p_matching_fund, p_direct_fund, p_neither, model_version "
                       "from classifications_all",
}


def tables(data: Path) -> dict[str, list[tuple]]:
    return {k: sorted(run_query(Store(data), q)[1], key=repr) for k, q in CONTENT.items()}


def test_two_concurrent_runs_on_one_store_equal_a_single_run(prefect_api: str, tmp_path: Path) -> None:
    src = tmp_path / "samples"
    shutil.copytree(SAMPLES, src)
    env = dict(os.environ, PREFECT_API_URL=prefect_api, PYTHONPATH=str(REPO))

    def cmd(data: Path) -> list[str]:
        return [sys.executable, "-m", "flows.cli", "ingest", str(src), "--data", str(data), "--batch-size", "2",
                "--workers", "1", "--quiet"]

    shared, single = tmp_path / "shared", tmp_path / "single"
    runs = [subprocess.Popen(cmd(shared), env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(2)]
    for run in runs:
        assert run.wait(300) == 0, run.stderr.read().decode()[-800:]
    subprocess.run(cmd(single), env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
    assert tables(shared) == tables(single)
    assert len(tables(shared)["documents"]) == sum(1 for p in src.iterdir() if p.is_file())
