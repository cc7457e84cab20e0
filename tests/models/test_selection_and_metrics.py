"""Model selection's acceptance rule and the metrics written into the model card."""

from __future__ import annotations

import pytest

from models.evaluation import classification_metrics
from models.funding_mode import ModelParams
from models.selection import select_params

GRID = [ModelParams(C=10.0, funding_weight=1.0, mention_weight=0.0), ModelParams(C=1.0, funding_weight=0.5, mention_weight=0.0)]


@pytest.fixture(scope="module")
def small_split(train_docs, train_records):
    """The first 20 training documents of each label: enough for 5 stratified folds, quick to fit."""
    chosen, seen = [], {"matching_fund": 0, "direct_fund": 0, "neither": 0}
    for doc, record in zip(train_docs, train_records):
        if seen[doc.label] < 20:
            seen[doc.label] += 1
            chosen.append((record, doc.label))
    return [r for r, _ in chosen], [label for _, label in chosen]


def test_without_acceptance_documents_the_best_cv_candidate_wins(small_split):
    records, labels = small_split
    selection = select_params(records, labels, GRID, seed=5)
    top = max(selection.scores, key=lambda row: row[1])[0]
    assert selection.best == top
    assert [row[0] for row in selection.scores] == GRID
    assert selection.n_acceptance == 0 and selection.accepted and selection.rejected == []


def test_an_acceptance_document_nobody_can_satisfy_keeps_the_top_candidate_and_says_so(small_split, hand_written_records):
    records, labels = small_split
    plainly_domestic = hand_written_records[2]  # the Spanish regional grant, plainly `neither`
    selection = select_params(records, labels, GRID, seed=5, acceptance=[(plainly_domestic, "matching_fund")])
    top = max(selection.scores, key=lambda row: row[1])[0]
    considered = [p for p, mean, _ in selection.scores if mean >= selection.floor]
    assert selection.accepted is False
    assert selection.best == top
    assert sorted(selection.rejected, key=repr) == sorted(considered, key=repr)
    assert selection.n_acceptance == 1


def test_classification_metrics_match_a_hand_count():
    true = ["matching_fund", "matching_fund", "direct_fund", "direct_fund", "neither", "neither"]
    pred = ["matching_fund", "direct_fund", "direct_fund", "direct_fund", "neither", "matching_fund"]
    metrics = classification_metrics(true, pred)
    # matching: P 1/2, R 1/2; direct: P 2/3, R 1; neither: P 1, R 1/2
    assert metrics["per_class"]["matching_fund"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert metrics["per_class"]["direct_fund"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8, "support": 2}
    assert metrics["per_class"]["neither"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    # rounded to 4 places by the code; the tolerance is half a unit of that place
    assert metrics["macro_f1"] == pytest.approx(0.6556, abs=5e-5)  # (0.5 + 0.8 + 2/3) / 3
    assert metrics["accuracy"] == pytest.approx(0.6667, abs=5e-5)
    assert metrics["confusion"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert metrics["n"] == 6
