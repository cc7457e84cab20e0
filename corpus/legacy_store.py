"""The store's layout before Delta Lake, kept to read old stores for `fundscope migrate`.

Layout under the data directory::

    tables/<table>/<commit_id>.parquet   one file per table per committed batch
    commits/<commit_id>.json             the commit record; a file counts only once listed here
    .lock                                serialises commits between processes

Only `fundscope migrate` reads it; `LegacyStore.commit` writes it for the tests of the migration
and for the benchmark that sets the Delta store against it (local directories only).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from corpus import failpoints
from corpus.schema import EXTRACTED, TABLES
from corpus.store import _INDEX_COLUMNS, Batch, CommitResult, StoreLockTimeout
from corpus.storage import ObjectStore, fsync_path, is_remote, local_path

ORPHAN_GRACE_S = 3600  # unlisted files younger than this may belong to a commit in progress


@dataclass
class StoreIndex:
    """What the store already holds, enough to decide what a new batch adds."""

    latest_by_source: dict[str, str] = field(default_factory=dict)  # source -> latest doc_id
    doc_ids: set[str] = field(default_factory=set)  # doc_ids with extraction results
    classified: set[tuple[str, str]] = field(default_factory=set)  # (doc_id, model_version)
    error_keys: set[tuple[str, str | None, str, str]] = field(default_factory=set)
    permanent_errors: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, doc_id) -> error_type
    seen_commits: set[str] = field(default_factory=set)

    def add_commit(self, tables: dict[str, pa.Table]) -> None:
        """Fold one commit's rows into the index, in commit order."""
        docs = tables.get("documents")
        if docs is not None:
            for source, doc_id in zip(docs["source"].to_pylist(), docs["doc_id"].to_pylist()):
                self.latest_by_source[source] = doc_id
                self.doc_ids.add(doc_id)
                self.permanent_errors.pop((source, doc_id), None)
        cls = tables.get("classifications")
        if cls is not None:
            self.classified.update(zip(cls["doc_id"].to_pylist(), cls["model_version"].to_pylist()))
        errs = tables.get("errors")
        if errs is not None:
            cols = [errs[c].to_pylist() for c in ("source", "doc_id", "stage", "error_type", "transient")]
            for source, doc_id, stage, etype, transient in zip(*cols):
                self.error_keys.add((source, doc_id, stage, etype))
                if not transient and doc_id is not None:
                    self.permanent_errors[(source, doc_id)] = etype


class LegacyStore:
    """A data directory of parquet tables listed by fundscope's own commit records."""

    def __init__(self, root: Path | str, lock_timeout_s: float = 600.0) -> None:
        self.remote = is_remote(root)
        self.objects = ObjectStore.open(str(root)) if self.remote else None
        self.root = local_path(root) if not self.remote else root
        self.lock_timeout_s = lock_timeout_s
        self._index = StoreIndex()
        self._records: dict[str, dict[str, Any]] = {}  # object store: records are immutable, read once

    # ----- paths -------------------------------------------------------------------
    @property
    def commits_dir(self) -> Path:
        return self.root / "commits"

    def table_dir(self, table: str) -> Path:
        return self.root / "tables" / table

    def ensure(self) -> None:
        """Create the directory layout if it is missing (object stores need none)."""
        if self.remote:
            return
        self.commits_dir.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            self.table_dir(table).mkdir(parents=True, exist_ok=True)

    # ----- reading -----------------------------------------------------------------
    def exists(self) -> bool:
        """True when the data location holds anything (a directory, or objects under the prefix)."""
        return self.objects.exists() if self.objects else self.root.is_dir()

    def commit_records(self) -> list[dict[str, Any]]:
        """Every committed record, oldest first (commit ids sort by time)."""
        if self.objects:
            return self._object_records()
        if not self.commits_dir.is_dir():
            return []
        records = []
        for path in sorted(self.commits_dir.glob("*.json")):
            records.append(json.loads(path.read_text(encoding="utf-8")))
        return records

    def _object_records(self) -> list[dict[str, Any]]:
        for name, _ in self.objects.list("commits"):
            if name.endswith(".json") and name not in self._records:
                self._records[name] = json.loads(self.objects.read(f"commits/{name}"))
        return [self._records[name] for name in sorted(self._records)]

    def files(self, table: str) -> list[Path] | list[str]:
        """Committed parquet files of `table`, oldest first (object-store paths when remote)."""
        return [self._file(r["files"][table]) for r in self.commit_records() if table in r["files"]]

    @property
    def filesystem(self) -> Any:
        """The pyarrow file system `files()` are paths in (None: the local one)."""
        return self.objects.fs if self.objects else None

    def _file(self, rel: str) -> Path | str:
        return self.objects.path(rel) if self.objects else self.root / rel

    def index(self) -> StoreIndex:
        """The index brought up to date with commits made since the last call (by any process)."""
        for record in self.commit_records():
            cid = record["commit_id"]
            if cid in self._index.seen_commits:
                continue
            tables = {}
            for table, rel in record["files"].items():
                cols = _INDEX_COLUMNS[table]
                tables[table] = pq.read_table(self._file(rel), columns=cols, filesystem=self.filesystem)
            self._index.add_commit(tables)
            self._index.seen_commits.add(cid)
        return self._index

    def read_table(self, table: str) -> pa.Table:
        """All committed rows of `table` (every version), as one Arrow table.

        Files written before a column was added read it as null: the schema, not the file, decides.
        """
        files = self.files(table)
        if not files:
            return TABLES[table].empty_table()
        return pa.concat_tables(
            [pq.read_table(f, schema=TABLES[table], filesystem=self.filesystem) for f in files],
            promote_options="default",
        )

    # ----- writing -----------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's exclusive lock (between processes) for the block; local directories only."""
        self.ensure()
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + self.lock_timeout_s
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreLockTimeout(
                            f"{self.root}: another fundscope process has held the store lock "
                            f"for over {self.lock_timeout_s:.0f} s"
                        ) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)  # closing releases the flock

    def commit(self, batch: Batch, run_id: str) -> CommitResult:
        """Write the rows of `batch` the store does not hold yet, atomically, as one commit."""
        with self.lock() if not self.objects else nullcontext():
            index = self.index()
            rows = _new_rows(batch, index)
            written = {t: len(r) for t, r in rows.items()}
            if not any(written.values()):
                return CommitResult(None, written)
            commit_id = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
            files: dict[str, str] = {}
            tables: dict[str, pa.Table] = {}
            for table, table_rows in rows.items():
                if not table_rows:
                    continue
                arrow = pa.Table.from_pylist(table_rows, schema=TABLES[table])
                rel = f"tables/{table}/{commit_id}.parquet"
                failpoints.reach(f"store.before_{table}")
                if self.objects:
                    pq.write_table(arrow, self.objects.path(rel), filesystem=self.objects.fs)
                else:
                    _atomic_write(self.root / rel, lambda p, a=arrow: pq.write_table(a, p))
                files[table] = rel
                tables[table] = arrow
            record = {
                "commit_id": commit_id,
                "run_id": run_id,
                "created_at": datetime.now(timezone.utc).isoformat(),
                "files": files,
                "rows": {t: n for t, n in written.items() if n},
            }
            data = json.dumps(record, indent=1).encode("utf-8")
            failpoints.reach("store.before_record")
            if self.objects:
                self.objects.write(f"commits/{commit_id}.json", data)
            else:
                _atomic_write(self.commits_dir / f"{commit_id}.json", lambda p: Path(p).write_bytes(data))
                fsync_path(self.commits_dir)
            failpoints.reach("store.after_record")
            index.add_commit({t: a.select(_INDEX_COLUMNS[t]) for t, a in tables.items()})
            index.seen_commits.add(commit_id)
            self._sweep_orphans()
            return CommitResult(commit_id, written)

    def _sweep_orphans(self) -> None:
        """Delete parquet and temporary files that no commit lists (left by killed runs)."""
        if self.objects:
            self._sweep_orphan_objects()
            return
        listed = {self.root / rel for r in self.commit_records() for rel in r["files"].values()}
        now = time.time()
        for table in TABLES:
            for path in self.table_dir(table).iterdir():
                if path in listed:
                    continue
                try:
                    if now - path.stat().st_mtime > ORPHAN_GRACE_S or path.name.startswith(".tmp-"):
                        # a temp file under our lock is never in progress: commits hold the lock
                        path.unlink()
                except FileNotFoundError:
                    pass
        for path in self.commits_dir.glob(".tmp-*"):
            path.unlink(missing_ok=True)

    def _sweep_orphan_objects(self) -> None:
        """Delete parquet objects no commit lists once they are older than the grace period."""
        listed = {rel for r in self.commit_records() for rel in r["files"].values()}
        now = time.time()
        for table in TABLES:
            for name, mtime in self.objects.list(f"tables/{table}"):
                rel = f"tables/{table}/{name}"
                if rel not in listed and mtime is not None and now - mtime.timestamp() > ORPHAN_GRACE_S:
                    self.objects.delete(rel)


def _new_rows(batch: Batch, index: StoreIndex) -> dict[str, list[dict[str, Any]]]:
    """The rows of `batch` that add something to what `index` says the store holds."""
    documents = []
    latest = dict(index.latest_by_source)
    for row in batch.documents:
        if latest.get(row["source"]) != row["doc_id"]:
            documents.append(row)
            latest[row["source"]] = row["doc_id"]
    # extraction results belong to the bytes, so a doc_id already extracted adds none
    extracted = {t: [r for r in batch.rows(t) if r["doc_id"] not in index.doc_ids] for t in EXTRACTED}
    classifications = []
    seen_cls = set(index.classified)
    for row in batch.classifications:
        key = (row["doc_id"], row["model_version"])
        if key not in seen_cls:
            classifications.append(row)
            seen_cls.add(key)
    errors = []
    seen_err = set(index.error_keys)
    for row in batch.errors:
        key = (row["source"], row["doc_id"], row["stage"], row["error_type"])
        if key not in seen_err:
            errors.append(row)
            seen_err.add(key)
    rows = {"documents": documents, **extracted, "classifications": classifications, "errors": errors}
    return {t: rows[t] for t in TABLES}


def _atomic_write(path: Path, write: Any) -> None:
    """Write through `write(tmp_path)`, fsync, and rename into place."""
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")
    try:
        write(str(tmp))
        failpoints.reach("store.temp_written")
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
