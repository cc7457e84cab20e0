"""Pipelines per language: spaCy's own language classes with our components set to that language.

Also the shared helpers the components use to read a language's rule files, which live in one
folder per language: extractors/data/<lang>/.
"""

from __future__ import annotations

import gettext
import re
import threading
from pathlib import Path
from typing import Callable

import pycountry
import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

from extractors.base import DATA_DIR, read_records

# languages with a pipeline of their own; any other code gets the English pipeline
PIPELINE_LANGUAGES = ("en", "ja", "de", "fr", "nl", "es", "ko")
# languages told apart by corpus/language.py that have no rules of their own but are written with spaces:
# read by the English pipeline with pycountry's country names in that language added (code -> catalogue)
NAMES_ONLY_LANGUAGES = {"it": "it", "pt": "pt", "sv": "sv", "da": "da", "nb": "nb_NO", "fi": "fi", "pl": "pl"}
# scripts written without spaces between words: names and phrases match on characters, not tokens
UNSPACED = frozenset({"ja", "ko", "zh"})

_lock = threading.Lock()
_shared: dict[str, Language] = {}


def language_file(language: str, filename: str) -> Path:
    """Where `language`'s own copy of the rule file `filename` lives (it may not exist)."""
    return DATA_DIR / language / filename


def language_records(language: str, filename: str) -> list[dict]:
    """The records of `language`'s rule file `filename`, or none when the language has no such file."""
    path = language_file(language, filename)
    return read_records(path) if path.is_file() else []


def char_regex_source(phrase: str) -> str:
    """A regex for `phrase` written in an unspaced script: literal, with any space matching optional white space."""
    return r"\s*".join(re.escape(part) for part in phrase.split())


def trie_regex_source(phrases: list[str], edge: Callable[[str], tuple[str, str]] = lambda p: ("", "")) -> str:
    """One regex for many unspaced `phrases`, as a character trie (fast to scan); the longest phrase wins at each start.

    `edge(phrase)` gives a lookbehind and a lookahead for it; the lookbehind must depend on the
    first character only, since phrases share it.
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in " ".join(phrase.split()):
            node = node.setdefault(ch, {})
        node[""] = phrase

    def emit(node: dict) -> str:
        alternatives = [(r"\s*" if ch == " " else re.escape(ch)) + emit(node[ch]) for ch in sorted(node) if ch]
        if "" in node:
            alternatives.append(edge(node[""])[1])  # ending here comes last, so longer phrases win
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return "|".join(edge(_first_phrase(trie[ch]))[0] + re.escape(ch) + emit(trie[ch]) for ch in sorted(trie))


def _first_phrase(node: dict) -> str:
    """Any phrase stored under a trie node."""
    while "" not in node:
        node = node[next(iter(node))]
    return node[""]


def pycountry_translations(language: str, excluded: set[str]) -> list[dict]:
    """Country names of every ISO 3166-1 entry not in `excluded`, from pycountry's bundled `language` catalogue."""
    try:
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return []
    records: dict[str, dict] = {}
    for entry in pycountry.countries:
        if entry.alpha_3 in excluded:
            continue
        for attr in ("name", "official_name", "common_name"):
            source = getattr(entry, attr, None)
            if not source:
                continue
            name = catalogue.gettext(source)
            # an untranslated English name in a text of another script is a catalogue gap, not a name
            if language in UNSPACED and name == source:
                continue
            if "," in name or "(" in name or "（" in name:
                continue
            records.setdefault(name, {"pattern": name, "id": entry.alpha_3})
    return list(records.values())


def _korean_particles(nlp: Language) -> None:
    """Split case particles off Korean words ("한국과" -> "한국", "과") so spans can end where a name ends."""
    particles = [t for r in language_records("ko", "tokenizer.jsonl") if r.get("kind") == "suffix" for t in r["terms"]]
    if not particles:
        return
    alternatives = "|".join(re.escape(p) for p in sorted(particles, key=len, reverse=True))
    suffixes = list(nlp.Defaults.suffixes or []) + [rf"(?<=[가-힣])(?:{alternatives})"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


# spaCy's Dutch, Spanish and German tokenizers keep "Nederland–Vietnam" and "España-Japón" as one token,
# which hides both names; French and English already split them. German keeps its hyphen compounds
# ("deutsch-japanisch"), so only dashes split there.
_DASH_INFIX = {"nl": r"(?<=[^\W\d_])(?:[–—]|-(?=[A-ZÀ-Þ]))(?=[^\W\d_])",
               "es": r"(?<=[^\W\d_])(?:[–—]|-(?=[A-ZÀ-Þ]))(?=[^\W\d_])",
               "de": r"(?<=[^\W\d_])[–—](?=[^\W\d_])"}


def _split_dashes(nlp: Language, language: str) -> None:
    """Split pair names joined by a dash ("Nederland–Vietnam") so each name is a token of its own."""
    infixes = list(nlp.Defaults.infixes or []) + [_DASH_INFIX[language]]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def blank(language: str) -> Language:
    """spaCy's own blank pipeline for `language`, with a tokenizer that installs from PyPI alone."""
    if language == "ko":
        # spaCy's default Korean tokenizer needs the mecab-ko C library and dictionary, which no
        # package index ships; the rule-based tokenizer with Korean particles split off works offline
        nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
        _korean_particles(nlp)
        return nlp
    if language == "ja":
        # SudachiPy with its sudachidict-core dictionary, surfaces only (extractors/ja_tokenizer.py)
        import extractors.ja_tokenizer  # noqa: F401  (registers the tokenizer)

        return spacy.blank("ja", config={"nlp": {"tokenizer": {"@tokenizers": "fundscope.JapaneseSurfaceTokenizer.v1"}}})
    nlp = spacy.blank(language)
    if language in _DASH_INFIX:
        _split_dashes(nlp, language)
    return nlp


def build_nlp_for(language: str) -> Language:
    """A fresh, initialised pipeline for `language`: sentencizer and our components set to that language."""
    from extractors.pipeline import COMPONENTS, build_nlp

    if language == "en":
        return build_nlp()
    if language not in PIPELINE_LANGUAGES:
        raise ValueError(f"no pipeline for language {language!r}; expected one of {list(PIPELINE_LANGUAGES)}")
    nlp = blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("fundscope_paragraphs", name="paragraphs")
    for name, factory in COMPONENTS.items():
        # a component whose factory has no `language` setting reads the same rules in every language
        accepts = "language" in nlp.get_factory_meta(factory).default_config
        config = {"language": language} if accepts else {}
        nlp.add_pipe(factory, name=name, config=config)
    nlp.initialize()
    return nlp


def get_nlp_for(language: str) -> Language:
    """The process-wide pipeline for `language` (ISO 639-1), built once; English (with local country names where pycountry has them) for a language without one."""
    from extractors.pipeline import get_nlp

    code = language if language in PIPELINE_LANGUAGES or language in NAMES_ONLY_LANGUAGES else "en"
    if code == "en":
        return get_nlp()
    ready = _shared.get(code)
    if ready is not None:
        return ready
    with _lock:
        if code not in _shared:
            _shared[code] = build_nlp_for(code) if code in PIPELINE_LANGUAGES else build_names_only(code)
        return _shared[code]


def build_names_only(language: str) -> Language:
    """The English pipeline with pycountry's country names in `language` added (see NAMES_ONLY_LANGUAGES)."""
    from extractors.pipeline import build_nlp

    return build_nlp(country={"name_languages": [NAMES_ONLY_LANGUAGES[language]]})
