"""The parquet store: atomic commits, idempotence, versions and the DuckDB views."""

from __future__ import annotations

import multiprocessing as mp

import pytest
import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.query import run_query
from corpus.schema import DOCUMENTS
from corpus.store import Batch, Store

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def doc(source: str, doc_id: str, text: str = "Japan funds its own teams.", at: datetime = T0) -> dict:
    return {"doc_id": doc_id, "source": source, "title": "t", "kind": "text", "text": text,
            "n_pages": 1, "page_starts": [0], "size_bytes": len(text), "encoding": "utf-8",
            "ingested_at": at, "run_id": "r1"}


def mention(doc_id: str, start: int = 0, end: int = 5, text: str = "Japan") -> dict:
    return {"doc_id": doc_id, "label": "country", "value": "JPN", "text": text, "start": start,
            "end": end, "sentence": "Japan funds its own teams.", "trl_min": None, "trl_max": None,
            "agency_country": None, "page": 1}


def cls(doc_id: str, version: str = "m1", at: datetime = T0) -> dict:
    return {"doc_id": doc_id, "funding_mode": "matching_fund", "p_matching_fund": 0.8,
            "p_direct_fund": 0.1, "p_neither": 0.1, "model_version": version, "classified_at": at}


def err(source: str, doc_id: str | None, etype: str = "corrupt_pdf", transient: bool = False,
        at: datetime = T0) -> dict:
    return {"source": source, "doc_id": doc_id, "stage": "load", "error_type": etype,
            "message": f"{source}: broken", "transient": transient, "occurred_at": at, "run_id": "r1"}


def one_doc_batch(source: str = "a.txt", doc_id: str = "d1") -> Batch:
    return Batch(documents=[doc(source, doc_id)], mentions=[mention(doc_id)], classifications=[cls(doc_id)])


def count(store: Store, table: str) -> int:
    return run_query(store, f"select count(*) from {table}")[1][0][0]


def test_commit_makes_rows_visible_with_typed_columns(tmp_path: Path) -> None:
    store = Store(tmp_path)
    result = store.commit(one_doc_batch(), "r1")
    assert result.written == {"documents": 1, "mentions": 1, "classifications": 1, "errors": 0,
                              "evidence": 0, "flows": 0, "facts": 0}
    cols, rows = run_query(store, "select text, start, \"end\" from mentions")
    assert rows == [("Japan", 0, 5)]
    schema = pq.read_schema(store.files("documents")[0])
    assert schema.field("ingested_at").type == pa.timestamp("us", tz="UTC")
    assert pq.read_schema(store.files("mentions")[0]).field("start").type == pa.int64()


def test_same_batch_twice_adds_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(one_doc_batch(), "r1")
    second = Store(tmp_path).commit(one_doc_batch(), "r2")  # a new process's view of the store
    assert second.commit_id is None
    assert second.written == {"documents": 0, "mentions": 0, "classifications": 0, "errors": 0,
                              "evidence": 0, "flows": 0, "facts": 0}
    assert [count(store, t) for t in ("documents_all", "mentions_all", "classifications_all")] == [1, 1, 1]


def test_same_bytes_under_a_second_name_adds_a_document_row_only(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(one_doc_batch("a.txt", "d1"), "r1")
    result = store.commit(one_doc_batch("copy-of-a.txt", "d1"), "r2")
    assert result.written == {"documents": 1, "mentions": 0, "classifications": 0, "errors": 0,
                              "evidence": 0, "flows": 0, "facts": 0}
    assert run_query(store, "select source from documents order by source")[1] == [("a.txt",), ("copy-of-a.txt",)]
    assert count(store, "mentions") == 1


def test_latest_version_per_source_including_a_reverted_file(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(Batch(documents=[doc("a.txt", "v1", at=T0)]), "r1")
    store.commit(Batch(documents=[doc("a.txt", "v2", at=T0 + timedelta(hours=1))]), "r2")
    store.commit(Batch(documents=[doc("a.txt", "v1", at=T0 + timedelta(hours=2))]), "r3")
    assert run_query(store, "select doc_id from documents")[1] == [("v1",)]
    assert count(store, "documents_all") == 3


def test_mentions_view_follows_latest_version(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(Batch(documents=[doc("a.txt", "v1", at=T0)], mentions=[mention("v1")]), "r1")
    store.commit(Batch(documents=[doc("a.txt", "v2", at=T0 + timedelta(hours=1))]), "r2")
    assert count(store, "mentions") == 0
    assert count(store, "mentions_all") == 1


def test_a_data_file_no_log_entry_lists_is_invisible_and_vacuumed(tmp_path: Path) -> None:
    """What a writer killed between its data file and its log entry leaves: no reader sees it."""
    from deltalake import DeltaTable

    store = Store(tmp_path)
    store.commit(one_doc_batch(), "r1")
    orphan = store.table_dir("documents") / "part-00000-killed-writer-c000.snappy.parquet"
    pq.write_table(pa.Table.from_pylist([doc("x.txt", "dx")], schema=DOCUMENTS), orphan)
    assert count(Store(tmp_path), "documents_all") == 1
    assert DeltaTable(str(store.table_dir("documents"))).to_pyarrow_table().num_rows == 1
    report = Store(tmp_path).compact(retention_hours=0)
    assert not orphan.exists()
    assert report["documents"]["deleted"] >= 1
    assert count(Store(tmp_path), "documents_all") == 1


def test_permanent_and_transient_errors_in_the_index(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(Batch(errors=[err("bad.pdf", "e1"), err("slow.pdf", "e2", "timeout", transient=True)]), "r1")
    index = Store(tmp_path).index()
    assert index.permanent_errors == {("bad.pdf", "e1"): "corrupt_pdf"}
    again = store.commit(Batch(errors=[err("bad.pdf", "e1")]), "r2")
    assert again.written["errors"] == 0


def test_errors_view_drops_a_source_once_a_later_version_is_ingested(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(Batch(errors=[err("a.pdf", "v1", at=T0)]), "r1")
    assert run_query(store, "select source, error_type from errors")[1] == [("a.pdf", "corrupt_pdf")]
    store.commit(Batch(documents=[doc("a.pdf", "v2", at=T0 + timedelta(minutes=5))]), "r2")
    assert count(store, "errors") == 0
    assert count(store, "errors_all") == 1


def test_empty_store_has_every_view(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for view in ("documents", "mentions", "classifications", "errors", "evidence", "flows", "facts"):
        assert count(store, view) == 0


def run_together(target, argsets: list[tuple], settle_s: float = 1.0, join_s: float = 120.0) -> None:
    """Start one spawned process per argument tuple, release them at once (`target(*args, go)`), expect exit 0."""
    ctx = mp.get_context("spawn")
    go = ctx.Event()
    procs = [ctx.Process(target=target, args=(*args, go)) for args in argsets]
    for p in procs:
        p.start()
    time.sleep(settle_s)  # every child imported and waiting
    go.set()
    for p in procs:
        p.join(join_s)
        assert p.exitcode == 0


def _commit_many(root: str, start: int, go: "mp.synchronize.Event") -> None:
    go.wait(30)
    store = Store(root)
    for i in range(30):
        store.commit(one_doc_batch(f"s{i}.txt", f"d{i}"), f"run-{start}")


def test_two_processes_committing_the_same_rows_end_as_one(tmp_path: Path) -> None:
    run_together(_commit_many, [(str(tmp_path), n) for n in (1, 2)])
    store = Store(tmp_path)
    assert count(store, "documents_all") == 30
    assert count(store, "mentions_all") == 30


def _commit_other(root: str, start: int, go: "mp.synchronize.Event") -> None:
    go.wait(30)
    store = Store(root)
    for i in range(20):
        store.commit(one_doc_batch(f"p{start}-{i}.txt", f"p{start}-{i}"), f"run-{start}")


def test_two_processes_committing_different_rows_lose_none(tmp_path: Path) -> None:
    run_together(_commit_other, [(str(tmp_path), n) for n in (1, 2)])
    assert count(Store(tmp_path), "documents_all") == 40
    assert count(Store(tmp_path), "mentions_all") == 40


def test_a_commit_that_lost_the_race_reloads_and_drops_what_the_winner_wrote(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus.store as store_module

    first = Store(tmp_path)
    first.commit(Batch(documents=[doc("seed.txt", "d0")]), "r0")
    first.index()  # `first` knows version 0 of every table
    Store(tmp_path).commit(one_doc_batch(), "winner")  # another writer commits meanwhile
    stale = {"left": 3}  # the first three looks at the tables see the old versions, as in a race
    real_refresh = store_module.Store._refresh

    def refresh(self: Store, table: str) -> None:
        if stale["left"] > 0:
            stale["left"] -= 1
            return
        real_refresh(self, table)

    monkeypatch.setattr(store_module.Store, "_refresh", refresh)
    result = first.commit(one_doc_batch(), "loser")
    assert result.written["mentions"] == 0 and result.written["documents"] == 0
    monkeypatch.undo()
    assert count(Store(tmp_path), "mentions_all") == 1
    assert count(Store(tmp_path), "documents_all") == 2
