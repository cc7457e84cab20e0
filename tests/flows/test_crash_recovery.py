"""A `fundscope ingest` killed with SIGKILL halfway, then re-run, equals one clean run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from corpus.query import run_query
from corpus.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"

CONTENT = {
    "documents": "select doc_id, source, title, kind, text, n_pages, page_starts from documents_all",
    "mentions": "select * from mentions_all",
    "classifications": "select doc_id, funding_mode, p_matching_fund, p_direct_fund, p_neither, model_version from classifications_all",
    "errors": "select source, doc_id, stage, error_type from errors_all",
}


def ingest_cmd(src: Path, data: Path) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "ingest", str(src), "--data", str(data), "--batch-size", "1", "--quiet"]


def env_for(api: str) -> dict[str, str]:
    env = dict(os.environ, PREFECT_API_URL=api, PYTHONPATH=str(REPO))
    return env


def tables(data: Path) -> dict[str, list[tuple]]:
    store = Store(data)
    return {name: sorted(run_query(store, sql)[1], key=repr) for name, sql in CONTENT.items()}


def test_killed_run_then_rerun_equals_one_clean_run(prefect_api: str, tmp_path: Path) -> None:
    src = tmp_path / "samples"
    shutil.copytree(SAMPLES, src)
    n_docs = sum(1 for p in src.rglob("*") if p.is_file())

    clean = tmp_path / "clean"
    subprocess.run(ingest_cmd(src, clean), env=env_for(prefect_api), cwd=REPO, check=True, timeout=300,
                   capture_output=True)

    crashed = tmp_path / "crashed"
    proc = subprocess.Popen(ingest_cmd(src, crashed), env=env_for(prefect_api), cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    commits = crashed / "tables" / "documents" / "_delta_log"  # one log entry per committed batch
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if commits.is_dir() and len(list(commits.glob("*.json"))) >= 2:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    committed_at_kill = len(list(commits.glob("*.json")))
    assert 0 < committed_at_kill < n_docs, "the kill must land while the run is halfway"
    partial = tables(crashed)
    assert len(partial["documents"]) < n_docs

    subprocess.run(ingest_cmd(src, crashed), env=env_for(prefect_api), cwd=REPO, check=True, timeout=300,
                   capture_output=True)
    assert tables(crashed) == tables(clean)
    assert len(tables(clean)["documents"]) == n_docs
