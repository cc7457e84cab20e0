"""robots.txt rules per host, and a small file that keeps them between runs for conditional GETs."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.robotparser import RobotFileParser

ROBOTS_AGENT = "fundscope"


@dataclass(frozen=True)
class RobotsEntry:
    """What a host's robots.txt said: its text (None means no rules: allow all) and its validators."""

    text: str | None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None


class RobotsRules:
    """The parsed rules of one host's robots.txt, answered for fundscope's user agent."""

    def __init__(self, text: str | None) -> None:
        self._parser = RobotFileParser()
        # parse() also marks the rules as read; without it can_fetch refuses everything
        self._parser.parse((text or "").splitlines())

    def allows(self, url: str) -> bool:
        """Whether fundscope may fetch `url`."""
        return self._parser.can_fetch(ROBOTS_AGENT, url)

    def crawl_delay(self) -> float | None:
        """The Crawl-delay the host asks of fundscope (or of every agent), in seconds."""
        delay = self._parser.crawl_delay(ROBOTS_AGENT)
        return float(delay) if delay is not None else None


class RobotsCache:
    """robots.txt entries by origin ("https://host:port"), saved to a JSON file when one is given."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._entries: dict[str, RobotsEntry] = {}
        if self._path is not None and self._path.is_file():
            self._entries = _read(self._path)

    def get(self, origin: str) -> RobotsEntry | None:
        """The entry kept for `origin`, if any."""
        with self._lock:
            return self._entries.get(origin)

    def put(self, origin: str, entry: RobotsEntry) -> None:
        """Keep `entry` for `origin` and write the file (atomically) when there is one."""
        with self._lock:
            self._entries[origin] = entry
            if self._path is not None:
                _write(self._path, self._entries)


def _read(path: Path) -> dict[str, RobotsEntry]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {origin: RobotsEntry(**fields) for origin, fields in raw.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        # a damaged cache only costs one unconditional robots.txt request per host
        return {}


def _write(path: Path, entries: dict[str, RobotsEntry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_text(json.dumps({o: asdict(e) for o, e in entries.items()}, indent=1), encoding="utf-8")
    os.replace(scratch, path)
