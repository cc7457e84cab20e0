"""The run's table artifact keeps at most MAX_ROWS rows however many documents a run adds."""

from __future__ import annotations

from flows import artifacts
from flows.batch import BatchStats


def test_folding_batches_keeps_at_most_max_rows(monkeypatch) -> None:
    monkeypatch.setattr(artifacts, "MAX_ROWS", 5)
    total = BatchStats()
    for b in range(3):
        part = BatchStats(new=3, overview=[{"source": f"{b}-{i}"} for i in range(3)])
        total.add(part)
    assert total.new == 9
    assert [r["source"] for r in total.overview] == ["0-0", "0-1", "0-2", "1-0", "1-1"]


def test_row_without_prediction_has_no_mode() -> None:
    row = artifacts.overview_row("x.txt", None, [], None)
    assert (row["funding_mode"], row["probability"], row["countries"], row["trl_ranges"]) == (None, None, "", "")
