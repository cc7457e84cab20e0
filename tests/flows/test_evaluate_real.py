"""The real-world scorer's metrics against values worked out by hand, on a made-up fixture manifest."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from flows.evaluate_real import (
    Predicted,
    brier_score,
    classification_scores,
    confident_wrong_share,
    expected_calibration_error,
    load_manifest,
    main,
    read_texts,
    score,
    set_scores,
    split_of,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "realworld"
MANIFEST = DATA / "manifest.jsonl"
TOL = 1e-9


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.0, abs_tol=TOL)


def test_split_rule_follows_sha1_of_url():
    # sha1 hex digests checked with `sha1sum`: .../1 -> 87f1...b954 (mod 3 = 1), .../2 -> 85c4...c7a4 (0),
    # .../4 -> 9a48...1c8e (2)
    assert split_of("https://example.org/fund/1") == "dev"
    assert split_of("https://example.org/fund/2") == "holdout"
    assert split_of("https://example.org/fund/4") == "dev"


def test_load_manifest_filters_by_split():
    assert [r["id"] for r in load_manifest(MANIFEST, "dev")] == ["fx-1", "fx-4"]
    assert [r["id"] for r in load_manifest(MANIFEST, "holdout")] == ["fx-2", "fx-3"]
    assert len(load_manifest(MANIFEST, "all")) == 4
    assert [r["id"] for r in load_manifest(MANIFEST, "tune")] == ["fx-1", "fx-2", "fx-3", "fx-4"]


def test_a_fresh_holdout_row_is_exempt_from_the_url_rule_and_kept_out_of_tune(tmp_path):
    row = json.loads(MANIFEST.read_text(encoding="utf-8").splitlines()[0])
    fresh = {**row, "id": "fx-9", "split": "holdout5"}  # fund/1 is dev by the URL rule
    seen = {**row, "id": "fx-8", "split": "holdout4"}  # scored once, tuned on since
    path = tmp_path / "manifest.jsonl"
    path.write_text(MANIFEST.read_text(encoding="utf-8") + json.dumps(fresh) + "\n" + json.dumps(seen) + "\n",
                    encoding="utf-8")
    assert [r["id"] for r in load_manifest(path, "holdout5")] == ["fx-9"]
    assert "fx-9" not in [r["id"] for r in load_manifest(path, "tune")]
    assert "fx-8" in [r["id"] for r in load_manifest(path, "tune")]


def test_load_manifest_refuses_a_split_that_breaks_the_rule(tmp_path):
    row = json.loads(MANIFEST.read_text(encoding="utf-8").splitlines()[0])
    row["split"] = "holdout"  # fund/1 is dev by the rule
    bad = tmp_path / "m.jsonl"
    bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="contradicts"):
        load_manifest(bad)


def first_line_twice(source: Path, target: Path) -> Path:
    """`target` holding the first line of `source` written twice: a file with a duplicate id."""
    line = source.read_text(encoding="utf-8").splitlines()[0]
    target.write_text(line + "\n" + line + "\n", encoding="utf-8")
    return target


def test_load_manifest_refuses_duplicate_ids(tmp_path):
    with pytest.raises(ValueError, match="duplicate"):
        load_manifest(first_line_twice(MANIFEST, tmp_path / "m.jsonl"))


def test_classification_scores_by_hand():
    m, d, n = "matching_fund", "direct_fund", "neither"
    s = classification_scores([m, m, d, d, n], [m, d, d, n, n])
    assert close(s["accuracy"], 3 / 5)
    # matching: tp 1 fp 0 fn 1; direct: tp 1 fp 1 fn 1; neither: tp 1 fp 1 fn 0
    assert close(s["per_class"][m]["precision"], 1.0) and close(s["per_class"][m]["recall"], 0.5)
    assert close(s["per_class"][m]["f1"], 2 / 3)
    assert close(s["per_class"][d]["f1"], 0.5)
    assert close(s["per_class"][n]["precision"], 0.5) and close(s["per_class"][n]["f1"], 2 / 3)
    assert close(s["macro_f1"], 11 / 18)
    assert s["confusion"][m] == {m: 1, d: 1, n: 0}
    assert s["confusion"][d] == {m: 0, d: 1, n: 1}
    assert s["per_class"][d]["support"] == 2


def test_macro_f1_leaves_out_a_class_absent_from_gold_and_predictions():
    s = classification_scores(["matching_fund", "matching_fund"], ["matching_fund", "direct_fund"])
    # matching F1 2/3, direct F1 0 (one false positive), neither absent: (2/3 + 0) / 2
    assert close(s["macro_f1"], 1 / 3)


def test_ece_by_hand():
    # 15 bins: 0.95 -> bin 14 (acc 1/2), 0.55 -> bin 8 (acc 1), 0.4 -> bin 5 (acc 0)
    ece = expected_calibration_error([0.95, 0.95, 0.55, 0.4], [True, False, True, False])
    assert close(ece, 2 / 4 * 0.45 + 1 / 4 * 0.45 + 1 / 4 * 0.4)


def test_ece_puts_a_bin_edge_in_the_lower_bin():
    # 0.1 * 6 is 0.6000000000000001 and times 15 gives 9.000000000000002; it still belongs to
    # (8/15, 9/15] with 0.59, so both share one bin: |1/2 - (0.6 + 0.59) / 2|
    ece = expected_calibration_error([0.1 * 6, 0.59], [True, False])
    assert close(ece, abs(0.5 - 0.595))


def test_brier_multiclass_by_hand():
    proba = [(0.7, 0.2, 0.1), (0.2, 0.3, 0.5)]
    # (0.3^2 + 0.2^2 + 0.1^2) = 0.14 ; (0.2^2 + 0.7^2 + 0.5^2) = 0.78
    assert close(brier_score(proba, ["matching_fund", "direct_fund"]), (0.14 + 0.78) / 2)


def test_confident_wrong_share_counts_p_at_threshold():
    proba = [(0.95, 0.03, 0.02), (0.9, 0.05, 0.05), (0.89, 0.1, 0.01), (0.05, 0.92, 0.03)]
    gold = ["direct_fund", "neither", "direct_fund", "direct_fund"]
    assert close(confident_wrong_share(proba, gold), 2 / 4)


def test_set_scores_micro_over_documents():
    s = set_scores([{"JPN", "USA"}, {"DEU"}, set()], [{"JPN"}, {"DEU", "FRA"}, {"GBR"}])
    assert (s["tp"], s["fp"], s["fn"]) == (2, 2, 1)
    assert close(s["precision"], 0.5) and close(s["recall"], 2 / 3) and close(s["f1"], 4 / 7)


def test_predicted_mode_breaks_ties_like_argmax():
    assert Predicted(proba=(0.4, 0.4, 0.2)).mode == "matching_fund"
    assert Predicted(proba=(0.2, 0.4, 0.4)).mode == "direct_fund"


PREDICTED = {
    "fx-1": Predicted(proba=(0.6, 0.3, 0.1), countries={"JPN"}, trl={"4-6"}),
    "fx-2": Predicted(proba=(0.1, 0.2, 0.7), countries={"USA", "GBR"}),
    "fx-3": Predicted(proba=(0.2, 0.1, 0.7)),
}


def test_score_on_the_fixture_by_hand():
    r = score(load_manifest(MANIFEST, "all"), PREDICTED)
    assert r["n_scored"] == 3 and r["missing"] == ["fx-4"]
    mode = r["mode"]
    assert close(mode["accuracy"], 2 / 3)
    assert close(mode["macro_f1"], (1 + 0 + 2 / 3) / 3)
    assert close(mode["ece"], 1 / 3 * 0.4 + 2 / 3 * 0.2)  # 0.6 -> bin 8 (right); 0.7, 0.7 -> bin 10 (1 of 2)
    assert close(mode["brier"], (0.26 + 1.14 + 0.14) / 3)
    assert close(mode["confident_wrong_share"], 0.0)
    c = r["countries"]
    assert (c["tp"], c["fp"], c["fn"]) == (2, 1, 2) and close(c["f1"], 4 / 7)
    ce = r["countries_english"]  # fx-1 and fx-2 only
    assert (ce["tp"], ce["fp"], ce["fn"]) == (2, 1, 1) and close(ce["f1"], 2 / 3)
    assert close(r["trl"]["f1"], 1.0)
    assert r["by_language"]["de"] == {"n": 1, "accuracy": 1.0, "macro_f1": 1.0}
    assert r["by_language"]["en"]["n"] == 2 and close(r["by_language"]["en"]["macro_f1"], 1 / 3)
    assert [e["id"] for e in r["errors"]] == ["fx-2"]


def test_read_texts_reports_missing_files():
    texts, missing = read_texts(DATA / "texts", load_manifest(MANIFEST, "dev"))
    assert list(texts) == ["fx-1"] and missing == ["fx-4"]
    assert texts["fx-1"].startswith("Agency A of Japan")


def test_main_scores_saved_texts_of_one_split(tmp_path, capsys):
    seen = {}

    def fake_predict(texts):
        seen.update(texts)
        return {i: PREDICTED[i] for i in texts}

    out = tmp_path / "r.json"
    code = main(["--texts", str(DATA / "texts"), "--split", "dev", "--manifest", str(MANIFEST), "--out", str(out)],
                predict=fake_predict)
    assert code == 0
    assert list(seen) == ["fx-1"]  # only dev pages, and only those with a saved text
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["split"] == "dev" and result["n_scored"] == 1 and result["missing"] == ["fx-4"]
    assert close(result["mode"]["accuracy"], 1.0)
    assert "| macro-F1 | 1.000 |" in capsys.readouterr().out


FACTS_GOLD = DATA / "facts_gold.jsonl"
WITH_FLOWS_AND_FACTS = {
    "fx-1": Predicted(proba=(0.6, 0.2, 0.2), flows={("JPN", "JPN"), ("JPN", "*")},
                      facts={"deadline": ["2025-03-31", "2025-01-01"], "opening": [],
                             "budget": [(600000.0, "GBP")], "duration": []}),
    "fx-2": Predicted(proba=(0.7, 0.2, 0.1), facts={"deadline": [], "opening": [], "budget": [(1e6, "USD")],
                                                    "duration": [24]}),
    "fx-3": Predicted(proba=(0.1, 0.2, 0.7), flows={("DEU", "DEU")}),
}


def test_flows_are_scored_against_the_manifest_pairs_by_hand():
    r = score(load_manifest(MANIFEST, "all"), WITH_FLOWS_AND_FACTS)
    # gold: fx-1 JPN→JPN, FRA→FRA; fx-2 USA→*; fx-3 DEU→DEU (fx-4 has no prediction)
    # found: JPN→JPN ✓, JPN→* ✗, DEU→DEU ✓
    f = r["flows"]
    assert (f["tp"], f["fp"], f["fn"]) == (2, 1, 2) and close(f["f1"], 4 / 7)


def test_call_facts_are_scored_only_on_annotated_pages_with_a_prediction():
    from flows.evaluate_real import load_facts_gold

    r = score(load_manifest(MANIFEST, "all"), WITH_FLOWS_AND_FACTS, load_facts_gold(FACTS_GOLD))
    facts = r["facts"]
    assert facts["n_pages"] == 2  # fx-4 is annotated but has no prediction; fx-3 is not annotated
    d, b, m = facts["deadline"], facts["budget"], facts["duration"]
    assert (d["tp"], d["fp"], d["fn"]) == (1, 1, 0) and close(d["f1"], 2 / 3)
    assert (b["tp"], b["fp"], b["fn"]) == (2, 0, 1) and close(b["f1"], 0.8)  # 600,000 GBP and 1e6 USD; 2e6 USD missed
    assert (m["tp"], m["fp"], m["fn"]) == (0, 1, 1) and close(m["f1"], 0.0)


def test_facts_gold_refuses_duplicate_ids(tmp_path):
    from flows.evaluate_real import load_facts_gold

    with pytest.raises(ValueError, match="duplicate id"):
        load_facts_gold(first_line_twice(FACTS_GOLD, tmp_path / "facts_gold.jsonl"))
    assert load_facts_gold(tmp_path / "absent.jsonl") == {}


def test_main_prints_the_call_facts_table(tmp_path, capsys):
    code = main(["--texts", str(DATA / "texts"), "--split", "all", "--manifest", str(MANIFEST),
                 "--facts-gold", str(FACTS_GOLD)], predict=lambda texts: {i: WITH_FLOWS_AND_FACTS[i] for i in texts})
    assert code == 0
    out = capsys.readouterr().out
    assert "| call facts (2 annotated call pages) |" in out
    assert "| deadline | 0.500 | 1.000 | 0.667 | 1 | 1 | 0 |" in out
    assert "| flows (funder_country, recipient), all pages | 0.667 | 0.500 | 0.571 | 2 | 1 | 2 |" in out
