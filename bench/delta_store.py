"""The Delta Lake store against the old layout (parquet + fundscope's commit records), side by side in one run.

Ingest: the 1,000-document synthetic corpus goes through the pipeline once, batch by batch, in
this process; each batch's rows are then committed to both stores, each timed. A store's ingest
time is the shared pipeline time plus its own planning, index and commit time, so the ratio
shows what the store costs a whole run. The re-run is the unchanged-input check a second
`ingest` makes: discover, hash and plan against a freshly opened store.

Query: 5,000 synthetic documents (bench/report.py's rows) committed in batches of 100 to each
store, then `select count(*) from mentions` through `corpus.query` on a freshly opened store,
median of several runs, before and after `compact` (the old layout has no compaction).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench import synthetic

INGEST_DOCS = 1000
QUERY_DOCS = 5000
QUERY_REPEATS = 9
BATCH = 100


def _ingest(work: Path) -> dict[str, float]:
    """Seconds per part of a 1,000-document ingest, for the shared pipeline and each store."""
    from corpus.legacy_store import LegacyStore
    from corpus.loaders import Limits
    from corpus.sources import discover, plan
    from corpus.store import Store
    from flows.batch import process_batch
    from flows.workers import get_model, get_nlp

    folder = synthetic.corpus(INGEST_DOCS)
    nlp, model = get_nlp(), get_model()
    stores = {"delta": Store(work / "delta"), "legacy": LegacyStore(work / "legacy")}
    seconds = {"pipeline": 0.0, "delta": 0.0, "legacy": 0.0, "delta_rerun": 0.0, "legacy_rerun": 0.0}
    t0 = time.perf_counter()
    items, _ = discover([str(folder)])
    seconds["pipeline"] += time.perf_counter() - t0
    todo = {}
    for name, store in stores.items():
        t0 = time.perf_counter()
        todo[name] = plan(items, store.index()).todo
        seconds[name] += time.perf_counter() - t0
    for start in range(0, len(todo["delta"]), BATCH):
        chunk = todo["delta"][start:start + BATCH]
        t0 = time.perf_counter()
        batch, _ = process_batch(chunk, index=stores["delta"].index(), nlp=nlp, model=model, limits=Limits(),
                                 run_id="bench")
        seconds["pipeline"] += time.perf_counter() - t0
        for name, store in stores.items():
            t0 = time.perf_counter()
            store.index()  # what the next batch's process_batch asks of this store
            store.commit(batch, "bench")
            seconds[name] += time.perf_counter() - t0
    for name, cls in (("delta", Store), ("legacy", LegacyStore)):
        t0 = time.perf_counter()
        items, _ = discover([str(folder)])
        left = plan(items, cls(work / name).index()).todo
        seconds[f"{name}_rerun"] = time.perf_counter() - t0
        assert not left, f"{name}: a re-run found {len(left)} inputs to do"
    return seconds


def _median_query(open_store, sql: str) -> float:
    from corpus.query import run_query

    times = []
    for _ in range(QUERY_REPEATS):
        t0 = time.perf_counter()
        run_query(open_store(), sql)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _legacy_query(store, sql: str):
    """The old layout's query path: DuckDB over the listed parquet files (as `corpus.query` did before Delta)."""
    import duckdb

    from corpus.query import _VIEWS
    from corpus.schema import TABLES

    con = duckdb.connect(":memory:")
    try:
        for table, schema in TABLES.items():
            con.register(f"_{table}_empty", schema.empty_table())
            files = [str(p) for p in store.files(table)]
            if files:
                listing = ", ".join("'" + f + "'" for f in files)
                con.execute(f"create view {table}_all as select * from _{table}_empty union all by name "
                            f"select * from read_parquet([{listing}], union_by_name = true)")
            else:
                con.execute(f"create view {table}_all as select * from _{table}_empty")
        for view, view_sql in _VIEWS.items():  # the same latest-version views on top
            con.execute(f"create view {view} as {view_sql}")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _query(work: Path) -> dict[str, float]:
    """Median seconds of `select count(*) from mentions` on 5,000 documents, per store and state."""
    from bench.report import synthetic_rows
    from corpus.legacy_store import LegacyStore
    from corpus.store import Batch, Store

    rows = synthetic_rows(QUERY_DOCS)
    for name, cls in (("delta", Store), ("legacy", LegacyStore)):
        store = cls(work / f"q-{name}")
        for start in range(0, QUERY_DOCS, BATCH):
            part = Batch()
            for table in ("documents", "mentions", "classifications", "evidence", "flows", "facts"):
                ids = {r["doc_id"] for r in rows.documents[start:start + BATCH]}
                part.rows(table).extend(r for r in rows.rows(table) if r["doc_id"] in ids)
            store.commit(part, "bench")
    sql = "select count(*) from mentions"
    out = {"delta": _median_query(lambda: Store(work / "q-delta"), sql)}
    times = []
    for _ in range(QUERY_REPEATS):
        t0 = time.perf_counter()
        _legacy_query(LegacyStore(work / "q-legacy"), sql)
        times.append(time.perf_counter() - t0)
    out["legacy"] = statistics.median(times)
    Store(work / "q-delta").compact()
    out["delta_compacted"] = _median_query(lambda: Store(work / "q-delta"), sql)
    return out


def main() -> None:
    """Print the Delta store's ingest and query figures beside the old layout's."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        s = _ingest(work)
        q = _query(work)
    delta_total, legacy_total = s["pipeline"] + s["delta"], s["pipeline"] + s["legacy"]
    print("\n## Store: Delta Lake tables against the old layout (one run, side by side)\n")
    print(f"Ingest of {INGEST_DOCS} synthetic documents in batches of {BATCH}: the pipeline's "
          f"{s['pipeline']:.1f} s are shared; each store adds its own planning, index and commits.\n")
    print("| | Delta | old layout |\n|---|---:|---:|")
    print(f"| store seconds (plan, index, commits) | {s['delta']:.2f} | {s['legacy']:.2f} |")
    print(f"| whole ingest, docs/s | {INGEST_DOCS / delta_total:.1f} | {INGEST_DOCS / legacy_total:.1f} |")
    print(f"| re-run of unchanged inputs, s | {s['delta_rerun']:.2f} | {s['legacy_rerun']:.2f} |")
    print(f"| re-run / first run | {s['delta_rerun'] / delta_total:.1%} | {s['legacy_rerun'] / legacy_total:.1%} |")
    ratio = legacy_total / delta_total
    print(f"\nThroughput Delta / old layout: **{ratio:.3f}x** (target >= 0.95x: {'met' if ratio >= 0.95 else 'MISSED'}); "
          f"re-run {s['delta_rerun'] / delta_total:.1%} of the first run (target <= 3%: "
          f"{'met' if s['delta_rerun'] / delta_total <= 0.03 else 'MISSED'}).\n")
    print(f"`select count(*) from mentions` on {QUERY_DOCS} documents ({QUERY_DOCS // BATCH} commits), "
          f"median of {QUERY_REPEATS}, store opened afresh each time:\n")
    print("| store | seconds | / old layout |\n|---|---:|---:|")
    print(f"| old layout | {q['legacy']:.3f} | 1.00 |")
    for key, label in (("delta", "Delta, before compact"), ("delta_compacted", "Delta, after compact")):
        r = q[key] / q["legacy"]
        print(f"| {label} | {q[key]:.3f} | {r:.2f} ({'met' if r <= 1.2 else 'MISSED'}: target <= 1.2) |")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
