"""Prefect settings for a command-line run: quiet, offline, and no avoidable start-up cost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

LOCAL_SERVER = "http://127.0.0.1:4200/api"


def configure_environment() -> None:
    """Defaults that must be in the environment before Prefect is imported."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def server_answers(api_url: str, timeout: float = 0.3) -> bool:
    """Whether a Prefect server answers its health check at `api_url`."""
    try:
        return httpx.get(api_url.rstrip("/") + "/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def _profile_api_url() -> str | None:
    """PREFECT_API_URL of the active Prefect profile, read without importing Prefect."""
    import tomllib

    home = Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active", "ephemeral")
    return data.get("profiles", {}).get(active, {}).get("PREFECT_API_URL") or None


def choose_api(use_local_server: bool = True) -> str | None:
    """The API URL runs will report to; None means Prefect's temporary server.

    Must run before Prefect is imported: Prefect reads its settings once, at import, in
    this process and in every worker it starts. An explicitly configured PREFECT_API_URL
    (environment or Prefect profile) wins. Without one, a `prefect server start` running
    on this machine's default port is used (exported as PREFECT_API_URL), so a user who
    keeps a server running never pays the temporary server's start-up.
    """
    configured = os.environ.get("PREFECT_API_URL") or _profile_api_url()
    if configured:
        return configured
    if use_local_server and server_answers(LOCAL_SERVER):
        os.environ["PREFECT_API_URL"] = LOCAL_SERVER
        return LOCAL_SERVER
    return None


@contextmanager
def run_settings(api_url: str | None, share_with_workers: bool = False) -> Iterator[None]:
    """Settings for the flow runs of one command: the chosen API, and no heartbeat thread.

    The heartbeat thread is joined when a flow ends, adding about a second to every run.
    With `share_with_workers`, a temporary server is started here first when none is
    configured, and its address exported: otherwise each worker process would start its own.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    if api_url is None and share_with_workers:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()
        server.start()
        api_url = server.api_url
    updates = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    if api_url:
        updates[PREFECT_API_URL] = api_url
    if share_with_workers and api_url:
        os.environ["PREFECT_API_URL"] = api_url  # worker processes import Prefect afresh
    with temporary_settings(updates):
        yield


def prefect_home() -> Path:
    """Prefect's home folder (its SQLite database lives there)."""
    from prefect.settings import get_current_settings

    return Path(get_current_settings().home).expanduser()


def _pidfile() -> Path:
    return prefect_home() / "fundscope-server.pid"


def start_local_server(port: int = 4200, timeout: float = 120.0) -> tuple[int, float]:
    """Start `prefect server start` in the background on 127.0.0.1; return its pid and start-up seconds."""
    api = f"http://127.0.0.1:{port}/api"
    if server_answers(api):
        raise RuntimeError(f"a Prefect server already answers at {api}")
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "fundscope-server.log", "ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    _pidfile().write_text(f"{proc.pid} {port}\n")
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {proc.returncode}; see {home / 'fundscope-server.log'}")
        if server_answers(api, timeout=1.0):
            return proc.pid, time.monotonic() - t0
        time.sleep(0.25)
    raise RuntimeError(f"prefect server did not answer within {timeout:.0f} s; see {home / 'fundscope-server.log'}")


def stop_local_server() -> int | None:
    """Stop the server `start_local_server` started; return its pid, or None if none was recorded."""
    path = _pidfile()
    if not path.exists():
        return None
    pid = int(path.read_text().split()[0])
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    path.unlink(missing_ok=True)
    return pid
