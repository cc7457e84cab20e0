"""`attach_mentions` runs each text through the pipeline of its language, keeping the texts' order."""

from __future__ import annotations

import pytest

from models.train import attach_mentions

JA = "日本側の研究者はJSTが、相手国の研究者は相手国の機関が支援する。英国と韓国の研究者が参加する。"
DE = "Partnerländer sind Kanada, die Tschechische Republik, Frankreich und die Niederlande."
EN = "JST funds Japanese teams and DFG funds German teams at TRL 3."


def countries(record: dict) -> list[str]:
    return sorted({m.value for m in record["mentions"] if m.label == "country"})


def test_detected_languages_pick_the_pipelines_and_order_is_kept() -> None:
    records = attach_mentions([JA, EN, DE, JA])
    assert [r["text"] for r in records] == [JA, EN, DE, JA]
    assert [countries(r) for r in records] == [["GBR", "JPN", "KOR"], ["DEU", "JPN"], ["CAN", "CZE", "FRA", "NLD"],
                                               ["GBR", "JPN", "KOR"]]
    assert all(isinstance(r["evidence"], list) for r in records)


def test_languages_force_the_pipeline_per_text() -> None:
    forced = attach_mentions([JA, DE], languages=["en", None])  # None: detect this one
    assert countries(forced[0]) == []  # the English rules do not read Japanese
    assert countries(forced[1]) == ["CAN", "CZE", "FRA", "NLD"]


def test_languages_must_match_the_texts() -> None:
    with pytest.raises(ValueError):
        attach_mentions([JA, DE], languages=["ja"])
