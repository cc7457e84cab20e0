"""TRL mentions: one case per row of the DOMAIN.md TRL table and per trap, exact spans and bounds."""

from __future__ import annotations

import pytest

CASES = [
    # TRL 4, TRL4, TRL-4, technology readiness level 4, level 4 on the TRL scale -> 4, 4
    ("Prototypes at [TRL 4]{4-4} qualify.", "TRL 4"),
    ("Prototypes at [TRL4]{4-4} qualify.", "TRL4 one token"),
    ("Prototypes at [TRL-4]{4-4} qualify.", "TRL-4 one token"),
    ("a [technology readiness level 4]{4-4} prototype", "technology readiness level 4"),
    ("a [Technology Readiness Level (TRL) 7]{7-7} system", "name with its acronym then a number"),
    ("work at [level 4 on the TRL scale]{4-4} only", "level 4 on the TRL scale"),
    # TRL 4–6, TRL 4 to 6, TRLs 4-6, between TRL 4 and TRL 6, TRL 4 to TRL 6 -> 4, 6
    ("projects at [TRL 4–6]{4-6} are welcome", "en dash range"),
    ("projects at [TRL 4-6]{4-6} are welcome", "hyphen range"),
    ("projects at [TRL 4 to 6]{4-6} are welcome", "'to' range"),
    ("projects at [TRLs 3-5]{3-5} are welcome", "TRLs plural range"),
    ("projects [between TRL 4 and TRL 6]{4-6} are welcome", "between ... and"),
    ("funds projects from [TRL 4 to TRL 6]{4-6} in size", "a range of projects is one mention"),
    # at least TRL 5, TRL 5 or higher, TRL >= 5, minimum TRL 5 -> 5, 9
    ("must be [at least TRL 5]{5-9} at the start", "at least"),
    ("must be [TRL 5 or higher]{5-9} at the start", "or higher"),
    ("must be [TRL ≥ 5]{5-9} at the start", "greater-or-equal sign"),
    ("a [minimum TRL 5]{5-9} applies", "minimum"),
    ("must be [TRL 5 or above]{5-9} now", "or above"),
    ("must be [TRL 5 and above]{5-9} now", "and above"),
    ("a [TRL of at least 6]{6-9} is expected", "TRL of at least"),
    # up to TRL 4, TRL 4 or below, TRL <= 4, maximum TRL 4 -> 1, 4
    ("research [up to TRL 4]{1-4} only", "up to"),
    ("research at [TRL 4 or below]{1-4} only", "or below"),
    ("research at [TRL ≤ 4]{1-4} only", "less-or-equal sign"),
    ("a [maximum TRL 4]{1-4} applies", "maximum"),
    # from TRL 3 to reach TRL 6 -> two mentions
    ("from [TRL 3]{3-3} to reach [TRL 6]{6-6} within two years", "start and target"),
    ("start at [TRL 3]{3-3} and reach [TRL 6]{6-6}", "start at ... and reach"),
    # low TRL, early-stage TRL, the TRL ... is low -> 1, 3
    ("a [low TRL]{1-3} idea", "low TRL"),
    ("an [early-stage TRL]{1-3} idea", "early-stage TRL"),
    ("If the [technology readiness level (TRL) of Japanese researchers and companies is low]{1-3}, there is little gain.",
     "predicative low, span from the TRL phrase to the adjective"),
    ("The [TRL of the device is low]{1-3}.", "predicative low, short"),
    # medium TRL, mid-TRL, intermediate TRL -> 4, 6
    ("institutions with a [medium TRL]{4-6} gain", "medium TRL"),
    ("a [mid-TRL]{4-6} project", "mid-TRL"),
    ("an [intermediate TRL]{4-6} project", "intermediate TRL"),
    # high TRL, the TRL ... is high -> 7, 9
    ("companies with a [high TRL]{7-9} gain", "high TRL"),
    ("the [TRL of the partner is high]{7-9} already", "predicative high"),
    # below TRL 4, under TRL 4 -> 1, 3 ; above TRL 6, beyond TRL 6 -> 7, 9
    ("ideas [below TRL 4]{1-3} are out", "below"),
    ("ideas [under TRL 4]{1-3} are out", "under"),
    ("scale-up [above TRL 6]{7-9} is out", "above"),
    ("scale-up [beyond TRL 6]{7-9} is out", "beyond"),
    # alternatives and a start/target with an open top
    ("at [TRL 2]{2-2} or [TRL 3]{3-3} today", "two alternatives"),
    ("at [TRL 2]{2-2} or [3]{3-3} today", "two alternatives, second without TRL"),
    ("begin at [TRL 6]{6-6} and end at [TRL 8 or higher]{8-9}", "begin and end with or higher"),
    # a verb of movement makes "from TRL a to TRL b" a start and a target, not a range
    ("Most pilots moved from [TRL 4]{4-4} to [TRL 7]{7-7} in two years.", "moved from ... to"),
    ("We aim to take the sensor from [TRL 3]{3-3} to [TRL 5]{5-5}.", "take something from ... to"),
    ("Good projects from [TRL 4 to TRL 6]{4-6} apply.", "a word starting like a verb keeps the range"),
    # restated limits and predicative levels
    ("funds work [up to and including TRL 5]{1-5} ([TRL ≤ 5]{1-5}) only", "up to and including, restated"),
    ("the [TRL of the coating is already high]{7-9}", "predicative high after already"),
]

NOT_TRL = [
    ("The technology readiness level (TRL) is a scale from NASA.", "a bare definition"),
    ("Readiness is not assessed in this call.", "readiness without a level"),
    ("MRL 4, SRL 5 and CRL 3 are other scales.", "other readiness scales"),
    ("manufacturing readiness level 4", "MRL spelled out"),
    ("TRL 10 does not exist", "out of the 1-9 scale"),
    ("See the TRL guide (2025), page 4.", "a year and a page number nearby"),
]


@pytest.mark.parametrize("marked,why", CASES, ids=[c[1] for c in CASES])
def test_trl_spans(found, marked, why):
    expected, actual = found(marked, "trl")
    assert actual == expected


@pytest.mark.parametrize("text,why", NOT_TRL, ids=[c[1] for c in NOT_TRL])
def test_not_a_trl(nlp, text, why):
    doc = nlp(text)
    assert [s.text for s in doc.spans["trl"]] == []


def test_year_after_a_level_stays_out(nlp):
    doc = nlp("TRL 4 in 2025.")
    assert [(s.text, s.start_char, s.end_char, s._.value) for s in doc.spans["trl"]] == [("TRL 4", 0, 5, "4-4")]


def test_min_and_max_are_ints(nlp):
    doc = nlp("Requires TRL 4-6.")
    (span,) = doc.spans["trl"]
    assert (span.text, span.start_char, span.end_char) == ("TRL 4-6", 9, 16)
    assert (span._.trl_min, span._.trl_max, span._.value) == (4, 6, "4-6")
    assert isinstance(span._.trl_min, int) and isinstance(span._.trl_max, int)
