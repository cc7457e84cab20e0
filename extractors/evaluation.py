"""Precision, recall and F1 of extracted mentions against the annotated gold sets."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

# gold key -> mention label; TRL is compared as a multiset of (min, max), the others as sets
GOLD_KEYS = {"countries": "country", "schemes": "scheme", "agencies": "agency", "trl": "trl"}


@dataclass
class Score:
    """Micro-averaged counts over documents for one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)  # "file: missing X / spurious Y", for reading

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_gold(path: Path) -> list[dict]:
    """The gold lines of one split."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _as_counter(label: str, values: Iterable) -> Counter:
    if label == "trl":
        return Counter(tuple(v) for v in values)
    return Counter(set(values))


def score_split(gold: list[dict], predicted: dict[str, dict[str, list]]) -> dict[str, Score]:
    """Scores per label; `predicted[file][label]` lists values (TRL values as (min, max))."""
    scores = {label: Score() for label in GOLD_KEYS.values()}
    for doc in gold:
        found = predicted.get(doc["file"], {})
        for key, label in GOLD_KEYS.items():
            if key not in doc:
                continue
            want = _as_counter(label, doc[key])
            got = _as_counter(label, found.get(label, []))
            s = scores[label]
            tp = sum((want & got).values())
            s.tp += tp
            s.fp += sum(got.values()) - tp
            s.fn += sum(want.values()) - tp
            missing, spurious = want - got, got - want
            if missing or spurious:
                s.misses.append(f"{doc['file']}: missing {sorted(missing.elements())} "
                                f"spurious {sorted(spurious.elements())}")
    return scores
