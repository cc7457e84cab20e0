"""Countries, TRLs and schemes in ja, ko, de, fr, nl and es through each language's own pipeline."""

from __future__ import annotations

import re

import pytest
import srsly

from extractors.languages import PIPELINE_LANGUAGES, build_nlp_for, get_nlp_for
from extractors.pipeline import get_nlp

from .conftest import TEST_DATA

FIXTURES = TEST_DATA / "multilingual"
LANGUAGES = ["ja", "ko", "de", "fr", "nl", "es"]
CASES = [(lang, i, case) for lang in LANGUAGES for i, case in enumerate(srsly.read_jsonl(FIXTURES / f"{lang}.jsonl"))]


@pytest.mark.parametrize("lang,index,case", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_fixture_sentence(lang: str, index: int, case: dict) -> None:
    doc = get_nlp_for(lang)(case["text"])
    assert [(s.text, s._.value) for s in doc.spans["country"]] == [tuple(c) for c in case["countries"]]
    assert [(s.text, s._.trl_min, s._.trl_max) for s in doc.spans["trl"]] == [tuple(t) for t in case["trl"]]
    assert [s._.value for s in doc.spans["scheme"]] == case["schemes"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_offsets_round_trip(lang: str) -> None:
    text = "\n\n".join(case["text"] for l, _, case in CASES if l == lang)
    doc = get_nlp_for(lang)(text)
    spans = [s for key in ("country", "trl", "scheme") for s in doc.spans[key]]
    assert spans
    for span in spans:
        assert text[span.start_char:span.end_char] == span.text


def test_german_issue_list_names_all_six_countries() -> None:
    text = "Beteiligt sind Kanada, die Tschechische Republik, Frankreich, Italien, Japan und Norwegen."
    doc = get_nlp_for("de")(text)
    assert [s._.value for s in doc.spans["country"]] == ["CAN", "CZE", "FRA", "ITA", "JPN", "NOR"]


def test_english_pipeline_is_the_shared_one() -> None:
    assert get_nlp_for("en") is get_nlp()
    assert get_nlp_for("xx-unknown") is get_nlp()


def test_each_language_uses_spacys_own_class() -> None:
    for lang in LANGUAGES:
        nlp = get_nlp_for(lang)
        assert nlp.lang == lang
        assert nlp.get_pipe("country").language == lang


def test_japanese_is_tokenised_by_sudachi() -> None:
    nlp = get_nlp_for("ja")
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "fundscope.JapaneseSurfaceTokenizer.v1"
    assert type(nlp.tokenizer._tokenizer).__module__.startswith("sudachipy")
    assert [t.text for t in nlp("日本側の研究者")] == ["日本", "側", "の", "研究", "者"]


def test_korean_particles_split_from_names() -> None:
    doc = get_nlp_for("ko")("한국과 미국의")
    assert [t.text for t in doc] == ["한국", "과", "미국", "의"]


def test_unknown_language_has_no_pipeline_of_its_own() -> None:
    assert "pt" not in PIPELINE_LANGUAGES
    with pytest.raises(ValueError):
        build_nlp_for("pt")


def test_all_language_rule_files_are_valid_json_lines() -> None:
    data = FIXTURES.parents[3] / "extractors" / "data"
    for lang in LANGUAGES:
        for path in (data / lang).glob("*.jsonl"):
            for record in srsly.read_jsonl(path):
                if "regex" in record:
                    re.compile(record["regex"].replace("<<", "").replace(">>", ""))


NAMES_ONLY = [
    ("pt", "Equipas da Alemanha, do Brasil e dos Estados Unidos recebem apoio; a Suécia também.",
     ["DEU", "BRA", "USA", "SWE"]),
    ("it", "Ricercatori in Italia, Germania e Stati Uniti. Il Giappone partecipa.", ["ITA", "DEU", "USA", "JPN"]),
    ("sv", "Forskare i Tyskland, Norge och Frankrike samt Japan.", ["DEU", "NOR", "FRA", "JPN"]),
    ("nb", "Forskere i Tyskland, Sverige og Japan.", ["DEU", "SWE", "JPN"]),
]


@pytest.mark.parametrize("lang,text,codes", NAMES_ONLY, ids=[c[0] for c in NAMES_ONLY])
def test_a_language_without_rules_finds_its_local_country_names(lang: str, text: str, codes: list[str]) -> None:
    doc, plain = get_nlp_for(lang)(text), get_nlp()(text)
    assert [s._.value for s in doc.spans["country"]] == codes
    assert [s._.value for s in plain.spans["country"]] != codes  # the plain English pipeline misses local names


def test_a_language_without_rules_keeps_the_english_rules_and_english_names() -> None:
    doc = get_nlp_for("pt")("O JST financia equipas do Japão e da France no TRL 4.")
    assert [s._.value for s in doc.spans["country"]] == ["JPN", "FRA"]
    assert [(s._.trl_min, s._.trl_max) for s in doc.spans["trl"]] == [(4, 4)]
    assert get_nlp_for("pt").pipe_names == get_nlp().pipe_names
