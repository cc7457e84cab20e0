"""DuckDB views over the store's Delta tables, for `fundscope query`."""

from __future__ import annotations

import re

import duckdb

from corpus.schema import TABLES
from corpus.store import Store

# Views users query by default see the latest version of each source; *_all keep history.
_VIEWS = {
    "documents": """
        select * exclude (_rn) from (
            select *, row_number() over (
                partition by source order by ingested_at desc, run_id desc) as _rn
            from documents_all)
        where _rn = 1""",
    "mentions": """
        select * from mentions_all
        where doc_id in (select doc_id from documents)""",
    "evidence": """
        select * from evidence_all
        where doc_id in (select doc_id from documents)""",
    "flows": """
        select * from flows_all
        where doc_id in (select doc_id from documents)""",
    "facts": """
        select * from facts_all
        where doc_id in (select doc_id from documents)""",
    "classifications": """
        select * exclude (_rn) from (
            select *, row_number() over (
                partition by doc_id order by classified_at desc, model_version desc) as _rn
            from classifications_all
            where doc_id in (select doc_id from documents))
        where _rn = 1""",
    # an input's failure stays listed until a later version of that source is ingested
    "errors": """
        select * exclude (_rn) from (
            select *, row_number() over (
                partition by source, stage, error_type order by occurred_at desc) as _rn
            from errors_all e
            where not exists (
                select 1 from documents d
                where d.source = e.source and d.ingested_at >= e.occurred_at))
        where _rn = 1""",
}


def tables_needed(sql: str) -> set[str]:
    """The tables a query can read: those it names, plus documents, which every latest-version view reads."""
    named = {m.group(1).lower() for m in _TABLE_NAME.finditer(sql)}
    plain = {t for t in named if not t.endswith("_all")}
    needed = {t.removesuffix("_all") for t in named}
    return needed | ({"documents"} if plain else set())


_TABLE_NAME = re.compile(r"\b(" + "|".join(f"{t}(?:_all)?" for t in TABLES) + r")\b", re.IGNORECASE)


def connect(store: Store, sql: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the store's Delta tables as views.

    Given the `sql` to run, only the tables it can read are opened (each Delta table costs a log
    read); the others are empty views, so any query still binds.
    """
    con = duckdb.connect(":memory:")
    needed = tables_needed(sql) if sql is not None else set(TABLES)
    for table, schema in TABLES.items():
        # the empty schema table first: columns in schema order, and a column that older rows
        # lack (added since they were written) reads as null instead of missing
        con.register(f"_{table}_empty", schema.empty_table())
        if table not in needed:
            con.execute(f"create view {table}_all as select * from _{table}_empty")
        elif not store.remote:
            # the files the Delta log lists now, read by DuckDB itself (faster than an Arrow dataset);
            # our tables use no deletion vectors or column mapping, so the listed files are the rows
            files = store.files(table)
            if files:
                listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
                con.execute(f"create view {table}_all as select * from _{table}_empty union all by name "
                            f"select * from read_parquet([{listing}], union_by_name = true)")
            else:
                con.execute(f"create view {table}_all as select * from _{table}_empty")
        else:
            # pyarrow (through delta-rs) reads the objects: DuckDB's own S3 support is an extension it would download
            dataset = store.dataset(table)
            if dataset is None:
                con.execute(f"create view {table}_all as select * from _{table}_empty")
            else:
                con.register(f"_{table}_files", dataset)
                con.execute(f"create view {table}_all as select * from _{table}_empty union all by name "
                            f"select * from _{table}_files")
    for view, view_sql in _VIEWS.items():
        con.execute(f"create view {view} as {view_sql}")
    return con


def run_query(store: Store, sql: str) -> tuple[list[str], list[tuple]]:
    """Run `sql` against the views; returns column names and rows."""
    con = connect(store, sql)
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall()
    finally:
        con.close()
