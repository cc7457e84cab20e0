"""The background Prefect server: who wins, turning it off, a non-Prefect port, two starts at once, idle stop."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from flows import prefect_env
from flows.prefect_env import api_for_command, auto_server_wanted, server_answers

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NotPrefect(http.server.BaseHTTPRequestHandler):
    """Answers 200 to everything, as another web application on the port might; `true` on /api/health."""

    def do_GET(self) -> None:  # noqa: N802
        body = b"true" if self.path == "/api/health" else b"<html>someone else's app</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def not_prefect() -> Iterator[int]:
    """A non-Prefect HTTP server on a free port; yields the port."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotPrefect)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh PREFECT_HOME with no API configured and no Prefect profile."""
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(tmp_path / "no-profiles.toml"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    return tmp_path / "home"


def test_the_suite_runs_with_the_auto_server_off() -> None:
    assert os.environ["FUNDSCOPE_AUTO_SERVER"] == "0"
    assert not auto_server_wanted(True)


@pytest.mark.parametrize("value, wanted", [("1", True), ("", True), ("0", False), ("false", False),
                                           ("OFF", False), ("no", False)])
def test_environment_variable_turns_it_off(monkeypatch: pytest.MonkeyPatch, value: str, wanted: bool) -> None:
    monkeypatch.setenv("FUNDSCOPE_AUTO_SERVER", value)
    assert auto_server_wanted(True) is wanted
    assert auto_server_wanted(False) is False  # --no-auto-server whatever the environment says


def test_idle_minutes_default_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FUNDSCOPE_SERVER_IDLE_MINUTES", raising=False)
    assert prefect_env.idle_minutes() == 30.0
    monkeypatch.setenv("FUNDSCOPE_SERVER_IDLE_MINUTES", "0.5")
    assert prefect_env.idle_minutes() == 0.5
    monkeypatch.setenv("FUNDSCOPE_SERVER_IDLE_MINUTES", "soon")
    assert prefect_env.idle_minutes() == 30.0


def test_configured_api_wins_and_nothing_starts(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUNDSCOPE_AUTO_SERVER", "1")
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert api_for_command(True, True, port=_free_port()) == ("http://127.0.0.1:9/api", None)
    assert not (home / "fundscope-server.pid").exists()


def test_profile_api_wins_too(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUNDSCOPE_AUTO_SERVER", "1")
    profiles = tmp_path / "profiles.toml"
    profiles.write_text('active = "mine"\n[profiles.mine]\nPREFECT_API_URL = "http://127.0.0.1:9/api"\n')
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(profiles))
    assert api_for_command(True, True, port=_free_port())[0] == "http://127.0.0.1:9/api"
    assert not (home / "fundscope-server.pid").exists()


@pytest.mark.parametrize("env, flag, local", [("0", True, True), ("1", False, True), ("1", True, False)])
def test_turned_off_means_the_temporary_server(home: Path, monkeypatch: pytest.MonkeyPatch,
                                               env: str, flag: bool, local: bool) -> None:
    monkeypatch.setenv("FUNDSCOPE_AUTO_SERVER", env)
    assert api_for_command(local, flag, port=_free_port()) == (None, None)
    assert not (home / "fundscope-server.pid").exists()


def test_a_non_prefect_answer_is_not_a_server(not_prefect: int) -> None:
    assert not server_answers(f"http://127.0.0.1:{not_prefect}/api")
    assert not server_answers(f"http://127.0.0.1:{_free_port()}/api")  # nothing listening


def _start_in_subprocess(port: int, env: dict[str, str]) -> subprocess.Popen:
    code = ("import json, sys; from flows.prefect_env import ensure_server; "
            f"print(json.dumps(ensure_server({port}, 0.1)))")
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_two_starts_at_once_make_one_server_that_stops_when_idle(home: Path, not_prefect: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    env = dict(os.environ, FUNDSCOPE_AUTO_SERVER="1", PYTHONPATH=str(REPO))
    t0 = time.monotonic()
    try:
        racers = [_start_in_subprocess(not_prefect, env) for _ in range(2)]
        results = []
        for proc in racers:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err[-2000:]
            results.append(tuple(json.loads(out)))
        apis = {api for api, _ in results}
        assert len(apis) == 1, results
        assert sorted(started for _, started in results) == [False, True]  # one started it, one reused it
        api = apis.pop()
        assert f":{not_prefect}/" not in api  # the port answered, but not as Prefect: another port was taken
        assert server_answers(api)
        pid, port, auto = prefect_env._recorded()
        assert auto and f":{port}/" in api

        monkeypatch.setenv("FUNDSCOPE_AUTO_SERVER", "1")
        assert api_for_command(True, True, port=not_prefect) == (api, None)  # reused, not announced again

        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and (prefect_env._alive(pid) or server_answers(api)):
            time.sleep(0.5)
        assert not prefect_env._alive(pid) and not server_answers(api), "still running after 6 s idle + 40 s"
        assert not (home / "fundscope-server.pid").exists()
    finally:
        prefect_env.stop_local_server()
    print(f"race and idle stop took {time.monotonic() - t0:.1f} s")
