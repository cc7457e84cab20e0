"""Scores of call facts (deadlines, openings, budgets, durations) and flows against facts_gold.jsonl.

Each kind is compared per document as a set of values and micro-averaged over (file, value):
dates exactly, budgets as (amount, currency) with the amount within a relative tolerance,
durations as whole months, flows as (funder_country, recipient_country) pairs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from extractors.evaluation import Score, read_gold

KINDS = ("deadline", "opening", "budget", "duration", "flows")
AMOUNT_REL_TOL = 1e-6

__all__ = ["AMOUNT_REL_TOL", "KINDS", "read_gold", "predicted_from_facts", "score_facts"]


def _key(kind: str, value: Any) -> Any:
    """A hashable, comparable form of one gold or predicted value."""
    if kind in ("deadline", "opening"):
        return str(value)
    if kind == "duration":
        return int(value)
    if kind == "budget":
        amount, currency = value
        return float(amount), str(currency)
    funder, recipient = value
    return str(funder), str(recipient)


def _same(kind: str, a: Any, b: Any) -> bool:
    if kind == "budget":
        return a[1] == b[1] and math.isclose(a[0], b[0], rel_tol=AMOUNT_REL_TOL, abs_tol=0.0)
    return a == b


def _match(kind: str, want: list, got: list) -> tuple[int, list, list]:
    """True positives, missing gold values and spurious predictions (one-to-one matching)."""
    left = list(got)
    missing = []
    tp = 0
    for w in want:
        hit = next((i for i, g in enumerate(left) if _same(kind, w, g)), None)
        if hit is None:
            missing.append(w)
        else:
            tp += 1
            left.pop(hit)
    return tp, missing, left


def _unique(kind: str, values: Iterable) -> list:
    kept: list = []
    for v in (_key(kind, v) for v in values):
        if not any(_same(kind, v, k) for k in kept):
            kept.append(v)
    return kept


def score_facts(gold: list[dict], predicted: Mapping[str, Mapping[str, Iterable]],
                kinds: Iterable[str] = KINDS) -> dict[str, Score]:
    """Micro P/R/F1 per kind; `predicted[file][kind]` lists values shaped like the gold's."""
    scores = {kind: Score() for kind in kinds}
    for doc in gold:
        found = predicted.get(doc["file"], {})
        for kind, s in scores.items():
            want = _unique(kind, doc.get(kind, []))
            got = _unique(kind, found.get(kind, []))
            tp, missing, spurious = _match(kind, want, got)
            s.tp += tp
            s.fp += len(spurious)
            s.fn += len(missing)
            if missing or spurious:
                s.misses.append(f"{doc['file']}: missing {missing} spurious {spurious}")
    return scores


def predicted_from_facts(facts: Iterable[Mapping[str, Any]],
                         flows: Iterable[tuple[str, str]] = ()) -> dict[str, list]:
    """One document's predicted values by kind, from fact rows (`Fact.as_dict()`) and flow pairs."""
    out: dict[str, list] = {kind: [] for kind in KINDS}
    for row in facts:
        kind = row["fact"]
        if kind in ("deadline", "opening") and row.get("date"):
            out[kind].append(str(row["date"]))
        elif kind == "budget" and row.get("amount") is not None and row.get("currency"):
            out[kind].append((row["amount"], row["currency"]))
        elif kind == "duration" and row.get("months") is not None:
            out[kind].append(row["months"])
    out["flows"] = [(f, r) for f, r in flows if f and r]
    return out
