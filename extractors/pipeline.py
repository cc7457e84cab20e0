"""The fundscope spaCy pipeline: blank English, sentencizer and our rule components."""

from __future__ import annotations

import threading
from typing import Any

import spacy
from spacy.language import Language

# importing the modules registers their factories with spaCy
from extractors import agency, country, facts, funding_evidence, paragraphs, scheme, trl  # noqa: F401

# component name -> factory; order matters: scheme and trl read the country spans, funding_evidence
# the country and agency spans
COMPONENTS = {
    "country": "fundscope_country",
    "agency": "fundscope_agency",
    "trl": "fundscope_trl",
    "scheme": "fundscope_scheme",
    "funding_evidence": "fundscope_funding_evidence",
    "facts": "fundscope_facts",
}

_lock = threading.Lock()
_shared: Language | None = None


def build_nlp(**overrides: dict[str, Any]) -> Language:
    """A fresh, initialised pipeline; `overrides` maps a component name to config, e.g. trl={"patterns_path": p}."""
    unknown = set(overrides) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown component(s) {sorted(unknown)}; expected some of {list(COMPONENTS)}")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("fundscope_paragraphs", name="paragraphs")
    for name, factory in COMPONENTS.items():
        nlp.add_pipe(factory, name=name, config=overrides.get(name, {}))
    nlp.initialize()
    return nlp


def get_nlp() -> Language:
    """The process-wide pipeline, built once; safe to call from many threads."""
    global _shared
    ready = _shared
    if ready is not None:
        return ready
    with _lock:
        if _shared is None:
            built = build_nlp()
            _shared = built  # published only once fully built and initialised
        return _shared
