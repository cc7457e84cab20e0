"""Fixed cost of a one-document `fundscope ingest`: with no server, and with a running one."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOC = "The Korean agency NRF funds Korean teams at TRL 4 to 6; partners in Germany are paid by DFG.\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ingest_once(env: dict[str, str], work: Path, i: int) -> float:
    src = work / f"in{i}"
    src.mkdir()
    (src / "call.txt").write_text(DOC + f"Run {i}.\n", encoding="utf-8")
    t0 = time.perf_counter()
    # --no-local-server: measure what a user without any server pays, even if one runs here
    subprocess.run([str(BIN / "fundscope"), "ingest", str(src), "--data", str(work / f"data{i}"), "--quiet",
                    "--no-local-server"],
                   env=env, check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - t0


def _import_only(env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import flows.ingest, extractors.pipeline, models.funding_mode"],
                   env=env, check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - t0


FLOW_FLOOR = """
import sys, time
from flows.ingest import ingest
from flows.prefect_env import run_settings
from prefect.settings import PREFECT_API_URL, temporary_settings
src, data, api = sys.argv[1:4]
with temporary_settings({PREFECT_API_URL: api}):
    ingest(paths=[src], data_dir=data)  # first: the document is new
    t0 = time.perf_counter(); ingest(paths=[src], data_dir=data); default = time.perf_counter() - t0
with run_settings(api):
    t0 = time.perf_counter(); ingest(paths=[src], data_dir=data); ours = time.perf_counter() - t0
print(default, ours)
"""


def _flow_floor(env: dict[str, str], work: Path, api: str) -> tuple[float, float]:
    """Seconds of one unchanged-input flow run in a warm process: Prefect's defaults vs fundscope's."""
    src = work / "floor"
    src.mkdir()
    (src / "call.txt").write_text(DOC, encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", FLOW_FLOOR, str(src), str(work / "floor-data"), api],
                         env=env, check=True, capture_output=True, text=True, cwd=REPO)
    default, ours = (float(x) for x in out.stdout.split()[-2:])
    return default, ours


def _wait_health(url: str, timeout: float = 120) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Prefect server at {url} did not answer within {timeout} s")


def measure(repeats: int = 3) -> list[tuple[str, float, str]]:
    """(setting, median seconds, note) rows for the one-document ingest."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        base.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH=str(REPO))
        rows.append(("python imports only (floor)", statistics.median(_import_only(base) for _ in range(repeats)),
                     "import of flows, extractors, models"))

        cold_env = dict(base, PREFECT_HOME=str(work / "home-cold"))
        cold = _ingest_once(cold_env, work, 0)
        rows.append(("no server, first run ever (temporary server, new database)", cold, "once"))
        warm = [_ingest_once(cold_env, work, i) for i in range(1, repeats + 1)]
        rows.append(("no server (temporary server, existing database)", statistics.median(warm),
                     f"median of {repeats}"))

        port = _free_port()
        server_env = dict(base, PREFECT_HOME=str(work / "home-server"))
        server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                  env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            api = f"http://127.0.0.1:{port}/api"
            up = _wait_health(api)
            rows.append(("`prefect server start` until healthy (paid once)", up, "new database"))
            served_env = dict(base, PREFECT_HOME=str(work / "home-client"), PREFECT_API_URL=api)
            served = [_ingest_once(served_env, work, 100 + i) for i in range(repeats)]
            rows.append(("PREFECT_API_URL → running server", statistics.median(served), f"median of {repeats}"))
            default, ours = _flow_floor(served_env, work, api)
            rows.append(("one flow run in a warm process, Prefect defaults (heartbeat on)", default, "unchanged input"))
            rows.append(("one flow run in a warm process, fundscope settings (heartbeat off)", ours, "unchanged input"))
        finally:
            server.terminate()
            server.wait(30)
    return rows


def main() -> None:
    """Print the overhead table."""
    rows = measure()
    print("\n## Fixed overhead of a one-document `fundscope ingest` (wall seconds, whole command)\n")
    print("| setting | seconds | note |\n|---|---:|---|")
    for name, secs, note in rows:
        print(f"| {name} | {secs:.2f} | {note} |")


if __name__ == "__main__":
    main()
