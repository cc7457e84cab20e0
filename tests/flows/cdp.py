"""A tiny Chrome DevTools protocol client: open a page in headless Chromium, record what it did.

Records console messages, uncaught exceptions, log entries and every network request the page
makes (a file:// page's own load included), and can evaluate JavaScript and take screenshots.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

INSTALL_HINT = "install it with `apt-get install -y chromium` (as root), or run `make browser`"


def chromium_path() -> str | None:
    """The Chromium executable on PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageLog:
    """What a page did while it was open."""

    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class Browser:
    """Headless Chromium driven over one DevTools websocket (flattened target sessions)."""

    def __init__(self, executable: str, width: int = 1280, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="fundscope-chromium-")
        self.stderr_path = Path(self.profile) / "stderr.log"  # a file, not a pipe: a full pipe would stall Chromium
        self._stderr = self.stderr_path.open("w")
        self.proc = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--allow-file-access-from-files", f"--window-size={width},{height}",
             f"--user-data-dir={self.profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=self._stderr)
        url = self._ws_url()
        self.ws = connect(url, max_size=None, open_timeout=20)
        self._id = 0
        self.session: str | None = None
        self.target: str | None = None
        self.log = PageLog()

    def _ws_url(self, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"DevTools listening on (ws://\S+)", self.stderr_path.read_text(errors="replace"))
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.close()
        raise RuntimeError("Chromium did not start its DevTools endpoint")

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True,
             timeout: float = 30.0) -> dict[str, Any]:
        """Send one command and wait for its answer, recording the events that arrive meanwhile."""
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            answer = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._record(answer)

    def _record(self, event: dict[str, Any]) -> None:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.log.console.append((params.get("type", ""), text))
        elif method == "Runtime.exceptionThrown":
            self.log.exceptions.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            self.log.log_errors.append(params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            self.log.requests.append(params.get("request", {}).get("url", ""))

    def open(self, url: str) -> float:
        """Open `url` in a new tab with every recorder on; returns seconds until the load event."""
        if self.target:  # one tab at a time: an old one would keep using the CPU
            self.send("Target.closeTarget", {"targetId": self.target}, session=False)
        target = self.target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable")
        self.log = PageLog()
        t0 = time.perf_counter()
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete'")
        return time.perf_counter() - t0

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> float:
        """Poll until `expression` is truthy; returns the seconds waited."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.evaluate(expression):
                return time.perf_counter() - t0
            time.sleep(0.02)
        raise TimeoutError(f"{expression!r} still false after {timeout} s")

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the whole page."""
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Stop Chromium and remove its profile."""
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self._stderr.close()
            shutil.rmtree(self.profile, ignore_errors=True)
