"""Arrow schemas of the four output tables: the one place their columns are defined."""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")

DOCUMENTS = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("text", pa.large_string(), nullable=False),
        pa.field("n_pages", pa.int32(), nullable=False),
        pa.field("page_starts", pa.list_(pa.int64())),
        pa.field("size_bytes", pa.int64(), nullable=False),
        pa.field("encoding", pa.string()),
        pa.field("ingested_at", TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        # web inputs only: what the server said when this version was fetched
        pa.field("http_status", pa.int32()),
        pa.field("etag", pa.string()),
        pa.field("last_modified", pa.string()),
        pa.field("fetched_at", TS),
        pa.field("final_url", pa.string()),
    ]
)

MENTIONS = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("value", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("sentence", pa.string()),
        pa.field("trl_min", pa.int8()),
        pa.field("trl_max", pa.int8()),
        pa.field("agency_country", pa.string()),
        pa.field("page", pa.int32()),
    ]
)

CLASSIFICATIONS = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("funding_mode", pa.string(), nullable=False),
        pa.field("p_matching_fund", pa.float64(), nullable=False),
        pa.field("p_direct_fund", pa.float64(), nullable=False),
        pa.field("p_neither", pa.float64(), nullable=False),
        pa.field("model_version", pa.string(), nullable=False),
        pa.field("classified_at", TS, nullable=False),
    ]
)

ERRORS = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("doc_id", pa.string()),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("error_type", pa.string(), nullable=False),
        pa.field("message", pa.string(), nullable=False),
        pa.field("transient", pa.bool_(), nullable=False),
        pa.field("occurred_at", TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "mentions": MENTIONS,
    "classifications": CLASSIFICATIONS,
    "errors": ERRORS,
}
