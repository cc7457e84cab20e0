"""Property test: on any mix of tricky fragments, extraction never fails and offsets always round-trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.mentions import doc_mentions

FRAGMENTS = [
    "TRL", "TRL4", "TRL-4", "TRLs", "4", "6", "10", "–", "-", "to", "or", "and", "higher", "below", "at least",
    "between", "≥", "≤", "(TRL)", "technology readiness level", "is", "low", "high", "medium", "Japan's", "Japan’s",
    "U.S.", "UK", "Georgia", "Atlanta,", "Dr", "Jordan", "Chad", "Guinea", "Papua New", "JST", "A*STAR",
    "matching funds", "directly funds", "each", "partner", "its own", "foreign", "partners", "joint call", ".", ",",
    "\n", "  ", "é", "Weave", "lead agency", "country", "federal",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=40), st.sampled_from([" ", "", "\n"]))
def test_offsets_round_trip_on_any_text(nlp, parts, glue):
    text = glue.join(parts)
    rows = doc_mentions(nlp(text))
    for m in rows:
        assert text[m.start:m.end] == m.text
        assert m.text and m.value
        assert m.text in m.sentence
        if m.label == "trl":
            assert 1 <= m.trl_min <= m.trl_max <= 9
            assert m.value == f"{m.trl_min}-{m.trl_max}"
    assert [(m.start, m.end) for m in rows] == sorted((m.start, m.end) for m in rows)
