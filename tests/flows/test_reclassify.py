"""`reclassify` labels stored documents with the current model and keeps the old rows."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from corpus.query import run_query
from corpus.store import Batch, Store
from flows.workers import get_model

OLD = datetime(2025, 1, 1, tzinfo=timezone.utc)
TEXT = ("Under the new scheme the Japanese agency pays the overseas partner's costs directly, "
        "so the British partner needs no grant from UKRI.")


def seed_store(data: Path) -> None:
    store = Store(data)
    store.commit(Batch(
        documents=[{"doc_id": "d1", "source": "a.txt", "title": "a", "kind": "text", "text": TEXT, "n_pages": 1,
                    "page_starts": [0], "size_bytes": len(TEXT), "encoding": "utf-8", "ingested_at": OLD, "run_id": "r0"}],
        mentions=[{"doc_id": "d1", "label": "country", "value": "JPN", "text": "Japanese", "start": 18, "end": 26,
                   "sentence": TEXT, "trl_min": None, "trl_max": None, "agency_country": None, "page": 1}],
        classifications=[{"doc_id": "d1", "funding_mode": "neither", "p_matching_fund": 0.2, "p_direct_fund": 0.2,
                          "p_neither": 0.6, "model_version": "fm-old", "classified_at": OLD}],
    ), "r0")


def test_reclassify_adds_current_model_rows_and_keeps_history(prefect_api: str, tmp_path: Path) -> None:
    from flows.reclassify import reclassify

    seed_store(tmp_path)
    first = reclassify(data_dir=str(tmp_path))
    version = get_model().version
    assert first["reclassified"] == 1
    store = Store(tmp_path)
    assert run_query(store, "select model_version from classifications")[1] == [(version,)]
    history = run_query(store, "select model_version from classifications_all order by classified_at")[1]
    assert history == [("fm-old",), (version,)]
    again = reclassify(data_dir=str(tmp_path))
    assert again["reclassified"] == 0
    assert run_query(store, "select count(*) from classifications_all")[1] == [(2,)]
