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


def test_sentence_spans_are_the_pieces_of_the_break_regex() -> None:
    # The fast splitter must cut exactly where the documented regex does, on any whitespace.
    import random

    from models.funding_sentences import _SENTENCE_BREAK, _sentence_spans

    rng = random.Random(3)
    alphabet = list("ab.!? \n\r\t\x0b\x0c\x1c\u2028\u3000\xa0ſİı-") + ["fund", "Paid ", "\n\n", "  ", "costs."]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        expected = [piece for piece in _SENTENCE_BREAK.split(text) if piece]
        assert [text[a:b] for a, b in _sentence_spans(text)] == expected, repr(text)
