"""TRL by party: each trl span's party_country and party_kind, from fixture sentences."""

from __future__ import annotations

import json

import pytest

from extractors.mentions import doc_mentions
from extractors.trl_party import PARTY_KINDS, PartyReader
from tests.expectations import DATA

CASES = [json.loads(line) for line in (DATA / "extractors" / "trl_party.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_trl_party(nlp, case):
    doc = nlp(case["text"])
    assert [[s.text, s._.party_country, s._.party_kind] for s in doc.spans["trl"]] == case["expect"]


def test_mentions_carry_the_party_in_attrs(nlp):
    mentions = doc_mentions(nlp(CASES[0]["text"]))
    trl = [(m.text, m.attrs) for m in mentions if m.label == "trl"]
    assert trl == [("TRL 3", {"party_country": "JPN", "party_kind": "academia"}),
                   ("high TRL", {"party_country": None, "party_kind": "company"})]
    assert all("party_kind" not in m.attrs for m in mentions if m.label != "trl")


def test_every_kind_in_the_cue_file_is_known():
    kinds = set(PartyReader().kind_of.values())
    assert kinds - {None} == set(PARTY_KINDS)


def test_a_cue_file_of_our_own_changes_the_kinds(tmp_path):
    from extractors.pipeline import build_nlp

    cues = tmp_path / "party.jsonl"
    cues.write_text('{"kind": "party_noun", "party_kind": "project", "terms": ["teams"]}\n', encoding="utf-8")
    doc = build_nlp(trl={"party_path": str(cues)})("Japanese teams at TRL 3 apply.")
    assert [(s._.party_country, s._.party_kind) for s in doc.spans["trl"]] == [("JPN", "project")]


def _trl_seconds(nlp, n: int) -> float:
    """Seconds the trl component takes on a doc of `n` sentences, each with one TRL mention."""
    import time

    text = " ".join(f"Japanese teams in Japan start at TRL {1 + i % 8} in step {i}." for i in range(n))
    doc = nlp(text, disable=["trl"])
    trl = nlp.get_pipe("trl")
    start = time.perf_counter()
    trl(doc)
    elapsed = time.perf_counter() - start
    assert len(doc.spans["trl"]) == n and doc.spans["trl"][-1]._.party_country == "JPN"
    return elapsed


def test_party_reading_grows_linearly_with_the_mentions(nlp):
    # four times the mentions: about 4x the time when linear, 16x when each mention rescans the doc
    # (as `doc.text` and `Token.sent` do); the bound of 9x only catches the quadratic walk
    _trl_seconds(nlp, 50)  # warm-up: regexes compiled, cue file read
    small = min(_trl_seconds(nlp, 400) for _ in range(3))
    large = min(_trl_seconds(nlp, 1600) for _ in range(2))
    assert large / small < 9.0


def test_one_reader_gives_each_doc_its_own_sentences(nlp):
    # the reader caches sentence bounds per doc: a second doc must not reuse the first's
    first = nlp("Intro sentence here. Japanese teams at TRL 3 apply.")
    second = nlp("Korean companies aim at TRL 6. Short one.")
    assert [(s._.party_country, s._.party_kind) for s in first.spans["trl"]] == [("JPN", "academia")]
    assert [(s._.party_country, s._.party_kind) for s in second.spans["trl"]] == [("KOR", "company")]
