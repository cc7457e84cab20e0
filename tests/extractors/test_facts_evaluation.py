"""Facts and flows scoring: hand-counted tp/fp/fn on tiny gold and predictions."""

from __future__ import annotations

import math

from extractors.facts_evaluation import predicted_from_facts, score_facts

TOL = 1e-12
GOLD = [
    {"file": "a.txt", "deadline": ["2026-04-30"], "opening": [], "budget": [[400000, "EUR"], [600000, "BRL"]],
     "duration": [36, 60], "flows": [["DEU", "DEU"], ["BRA", "BRA"]]},
    {"file": "b.txt", "deadline": [], "opening": [], "budget": [], "duration": [], "flows": [["NLD", "*"]]},
]


def test_perfect_prediction_scores_one():
    predicted = {g["file"]: {k: g[k] for k in ("deadline", "budget", "duration", "flows")} for g in GOLD}
    scores = score_facts(GOLD, predicted)
    for kind in ("deadline", "budget", "duration", "flows"):
        assert math.isclose(scores[kind].f1, 1.0, abs_tol=TOL), kind


def test_counts_and_f1_by_hand():
    predicted = {
        "a.txt": {"deadline": ["2026-04-30", "2026-04-01"],          # 1 tp, 1 fp
                  "budget": [(400000.0, "EUR"), (600000.0, "USD")],   # wrong currency: 1 tp, 1 fp, 1 fn
                  "duration": [36, 36],                               # duplicates count once: 1 tp, 1 fn
                  "flows": [("DEU", "DEU"), ("DEU", "BRA")]},         # 1 tp, 1 fp, 1 fn
        "b.txt": {"flows": []},                                       # 1 fn
    }
    s = score_facts(GOLD, predicted)
    assert (s["deadline"].tp, s["deadline"].fp, s["deadline"].fn) == (1, 1, 0)
    assert math.isclose(s["deadline"].f1, 2 / 3, abs_tol=TOL)
    assert (s["budget"].tp, s["budget"].fp, s["budget"].fn) == (1, 1, 1)
    assert math.isclose(s["budget"].f1, 0.5, abs_tol=TOL)
    assert (s["duration"].tp, s["duration"].fp, s["duration"].fn) == (1, 0, 1)
    assert math.isclose(s["duration"].f1, 2 / 3, abs_tol=TOL)
    assert (s["flows"].tp, s["flows"].fp, s["flows"].fn) == (1, 1, 2)
    assert math.isclose(s["flows"].f1, 0.4, abs_tol=TOL)
    assert any(m.startswith("b.txt") for m in s["flows"].misses)


def test_amount_tolerance_is_relative_one_in_a_million():
    gold = [{"file": "c.txt", "budget": [[1_000_000, "JPY"], [2_000_000, "JPY"]]}]
    close = 1_000_000 * (1 + 5e-7)
    far = 2_000_000 * (1 + 5e-6)
    s = score_facts(gold, {"c.txt": {"budget": [(close, "JPY"), (far, "JPY")]}}, kinds=("budget",))["budget"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)


def test_missing_file_counts_every_gold_value_as_missed():
    s = score_facts(GOLD, {}, kinds=("flows",))["flows"]
    assert (s.tp, s.fp, s.fn) == (0, 0, 3)


def test_predicted_from_fact_rows_and_flow_pairs():
    rows = [
        {"fact": "deadline", "date": "2026-04-30", "amount": None, "currency": None, "months": None},
        {"fact": "published", "date": "2026-01-02", "amount": None, "currency": None, "months": None},
        {"fact": "budget", "date": None, "amount": 4e5, "currency": "EUR", "months": None},
        {"fact": "duration", "date": None, "amount": None, "currency": None, "months": 36.0},
    ]
    out = predicted_from_facts(rows, [("DEU", "DEU"), ("EU", None)])
    assert out["deadline"] == ["2026-04-30"]
    assert out["opening"] == []
    assert out["budget"] == [(4e5, "EUR")]
    assert out["duration"] == [36.0]
    assert out["flows"] == [("DEU", "DEU")]
