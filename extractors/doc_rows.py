"""Everything the store keeps from one processed spaCy Doc, so the Doc itself can be dropped at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from extractors.funding_evidence import Evidence, Flow, doc_flows
from extractors.mentions import Mention, doc_mentions


@dataclass
class DocRows:
    """One document's mentions, funding evidence, flows and facts (each in reading order)."""

    mentions: list[Mention]
    evidence: list[Evidence] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    facts: list[Any] = field(default_factory=list)  # extractors.facts.Fact


def doc_rows(doc: Doc) -> DocRows:
    """Reduce `doc` to its rows; evidence and facts are empty when their components are not in the pipeline."""
    evidence = _extension(doc, "funding_evidence")
    return DocRows(mentions=doc_mentions(doc), evidence=evidence, flows=doc_flows(evidence),
                   facts=_extension(doc, "facts"))


def _extension(doc: Doc, name: str) -> list[Any]:
    return list(getattr(doc._, name) or []) if Doc.has_extension(name) else []
