"""Picking out the sentences that talk about money."""

from __future__ import annotations

from models.funding_sentences import funding_sentences, record_funding_text

TEXT = (
    "Researchers in Lima will install 120 sensors in schools.\n"
    "The data go to a processing centre. The Japanese agency pays the Japanese university team!\n"
    "Peru's council funds the Peruvian side. Is the budget public? Nobody said."
)


def test_keeps_only_sentences_with_a_money_cue_in_reading_order() -> None:
    assert funding_sentences(TEXT) == (
        "The Japanese agency pays the Japanese university team! "
        "Peru's council funds the Peruvian side. Is the budget public?"
    )


def test_cues_match_whole_words_only() -> None:
    # "potato" starts with the cue "pot" but is another word.
    assert funding_sentences("The potato harvest was large. Co-funding is possible.") == "Co-funding is possible."


def test_a_text_without_money_talk_gives_an_empty_string() -> None:
    assert funding_sentences("A quantum memory stayed coherent for two minutes.") == ""
    assert record_funding_text([{"text": "Grants are paid monthly."}, {"text": "No."}]) == ["Grants are paid monthly.", ""]
