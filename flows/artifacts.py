"""The table artifact each ingest run leaves in Prefect: its new documents at a glance.

Rows are built in the batches, from the mentions and predictions already in hand, so the
flow neither re-reads the store at the end nor holds more than `MAX_ROWS` of them.
"""

from __future__ import annotations

from typing import Any, Iterable

MAX_ROWS = 500  # enough to glance at; the whole run is in the `documents` table


def overview_row(source: str, title: str | None, mentions: Iterable[Any], prediction: Any | None) -> dict[str, Any]:
    """One document's artifact row: funding mode, its probability, countries and TRL ranges."""
    mentions = list(mentions)
    return {
        "source": source,
        "title": title,
        "funding_mode": prediction.funding_mode if prediction is not None else None,
        "probability": round(max(prediction.p_matching_fund, prediction.p_direct_fund, prediction.p_neither), 3)
        if prediction is not None else None,
        "countries": " ".join(sorted({m.value for m in mentions if m.label == "country"})),
        "trl_ranges": " ".join(sorted({m.value for m in mentions if m.label == "trl"})),
    }


def keep_rows(kept: list[dict[str, Any]], more: Iterable[dict[str, Any]]) -> None:
    """Append `more` to `kept` up to `MAX_ROWS` rows."""
    for row in more:
        if len(kept) >= MAX_ROWS:
            return
        kept.append(row)


def new_documents_artifact(rows: list[dict[str, Any]], total: int) -> None:
    """Publish the run's new documents as a Prefect table artifact (nothing if none)."""
    from prefect.artifacts import create_table_artifact

    if not rows:
        return
    shown = sorted(rows, key=lambda r: r["source"])
    what = f"{total} new documents" if len(shown) == total else f"the first {len(shown)} of {total} new documents"
    create_table_artifact(key="ingest-new-documents", table=shown,
                          description=f"{what}: funding mode, countries, TRL ranges")
