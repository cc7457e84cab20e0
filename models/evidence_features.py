"""Numeric features, a vote and reasons from the funding evidence (who funds whom) of a document.

The evidence rows come from `extractors.funding_evidence` (`Evidence` objects at ingest and
training time, plain dicts read back from the `evidence` table by `reclassify`): `field_of`
reads both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from models.features import field_of

KINDS = ("own", "foreign", "any", "pooled")
DIRECT_KINDS = ("foreign", "any", "pooled")

FEATURE_NAMES = (
    *(f"n_stated_{kind}" for kind in KINDS),
    *(f"n_negated_{kind}" for kind in KINDS),
    "n_hypothetical",
    "n_proposal",
    "n_own_funder_countries",
    "n_direct_funder_countries",
    "own_share",
    "has_evidence",
)


def _stated(rows: Sequence[Any]) -> list[Any]:
    return [r for r in rows if not field_of(r, "negated") and (field_of(r, "modality") or "stated") == "stated"]


def evidence_features(evidence: Iterable[Any]) -> list[float]:
    """One row of FEATURE_NAMES for one document's evidence rows."""
    rows = list(evidence)
    stated = _stated(rows)
    negated = [r for r in rows if field_of(r, "negated")]
    stated_kinds = Counter(field_of(r, "kind") for r in stated)
    negated_kinds = Counter(field_of(r, "kind") for r in negated)
    modality = Counter(field_of(r, "modality") for r in rows if not field_of(r, "negated"))
    own_countries = {field_of(r, "funder_country") for r in stated if field_of(r, "kind") == "own"} - {None}
    direct_countries = {field_of(r, "funder_country") for r in stated if field_of(r, "kind") in DIRECT_KINDS} - {None}
    n_own = stated_kinds["own"]
    n_direct = sum(stated_kinds[k] for k in DIRECT_KINDS)
    return [
        *(float(stated_kinds[k]) for k in KINDS),
        *(float(negated_kinds[k]) for k in KINDS),
        float(modality["hypothetical"]),
        float(modality["proposal"]),
        float(len(own_countries)),
        float(len(direct_countries)),
        n_own / (n_own + n_direct) if n_own + n_direct else 0.5,
        1.0 if rows else 0.0,
    ]


def evidence_vote(evidence: Iterable[Any]) -> str | None:
    """The funding mode the stated, non-negated evidence points to, or None when it is silent or split evenly."""
    stated = _stated(list(evidence))
    n_own = sum(1 for r in stated if field_of(r, "kind") == "own")
    n_direct = sum(1 for r in stated if field_of(r, "kind") in DIRECT_KINDS)
    if n_own == n_direct:
        return None
    return "matching_fund" if n_own > n_direct else "direct_fund"


def supporting_spans(evidence: Iterable[Any], mentions: Iterable[Any], label: str,
                     limit: int = 3) -> list[tuple[int, int]]:
    """Up to `limit` (start, end) spans that back `label`: evidence rows first, then scheme mentions.

    matching_fund is backed by stated `own` rows, direct_fund by stated `foreign`/`any`/`pooled`
    rows, neither by negated or hypothetical rows; scheme mentions of the label's own code fill
    the rest, in reading order.
    """
    rows = list(evidence)
    if label == "matching_fund":
        chosen = [r for r in _stated(rows) if field_of(r, "kind") == "own"]
    elif label == "direct_fund":
        chosen = [r for r in _stated(rows) if field_of(r, "kind") in DIRECT_KINDS]
    else:
        chosen = [r for r in rows if field_of(r, "negated") or field_of(r, "modality") in ("hypothetical", "proposal")]
    spans = [(int(field_of(r, "start")), int(field_of(r, "end"))) for r in chosen]
    if label in ("matching_fund", "direct_fund"):
        spans += [(int(field_of(m, "start")), int(field_of(m, "end"))) for m in mentions
                  if field_of(m, "label") == "scheme" and field_of(m, "value") == label]
    spans = sorted(dict.fromkeys(spans))
    return spans[:limit]


class EvidenceFeatures(TransformerMixin, BaseEstimator):
    """Turns records `{"text", "mentions", "evidence"}` into a dense matrix of FEATURE_NAMES."""

    def fit(self, records: Sequence[Mapping[str, Any]], y: Any = None) -> EvidenceFeatures:
        """Nothing to learn; present so the transformer sits in a Pipeline."""
        self.n_features_out_ = len(FEATURE_NAMES)
        return self

    def transform(self, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """One row per record, one column per name in FEATURE_NAMES (records without evidence give zeros)."""
        matrix = np.zeros((len(records), len(FEATURE_NAMES)), dtype=np.float64)
        for i, record in enumerate(records):
            matrix[i] = evidence_features(record.get("evidence") or [])
        return matrix

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Column names, for inspecting coefficients."""
        return np.asarray(FEATURE_NAMES, dtype=object)
