"""Arrow schemas of the output tables: the one place their columns are defined."""

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
        # ISO 639-1 code of the main text's language (detected, or forced by `ingest --language`);
        # stores written before this column existed read it as null
        pa.field("language", pa.string()),
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
        # trl mentions only: whose readiness level it is ("Japanese teams at TRL 3"); null when untied.
        # Stores written before these columns existed read them as null.
        pa.field("party_country", pa.string()),
        pa.field("party_kind", pa.string()),
    ]
)

# one row per funding relation a sentence states, denies or proposes (extractors/funding_evidence.py)
EVIDENCE = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),  # own | foreign | any | pooled
        pa.field("funder", pa.string()),
        pa.field("funder_country", pa.string()),  # ISO3, or EU
        pa.field("recipient_country", pa.string(), nullable=False),  # ISO3, or * for any
        pa.field("negated", pa.bool_(), nullable=False),
        pa.field("modality", pa.string(), nullable=False),  # stated | hypothetical | proposal
        pa.field("text", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("sentence", pa.string()),
    ]
)

# who funds whom, one row per document, funder and recipient (from the stated, non-negated evidence)
FLOWS = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("funder", pa.string(), nullable=False),
        pa.field("funder_country", pa.string(), nullable=False),
        pa.field("recipient_country", pa.string(), nullable=False),
        pa.field("mode", pa.string(), nullable=False),  # matching_fund | direct_fund
        pa.field("evidence_start", pa.int64(), nullable=False),
        pa.field("evidence_end", pa.int64(), nullable=False),
        # "evidence": a sentence states it; "label": implied by the document's funding mode at ingest
        # (extractors/flow_completion.py); null in stores written before the column existed
        pa.field("basis", pa.string()),
    ]
)

# one row per stated fact of a call (extractors/facts.py)
FACTS = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("fact", pa.string(), nullable=False),  # deadline | opening | budget | duration | published
        pa.field("text", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("sentence", pa.string()),
        pa.field("date", pa.date32()),
        pa.field("amount", pa.float64()),
        pa.field("currency", pa.string()),  # ISO 4217
        pa.field("per", pa.string()),  # project | year | call | null
        pa.field("months", pa.float64()),
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
        # why: up to three evidence (or scheme) spans backing the label, as offsets into documents.text
        pa.field("evidence_spans", pa.list_(pa.struct([pa.field("start", pa.int64()), pa.field("end", pa.int64())]))),
        # low confidence, or stated evidence pointing to another mode (models/review.json); null in old stores
        pa.field("needs_review", pa.bool_()),
        pa.field("review_reason", pa.string()),
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
    "evidence": EVIDENCE,
    "flows": FLOWS,
    "facts": FACTS,
}

# the tables holding extraction results: they belong to a doc_id's bytes, written once per doc_id
EXTRACTED = ("mentions", "evidence", "flows", "facts")
