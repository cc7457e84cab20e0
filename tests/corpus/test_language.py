"""Main-language detection: one code per text, the largest share winning on mixed pages."""

from __future__ import annotations

import pytest

from corpus.language import LANGUAGES, SAMPLE_CHARS, detect_language, language_shares, sample

SENTENCES = {
    "en": "The agency funds the national teams of every partner country in this joint call.",
    "ja": "日本側の研究者は科学技術振興機構が支援し、相手国の研究者は相手国の機関が支援します。",
    "de": "Jede Förderorganisation finanziert ihre nationalen Partner in dieser gemeinsamen Ausschreibung.",
    "fr": "Dans cet appel conjoint, chaque agence finance ses propres équipes de recherche.",
    "nl": "Via deze regeling betaalt de financier ook de buitenlandse partners van een consortium.",
    "es": "En la convocatoria conjunta, cada agencia financia a sus propios equipos de investigación.",
    "ko": "이번 공동공모에서 각국 기관이 자국 연구자를 지원하며 상대국 연구자는 상대국 기관이 지원한다.",
}


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_single_language(code: str) -> None:
    assert detect_language(SENTENCES[code] * 3) == code


def test_mixed_page_gets_the_language_of_most_of_its_text() -> None:
    page = "Home | News | Contact\n" + SENTENCES["de"] * 6 + "\n" + SENTENCES["en"] + "\nImprint · Privacy"
    assert detect_language(page) == "de"
    shares = language_shares(page)
    assert shares["de"] > 3 * shares["en"] > 0


def test_japanese_page_with_english_terms_stays_japanese() -> None:
    page = (SENTENCES["ja"] + "（Money Follows Cooperation, TRL 4-6）") * 5
    assert detect_language(page) == "ja"


def test_empty_or_letterless_text_gets_the_default() -> None:
    assert detect_language("") == "en"
    assert detect_language("12 345 — 2025", default="und") == "und"


def test_sample_is_bounded_and_spread_over_the_text() -> None:
    text = SENTENCES["fr"] * 400 + SENTENCES["ja"] * 400
    pieces = sample(text)
    assert sum(len(p) for p in pieces) <= SAMPLE_CHARS
    assert pieces[0] == text[:len(pieces[0])] and pieces[-1] == text[-len(pieces[-1]):]
    assert detect_language(SENTENCES["fr"] * 1000 + SENTENCES["nl"] * 50) == "fr"


def test_stated_languages_are_iso_639_1() -> None:
    assert all(len(code) == 2 for code in LANGUAGES)
    assert {"en", "ja", "de", "fr", "nl", "es", "ko"} <= set(LANGUAGES)
