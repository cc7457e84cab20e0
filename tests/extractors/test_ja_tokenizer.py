"""The surface-only Japanese tokenizer cuts where spaCy's own Japanese tokenizer does, on any length."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import spacy

from extractors.ja_tokenizer import SUDACHI_MAX_BYTES, align, pieces
from extractors.languages import blank

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "extractors" / "multilingual" / "ja.jsonl"


def _texts() -> list[str]:
    rows = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(11)
    alphabet = list("日本の研究者はJSTが支援する。 \n\t\u3000  ab.,ＴＲＬ１２３ー～") + ["  ", " \n", "TRL 4"]
    odd = ["", " ", "\n", "  ", "…", "続きを読んで…", "…\n…", *("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 50))) for _ in range(400))]
    return [r["text"] for r in rows] + odd


@pytest.fixture(scope="module")
def both() -> tuple:
    return blank("ja"), spacy.blank("ja")


def test_same_tokens_and_whitespace_as_spacys_japanese_tokenizer(both: tuple) -> None:
    ours, theirs = both
    assert type(ours).__name__ == "Japanese"  # spaCy's own language class, only the tokenizer differs
    for text in _texts():
        a, b = ours.make_doc(text), theirs.make_doc(text)
        assert [(t.text, t.whitespace_) for t in a] == [(t.text, t.whitespace_) for t in b], repr(text)
        assert a.text == text


def test_a_text_longer_than_sudachis_limit_is_tokenised_with_offsets_intact(both: tuple) -> None:
    ours, theirs = both
    text = "日本側の研究者はJSTが支援し、相手国側の研究者は相手国の機関が支援する。\n" * 2000
    assert len(text.encode("utf-8")) > 3 * SUDACHI_MAX_BYTES
    with pytest.raises(Exception):
        theirs.make_doc(text)  # spaCy's tokenizer hands the whole text to SudachiPy, which refuses it
    doc = ours.make_doc(text)
    assert doc.text == text
    first_line = text.index("\n") + 1
    assert [t.text for t in doc[: len(ours.make_doc(text[:first_line]))]] == [t.text for t in ours.make_doc(text[:first_line])]


def test_pieces_cover_the_text_under_the_byte_limit_and_end_at_line_ends() -> None:
    text = ("研究費は一億円。" * 30 + "\n") * 400 + "末尾"
    parts = list(pieces(text, max_bytes=4_000))
    assert "".join(parts) == text
    assert all(len(p.encode("utf-8")) <= 4_000 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-1])
    unbroken = "あ" * 5_000  # no place to cut: a hard cut, still under the limit
    assert "".join(pieces(unbroken, max_bytes=4_000)) == unbroken


def test_align_keeps_one_space_as_trailing_whitespace_and_other_gaps_as_tokens() -> None:
    words, spaces = align("日本 と  韓国\n", ["日本", " ", "と", "  ", "韓国", "\n"])
    assert words == ["日本", "と", "  ", "韓国", "\n"]
    assert spaces == [True, False, False, False, False]
    assert align("   ", [" ", "  "]) == (["   "], [False])
    with pytest.raises(ValueError):
        align("日本", ["韓国"])
