"""The store's tables as Delta Lake: read by Polars and deltalake alone, time travel, compaction, schema evolution."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from corpus.query import run_query
from corpus.schema import MENTIONS, TABLES
from corpus.store import Batch, Store
from flows.cli import app
from tests.corpus.test_store import cls, doc, err, mention

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def fill(root: Path) -> Store:
    """Three batches: two sources (one with a second version), mentions, labels and an error."""
    store = Store(root)
    store.commit(Batch(documents=[doc("a.txt", "a1")], mentions=[mention("a1"), mention("a1", 6, 11, "Japan")],
                       classifications=[cls("a1")]), "r1")
    store.commit(Batch(documents=[doc("b.txt", "b1")], mentions=[mention("b1")], classifications=[cls("b1")],
                       errors=[err("c.pdf", "c1")]), "r2")
    store.commit(Batch(documents=[doc("a.txt", "a2", at=T0 + timedelta(hours=1))], mentions=[mention("a2")],
                       classifications=[cls("a2")]), "r3")
    return store


def cli_count(root: Path, table: str, *extra: str) -> int:
    result = CliRunner().invoke(app, ["query", f"select count(*) as n from {table}", "--data", str(root),
                                      "--format", "csv", *extra])
    assert result.exit_code == 0, result.output
    return int(result.stdout.splitlines()[1])


def test_polars_and_deltalake_alone_read_the_counts_fundscope_query_gives(tmp_path: Path) -> None:
    import polars as pl
    from deltalake import DeltaTable

    fill(tmp_path)
    for table in TABLES:
        path = tmp_path / "tables" / table
        expected = cli_count(tmp_path, f"{table}_all")
        if not path.exists():  # no row was ever committed to it
            assert expected == 0, table
            continue
        assert pl.read_delta(str(path)).height == expected, table
        assert DeltaTable(str(path)).to_pyarrow_table().num_rows == expected, table
    assert (cli_count(tmp_path, "documents_all"), cli_count(tmp_path, "mentions_all")) == (3, 4)


def test_duckdb_reads_a_table_through_the_arrow_dataset_as_the_readme_shows(tmp_path: Path) -> None:
    import duckdb
    from deltalake import DeltaTable

    fill(tmp_path)
    mentions = DeltaTable(str(tmp_path / "tables" / "mentions")).to_pyarrow_dataset()
    con = duckdb.connect()
    con.register("mentions", mentions)
    assert con.execute("select count(*) from mentions where value = 'JPN'").fetchone()[0] == 4


def test_query_as_of_a_version_or_a_time_reads_the_store_as_it_was(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(Batch(documents=[doc("a.txt", "a1")], mentions=[mention("a1")]), "r1")
    time.sleep(0.05)
    between = datetime.now(timezone.utc)
    time.sleep(0.05)
    store.commit(Batch(documents=[doc("b.txt", "b1")], mentions=[mention("b1")]), "r2")
    assert cli_count(tmp_path, "documents") == 2
    assert cli_count(tmp_path, "documents", "--as-of", "0") == 1
    assert cli_count(tmp_path, "mentions", "--as-of", "0") == 1
    assert cli_count(tmp_path, "documents", "--as-of", "1") == 2
    assert cli_count(tmp_path, "mentions_all", "--as-of", between.isoformat()) == 1
    assert cli_count(tmp_path, "documents", "--as-of", "2000-01-01T00:00:00Z") == 0  # before any commit
    result = CliRunner().invoke(app, ["query", "select 1", "--data", str(tmp_path), "--as-of", "7"],
                                terminal_width=200)
    assert result.exit_code == 2 and "no store version 7 (versions 0 to 1 exist)" in " ".join(result.output.split())
    with pytest.raises(ValueError, match="read-only"):
        Store(tmp_path, as_of=0).commit(Batch(documents=[doc("c.txt", "c1")]), "r3")


def test_compact_merges_small_files_keeps_the_rows_and_keeps_time_travel(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for i in range(5):
        store.commit(Batch(documents=[doc(f"s{i}.txt", f"d{i}")], mentions=[mention(f"d{i}")]), "r")
    assert Store(tmp_path).data_files() == 10
    result = CliRunner().invoke(app, ["compact", "--data", str(tmp_path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert Store(tmp_path).data_files() == 2
    assert cli_count(tmp_path, "mentions_all") == 5
    assert cli_count(tmp_path, "documents", "--as-of", "2") == 3  # replaced files stay for the retention
    Store(tmp_path).compact(retention_hours=0)
    parquet = [p for p in (tmp_path / "tables" / "mentions").glob("*.parquet")]
    assert len(parquet) == 1  # with no retention, vacuum deletes every replaced file


def test_a_new_column_is_additive_schema_evolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from deltalake import DeltaTable

    old = pa.schema([f for f in MENTIONS if f.name != "party_kind"])
    with monkeypatch.context() as m:  # the mentions table as a version without party_kind wrote it
        m.setitem(TABLES, "mentions", old)
        Store(tmp_path).commit(Batch(documents=[doc("old.txt", "d0")], mentions=[mention("d0")]), "old")
    path = str(tmp_path / "tables" / "mentions")
    assert "party_kind" not in DeltaTable(path).schema().to_arrow().names
    new = dict(mention("d1"), party_kind="academia")
    Store(tmp_path).commit(Batch(documents=[doc("new.txt", "d1")], mentions=[new]), "new")
    table = DeltaTable(path)
    assert table.version() == 1 and "party_kind" in table.schema().to_arrow().names
    got = sorted(zip(*[table.to_pyarrow_table()[c].to_pylist() for c in ("doc_id", "party_kind")]))
    assert got == [("d0", None), ("d1", "academia")]
    assert run_query(Store(tmp_path), "select doc_id, party_kind from mentions order by doc_id")[1] == [
        ("d0", None), ("d1", "academia")]


def test_the_index_survives_a_compaction_that_rewrote_every_file(tmp_path: Path) -> None:
    store = fill(tmp_path)
    before = store.index()
    Store(tmp_path).compact(retention_hours=0)
    after = store.index()  # the same Store object: its folded files are gone, so it folds afresh
    assert after == before
    assert after.latest_by_source == {"a.txt": "a2", "b.txt": "b1"}
    assert after.permanent_errors == {("c.pdf", "c1"): "corrupt_pdf"}


def test_a_query_opens_only_the_tables_it_names_and_gets_the_full_answer(tmp_path: Path) -> None:
    from corpus.query import connect, tables_needed

    fill(tmp_path)
    assert tables_needed("select count(*) from Mentions") == {"mentions", "documents"}
    assert tables_needed('select * from "errors_all"') == {"errors"}
    for sql in ("select count(*) from MENTIONS", "select count(*) from errors_all",
                "select count(*) from classifications c join documents d using (doc_id)"):
        everything = connect(Store(tmp_path))
        try:
            full = everything.execute(sql).fetchall()
        finally:
            everything.close()
        assert run_query(Store(tmp_path), sql)[1] == full, sql
