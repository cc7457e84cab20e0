"""Characters to words, text direction and turning boxes upright (the engine-independent part)."""

from __future__ import annotations

import pytest

from corpus.loaders.pdf_words import direction, upright, upright_box, words_from_chars

SPACE = (" ", 0.0, 0.0, 0.0, 0.0)


def _run(text: str, x0: float, top: float, advance: float = 5.0, height: float = 10.0) -> list[tuple]:
    """Characters of `text` set left to right from (x0, top), each `advance` wide."""
    return [(ch, x0 + i * advance, x0 + (i + 1) * advance, top, top + height) for i, ch in enumerate(text)]


def _texts(chars: list[tuple]) -> list[str]:
    return [w["text"] for w in words_from_chars(chars)]


def test_whitespace_gap_and_line_change_end_words() -> None:
    chars = _run("Joint", 10, 100) + [SPACE] + _run("call", 40, 100)
    chars += _run("for", 62.0, 100)  # 2 points after "call": wider than the 1.5 point tolerance
    chars += _run("Japan", 10, 120)  # the next line: a jump back and down
    assert _texts(chars) == ["Joint", "call", "for", "Japan"]


def test_word_box_is_the_union_of_its_characters() -> None:
    chars = _run("ab", 10, 100) + [("c", 20.0, 26.0, 98.0, 111.0)]
    (word,) = words_from_chars(chars)
    assert word == {"text": "abc", "x0": 10, "x1": 26.0, "top": 98.0, "bottom": 111.0}


def test_tight_kerning_stays_one_word() -> None:
    chars = [("T", 10.0, 16.0, 100.0, 110.0), ("o", 15.5, 20.0, 100.0, 110.0), ("p", 21.0, 26.0, 100.0, 110.0)]
    assert _texts(chars) == ["Top"]


def test_glyph_painted_twice_in_place_is_read_once() -> None:
    chars = [("B", 10.0, 16.0, 100.0, 110.0), ("B", 10.4, 16.4, 100.3, 110.3), ("e", 16.0, 21.0, 100.0, 110.0)]
    assert _texts(chars) == ["Be"]


def test_repeated_letter_in_its_own_place_is_kept() -> None:
    assert _texts(_run("Matt", 10, 100)) == ["Matt"]


@pytest.mark.parametrize(
    ("chars", "expected"),
    [
        (_run("abcd", 10, 100), "ltr"),
        ([(ch, 50.0, 60.0, 10.0 + 10 * i, 20.0 + 10 * i) for i, ch in enumerate("縦書きの")], "ttb"),
        ([(ch, 50.0, 60.0, 300.0 - 6 * i, 306.0 - 6 * i) for i, ch in enumerate("Total")], "btt"),
    ],
)
def test_direction_follows_the_advance(chars: list[tuple], expected: str) -> None:
    assert direction(chars) == expected


def test_upright_turns_top_to_bottom_text_into_lines() -> None:
    # a page 600 wide: a vertical column at x 50..60 becomes a line near the bottom of the turned page
    assert upright_box((50.0, 60.0, 10.0, 20.0), "ttb", 600.0, 800.0) == (10.0, 20.0, 540.0, 550.0)
    assert upright_box((50.0, 60.0, 294.0, 300.0), "btt", 600.0, 800.0) == (500.0, 506.0, 50.0, 60.0)
    chars = [("x", 1.0, 2.0, 3.0, 4.0)]
    assert upright(chars, "ltr", 600.0, 800.0) == chars


def test_upright_bottom_to_top_text_reads_in_order() -> None:
    column = [(ch, 50.0, 60.0, 300.0 - 6 * i, 306.0 - 6 * i) for i, ch in enumerate("Total")]
    assert _texts(upright(column, "btt", 600.0, 800.0)) == ["Total"]


def test_double_letter_in_tiny_print_is_not_a_repaint() -> None:
    # 2 point text: the two l's of "Hello" stand 0.8 points apart, one letter width
    assert _texts(_run("Hello", 10, 100, advance=0.8, height=2.0)) == ["Hello"]
