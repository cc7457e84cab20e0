"""`make bench`: every benchmark of the project, printed as markdown tables in one run."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import delta_store, feed_url, languages, overhead, pdf_engines, pdf_workers, scaling, stages  # noqa: E402
from bench import report as report_bench  # noqa: E402


def main() -> None:
    """Run each benchmark section in turn."""
    # the other sections measure their own server set-ups; only pdf_workers turns the background server on
    __import__("os").environ["FUNDSCOPE_AUTO_SERVER"] = "0"
    print(f"# fundscope benchmarks\n\nmachine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}, {__import__('os').cpu_count()} cores")
    stages.main()
    languages.main()
    pdf_engines.main()
    feed_url.main()
    overhead.main()
    pdf_workers.main()
    report_bench.main()
    delta_store.main()
    scaling.main()


if __name__ == "__main__":
    main()
