"""`fundscope migrate`: convert a store from the old layout (parquet + commits/) to Delta tables in place.

All or nothing, in two phases (the object-store variant is `_migrate_objects`). The new tables are first built beside the old ones in
`.migrate/tables/`, and a `READY` marker is renamed into place: that rename is the commit point.
Before it, the old store is untouched and a re-run starts again. After it, the switch is a few
renames that a re-run (or any interrupted run) finishes from wherever it stopped: old `tables/`
and `commits/` move into `.migrate/`, the new tables move to `tables/`, `.migrate/` is deleted.
Every row the old store listed is kept (superseded versions too, as before: the views pick the
latest); the files it never listed are not carried over.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from corpus.schema import TABLES
from corpus.storage import display, fsync_path, is_remote, local_path

STAGING = ".migrate"
READY = "READY"
READY_OBJECT = "migrate-ready.json"  # on an object store: the tables are written, the old layout may go


class MigrationRefused(ValueError):
    """Nothing to convert: the store is already in Delta tables, or holds no store at all."""


@dataclass
class MigrationResult:
    """Rows carried over per table."""

    rows: dict[str, int]


def migrate(data: str | Path) -> MigrationResult:
    """Convert the old-layout store at `data` to Delta tables, or finish a conversion that was interrupted."""
    if is_remote(data):
        return _migrate_objects(str(data))
    root = local_path(data)
    staging = root / STAGING
    if not (staging / READY).exists():
        if not (root / "commits").is_dir():
            if staging.exists():
                shutil.rmtree(staging)  # an unfinished staging of a store that no longer needs it
            if any((root / "tables").glob("*/_delta_log")):
                raise MigrationRefused(f"{root}: already in Delta tables; there is nothing to migrate")
            raise MigrationRefused(f"{root}: not a fundscope store in the old layout (no commits/ directory)")
        _stage(root, staging)
    return _switch(root, staging)


def _stage(root: Path, staging: Path) -> None:
    """Build every table as a Delta table under `staging`, then mark it READY (the commit point)."""
    from deltalake import CommitProperties, write_deltalake

    from corpus.legacy_store import LegacyStore

    if staging.exists():
        shutil.rmtree(staging)  # a staging without READY was interrupted: build it again
    staging.mkdir()
    legacy = LegacyStore(root)
    counts: dict[str, int] = {}
    with legacy.lock():  # no old-layout writer commits while we copy
        for table in TABLES:
            rows = legacy.read_table(table)
            counts[table] = rows.num_rows
            if rows.num_rows:
                write_deltalake(str(staging / "tables" / table), rows, mode="error",
                                commit_properties=CommitProperties(custom_metadata={"fundscope.migrated": "1"}))
        marker = staging / f".{READY}.tmp"
        marker.write_text(json.dumps({"rows": counts}), encoding="utf-8")
        fsync_path(marker)
        os.replace(marker, staging / READY)
        fsync_path(staging)


def _switch(root: Path, staging: Path) -> MigrationResult:
    """Put the staged tables in place of the old layout; each step is skipped once done."""
    counts = json.loads((staging / READY).read_text(encoding="utf-8"))["rows"]
    if (staging / "tables").exists():
        if (root / "tables").exists():
            os.replace(root / "tables", staging / "old-tables")
        os.replace(staging / "tables", root / "tables")
    if (root / "commits").exists():
        os.replace(root / "commits", staging / "old-commits")
    (root / ".lock").unlink(missing_ok=True)
    fsync_path(root)
    shutil.rmtree(staging)
    return MigrationResult(counts)


def _migrate_objects(uri: str) -> MigrationResult:
    """The same on an object store, which has no rename: the Delta tables are written beside the old files.

    The old layout's files are named `<commit id>.parquet`, Delta's `part-*.parquet`, so both fit
    under `tables/<table>/`. A `migrate-ready.json` object written after the tables is the
    commit point; then the commit records, the old files and the marker are deleted, in that
    order, and a re-run finishes whatever a kill left of that.
    """
    from deltalake import CommitProperties, write_deltalake

    from corpus.delta import storage_options, table_uri
    from corpus.legacy_store import LegacyStore
    from corpus.storage import ObjectStore

    objects = ObjectStore.open(uri)
    shown = display(uri)
    if READY_OBJECT not in {name for name, _ in objects.list("")}:
        if not objects.list("commits"):
            if any(objects.list(f"tables/{t}/_delta_log") for t in TABLES):
                raise MigrationRefused(f"{shown}: already in Delta tables; there is nothing to migrate")
            raise MigrationRefused(f"{shown}: not a fundscope store in the old layout (no commits/ objects)")
        for table in TABLES:  # what an interrupted staging wrote: Delta files only, never the old ones
            for name, _ in objects.list(f"tables/{table}/_delta_log"):
                objects.delete(f"tables/{table}/_delta_log/{name}")
            for name, _ in objects.list(f"tables/{table}"):
                if name.startswith("part-"):
                    objects.delete(f"tables/{table}/{name}")
        legacy = LegacyStore(uri)
        counts: dict[str, int] = {}
        for table in TABLES:
            rows = legacy.read_table(table)
            counts[table] = rows.num_rows
            if rows.num_rows:
                write_deltalake(table_uri(uri, table), rows, mode="error", storage_options=storage_options(uri),
                                commit_properties=CommitProperties(custom_metadata={"fundscope.migrated": "1"}))
        objects.write(READY_OBJECT, json.dumps({"rows": counts}).encode("utf-8"))  # the commit point
    counts = json.loads(objects.read(READY_OBJECT))["rows"]
    for name, _ in objects.list("commits"):
        objects.delete(f"commits/{name}")
    for table in TABLES:
        for name, _ in objects.list(f"tables/{table}"):
            if not name.startswith("part-"):  # the old layout's `<commit id>.parquet` files
                objects.delete(f"tables/{table}/{name}")
    objects.delete(READY_OBJECT)
    return MigrationResult(counts)
