"""The main language of a document's text (ISO 639-1), from lingua's offline models."""

from __future__ import annotations

import re
import threading
from collections import Counter

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

# the languages a document is told apart among; a smaller set is faster and makes fewer mistakes
LANGUAGES = ("en", "ja", "de", "fr", "nl", "es", "ko", "zh", "it", "pt", "sv", "da", "nb", "fi", "pl")
SAMPLE_CHARS = 6000  # at most this much text is read, in SLICES pieces spread over the document
SLICES = 6
CHUNK_CHARS = 300  # each piece is judged in chunks of about this size, weighted by their length

_BREAK = re.compile(r"(?<=[.!?。！？\n])\s*")
_lock = threading.Lock()
_detector: LanguageDetector | None = None


def detector() -> LanguageDetector:
    """The process-wide lingua detector over LANGUAGES, built once.

    Low-accuracy mode uses lingua's trigram models only: loading the high-accuracy ones costs
    about 4.7 s on the first call in every process, and on samples of a page's length (we read
    up to SAMPLE_CHARS) the two modes agree.
    """
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
                _detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
    return _detector


def sample(text: str, limit: int = SAMPLE_CHARS, slices: int = SLICES) -> list[str]:
    """Pieces of `text` totalling at most `limit` characters, spread evenly from start to end."""
    if len(text) <= limit:
        return [text]
    size = limit // slices
    step = (len(text) - size) / (slices - 1)
    return [text[int(i * step):int(i * step) + size] for i in range(slices)]


def chunks(piece: str, size: int = CHUNK_CHARS) -> list[str]:
    """`piece` cut at sentence ends into chunks of about `size` characters."""
    out: list[str] = []
    current = ""
    for sentence in _BREAK.split(piece):
        current += sentence + " "
        if len(current) >= size:
            out.append(current)
            current = ""
    if current.strip():
        out.append(current)
    return out


def language_shares(text: str) -> Counter[str]:
    """Characters of the sampled text per detected language (ISO 639-1)."""
    found: Counter[str] = Counter()
    judge = detector()
    for piece in sample(text):
        for chunk in chunks(piece):
            weight = sum(1 for ch in chunk if ch.isalpha())
            if not weight:
                continue
            language = judge.detect_language_of(chunk)
            if language is not None:
                found[language.iso_code_639_1.name.lower()] += weight
    return found


def detect_language(text: str, default: str = "en") -> str:
    """The ISO 639-1 code of the language holding the largest share of `text`; `default` when none is found."""
    shares = language_shares(text)
    if not shares:
        return default
    return max(sorted(shares), key=lambda code: shares[code])
