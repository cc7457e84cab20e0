"""Numeric features computed from the mentions the extractors already found in a document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

SCHEME_CODES = ("matching_fund", "direct_fund", "lead_agency", "joint_call")

FEATURE_NAMES = (
    *(f"n_scheme_{code}" for code in SCHEME_CODES),
    "n_countries_distinct",
    "n_country_mentions",
    "n_agencies_distinct",
    "n_agency_mentions",
    "n_trl_mentions",
    "n_matching_with_foreign",
    "n_direct_with_foreign",
    *(f"first_scheme_{code}" for code in SCHEME_CODES),
    *(f"last_scheme_{code}" for code in SCHEME_CODES),
    "direct_share",
)


def field_of(mention: Any, name: str) -> Any:
    """Read `name` from a Mention object or from a plain dict row of the mentions table."""
    # exact type checks first: this runs for every field of every mention, and the Mapping ABC test is slow
    kind = type(mention)
    if kind is dict:
        return mention.get(name)
    if kind in _OBJECT_TYPES:
        return getattr(mention, name, None)
    if isinstance(mention, Mapping):
        return mention.get(name)
    _OBJECT_TYPES.add(kind)
    return getattr(mention, name, None)


_OBJECT_TYPES: set[type] = set()  # classes seen that are not mappings (Mention, Evidence)


def _agency_country(mention: _Fields) -> str | None:
    """ISO3 country an agency mention belongs to, when the extractor recorded one."""
    attrs = mention.attrs or {}
    country = attrs.get("agency_country") if isinstance(attrs, Mapping) else None
    return country or None


def _home_country(countries: Sequence[str], agency_countries: Sequence[str]) -> str | None:
    """The document's own country: the one named most often (countries plus agencies), earliest on ties."""
    ordered = [*countries, *agency_countries]
    if not ordered:
        return None
    counts = Counter(ordered)
    best = max(counts.values())
    return next(code for code in ordered if counts[code] == best)


class _Fields(NamedTuple):
    """The fields of one mention that the features read, taken once (a Mention object or a dict row)."""

    start: int
    label: str | None
    value: str | None
    sentence: Hashable
    attrs: Any


def _fields(mention: Any) -> _Fields:
    return _Fields(
        field_of(mention, "start") or 0,
        field_of(mention, "label"),
        field_of(mention, "value"),
        field_of(mention, "sentence"),
        field_of(mention, "attrs"),
    )


def mention_features(mentions: Iterable[Any]) -> list[float]:
    """One row of FEATURE_NAMES for one document's mentions (any order; sorted by `start` here)."""
    rows = sorted(map(_fields, mentions), key=lambda m: m.start)
    schemes = [m for m in rows if m.label == "scheme" and m.value in SCHEME_CODES]
    countries = [m for m in rows if m.label == "country"]
    agencies = [m for m in rows if m.label == "agency"]
    trls = [m for m in rows if m.label == "trl"]

    scheme_counts = Counter(m.value for m in schemes)
    country_codes = [m.value for m in countries]
    agency_codes = [c for c in (_agency_country(m) for m in agencies) if c]
    home = _home_country(country_codes, agency_codes)

    # Sentences that name a country other than the home one, directly or through an agency.
    foreign_sentences: set[Hashable] = set()
    for mention in countries:
        if mention.value != home:
            foreign_sentences.add(mention.sentence)
    for mention in agencies:
        code = _agency_country(mention)
        if code and code != home:
            foreign_sentences.add(mention.sentence)

    def with_foreign(code: str) -> int:
        return sum(1 for m in schemes if m.value == code and m.sentence in foreign_sentences)

    def one_hot(code: str | None) -> list[float]:
        return [1.0 if code == c else 0.0 for c in SCHEME_CODES]

    first = schemes[0].value if schemes else None
    last = schemes[-1].value if schemes else None
    n_matching, n_direct = scheme_counts["matching_fund"], scheme_counts["direct_fund"]
    direct_share = n_direct / (n_direct + n_matching) if n_direct + n_matching else 0.5

    return [
        *(float(scheme_counts[code]) for code in SCHEME_CODES),
        float(len(set(country_codes))),
        float(len(countries)),
        float(len({m.value for m in agencies})),
        float(len(agencies)),
        float(len(trls)),
        float(with_foreign("matching_fund")),
        float(with_foreign("direct_fund")),
        *one_hot(first),
        *one_hot(last),
        direct_share,
    ]


class MentionFeatures(TransformerMixin, BaseEstimator):
    """Turns records `{"text": str, "mentions": list[Mention]}` into a dense matrix of FEATURE_NAMES."""

    def fit(self, records: Sequence[Mapping[str, Any]], y: Any = None) -> MentionFeatures:
        """Nothing to learn; present so the transformer sits in a Pipeline."""
        self.n_features_out_ = len(FEATURE_NAMES)
        return self

    def transform(self, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """One row per record, one column per name in FEATURE_NAMES."""
        matrix = np.zeros((len(records), len(FEATURE_NAMES)), dtype=np.float64)
        for i, record in enumerate(records):
            matrix[i] = mention_features(record.get("mentions") or [])
        return matrix

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Column names, for inspecting coefficients."""
        return np.asarray(FEATURE_NAMES, dtype=object)
