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
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")


@lru_cache(maxsize=1)
def _cue_regex() -> re.Pattern[str]:
    patterns = json.loads(CUES_PATH.read_text(encoding="utf-8"))["patterns"]
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


def funding_sentences(text: str) -> str:
    """The sentences of `text` that contain a money cue, joined by single spaces in reading order."""
    cue = _cue_regex()
    return " ".join(s for s in _SENTENCE_BREAK.split(text) if s and cue.search(s))


def record_funding_text(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """The money sentences of each record's text, for their own TF-IDF block."""
    return [funding_sentences(record["text"]) for record in records]
