"""The mention-feature transformer on hand-made Mention lists, with feature values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from extractors.mentions import Mention
from models.features import FEATURE_NAMES, MentionFeatures, mention_features

S0 = "Japan's agency JST directly funds companies in the United Kingdom."
S1 = "Traditional matching funds paid each side's own researchers."
S2 = "Projects at TRL 4-6 were chosen in a joint call with Germany."
S3 = "Japan will now pay them directly."


def _m(label: str, value: str, start: int, sentence: str, **attrs: object) -> Mention:
    return Mention(label=label, value=value, text=value, start=start, end=start + 1, sentence=sentence, attrs=dict(attrs))


# Listed out of reading order on purpose: the features must not depend on list order.
LETTER = [
    _m("scheme", "direct_fund", 300, S3),
    _m("country", "JPN", 0, S0),
    _m("agency", "JST", 15, S0, agency_country="JPN"),
    _m("scheme", "direct_fund", 19, S0),
    _m("country", "GBR", 50, S0),
    _m("scheme", "matching_fund", 100, S1),
    _m("trl", "4-6", 200, S2),
    _m("scheme", "joint_call", 230, S2),
    _m("country", "DEU", 250, S2),
    _m("country", "JPN", 280, S3),
]


def _features(mentions: list[Mention]) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, mention_features(mentions)))


def test_counts_and_cues_of_a_letter_contrasting_both_modes() -> None:
    f = _features(LETTER)
    assert f["n_scheme_matching_fund"] == 1
    assert f["n_scheme_direct_fund"] == 2
    assert f["n_scheme_lead_agency"] == 0
    assert f["n_scheme_joint_call"] == 1
    assert f["n_countries_distinct"] == 3  # JPN, GBR, DEU
    assert f["n_country_mentions"] == 4
    assert f["n_agencies_distinct"] == 1
    assert f["n_agency_mentions"] == 1
    assert f["n_trl_mentions"] == 1
    # Home is JPN (two country mentions plus JST); S0 names GBR and S2 names DEU, S1 and S3 name no foreign country.
    assert f["n_direct_with_foreign"] == 1
    assert f["n_matching_with_foreign"] == 0
    assert [f[f"first_scheme_{c}"] for c in ("matching_fund", "direct_fund", "lead_agency", "joint_call")] == [0, 1, 0, 0]
    assert [f[f"last_scheme_{c}"] for c in ("matching_fund", "direct_fund", "lead_agency", "joint_call")] == [0, 1, 0, 0]
    assert f["direct_share"] == pytest.approx(2 / 3)


def test_no_mentions_gives_zero_counts_and_a_neutral_share() -> None:
    f = _features([])
    assert f["direct_share"] == pytest.approx(0.5, abs=1e-12)  # a ratio of two counts
    assert all(value == 0 for name, value in f.items() if name != "direct_share")


def test_home_country_tie_goes_to_the_country_named_first() -> None:
    korea = "A Korean agency pays its own firms."
    finland = "Finnish partners get matching funds from Business Finland."
    mentions = [
        _m("country", "KOR", 2, korea),
        _m("country", "FIN", 40, finland),
        _m("scheme", "matching_fund", 70, finland),
    ]
    f = _features(mentions)
    assert f["n_matching_with_foreign"] == 1  # KOR is home, so the Finnish sentence is foreign
    assert f["first_scheme_matching_fund"] == 1
    assert f["direct_share"] == pytest.approx(0.0, abs=1e-12)


def test_a_foreign_agency_makes_its_sentence_foreign() -> None:
    sentence = "The Dutch council also pays the partners that UKRI selects."
    mentions = [
        _m("country", "NLD", 4, sentence),
        _m("scheme", "direct_fund", 20, sentence),
        _m("agency", "UKRI", 45, sentence, agency_country="GBR"),
    ]
    f = _features(mentions)
    assert f["n_direct_with_foreign"] == 1
    assert f["n_countries_distinct"] == 1


def test_an_agency_without_a_country_is_not_foreign() -> None:
    sentence = "The pooled budget of the European partnership pays every partner."
    mentions = [
        _m("country", "FRA", 0, "France leads the call."),
        _m("scheme", "direct_fund", 30, sentence),
        _m("agency", "EUREKA", 10, sentence, agency_country=None),
    ]
    assert _features(mentions)["n_direct_with_foreign"] == 0


def test_transformer_gives_one_row_per_record_and_accepts_table_rows() -> None:
    rows_as_dicts = [
        {"label": m.label, "value": m.value, "start": m.start, "sentence": m.sentence, "attrs": m.attrs} for m in LETTER
    ]
    records = [{"text": "x", "mentions": LETTER}, {"text": "y", "mentions": []}, {"text": "z", "mentions": rows_as_dicts}]
    matrix = MentionFeatures().fit(records).transform(records)
    assert matrix.shape == (3, len(FEATURE_NAMES))
    assert matrix[0, FEATURE_NAMES.index("n_scheme_direct_fund")] == 2
    assert matrix[1, FEATURE_NAMES.index("n_scheme_direct_fund")] == 0
    assert np.array_equal(matrix[0], matrix[2])
    assert list(MentionFeatures().fit(records).get_feature_names_out()) == list(FEATURE_NAMES)
