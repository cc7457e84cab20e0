"""The sentences of a document that talk about money, which is where the funding mode is stated."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

CUES_PATH = Path(__file__).resolve().parent / "funding_cues.json"
# Sentence ends: ., ! or ? followed by whitespace, or any line break (headings, list items).
# `_sentence_spans` computes the pieces `_SENTENCE_BREAK.split` gives, three times faster.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")
_PUNCT_BREAK = re.compile(r"(?<=[.!?])\s+")


@lru_cache(maxsize=1)
def _cue_regex() -> re.Pattern[str]:
    patterns = json.loads(CUES_PATH.read_text(encoding="utf-8"))["patterns"]
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty piece of `_SENTENCE_BREAK.split(text)`, in order.

    A break is a whitespace run holding a line break, or one after ., ! or ?: so the text is cut
    at line breaks (with the whitespace around them), then each line at its sentence ends.
    """
    spans: list[tuple[int, int]] = []
    lines = text.split("\n")
    last = len(lines) - 1
    offset = 0
    for i, line in enumerate(lines):
        start, end = offset, offset + len(line)
        offset = end + 1
        if i > 0:
            start = end - len(line.lstrip())
        if i < last:
            end = start + len(text[start:end].rstrip())
        if start >= end:
            continue
        if "." in line or "!" in line or "?" in line:
            piece_start = start
            for brk in _PUNCT_BREAK.finditer(text, start, end):
                if brk.start() > piece_start:
                    spans.append((piece_start, brk.start()))
                piece_start = brk.end()
            if piece_start < end:
                spans.append((piece_start, end))
        else:
            spans.append((start, end))
    return spans


def funding_sentences(text: str) -> str:
    """The sentences of `text` that contain a money cue, joined by single spaces in reading order."""
    # `search(text, start, end)` sees the sentence as `cue.search(sentence)` would: a cue is one word
    # and a sentence is bounded by whitespace, so word boundaries at its ends read the same.
    search = _cue_regex().search
    return " ".join(text[start:end] for start, end in _sentence_spans(text) if search(text, start, end))

def record_funding_text(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """The money sentences of each record's text, for their own TF-IDF block."""
    return [funding_sentences(record["text"]) for record in records]
