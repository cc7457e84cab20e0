"""The multilingual scorer on tiny hand-made inputs whose figures are worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.evaluate_multilingual import load_split, main, score, score_language
from flows.evaluate_real import Predicted

TOL = 1e-9
MATCHING, DIRECT, NEITHER = (0.8, 0.1, 0.1), (0.1, 0.8, 0.1), (0.1, 0.1, 0.8)


def rec(id_: str, language: str, label: str, countries: list[str], trl: list[str]) -> dict:
    return {"id": id_, "language": language, "genre": "call", "label": label, "text": f"text of {id_}",
            "countries": countries, "trl": trl}


JA = [rec("ja-1", "ja", "matching_fund", ["DEU", "JPN"], ["4-6", "4-6"]),
      rec("ja-2", "ja", "neither", ["GBR"], [])]
PRED = {"ja-1": Predicted(MATCHING, {"JPN"}, {"4-6"}),
        "ja-2": Predicted(DIRECT, {"GBR", "USA"}, set())}


def test_countries_trl_and_mode_figures_per_language() -> None:
    s = score_language(JA, PRED)
    # countries: tp 2 (JPN, GBR), fp 1 (USA), fn 1 (DEU)
    assert (s["countries"]["tp"], s["countries"]["fp"], s["countries"]["fn"]) == (2, 1, 1)
    assert s["countries"]["precision"] == pytest.approx(2 / 3, abs=TOL)
    assert s["countries"]["f1"] == pytest.approx(2 / 3, abs=TOL)
    # TRL: the repeated gold "4-6" is one value of the set, found
    assert s["trl"]["f1"] == pytest.approx(1.0, abs=TOL)
    # mode: matching right (F1 1), neither predicted direct (F1 0 for both): macro over 3 classes
    assert s["mode"]["macro_f1"] == pytest.approx(1 / 3, abs=TOL)
    assert s["mode"]["accuracy"] == pytest.approx(0.5, abs=TOL)
    assert s["met"] == {"countries": False, "trl": True, "mode": False}


def test_a_language_without_any_trl_has_no_trl_figure_and_missing_predictions_are_counted() -> None:
    de = [rec("de-1", "de", "direct_fund", ["CAN"], []), rec("de-2", "de", "neither", [], [])]
    s = score_language(de, {"de-1": Predicted(DIRECT, {"CAN"}, set())}, detected={"de-1": "de", "de-2": "nl"})
    assert (s["n"], s["n_scored"]) == (2, 1)
    assert s["trl"]["f1"] is None and s["met"]["trl"] is None
    assert s["countries"]["f1"] == pytest.approx(1.0, abs=TOL) and s["met"]["countries"] is True
    assert s["mode"]["macro_f1"] == pytest.approx(1.0, abs=TOL)
    assert s["detected_share"] == pytest.approx(0.5, abs=TOL)


def test_a_spurious_trl_where_the_gold_has_none_costs_precision() -> None:
    s = score_language([rec("x", "fr", "neither", [], [])], {"x": Predicted(NEITHER, set(), {"3-3"})})
    assert (s["trl"]["tp"], s["trl"]["fp"], s["trl"]["f1"]) == (0, 1, 0.0)
    assert s["met"]["trl"] is False


def write(folder: Path, name: str, records: list[dict]) -> None:
    (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_load_split_refuses_a_record_in_the_wrong_language_file(tmp_path: Path) -> None:
    write(tmp_path, "ja.jsonl", [rec("a", "ko", "neither", [], [])])
    with pytest.raises(ValueError, match="language 'ko'"):
        load_split(tmp_path)


def test_load_split_refuses_duplicate_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, "ja.jsonl", [rec("a", "ja", "neither", [], [])])
    write(tmp_path, "ko.jsonl", [rec("a", "ko", "neither", [], [])])
    with pytest.raises(ValueError, match="duplicate"):
        load_split(tmp_path)


def test_main_prints_marks_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "ja.jsonl", JA)
    write(tmp_path, "es.jsonl", [rec("es-1", "es", "direct_fund", ["ESP"], ["5-9"])])
    preds = {**PRED, "es-1": Predicted(DIRECT, {"ESP"}, {"5-9"})}
    out = tmp_path / "out" / "ml.json"
    assert main(["--dir", str(tmp_path), "--out", str(out)], predict=lambda texts: preds,
                detect=lambda text: "ja" if "ja-" in text else "es") == 0
    printed = capsys.readouterr().out
    rows = {line.split("|")[1].strip(): line for line in printed.splitlines() if line.startswith("| ")}
    assert "✗" in rows["ja"] and "✗" not in rows["es"] and rows["es"].count("✓") == 3
    result = json.loads(out.read_text(encoding="utf-8"))
    assert list(result["languages"]) == ["es", "ja"]
    assert result["languages"]["ja"]["countries"]["f1"] == pytest.approx(2 / 3, abs=TOL)
    assert result["languages"]["es"]["detected_share"] == pytest.approx(1.0, abs=TOL)
    assert result["targets"] == {"countries": 0.97, "trl": 0.95, "mode": 0.85}


def test_score_keeps_languages_apart() -> None:
    ko = [rec("ko-1", "ko", "neither", ["KOR"], [])]
    result = score({"ja": JA, "ko": ko}, {**PRED, "ko-1": Predicted(NEITHER, set(), set())})
    assert result["languages"]["ko"]["countries"]["f1"] == pytest.approx(0.0, abs=TOL)
    assert result["languages"]["ja"]["countries"]["f1"] == pytest.approx(2 / 3, abs=TOL)
