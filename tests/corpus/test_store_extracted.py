"""The evidence, flows and facts tables, and mentions' party columns read from stores written before them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.query import run_query
from corpus.schema import MENTIONS, TABLES
from corpus.store import Batch, Store

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
TEXT = "JST funds the Japanese teams at TRL 3. Deadline: 31 January 2026. Budget: EUR 1.5 million."


def doc(source: str, doc_id: str, at: datetime = T0) -> dict:
    return {"doc_id": doc_id, "source": source, "title": "t", "kind": "text", "text": TEXT, "n_pages": 1,
            "page_starts": [0], "size_bytes": len(TEXT), "encoding": "utf-8", "ingested_at": at, "run_id": "r1"}


def mention(doc_id: str, **party: str) -> dict:
    return {"doc_id": doc_id, "label": "trl", "value": "3-3", "text": "TRL 3", "start": 32, "end": 37,
            "sentence": TEXT[:38], "trl_min": 3, "trl_max": 3, "agency_country": None, "page": 1, **party}


def evidence(doc_id: str) -> dict:
    return {"doc_id": doc_id, "kind": "own", "funder": "JST", "funder_country": "JPN", "recipient_country": "JPN",
            "negated": False, "modality": "stated", "text": TEXT[:28], "start": 0, "end": 28, "sentence": TEXT[:38]}


def flow(doc_id: str) -> dict:
    return {"doc_id": doc_id, "funder": "JST", "funder_country": "JPN", "recipient_country": "JPN",
            "mode": "matching_fund", "evidence_start": 0, "evidence_end": 28}


def facts(doc_id: str) -> list[dict]:
    common = {"doc_id": doc_id, "sentence": None, "date": None, "amount": None, "currency": None, "per": None,
              "months": None}
    return [{**common, "fact": "deadline", "text": "31 January 2026", "start": 49, "end": 64, "date": date(2026, 1, 31)},
            {**common, "fact": "budget", "text": "EUR 1.5 million", "start": 74, "end": 89, "amount": 1.5e6,
             "currency": "EUR", "per": "call"}]


def full_batch(source: str = "a.txt", doc_id: str = "d1", at: datetime = T0) -> Batch:
    return Batch(documents=[doc(source, doc_id, at)], mentions=[mention(doc_id, party_country="JPN",
                                                                          party_kind="academia")],
                 evidence=[evidence(doc_id)], flows=[flow(doc_id)], facts=facts(doc_id))


def rows(store: Store, sql: str) -> list[tuple]:
    return run_query(store, sql)[1]


def test_fixture_offsets_are_those_of_the_text() -> None:
    for row in [evidence("d"), mention("d"), *facts("d")]:
        assert TEXT[row["start"]:row["end"]] == row["text"]


def test_new_tables_commit_with_their_types(tmp_path: Path) -> None:
    store = Store(tmp_path)
    result = store.commit(full_batch(), "r1")
    assert {t: result.written[t] for t in ("evidence", "flows", "facts")} == {"evidence": 1, "flows": 1, "facts": 2}
    assert rows(store, "select funder_country, recipient_country, negated, modality from evidence") == [
        ("JPN", "JPN", False, "stated")]
    assert rows(store, "select mode, evidence_start, evidence_end from flows") == [("matching_fund", 0, 28)]
    assert rows(store, "select fact, date, amount, currency, per from facts order by start") == [
        ("deadline", date(2026, 1, 31), None, None, None), ("budget", None, 1.5e6, "EUR", "call")]
    assert rows(store, "select party_country, party_kind from mentions") == [("JPN", "academia")]
    schema = pq.read_schema(store.files("facts")[0])
    assert schema.field("date").type == pa.date32() and schema.field("amount").type == pa.float64()
    assert pq.read_schema(store.files("evidence")[0]).field("negated").type == pa.bool_()


def test_the_same_bytes_again_add_no_extracted_rows(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(full_batch("a.txt", "d1"), "r1")
    again = Store(tmp_path).commit(full_batch("copy.txt", "d1"), "r2")
    assert again.written == {"documents": 1, "mentions": 0, "classifications": 0, "errors": 0,
                             "evidence": 0, "flows": 0, "facts": 0}
    assert [rows(store, f"select count(*) from {t}_all")[0][0] for t in ("evidence", "flows", "facts")] == [1, 1, 2]


def test_views_follow_the_latest_version_of_each_source(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(full_batch("a.txt", "v1", T0), "r1")
    store.commit(Batch(documents=[doc("a.txt", "v2", T0 + timedelta(hours=1))]), "r2")
    for table, n_all in (("evidence", 1), ("flows", 1), ("facts", 2)):
        assert rows(store, f"select count(*) from {table}") == [(0,)], table
        assert rows(store, f"select count(*) from {table}_all") == [(n_all,)], table


def test_a_store_written_before_the_party_columns_still_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old_mentions = pa.schema([f for f in MENTIONS if f.name not in ("party_country", "party_kind")])
    old_tables = {"documents": TABLES["documents"], "mentions": old_mentions,
                  "classifications": TABLES["classifications"], "errors": TABLES["errors"]}
    with monkeypatch.context() as m:  # the store as the four-table code wrote it
        for name in list(TABLES):
            m.delitem(TABLES, name)
        for name, schema in old_tables.items():
            m.setitem(TABLES, name, schema)
        Store(tmp_path).commit(Batch(documents=[doc("old.txt", "d0")], mentions=[mention("d0")]), "old-run")
    assert "party_kind" not in pq.read_schema(Store(tmp_path).files("mentions")[0]).names
    store = Store(tmp_path)
    store.commit(full_batch("new.txt", "d1"), "new-run")
    assert rows(store, "select doc_id, party_country, party_kind from mentions order by doc_id") == [
        ("d0", None, None), ("d1", "JPN", "academia")]
    table = store.read_table("mentions")
    assert table.schema.names == MENTIONS.names
    assert sorted(zip(table["doc_id"].to_pylist(), table["party_kind"].to_pylist())) == [("d0", None),
                                                                                         ("d1", "academia")]
    assert rows(store, "select count(*) from evidence_all") == [(1,)]


def test_an_old_store_alone_has_the_new_columns_and_views(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old_mentions = pa.schema([f for f in MENTIONS if f.name not in ("party_country", "party_kind")])
    with monkeypatch.context() as m:
        m.setitem(TABLES, "mentions", old_mentions)
        Store(tmp_path).commit(Batch(documents=[doc("old.txt", "d0")], mentions=[mention("d0")]), "old-run")
    store = Store(tmp_path)
    cols, found = run_query(store, "select * from mentions")
    assert cols == MENTIONS.names
    assert found[0][cols.index("party_kind")] is None and found[0][cols.index("value")] == "3-3"
    assert rows(store, "select count(*) from flows") == [(0,)]
