"""`fundscope serve`: every source of the sources file as a Prefect deployment of `ingest`.

Scheduled sources run on their cron schedule; every source can also be started by hand from
the Prefect UI or with `prefect deployment run 'ingest/<source>'`. Each run compacts the Delta
tables once they hold more than `SMALL_FILES` data files (many small appends slow readers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.config import SourcesFile, load_sources
from corpus.store import SMALL_FILES


def deployments(config: Path, data_dir: Path) -> list[Any]:
    """One `ingest` deployment per named source, scheduled when the source has a schedule."""
    from prefect.schedules import Cron

    from flows.ingest import ingest

    sources: SourcesFile = load_sources(config)
    out = []
    for source in sources.sources:
        extra: dict[str, Any] = {}
        if source.schedule:
            extra["schedule"] = Cron(source.schedule, timezone=source.timezone)
        out.append(ingest.to_deployment(
            name=source.name,
            parameters={"paths": [], "data_dir": str(data_dir.resolve()), "sources": [source.name],
                        "config": str(Path(config).resolve()), "compact_over": SMALL_FILES},
            description=f"fundscope ingest of source {source.name!r} ({source.kind})",
            tags=["fundscope"],
            **extra,
        ))
    return out


def serve(config: Path, data_dir: Path) -> None:
    """Register the deployments and run them as scheduled or triggered, until interrupted."""
    from prefect import serve as prefect_serve

    prefect_serve(*deployments(config, data_dir), print_starting_message=True)
