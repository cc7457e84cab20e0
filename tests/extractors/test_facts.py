"""Call facts: each fixture sentence gives exactly its expected normalised facts, with round-trip offsets."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

import extractors.facts  # noqa: F401  (registers the factory)
from extractors.extensions import register_extensions
from extractors.facts import Fact

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "extractors" / "facts.jsonl"
CASES = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line.strip()]
AMOUNT_REL_TOL = 1e-9
ROW_KEYS = {"fact", "text", "start", "end", "sentence", "date", "amount", "currency", "per", "months"}


@pytest.fixture(scope="module")
def facts_nlp():
    """blank English + sentencizer + the facts component, as the pipeline will add it."""
    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("fundscope_facts")
    nlp.initialize()
    return nlp


def _matches(got: dict, want: dict) -> bool:
    for key, value in want.items():
        if key == "amount":
            if got["amount"] is None or not math.isclose(got["amount"], value, rel_tol=AMOUNT_REL_TOL):
                return False
        elif got.get(key) != value:
            return False
    # a value the fixture does not give must be empty (per is only checked where the fixture names it)
    return all(got[k] is None for k in ("date", "amount", "currency", "months") if k not in want)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_fixture_sentence(facts_nlp, case):
    doc = facts_nlp(case["text"])
    got = [f.as_dict() for f in doc._.facts]
    want = case["facts"]
    assert len(got) == len(want), f"{case['id']}: got {got}"
    for g, w in zip(got, want):
        assert _matches(g, w), f"{case['id']}: got {g}, expected {w}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_offsets_round_trip(facts_nlp, case):
    doc = facts_nlp(case["text"])
    for fact in doc._.facts:
        assert doc.text[fact.start:fact.end] == fact.text
        assert fact.text in fact.sentence


def test_fixtures_cover_every_fact_kind_and_rejects():
    kinds = {f["fact"] for c in CASES for f in c["facts"]}
    assert kinds == {"deadline", "opening", "budget", "duration", "published"}
    assert sum(1 for c in CASES if not c["facts"]) >= 8


def test_as_dict_is_the_table_row_without_doc_id():
    fact = Fact("budget", "EUR 1.5 million", 3, 18, "Up EUR 1.5 million.", amount=1.5e6, currency="EUR", per="call")
    row = fact.as_dict()
    assert set(row) == ROW_KEYS
    assert (row["amount"], row["currency"], row["per"], row["date"], row["months"]) == (1.5e6, "EUR", "call", None, None)


def test_doc_extension_is_a_list_of_facts(facts_nlp):
    assert Doc.has_extension("facts")
    doc = facts_nlp("Nothing here is a fact.")
    assert doc._.facts == []


def test_component_round_trips_its_rules(facts_nlp, tmp_path):
    component = facts_nlp.get_pipe("fundscope_facts")
    component.to_disk(tmp_path / "facts")
    fresh = spacy.blank("en")
    fresh.add_pipe("sentencizer")
    copy = fresh.add_pipe("fundscope_facts")
    copy.from_disk(tmp_path / "facts")
    text = "Projects last 3-5 years and receive up to £600k per project."
    assert [f.as_dict() for f in fresh(text)._.facts] == [f.as_dict() for f in facts_nlp(text)._.facts]


@pytest.mark.parametrize("text, currency", [
    ("Canada's NSERC offers seed grants of up to $250,000 each.", "CAD"),  # the sentence names Canada
    ("The New Zealand ministry runs the fund.\n\nGrants are up to $300,000.", "NZD"),  # the document does
    ("Canada and the United States co-fund it. The US side gives teams $80,000; Canada matches it.\n\n"
     "Grants are up to $300,000.", "USD"),  # no other dollar country outnumbers the US
    ("Grants are up to $300,000.", "USD"),
])
def test_a_bare_dollar_is_the_dollar_of_the_country_in_context(text, currency):
    from extractors.pipeline import get_nlp

    budgets = [f for f in get_nlp()(text)._.facts if f.fact == "budget"]
    assert budgets and budgets[-1].currency == currency and budgets[-1].amount in (250000.0, 300000.0)


# Named months in each language the date rules read, with the ISO date a reader gives them.
NAMED_MONTHS = [
    ("de", "Die Einreichungsfrist ist der 3. März 2025.", "2025-03-03"),
    ("de", "Stichtag: 14. Okt. 2026", "2026-10-14"),
    ("fr", "La date limite est fixée au 1er février 2027.", "2027-02-01"),
    ("fr", "Clôture de l'appel : 30 août 2025", "2025-08-30"),
    ("nl", "De deadline is 9 mrt 2026.", "2026-03-09"),
    ("es", "La fecha límite es el 15 de diciembre de 2025.", "2025-12-15"),
    ("en", "Applications close on Sept. 9, 2024.", "2024-09-09"),
    ("en", "The deadline is 12 Jan 2028.", "2028-01-12"),
]


@pytest.mark.parametrize("lang,text,date", NAMED_MONTHS, ids=[f"{c[0]}-{c[2]}" for c in NAMED_MONTHS])
def test_a_named_month_gives_its_date_in_each_language(lang: str, text: str, date: str) -> None:
    from extractors.languages import get_nlp_for

    # each language's own pipeline: its tokenizer keeps "3." of "3. März" inside the sentence
    assert [f.date for f in get_nlp_for(lang)(text)._.facts if f.fact == "deadline"] == [date]


def test_a_day_the_month_does_not_have_is_no_date(facts_nlp) -> None:
    assert [f for f in facts_nlp("The deadline is 30 February 2025.")._.facts if f.date] == []
