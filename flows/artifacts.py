"""The table artifact each ingest run leaves in Prefect: its new documents at a glance."""

from __future__ import annotations

from corpus.query import connect
from corpus.store import Store

NEW_DOCUMENTS_SQL = """
select d.source, d.title, c.funding_mode,
       round(greatest(c.p_matching_fund, c.p_direct_fund, c.p_neither), 3) as probability,
       coalesce(string_agg(distinct m.value, ' ' order by m.value) filter (where m.label = 'country'), '') as countries,
       coalesce(string_agg(distinct m.value, ' ' order by m.value) filter (where m.label = 'trl'), '') as trl_ranges
from documents_all d
left join classifications c using (doc_id)
left join mentions_all m using (doc_id)
where d.run_id = ?
group by all
order by d.source
"""


def new_documents(store: Store, run_id: str) -> list[dict]:
    """Rows for the documents stored by run `run_id`: mode, countries and TRL ranges."""
    con = connect(store)
    try:
        cur = con.execute(NEW_DOCUMENTS_SQL, [run_id])
        columns = [c[0] for c in cur.description]
        return [dict(zip(columns, row)) for row in cur.fetchall()]
    finally:
        con.close()


def new_documents_artifact(store: Store, run_id: str) -> None:
    """Publish this run's new documents as a Prefect table artifact (nothing if none)."""
    from prefect.artifacts import create_table_artifact

    rows = new_documents(store, run_id)
    if rows:
        create_table_artifact(key="ingest-new-documents", table=rows,
                              description=f"{len(rows)} new documents: funding mode, countries, TRL ranges")
