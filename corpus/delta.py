"""Addresses, options and errors for the store's Delta tables (delta-rs through `deltalake`).

`--data` is a path or a URI in pyarrow's form (`s3://bucket/prefix?endpoint_override=host:port
&scheme=http&region=...`); delta-rs takes the same place as a bare URI plus storage options,
which `storage_options` derives from the query.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# pyarrow's S3 query options -> delta-rs (object_store) storage options
_S3_OPTIONS = {"region": "AWS_REGION", "access_key": "AWS_ACCESS_KEY_ID", "secret_key": "AWS_SECRET_ACCESS_KEY",
               "session_token": "AWS_SESSION_TOKEN"}
_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION")
_PYARROW_ONLY = {"allow_bucket_creation", "allow_bucket_deletion", "background_writes", "load_frequency"}


class LegacyStoreError(RuntimeError):
    """The data location is in the layout before Delta Lake (parquet files plus fundscope's commit records)."""

    def __init__(self, shown: str) -> None:
        super().__init__(f"{shown}: this store is in fundscope's old layout (parquet files listed by commits/); "
                         f"run `fundscope migrate --data {shown}` once to convert it to Delta tables")


class MigrationPending(LegacyStoreError):
    """A `fundscope migrate` of this store was interrupted; running it again finishes it."""

    def __init__(self, shown: str) -> None:
        RuntimeError.__init__(self, f"{shown}: a conversion to Delta tables was interrupted; run "
                                    f"`fundscope migrate --data {shown}` again to finish it")


def storage_options(uri: str) -> dict[str, str]:
    """delta-rs storage options for an object-store `uri` in pyarrow's form."""
    parts = urlsplit(uri)
    query = dict(parse_qsl(parts.query))
    options: dict[str, str] = {k: os.environ[k] for k in _ENV if os.environ.get(k)}
    if "AWS_DEFAULT_REGION" in options:
        options.setdefault("AWS_REGION", options.pop("AWS_DEFAULT_REGION"))
    if parts.scheme in ("s3", "s3a"):
        endpoint = query.pop("endpoint_override", None)
        scheme = query.pop("scheme", "https")
        if endpoint:
            options["AWS_ENDPOINT_URL"] = endpoint if "://" in endpoint else f"{scheme}://{endpoint}"
        if scheme == "http":
            options["AWS_ALLOW_HTTP"] = "true"
        for key, name in _S3_OPTIONS.items():
            if key in query:
                options[name] = query.pop(key)
        options.setdefault("conditional_put", "etag")  # the log's put-if-absent: safe concurrent writers
    for key, value in query.items():  # anything else is passed to delta-rs as written
        if key not in _PYARROW_ONLY:
            options[key] = value
    return options


def table_uri(root: Path | str, table: str) -> str:
    """The location of `table` under the data location `root` (a path, or a URI without its query)."""
    if isinstance(root, Path):
        return str(root / "tables" / table)
    parts = urlsplit(root)
    netloc = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}/tables/{table}"


def open_table(uri: str, options: dict[str, str] | None) -> Any | None:
    """The Delta table at `uri`, or None when no table has been committed there yet."""
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    try:
        return DeltaTable(uri, storage_options=options)
    except TableNotFoundError:
        return None
