"""A progress hook the CLI installs and the flow reports to (documents and pages done)."""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    """Anything that can show progress: the CLI's rich bar, or nothing."""

    def start(self, total_docs: int, already_done: int) -> None: ...

    def advance(self, docs: int, pages: int) -> None: ...


_sink: ProgressSink | None = None


def install(sink: ProgressSink | None) -> None:
    """Route progress to `sink` (None: discard)."""
    global _sink
    _sink = sink


def active() -> bool:
    """Whether a sink listens in this process (a worker process has none)."""
    return _sink is not None


def start(total_docs: int, already_done: int) -> None:
    """The run knows how many documents need work."""
    if _sink is not None:
        _sink.start(total_docs, already_done)


def report(docs: int, pages: int) -> None:
    """`docs` more documents (with `pages` pages) are done."""
    if _sink is not None:
        _sink.advance(docs, pages)
