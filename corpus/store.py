"""The store: one Delta Lake table per output table, appended per batch through delta-rs.

Layout under the data directory (or object-store prefix)::

    tables/<table>/_delta_log/   the table's transaction log (Delta Lake protocol)
    tables/<table>/*.parquet     data files; only those the log lists hold rows

Any Delta reader (the `deltalake` package, Polars, DuckDB through Arrow, Spark, Databricks)
sees exactly the committed rows: a data file written by a run killed before its log entry is
never listed, and `compact` (Delta's `vacuum`) deletes it once it is older than the retention.

A batch commits table by table, `documents` last. The documents row is what tells later runs
that an input is done, so a run killed between two tables redoes that input, and the rows
already committed for it are dropped as duplicates (each table deduplicates on its own keys:
doc_id for extraction results, doc_id and model version for labels, source and error kind for
errors, source and doc_id for document versions).

Concurrent writers are safe without a lock: each append is tried at the table version its
rows were deduplicated against, with delta-rs's own retries turned off, so a commit that lost
the race fails, the table is reloaded, rows now present are dropped and the rest tried again.
On S3 the log entry is written with a conditional put (`conditional_put=etag`), which MinIO,
moto and current AWS S3 honour; Google Cloud Storage and Azure have atomic puts of their own.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpus import failpoints
from corpus.delta import LegacyStoreError, MigrationPending, open_table, storage_options, table_uri
from corpus.schema import EXTRACTED, TABLES
from corpus.storage import ObjectStore, display, is_remote, local_path

COMMIT_ORDER = ("mentions", "evidence", "flows", "facts", "classifications", "errors", "documents")
COMMIT_ATTEMPTS = 200  # a lost race costs one reload; two writers rarely lose more than a few in a row
RETENTION_HOURS = 168  # `compact` keeps a week of history for time travel (Delta's own default)
SMALL_FILES = 64  # scheduled serving compacts once the tables hold more data files than this

_INDEX_COLUMNS = {
    "documents": ["source", "doc_id", "ingested_at", "run_id"],
    "mentions": ["doc_id"],
    "classifications": ["doc_id", "model_version"],
    "errors": ["source", "doc_id", "stage", "error_type", "transient"],
    "evidence": ["doc_id"],
    "flows": ["doc_id"],
    "facts": ["doc_id"],
}


@dataclass
class Batch:
    """Rows of one batch, per table, as lists of dicts in the schema's column names."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    classifications: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    flows: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows for `table`."""
        return getattr(self, table)

    def extend(self, other: "Batch") -> None:
        """Append another batch's rows to this one."""
        for table in TABLES:
            self.rows(table).extend(other.rows(table))


@dataclass
class StoreIndex:
    """What the store already holds, enough to decide what a new batch adds."""

    latest_by_source: dict[str, str] = field(default_factory=dict)  # source -> latest doc_id
    doc_ids: set[str] = field(default_factory=set)  # doc_ids whose documents row is committed
    classified: set[tuple[str, str]] = field(default_factory=set)  # (doc_id, model_version)
    error_keys: set[tuple[str, str | None, str, str]] = field(default_factory=set)
    permanent_errors: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, doc_id) -> error_type
    extracted: dict[str, set[str]] = field(default_factory=dict)  # table -> doc_ids it holds rows of


@dataclass
class _Keys:
    """Per-table keys read from the committed files, folded file by file in any order."""

    latest: dict[str, tuple[Any, str, str]] = field(default_factory=dict)  # source -> (ingested_at, run_id, doc_id)
    doc_ids: set[str] = field(default_factory=set)
    doc_pairs: set[tuple[str, str]] = field(default_factory=set)
    classified: set[tuple[str, str]] = field(default_factory=set)
    error_keys: set[tuple[str, str | None, str, str]] = field(default_factory=set)
    permanent: dict[tuple[str, str], str] = field(default_factory=dict)
    doc_ids_in: set[str] = field(default_factory=set)  # an extraction table's doc_ids

    def fold(self, table: str, rows: pa.Table) -> None:
        """Add the key columns of `rows` (rows of `table`)."""
        if table == "documents":
            cols = [rows[c].to_pylist() for c in ("source", "doc_id", "ingested_at", "run_id")]
            for source, doc_id, at, run_id in zip(*cols):
                self.doc_ids.add(doc_id)
                self.doc_pairs.add((source, doc_id))
                key = (at, run_id, doc_id)
                if source not in self.latest or key > self.latest[source]:
                    self.latest[source] = key
        elif table == "classifications":
            self.classified.update(zip(rows["doc_id"].to_pylist(), rows["model_version"].to_pylist()))
        elif table == "errors":
            cols = [rows[c].to_pylist() for c in ("source", "doc_id", "stage", "error_type", "transient")]
            for source, doc_id, stage, etype, transient in zip(*cols):
                self.error_keys.add((source, doc_id, stage, etype))
                if not transient and doc_id is not None:
                    self.permanent[(source, doc_id)] = etype
        else:
            self.doc_ids_in.update(rows["doc_id"].to_pylist())


@dataclass
class CommitResult:
    """What one commit wrote, per table (rows already in the store are not counted)."""

    commit_id: str | None
    written: dict[str, int]


class StoreLockTimeout(RuntimeError):
    """A commit kept losing the race to other writers and gave up (the store is unchanged by it)."""


class Store:
    """A data directory (or object-store prefix) of Delta tables with per-batch appends."""

    def __init__(self, root: Path | str, as_of: int | datetime | None = None) -> None:
        self.remote = is_remote(root)
        self.objects = ObjectStore.open(str(root)) if self.remote else None
        self.root: Path | str = local_path(root) if not self.remote else str(root)
        self.storage_options = storage_options(str(root)) if self.remote else None
        self.as_of = as_of
        self._as_of_time: datetime | None = None
        self._tables: dict[str, Any] = {}  # table -> DeltaTable, kept and brought up to date
        self._keys: dict[str, _Keys] = {t: _Keys() for t in TABLES}
        self._seen: dict[str, tuple[int, frozenset[str]]] = {}  # table -> (version, files folded)
        self._checked = False

    # ----- where things are --------------------------------------------------------
    def table_uri(self, table: str) -> str:
        """Where the Delta table `table` lives (a local path or an object-store URI)."""
        return table_uri(self.root, table)

    def table_dir(self, table: str) -> Path:
        """The local directory of `table` (local stores only)."""
        return Path(self.root) / "tables" / table

    def ensure(self) -> None:
        """Create the data directory if it is missing (tables appear with their first commit)."""
        if not self.remote:
            Path(self.root).mkdir(parents=True, exist_ok=True)

    def exists(self) -> bool:
        """True when the data location holds anything (a directory, or objects under the prefix)."""
        return self.objects.exists() if self.objects else Path(self.root).is_dir()

    def check_layout(self) -> None:
        """Raise LegacyStoreError for a store in the pre-Delta layout, before anything reads or writes it."""
        if self._checked:
            return
        if self.remote:
            from corpus.migrate import READY_OBJECT

            legacy = bool(self.objects.list("commits"))
            pending = READY_OBJECT in {name for name, _ in self.objects.list("")}
        else:
            legacy = (Path(self.root) / "commits").is_dir()
            pending = (Path(self.root) / ".migrate").exists()
        if pending:
            raise MigrationPending(self._shown())
        if legacy:
            raise LegacyStoreError(self._shown())
        self._checked = True

    def _shown(self) -> str:
        return display(str(self.root)) if self.remote else str(self.root)

    # ----- reading -----------------------------------------------------------------
    def delta_table(self, table: str) -> Any | None:
        """The Delta table `table` at the newest version (or at `as_of`), None before its first commit."""
        self.check_layout()
        dt = self._tables.get(table)
        if dt is None:
            dt = open_table(self.table_uri(table), self.storage_options)
            if dt is None:
                return None
            self._tables[table] = dt
            if self.as_of is None:
                return dt
        elif self.as_of is None:
            dt.update_incremental()
            return dt
        version = _version_at(dt, self._when())
        if version is None:  # the table's first commit came later: it held nothing then
            self._tables.pop(table, None)
            return None
        dt.load_as_version(version)
        return dt

    def as_of_time(self) -> datetime | None:
        """The time `as_of` names (ValueError for a version the store never had); None for the newest."""
        return None if self.as_of is None else self._when()

    def _when(self) -> datetime:
        """`as_of` as a time: a version counts as the documents table's, whose commits end each batch."""
        if self._as_of_time is None:
            if isinstance(self.as_of, datetime):
                self._as_of_time = self.as_of
            else:
                docs = open_table(self.table_uri("documents"), self.storage_options)
                history = {h["version"]: h["timestamp"] for h in docs.history()} if docs else {}
                if self.as_of not in history:
                    raise ValueError(f"{self._shown()}: no store version {self.as_of} "
                                     f"(versions 0 to {max(history) if history else -1} exist)")
                self._as_of_time = datetime.fromtimestamp(history[self.as_of] / 1000, tz=timezone.utc)
        return self._as_of_time

    def version(self) -> int | None:
        """The store's version: that of the documents table, whose commit ends each batch."""
        dt = self.delta_table("documents")
        return None if dt is None else dt.version()

    def dataset(self, table: str) -> Any | None:
        """A pyarrow dataset of the committed files of `table`, None before its first commit."""
        dt = self.delta_table(table)
        return None if dt is None else self._dataset_of(dt)

    def _dataset_of(self, dt: Any) -> Any:
        """The pyarrow dataset of a Delta table's current files.

        Locally the files are read through pyarrow's own file system: Delta's dataset reads them
        through a file system written in Python, which Arrow's reader threads call back into, and a
        process leaving while one of those threads was still alive aborted now and then
        ("terminate called without an active exception").
        """
        dataset = dt.to_pyarrow_dataset()
        import pyarrow.dataset as pads

        if not self.remote:
            paths = [str(local_path(uri)) for uri in dt.file_uris()]
            return pads.dataset(paths, schema=dataset.schema, format="parquet")
        try:  # an object store pyarrow reads natively (s3://...?endpoint_override=...): the same, through it
            from pyarrow import fs as pafs

            native, _ = pafs.FileSystem.from_uri(str(self.root))
        except (ValueError, OSError, ImportError, pa.ArrowException):
            return dataset
        paths = [uri.split("://", 1)[1] for uri in dt.file_uris()]
        return pads.dataset(paths, schema=dataset.schema, format="parquet", filesystem=native)

    def files(self, table: str) -> list[str]:
        """The data files the log of `table` lists now (full paths or URIs)."""
        dt = self.delta_table(table)
        return [] if dt is None else list(dt.file_uris())

    def read_table(self, table: str) -> pa.Table:
        """All committed rows of `table` (every version), in the schema's columns and types.

        Rows written before a column was added read it as null: the schema, not the file, decides.
        """
        dataset = self.dataset(table)
        if dataset is None:
            return TABLES[table].empty_table()
        return conform(dataset.to_table(), TABLES[table])

    def index(self) -> StoreIndex:
        """What the store holds now, brought up to date with commits since the last call (by any process)."""
        for table in TABLES:
            self._refresh(table)
        k = self._keys
        docs = k["documents"]
        return StoreIndex(
            latest_by_source={s: v[2] for s, v in docs.latest.items()},
            doc_ids=set(docs.doc_ids),
            classified=set(k["classifications"].classified),
            error_keys=set(k["errors"].error_keys),
            permanent_errors={key: e for key, e in k["errors"].permanent.items() if key not in docs.doc_pairs},
            extracted={t: set(k[t].doc_ids_in) for t in EXTRACTED},
        )

    def _refresh(self, table: str) -> None:
        """Fold the key columns of files committed to `table` since the last look."""
        dt = self.delta_table(table)
        if dt is None:
            return
        version = dt.version()
        if self._seen.get(table, (None,))[0] == version:
            return
        dataset = self._dataset_of(dt)
        fragments = {f.path: f for f in dataset.get_fragments()}
        _, folded = self._seen.get(table, (None, frozenset()))
        if not folded <= fragments.keys():  # compaction rewrote files: fold this table afresh
            self._keys[table] = _Keys()
            folded = frozenset()
        for path, fragment in fragments.items():
            if path not in folded:
                self._keys[table].fold(table, fragment.to_table(columns=_INDEX_COLUMNS[table], schema=dataset.schema))
        self._seen[table] = (version, frozenset(fragments))

    # ----- writing -----------------------------------------------------------------
    def commit(self, batch: Batch, run_id: str) -> CommitResult:
        """Append the rows of `batch` the store does not hold yet, one Delta commit per table, documents last."""
        if self.as_of is not None:
            raise ValueError("a store opened at an earlier version is read-only")
        self.check_layout()
        self.ensure()
        commit_id = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        written = {t: 0 for t in TABLES}
        for table in COMMIT_ORDER:
            if batch.rows(table):
                written[table] = self._append(table, batch.rows(table), run_id, commit_id)
        return CommitResult(commit_id if any(written.values()) else None, written)

    def _append(self, table: str, rows: list[dict[str, Any]], run_id: str, commit_id: str) -> int:
        """Append the rows of `table` not yet held; on a lost race reload, deduplicate again and retry."""
        from deltalake import CommitProperties, write_deltalake
        from deltalake.exceptions import CommitFailedError, DeltaError

        for attempt in range(COMMIT_ATTEMPTS):
            self._refresh(table)
            new = _new_rows(table, rows, self._keys)
            if not new:
                return 0
            arrow = pa.Table.from_pylist(new, schema=TABLES[table])
            failpoints.reach(f"store.before_{table}")
            target = self._tables.get(table)
            properties = CommitProperties(max_commit_retries=0, custom_metadata={
                "fundscope.run_id": run_id, "fundscope.commit_id": commit_id})
            try:
                if target is None:  # the table's first commit: refused if another writer created it meanwhile
                    write_deltalake(self.table_uri(table), arrow, mode="error",
                                    storage_options=self.storage_options, commit_properties=properties)
                else:
                    write_deltalake(target, arrow, mode="append", schema_mode="merge",
                                    commit_properties=properties)
            except (CommitFailedError, DeltaError) as exc:
                if not _lost_race(exc):
                    raise
                time.sleep(random.uniform(0.005, 0.05) * min(attempt + 1, 10))
                continue
            failpoints.reach(f"store.committed_{table}")
            return len(new)
        raise StoreLockTimeout(f"{self._shown()}: gave up committing to {table} after {COMMIT_ATTEMPTS} "
                               f"lost races with other writers")

    # ----- upkeep ------------------------------------------------------------------
    def data_files(self) -> int:
        """How many data files the tables' logs list now."""
        return sum(len(self.files(t)) for t in TABLES)

    def compact(self, retention_hours: int = RETENTION_HOURS) -> dict[str, dict[str, int]]:
        """Merge small files (Delta `optimize`) and delete files unlisted for `retention_hours` (`vacuum`)."""
        self.check_layout()
        report: dict[str, dict[str, int]] = {}
        for table in TABLES:
            dt = self.delta_table(table)
            if dt is None:
                continue
            before = len(dt.file_uris())
            dt.optimize.compact()
            # full: also files no log entry ever listed (a killed writer's), once older than the retention
            removed = dt.vacuum(retention_hours=retention_hours, dry_run=False,
                                enforce_retention_duration=False, full=True)
            dt.update_incremental()
            report[table] = {"files_before": before, "files_after": len(dt.file_uris()), "deleted": len(removed)}
        return report


def _version_at(dt: Any, when: datetime) -> int | None:
    """The newest version of `dt` committed at or before `when`, None when its first commit is later."""
    stamp = when.timestamp() * 1000
    versions = [h["version"] for h in dt.history() if h["timestamp"] <= stamp]
    return max(versions) if versions else None


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` in `schema`'s column order and types; columns it lacks (added later) read as null."""
    columns = []
    for f in schema:
        if f.name in table.column_names:
            columns.append(table[f.name].cast(f.type))
        else:
            columns.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(columns, schema=schema.remove_metadata() if schema.metadata else schema)


def _lost_race(exc: Exception) -> bool:
    """True when a Delta error says another writer committed first (version or table already there)."""
    from deltalake.exceptions import CommitFailedError

    text = str(exc).lower()
    return isinstance(exc, CommitFailedError) or "already exists" in text or "version" in text and "exist" in text


def _new_rows(table: str, rows: list[dict[str, Any]], keys: dict[str, _Keys]) -> list[dict[str, Any]]:
    """The rows of `table` that add something to what `keys` says the store holds."""
    k = keys[table]
    out = []
    if table == "documents":
        latest = {s: v[2] for s, v in k.latest.items()}
        for row in rows:
            if latest.get(row["source"]) != row["doc_id"]:
                out.append(row)
                latest[row["source"]] = row["doc_id"]
    elif table == "classifications":
        seen = set(k.classified)
        for row in rows:
            key = (row["doc_id"], row["model_version"])
            if key not in seen:
                out.append(row)
                seen.add(key)
    elif table == "errors":
        seen_err = set(k.error_keys)
        for row in rows:
            key = (row["source"], row["doc_id"], row["stage"], row["error_type"])
            if key not in seen_err:
                out.append(row)
                seen_err.add(key)
    else:  # extraction results belong to the bytes: a doc_id already holding rows here adds none
        out = [r for r in rows if r["doc_id"] not in k.doc_ids_in]
    return out
