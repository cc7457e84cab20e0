"""DuckDB views over the store's committed parquet files, for `fundscope query`."""

from __future__ import annotations

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


def connect(store: Store) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the store's tables as views."""
    con = duckdb.connect(":memory:")
    for table, schema in TABLES.items():
        files = [str(p) for p in store.files(table)]
        if files and store.remote:
            import pyarrow.dataset as ds  # only here: local stores never pay for the import

            # pyarrow reads the objects: DuckDB's own S3 support is an extension it would download
            con.register(f"_{table}_files", ds.dataset(files, filesystem=store.filesystem, format="parquet",
                                                       schema=schema))
            con.execute(f"create view {table}_all as select * from _{table}_files")
        elif files:
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            # the empty schema table first: columns in schema order, and a column that older files
            # lack (added since they were written) reads as null instead of missing
            con.register(f"_{table}_empty", schema.empty_table())
            con.execute(
                f"create view {table}_all as select * from _{table}_empty union all by name "
                f"select * from read_parquet([{listing}], union_by_name = true)"
            )
        else:
            con.register(f"_{table}_empty", schema.empty_table())
            con.execute(f"create view {table}_all as select * from _{table}_empty")
    for view, sql in _VIEWS.items():
        con.execute(f"create view {view} as {sql}")
    return con


def run_query(store: Store, sql: str) -> tuple[list[str], list[tuple]]:
    """Run `sql` against the views; returns column names and rows."""
    con = connect(store)
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall()
    finally:
        con.close()
