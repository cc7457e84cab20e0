"""`fundscope serve` registers a deployment per source; triggering one by name ingests the source."""

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


def test_served_deployment_runs_when_triggered_by_name(prefect_api: str, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    docs = tmp_path / "inbox"
    docs.mkdir()
    for name in ("india-norway-agreement-news.txt", "anr-fapesp-bilateral-call.html", "draft-notes.txt"):
        source = SAMPLES / name if (SAMPLES / name).exists() else SAMPLES / "research-security-guidance.txt"
        shutil.copy(source, docs / name)
    config = tmp_path / "fundscope.toml"
    config.write_text(f"""
[sources.inbox]
kind = "path"
paths = ["{docs}"]
exclude = ["draft-*"]
schedule = "0 7 * * MON"
timezone = "Asia/Tokyo"
""", encoding="utf-8")
    data = tmp_path / "data"
    env = dict(os.environ, PREFECT_API_URL=prefect_api, PREFECT_RUNNER_POLL_FREQUENCY="1", PYTHONPATH=str(REPO))
    server = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--config", str(config), "--data", str(data)],
                              env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        with get_client(sync_client=True) as client:
            deadline = time.monotonic() + 90
            deployment = None
            while deployment is None and time.monotonic() < deadline:
                assert server.poll() is None, server.stderr.read().decode()
                try:
                    deployment = client.read_deployment_by_name("ingest/inbox")
                except Exception:
                    time.sleep(0.5)
            assert deployment is not None, "the served deployment never appeared"
            assert [s.schedule.cron for s in deployment.schedules] == ["0 7 * * MON"]
            assert deployment.schedules[0].schedule.timezone == "Asia/Tokyo"
        flow_run = run_deployment("ingest/inbox", timeout=120)
        assert flow_run.state.is_completed(), flow_run.state
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    sources = sorted(Path(s).name for (s,) in run_query(Store(data), "select source from documents")[1])
    assert sources == ["anr-fapesp-bilateral-call.html", "india-norway-agreement-news.txt"]
