"""Size and page ceilings a loader enforces before it spends time on an input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Inputs larger than `max_bytes` or PDFs longer than `max_pages` fail as `too_large`."""

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 2000
