"""Prefect settings for a command-line run: quiet, offline, and no avoidable start-up cost.

Without a configured API, `ingest` and `reclassify` start a background Prefect server once
(`ensure_server`) and later commands reuse it; a watchdog beside it stops it after an idle time.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

LOCAL_PORT = 4200
LOCAL_SERVER = f"http://127.0.0.1:{LOCAL_PORT}/api"
AUTO_SERVER_ENV = "FUNDSCOPE_AUTO_SERVER"
IDLE_MINUTES_ENV = "FUNDSCOPE_SERVER_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30.0
LOCK_WAIT_S = 180.0  # a second command waits this long for the first one's server to come up


def configure_environment() -> None:
    """Defaults that must be in the environment before Prefect is imported."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def server_answers(api_url: str, timeout: float = 0.3) -> bool:
    """Whether a Prefect server answers at `api_url`: health `true` and a version string, not any HTTP 200."""
    base = api_url.rstrip("/")
    try:
        health = httpx.get(base + "/health", timeout=timeout)
        if health.status_code != 200 or health.json() is not True:
            return False
        version = httpx.get(base + "/version", timeout=timeout)
        return version.status_code == 200 and isinstance(version.json(), str)
    except (httpx.HTTPError, ValueError):
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


def choose_api(use_local_server: bool = True, port: int = LOCAL_PORT) -> str | None:
    """The API URL runs will report to; None means Prefect's temporary server.

    Must run before Prefect is imported: Prefect reads its settings once, at import, in
    this process and in every worker it starts. An explicitly configured PREFECT_API_URL
    (environment or Prefect profile) wins. Without one, a server fundscope started (its pid
    file names the port) or any Prefect server on this machine's default port is used
    (exported as PREFECT_API_URL), so a kept-running server saves the temporary server's start-up.
    """
    configured = os.environ.get("PREFECT_API_URL") or _profile_api_url()
    if configured:
        return configured
    found = running_server(port) if use_local_server else None
    if found:
        os.environ["PREFECT_API_URL"] = found
    return found


def auto_server_wanted(flag: bool = True) -> bool:
    """Whether a command may start the background server: its flag, unless FUNDSCOPE_AUTO_SERVER turns it off."""
    return flag and os.environ.get(AUTO_SERVER_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def idle_minutes() -> float:
    """Minutes without use after which the background server stops (FUNDSCOPE_SERVER_IDLE_MINUTES, default 30)."""
    try:
        value = float(os.environ.get(IDLE_MINUTES_ENV, DEFAULT_IDLE_MINUTES))
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return value if value > 0 else DEFAULT_IDLE_MINUTES


def api_for_command(use_local_server: bool = True, auto_server: bool = True,
                    port: int = LOCAL_PORT) -> tuple[str | None, str | None]:
    """The API URL for an `ingest` or `reclassify`, and a line to print when this call started the server.

    Order: a configured PREFECT_API_URL, a running server, then (unless turned off) a background
    server started here; None means Prefect's temporary server, as before.
    """
    configured = os.environ.get("PREFECT_API_URL") or _profile_api_url()
    if configured:
        return configured, None
    if not use_local_server:
        return None, None
    if not (auto_server and auto_server_wanted()):
        return choose_api(True, port), None
    try:
        api, started = ensure_server(port, idle_minutes())
    except (RuntimeError, OSError, subprocess.SubprocessError):
        return choose_api(True, port), None  # no background server: the temporary one still works
    os.environ["PREFECT_API_URL"] = api
    if not started:
        return api, None
    return api, (f"Started a background Prefect server for fundscope at {api.removesuffix('/api')} "
                 f"(stops after {idle_minutes():g} idle minutes; `fundscope server stop` ends it now; "
                 f"--no-auto-server or {AUTO_SERVER_ENV}=0 turns this off).")


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
    """Prefect's home folder (its SQLite database lives there), read without importing Prefect."""
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def _pidfile() -> Path:
    return prefect_home() / "fundscope-server.pid"


def _last_used_file() -> Path:
    return prefect_home() / "fundscope-server.last-used"


def _recorded() -> tuple[int, int, bool] | None:
    """(pid, port, started automatically) of the server fundscope started, if one is recorded."""
    try:
        fields = _pidfile().read_text().split()
        return int(fields[0]), int(fields[1]), "auto" in fields[2:]
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_server(port: int = LOCAL_PORT, timeout: float = 1.0) -> str | None:
    """The API of a Prefect server already running here: the one fundscope recorded, else one on `port`.

    A closed port fails at once; `timeout` only bounds a server that is up but slow to answer.
    """
    recorded = _recorded()
    if recorded and _alive(recorded[0]):
        api = f"http://127.0.0.1:{recorded[1]}/api"
        if server_answers(api, timeout):
            return api
    api = f"http://127.0.0.1:{port}/api"
    return api if server_answers(api, timeout) else None


def touch_last_used() -> None:
    """Mark the background server as used now, so its watchdog counts its idle time from here."""
    path = _last_used_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


@contextmanager
def _server_lock(wait: float = LOCK_WAIT_S) -> Iterator[bool]:
    """An exclusive lock on PREFECT_HOME's server lock file; yields whether it was taken within `wait` s."""
    path = prefect_home() / "fundscope-server.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.1)
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _port_taken(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_server(port: int = LOCAL_PORT, idle: float = DEFAULT_IDLE_MINUTES,
                  timeout: float = 120.0) -> tuple[str, bool]:
    """The API of a running server, starting the background one if none runs; and whether this call started it.

    Under a file lock, so two commands starting at once get one server: the second waits, then reuses it.
    When `port` answers but is not Prefect, the server goes to a free port (its pid file says which).
    """
    with _server_lock() as locked:
        if not locked:
            raise RuntimeError("another fundscope command holds the server lock")
        found = running_server(port, timeout=3.0) or _recorded_server_up(min(timeout, 30.0))
        if found:  # a busy server must not look absent and get a twin
            touch_last_used()
            return found, False
        chosen = _free_port() if _port_taken(port) else port
        touch_last_used()
        pid = _spawn_watchdog(chosen, idle)
        api = f"http://127.0.0.1:{chosen}/api"
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if server_answers(api, timeout=1.0):
                return api, True
            recorded = _recorded()
            if recorded and not _alive(recorded[0]):
                break
            time.sleep(0.25)
        recorded = _recorded()
        if recorded and recorded[0] == pid:
            stop_local_server()
        raise RuntimeError(f"the background Prefect server did not come up; see {prefect_home() / 'fundscope-server.log'}")


def _recorded_server_up(timeout: float) -> str | None:
    """The API of the server fundscope recorded, waited for while its process lives but does not answer yet.

    A server just started by another command (or slowed by a busy machine) can miss a short health
    check; as long as its recorded process is alive, it is the one to use.
    """
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        recorded = _recorded()
        if not recorded or not _alive(recorded[0]):
            return None
        api = f"http://127.0.0.1:{recorded[1]}/api"
        if server_answers(api, timeout=2.0):
            return api
        time.sleep(0.25)
    return None


def _spawn_watchdog(port: int, idle: float) -> int:
    """Start the detached watchdog (which starts the server); return its pid once it has recorded itself."""
    _pidfile().unlink(missing_ok=True)
    subprocess.run([sys.executable, "-m", "flows.prefect_env", "watch", str(port), str(idle)],
                   check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=Path(__file__).resolve().parents[1])
    for _ in range(100):
        recorded = _recorded()
        if recorded:
            return recorded[0]
        time.sleep(0.05)
    raise RuntimeError("the background server's watchdog did not start")


def _server_command(port: int) -> list[str]:
    return [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]


def start_local_server(port: int = LOCAL_PORT, timeout: float = 120.0) -> tuple[int, float]:
    """Start `prefect server start` in the background on 127.0.0.1; return its pid and start-up seconds."""
    api = f"http://127.0.0.1:{port}/api"
    if server_answers(api):
        raise RuntimeError(f"a Prefect server already answers at {api}")
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "fundscope-server.log", "ab")
    proc = subprocess.Popen(
        _server_command(port),
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
    """Stop the server fundscope started (by hand or in the background); return its pid, or None if none was recorded."""
    recorded = _recorded()
    if recorded is None:
        _pidfile().unlink(missing_ok=True)
        return None
    pid = recorded[0]
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    _pidfile().unlink(missing_ok=True)
    return pid


def _busy(api: str) -> bool:
    """Whether the server has a flow run pending or running (a long ingest is use, not idleness)."""
    body = {"flow_runs": {"state": {"type": {"any_": ["PENDING", "RUNNING"]}}}}
    try:
        reply = httpx.post(api + "/flow_runs/count", json=body, timeout=5.0)
        return reply.status_code == 200 and int(reply.json()) > 0
    except (httpx.HTTPError, ValueError):
        return False


def _quiet_seconds() -> float:
    try:
        return time.time() - _last_used_file().stat().st_mtime
    except OSError:
        return float("inf")


def watch(port: int, idle: float) -> None:
    """Watchdog body: detach, record itself, run the server, stop it after `idle` minutes without use."""
    if os.fork() > 0:
        os._exit(0)  # the starting command does not wait for, or own, the server
    os.setsid()
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "fundscope-server.log", "ab") as log:
        server = subprocess.Popen(_server_command(port), stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
    _pidfile().write_text(f"{os.getpid()} {port} auto\n")

    def stop(*_: object) -> None:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        recorded = _recorded()
        if recorded and recorded[0] == os.getpid():
            _pidfile().unlink(missing_ok=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    api, limit = f"http://127.0.0.1:{port}/api", idle * 60.0
    poll = max(0.5, min(30.0, limit / 8))
    ready = False
    while server.poll() is None:
        time.sleep(poll)
        if not ready:  # idle time counts from when the server first answers: a slow start is not idleness
            ready = server_answers(api, timeout=2.0)
            if ready:
                touch_last_used()
            continue
        if _busy(api):
            touch_last_used()
            continue
        if _quiet_seconds() > limit:
            with _server_lock(wait=0) as locked:  # a command reusing the server holds it while it touches
                if locked and _quiet_seconds() > limit:
                    stop()
    recorded = _recorded()
    if recorded and recorded[0] == os.getpid():
        _pidfile().unlink(missing_ok=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "watch":
        configure_environment()
        watch(int(sys.argv[2]), float(sys.argv[3]))
