"""`make bench`: every benchmark of the project, printed as markdown tables in one run."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import overhead, scaling, stages  # noqa: E402


def main() -> None:
    """Run each benchmark section in turn."""
    print(f"# fundscope benchmarks\n\nmachine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}, {__import__('os').cpu_count()} cores")
    stages.main()
    overhead.main()
    scaling.main()


if __name__ == "__main__":
    main()
