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


def report_line(data_dir: str) -> str:
    """The markdown line pointing a run's reader at the report of its store."""
    from corpus.storage import display, is_remote

    shown = display(data_dir) if is_remote(data_dir) else str(data_dir)
    where = "./report.html" if is_remote(data_dir) else f"{str(data_dir).rstrip('/')}/report.html"
    return (f"Charts of the whole store (funding modes, who funds whom, TRLs, deadlines, budgets): "
            f"`fundscope report --data {shown}` writes [{where}]({where}).")


def _run_data_dir() -> str | None:
    """The running ingest flow's `data_dir` parameter, if there is one."""
    try:
        from prefect.runtime import flow_run

        value = (flow_run.parameters or {}).get("data_dir")
    except Exception:  # outside a flow run there is nothing to link
        return None
    return str(value) if value else None


def new_documents_artifact(rows: list[dict[str, Any]], total: int, data_dir: str | None = None) -> None:
    """Publish the run's new documents as a Prefect table artifact (nothing if none), its description naming the report."""
    from prefect.artifacts import create_table_artifact

    if not rows:
        return
    data_dir = data_dir or _run_data_dir()
    hint = report_line(data_dir) if data_dir else ""
    shown = sorted(rows, key=lambda r: r["source"])
    what = f"{total} new documents" if len(shown) == total else f"the first {len(shown)} of {total} new documents"
    create_table_artifact(key="ingest-new-documents", table=shown,
                          description=f"{what}: funding mode, countries, TRL ranges. {hint}".strip())
