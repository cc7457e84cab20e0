"""What one ingest run did: counts, timings and failures, as data and as markdown."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyarrow.compute as pc

from corpus.store import Store
from flows.batch import BatchStats


@dataclass
class RunSummary:
    """The figures printed at the end of a run and kept as its Prefect artifact."""

    run_id: str
    unchanged: int = 0
    skipped_failed: int = 0
    stats: BatchStats = field(default_factory=BatchStats)
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # source, stage, type, message
    expanded: list[str] = field(default_factory=list)  # "feed URL → 6 items (…)", one per feed or sitemap input
    workers_note: str | None = None  # why fewer processes than asked were used, when they were
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    def finish(self, store: Store, paths: list[str]) -> None:
        """Stop the clock and collect this run's error rows from the store."""
        self.seconds = time.perf_counter() - self.started
        errors = store.read_table("errors")
        mine = errors.filter(pc.equal(errors["run_id"], self.run_id))
        self.errors = list(zip(*(mine[c].to_pylist() for c in ("source", "stage", "error_type", "message"))))

    @property
    def failed(self) -> int:
        return self.stats.failed

    @property
    def warning(self) -> str | None:
        """A line for runs where nothing could be ingested at all, which a glance at 'Completed' would miss."""
        if self.failed and not self.stats.new and not self.unchanged and not self.skipped_failed:
            return (f"every input failed ({self.failed}): nothing was ingested; "
                    "see the failures below or the errors table")
        return None


def summary_rows(s: RunSummary) -> list[tuple[str, str]]:
    """(item, value) pairs shown in the summary table."""
    rows = [(kind_and_source, "→ " + what) for kind_and_source, what in (e.split(" → ", 1) for e in s.expanded)]
    rows += [
        ("documents new", str(s.stats.new)),
        ("documents unchanged", str(s.unchanged)),
        ("documents failed", str(s.failed)),
    ]
    if s.skipped_failed:
        rows.append(("failed before, unchanged (skipped)", str(s.skipped_failed)))
    rows.append(("pages", str(s.stats.pages)))
    for label in sorted(s.stats.mentions):
        rows.append((f"mentions: {label}", str(s.stats.mentions[label])))
    for mode in ("matching_fund", "direct_fund", "neither"):
        if s.stats.modes.get(mode):
            rows.append((f"funding mode: {mode}", str(s.stats.modes[mode])))
    if s.workers_note:
        rows.append(("processes", s.workers_note))
    rows.append(("time", f"{s.seconds:.1f} s"))
    return rows


def summary_markdown(s: RunSummary, data_dir: str | None = None) -> str:
    """The run summary as a markdown artifact, linking the store's report when `data_dir` is given."""
    lines = [f"# fundscope ingest `{s.run_id}`", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in summary_rows(s)]
    if data_dir is not None:
        from flows.artifacts import report_line

        lines += ["", report_line(data_dir)]
    if s.warning:
        lines += ["", f"**Warning: {s.warning}.**"]
    if s.errors:
        lines += ["", "## Failures", "", "| source | stage | error type | message |", "|---|---|---|---|"]
        lines += [f"| {src} | {stage} | {etype} | {msg.replace('|', '/')} |" for src, stage, etype, msg in s.errors]
    return "\n".join(lines) + "\n"
