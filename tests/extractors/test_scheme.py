"""Scheme mentions: the four codes in their many wordings, and the look-alikes that are not schemes."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "japan-bold-approach.txt"

CASES = [
    # matching_fund
    ("Both sides rely on [parallel funding]{matching_fund}.", "parallel funding"),
    ("The [national funding principle]{matching_fund} governs the call.", "national funding principle"),
    ("A [virtual common pot]{matching_fund} is used.", "virtual common pot"),
    ("For the foreign partners, [national funding rules apply]{matching_fund}.", "national funding rules apply"),
    ("[Each agency funds its own]{matching_fund} researchers.", "each agency funds its own researchers"),
    ("Teams are [funded by their respective national]{matching_fund} agency.", "funded by their respective national agency"),
    ("[Each partner is financed by its own]{matching_fund} national funder.", "each partner ... its own national funder"),
    ("The programme uses [matching funds]{matching_fund} from both countries.", "matching funds with an international cue"),
    ("Under traditional “[matching funds]{matching_fund},” [both countries support their own]{matching_fund} groups.",
     "matching funds in quotes"),
    ("The UK team uses [matched funding]{matching_fund} with Japan.", "matched funding with country mentions"),
    # direct_fund
    ("NWO pays partners via [Money Follows Cooperation]{direct_fund}.", "money follows cooperation"),
    ("A [real common pot]{direct_fund} pays every team.", "real common pot"),
    ("The call offers [cross-border funding]{direct_fund}.", "cross-border funding"),
    ("Firms are [eligible regardless of country]{direct_fund}.", "eligible regardless of country"),
    ("The agency [grants to overseas companies]{direct_fund} in the consortium.", "grants to overseas companies"),
    ("The ministry offers [funding to foreign organisations]{direct_fund}.", "funding to foreign organisations"),
    ("The government [directly funds]{direct_fund} companies in another country.", "directly funds"),
    ("The Japanese side will also [cover the overseas partner]{direct_fund}'s costs.", "cover the overseas partner's costs"),
    ("We propose a [pooled budget]{direct_fund} from which any participant could be paid.", "a pooled budget as a proposal"),
    ("The scheme is [open to foreign companies]{direct_fund}.", "open to foreign companies"),
    # lead_agency
    ("Proposals follow the [lead agency procedure]{lead_agency}.", "lead agency procedure"),
    ("Apply through [Weave]{lead_agency}, with a [single review by the lead agency]{lead_agency}.", "Weave and single review"),
    ("One agency [reviews proposals on behalf of]{lead_agency} all partners.", "reviews on behalf of"),
    # joint_call
    ("JST and DFG opened a [joint call]{joint_call} today.", "joint call"),
    ("A [bilateral call]{joint_call} and a [multilateral call]{joint_call} follow.", "bilateral and multilateral calls"),
    ("The [joint research programme]{joint_call} announced by NSF and UKRI starts.", "joint research programme"),
]

NOT_SCHEMES = [
    ("The state provides matching funds for the federal grant.", "domestic cost-share matching funds"),
    ("Companies must provide matching funds of 50% of the subsidy.", "a company matching a subsidy"),
    ("The university supplies matching funds for the new building.", "matching funds with no international cue"),
    ("Direct costs and indirect costs are eligible.", "direct costs"),
    ("Apply directly online before May.", "apply directly"),
    ("Please contact us directly with questions.", "contact us directly"),
    ("Money follows researcher: the grant moves with its holder.", "money follows researcher"),
    ("We weave many threads together.", "weave the verb"),
    ("JSPS funds foreign researchers to work in Japan.", "a fellowship paying people to come to the funder's country"),
]


@pytest.mark.parametrize("marked,why", CASES, ids=[c[1] for c in CASES])
def test_scheme_spans(found, marked, why):
    expected, actual = found(marked, "scheme")
    assert actual == expected


@pytest.mark.parametrize("text,why", NOT_SCHEMES, ids=[c[1] for c in NOT_SCHEMES])
def test_not_a_scheme(nlp, text, why):
    doc = nlp(text)
    assert [s.text for s in doc.spans["scheme"]] == []


def test_seed_letter_mentions_both_modes(nlp):
    doc = nlp(SEED.read_text(encoding="utf-8"))
    got = [(s.text, s._.value) for s in doc.spans["scheme"]]
    assert got == [
        ("each country supports researchers in their own", "matching_fund"),
        ("matching funds", "matching_fund"),
        ("both countries support their own", "matching_fund"),
        ("directly funds", "direct_fund"),
        ("funding agency of the other country", "matching_fund"),
        ("directly funds", "direct_fund"),
        ("direct support", "direct_fund"),
    ]
    for span in doc.spans["scheme"]:
        assert doc.text[span.start_char:span.end_char] == span.text
