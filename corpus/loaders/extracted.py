"""What a kind-specific loader hands back before the dispatcher adds identity and size."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extracted:
    """Clean text and page facts from one PDF, HTML page or text file."""

    text: str
    title: str | None = None
    n_pages: int = 1
    page_starts: list[int] = field(default_factory=lambda: [0])
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
