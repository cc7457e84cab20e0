"""Why a label holds and when a person should check it: top evidence spans and the `needs_review` flag.

The thresholds live in models/review.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.evidence_features import evidence_vote, supporting_spans

RULES_PATH = Path(__file__).resolve().parent / "review.json"


@dataclass(frozen=True)
class Review:
    """The spans backing a label and whether the label needs a person's eyes (with the reason)."""

    spans: list[tuple[int, int]]
    needs_review: bool
    reason: str | None


def load_rules(path: Path = RULES_PATH) -> dict[str, Any]:
    """The review thresholds."""
    return json.loads(path.read_text(encoding="utf-8"))


_RULES = load_rules()


def review(label: str, probabilities: Iterable[float], evidence: Iterable[Any], mentions: Iterable[Any],
           rules: dict[str, Any] | None = None) -> Review:
    """Spans backing `label` and the review flag: low confidence, or evidence that points elsewhere."""
    rules = rules or _RULES
    evidence = list(evidence)
    spans = supporting_spans(evidence, mentions, label, limit=int(rules["max_spans"]))
    top = max(probabilities)
    vote = evidence_vote(evidence)
    if top < float(rules["min_confidence"]):
        return Review(spans, True, f"low confidence ({top:.2f})")
    if vote is not None and vote != label:
        return Review(spans, True, f"evidence points to {vote}")
    return Review(spans, False, None)
