"""Evidence counts, the evidence vote, the spans backing a label and the review flag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.evidence_features import FEATURE_NAMES, EvidenceFeatures, evidence_features, evidence_vote, supporting_spans
from models.review import review

ROWS = json.loads((Path(__file__).resolve().parents[1] / "data" / "models" / "evidence_rows.json").read_text())
RULES = {"min_confidence": 0.6, "max_spans": 3}


def _named(values: list[float]) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, values))


def test_counts_separate_stated_negated_and_hypothetical_rows() -> None:
    m = _named(evidence_features(ROWS["matching"]))
    assert (m["n_stated_own"], m["n_stated_pooled"], m["n_negated_pooled"]) == (2, 0, 1)
    assert m["n_own_funder_countries"] == 2 and m["own_share"] == pytest.approx(1.0)
    d = _named(evidence_features(ROWS["direct"]))
    assert (d["n_stated_any"], d["n_stated_foreign"], d["n_stated_own"], d["n_hypothetical"]) == (1, 1, 0, 1)
    assert d["n_direct_funder_countries"] == 2 and d["own_share"] == pytest.approx(0.0)
    assert _named(evidence_features([]))["has_evidence"] == 0.0


def test_the_transformer_gives_one_row_per_record() -> None:
    matrix = EvidenceFeatures().fit([]).transform([{"evidence": ROWS["matching"]}, {"text": "no evidence key"}])
    assert matrix.shape == (2, len(FEATURE_NAMES))
    assert matrix[1].sum() == pytest.approx(0.5)  # only own_share's neutral value


def test_vote_ignores_negated_and_hypothetical_rows() -> None:
    assert evidence_vote(ROWS["matching"]) == "matching_fund"
    assert evidence_vote(ROWS["direct"]) == "direct_fund"
    assert evidence_vote([]) is None


def test_spans_backing_each_label() -> None:
    mentions = [{"label": "scheme", "value": "direct_fund", "start": 200, "end": 212}]
    assert supporting_spans(ROWS["matching"], [], "matching_fund") == [(10, 40), (50, 80)]
    assert supporting_spans(ROWS["direct"], mentions, "direct_fund") == [(5, 30), (60, 70), (200, 212)]
    assert supporting_spans(ROWS["matching"], [], "neither") == [(90, 120)]
    assert supporting_spans(ROWS["direct"], mentions, "direct_fund", limit=1) == [(5, 30)]


def test_review_flags_low_confidence_and_disagreeing_evidence() -> None:
    confident = review("matching_fund", (0.9, 0.05, 0.05), ROWS["matching"], [], RULES)
    assert not confident.needs_review and confident.spans == [(10, 40), (50, 80)]
    unsure = review("matching_fund", (0.5, 0.3, 0.2), ROWS["matching"], [], RULES)
    assert unsure.needs_review and "low confidence" in unsure.reason
    disagree = review("neither", (0.05, 0.05, 0.9), ROWS["direct"], [], RULES)
    assert disagree.needs_review and disagree.reason == "evidence points to direct_fund"


def test_the_evidence_vote_multiplies_the_voted_modes_odds() -> None:
    import numpy as np

    from models.funding_mode import apply_evidence_vote

    proba = np.array([[0.2, 0.2, 0.6], [0.2, 0.2, 0.6], [0.5, 0.3, 0.2]])
    records = [{"evidence": ROWS["matching"]}, {"evidence": []}, {"evidence": ROWS["direct"]}]
    out = apply_evidence_vote(proba, records, 10.0)
    np.testing.assert_allclose(out[0], np.array([2.0, 0.2, 0.6]) / 2.8, atol=1e-12)
    np.testing.assert_allclose(out[1], proba[1], atol=1e-12)  # no evidence: unchanged
    np.testing.assert_allclose(out[2], np.array([0.5, 3.0, 0.2]) / 3.7, atol=1e-12)
    assert apply_evidence_vote(proba, records, 1.0) is proba


def test_the_neither_ratio_scales_the_odds_of_neither_after_the_vote() -> None:
    import numpy as np

    from models.funding_mode import apply_evidence_vote

    proba = np.array([[0.2, 0.2, 0.6], [0.3, 0.3, 0.4]])
    records = [{"evidence": ROWS["matching"]}, {"evidence": []}]
    out = apply_evidence_vote(proba, records, 10.0, neither_ratio=0.5)
    np.testing.assert_allclose(out[0], np.array([2.0, 0.2, 0.3]) / 2.5, atol=1e-12)  # vote first, then neither
    np.testing.assert_allclose(out[1], np.array([0.3, 0.3, 0.2]) / 0.8, atol=1e-12)
    assert out.argmax(axis=1).tolist() == [0, 0]  # the second row's neither no longer wins (ties: first label)
