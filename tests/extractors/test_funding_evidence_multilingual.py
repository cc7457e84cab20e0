"""Funding evidence in ja, de, fr, nl, es and ko: rows, negation and offsets from our own fixture sentences."""

from __future__ import annotations

import json

import pytest

from extractors.funding_evidence import KINDS, MODALITIES, _regex
from extractors.languages import get_nlp_for
from tests.expectations import DATA

CASES = [json.loads(line) for line in
         (DATA / "extractors" / "funding_evidence_multilingual.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
IDS = [c["id"] for c in CASES]


def rows(doc) -> list[tuple]:
    return sorted(((e.kind, e.funder_country, e.recipient_country, e.negated) for e in doc._.funding_evidence), key=repr)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_evidence_rows(case):
    expected = sorted((tuple(r) for r in case["expect"]), key=repr)
    assert rows(get_nlp_for(case["lang"])(case["text"])) == expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_offsets_round_trip(case):
    doc = get_nlp_for(case["lang"])(case["text"])
    assert doc._.funding_evidence
    for ev in doc._.funding_evidence:
        assert doc.text[ev.start:ev.end] == ev.text
        assert ev.start < ev.end
        assert ev.text in ev.sentence and ev.sentence in doc.text
        assert ev.kind in KINDS and ev.modality in MODALITIES


def test_every_language_has_cases():
    assert {c["lang"] for c in CASES} == {"ja", "de", "fr", "nl", "es", "ko"}


def test_char_match_finds_terms_inside_an_unspaced_run():
    text = "研究費はJSTが支援します"
    assert _regex(["支援"]).search(text) is None  # whole-word matching cannot see it
    assert _regex(["支援"], char_match=True).search(text).group() == "支援"


def test_a_language_keeps_only_its_own_records():
    japanese = "日本側研究者はJSTが支援します。"
    assert get_nlp_for("en")(japanese)._.funding_evidence == []
    assert get_nlp_for("ja")(japanese)._.funding_evidence != []
    assert get_nlp_for("de")("NWO financiert de Nederlandse onderzoekers.")._.funding_evidence == []


def test_a_text_without_cues_has_no_evidence():
    assert get_nlp_for("ja")("日本とフランスは2024年に科学技術協力協定を結んだ。")._.funding_evidence == []
    assert get_nlp_for("fr")("La France et le Japon ont signé un accord en 2024.")._.funding_evidence == []
