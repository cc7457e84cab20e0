"""Funding evidence: who funds whom per sentence, with negation and modality, from fixture sentences."""

from __future__ import annotations

import json

import pytest

from extractors.funding_evidence import KINDS, MODALITIES, Evidence, doc_flows, mode_of
from tests.expectations import DATA

CASES = [json.loads(line) for line in (DATA / "extractors" / "funding_evidence.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
MESSY = ("\n\n  Call text \u2014 2026\n\nThe Marie Sk\u0142odowska-Curie Actions fund researchers from any country.  "
         "JST supports the Japanese teams;\tANR supports the French ones.\n\nNWO pays foreign partners.\n")


def rows(doc) -> list[tuple]:
    return sorted(((e.kind, e.funder_country, e.recipient_country, e.negated, e.modality)
                   for e in doc._.funding_evidence), key=repr)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_evidence_rows(nlp, case):
    expected = sorted((tuple(r) for r in case["expect"]), key=repr)
    assert rows(nlp(case["text"])) == expected


@pytest.mark.parametrize("case", [c for c in CASES if "flows" in c], ids=[c["id"] for c in CASES if "flows" in c])
def test_flows(nlp, case):
    flows = doc_flows(nlp(case["text"])._.funding_evidence)
    assert sorted([f.funder, f.funder_country, f.recipient_country, f.mode] for f in flows) == sorted(case["flows"])


@pytest.mark.parametrize("text", [c["text"] for c in CASES] + [MESSY], ids=[c["id"] for c in CASES] + ["messy"])
def test_offsets_round_trip(nlp, text):
    doc = nlp(text)
    for ev in doc._.funding_evidence:
        assert doc.text[ev.start:ev.end] == ev.text
        assert ev.start < ev.end
        assert ev.text in ev.sentence and ev.sentence in doc.text
        assert ev.kind in KINDS and ev.modality in MODALITIES


def test_messy_text_finds_each_funder(nlp):
    doc = nlp(MESSY)
    assert rows(doc) == sorted([("any", "EU", "*", False, "stated"), ("own", "JPN", "JPN", False, "stated"),
                                ("own", "FRA", "FRA", False, "stated"), ("any", "NLD", "*", False, "stated")], key=repr)
    flows = doc_flows(doc._.funding_evidence)
    first_nwo = next(f for f in flows if f.funder == "NWO")
    assert MESSY[first_nwo.evidence_start:first_nwo.evidence_end] == "NWO pays foreign partners"


def test_flows_skip_negated_hypothetical_and_unresolved_rows():
    def ev(kind, funder, country, recipient, negated=False, modality="stated"):
        return Evidence(kind, funder, country, recipient, negated, modality, "t", 0, 1, "t")

    evidence = [ev("own", "JST", "JPN", "JPN"), ev("own", "JST", "JPN", "JPN"), ev("any", "NWO", "NLD", "*", negated=True),
                ev("foreign", "DFG", "DEU", "JPN", modality="hypothetical"), ev("pooled", None, None, "*"),
                ev("foreign", "NLD", "NLD", "IND", modality="proposal")]
    assert [(f.funder, f.recipient_country, f.mode) for f in doc_flows(evidence)] == [("JST", "JPN", "matching_fund")]
    assert mode_of("NLD", "*") == "direct_fund" and mode_of("EU", "EU") == "matching_fund"


def test_a_text_without_cues_has_empty_evidence(nlp):
    assert nlp("Japan and France signed a science agreement in 2024.")._.funding_evidence == []


def test_evidence_columns_match_the_store_schema():
    from corpus.schema import EVIDENCE

    ev = Evidence("own", "JST", "JPN", "JPN", False, "stated", "t", 0, 1, "t")
    assert ["doc_id", *ev.as_dict()] == EVIDENCE.names


def test_a_domestic_row_makes_a_flow_but_no_vote(nlp):
    from models.evidence_features import evidence_vote

    doc = nlp("KEIT opens its materials call for 2026. Lead applicant: a company registered in the Republic of Korea.")
    assert [e.kind for e in doc._.funding_evidence] == ["domestic"]
    assert evidence_vote(doc._.funding_evidence) is None
