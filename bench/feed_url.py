"""A bare feed URL given to `fundscope ingest`, twice, against the local test site: what each run fetched and stored."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.corpus.webserver import WebServer, bare_listing_routes, fill_base  # noqa: E402

ALLOWED_ITEMS = 3  # tests/data/web/bare/feed.xml lists 4 items; robots.txt disallows /private/


def _run(feed: str, data: Path, config: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "fundscope"), "ingest", feed, "--data", str(data), "--quiet",
                    "--workers", "1", "--config", str(config)],
                   check=True, capture_output=True, cwd=REPO, env=dict(os.environ))
    return time.perf_counter() - t0


def _rows(data: Path) -> int:
    from corpus.query import run_query
    from corpus.store import Store

    return run_query(Store(data), "select count(*) from documents_all")[1][0][0]


def main() -> None:
    """Print the two runs as a markdown table."""
    with tempfile.TemporaryDirectory() as tmp, WebServer(bare_listing_routes()) as site:
        fill_base(site)
        work = Path(tmp)
        config = work / "fundscope.toml"  # no pause between requests: the figure is about counts, not politeness
        config.write_text(f'[fetch]\nmin_interval_seconds = 0.0\n\n[sources.unused]\nkind = "path"\npaths = ["{tmp}"]\n',
                          encoding="utf-8")
        feed, data = site.url("/feed.xml"), work / "data"
        rows = []
        for label in ("first run", "second run"):
            seconds = _run(feed, data, config)
            hits = site.take_hits()
            bodies = sum(1 for h in hits if h.status == 200 and h.path != "/robots.txt")
            rows.append((label, _rows(data), len(hits), bodies, sum(1 for h in hits if h.status == 304), seconds))
    print("\n## Bare feed URL (`fundscope ingest http://127.0.0.1:PORT/feed.xml`, RSS served as text/xml)\n")
    print(f"{ALLOWED_ITEMS} of its 4 items are allowed by robots.txt.\n")
    print("| run | document rows after | requests | bodies downloaded | answered 304 | wall time (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, n_rows, requests, bodies, not_modified, seconds in rows:
        print(f"| {label} | {n_rows} | {requests} | {bodies} | {not_modified} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
