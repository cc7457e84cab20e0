"""Mentions: the span groups of a processed Doc flattened into rows for the `mentions` table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from extractors.base import doc_text

LABELS = ("scheme", "country", "agency", "trl")


@dataclass
class Mention:
    """One extracted span: its label, normalised value and exact place in the text."""

    label: str
    value: str
    text: str
    start: int
    end: int
    sentence: str
    trl_min: int | None = None
    trl_max: int | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


def sentence_of(span: Span, text: str, has_sentences: bool = True) -> str:
    """Text of the sentence(s) the span stands in, or all of `text` (the doc's text) without sentences."""
    doc = span.doc
    if not has_sentences:
        return text
    first = doc[span.start].sent
    last = doc[span.end - 1].sent
    return text[first.start_char:last.end_char]


def doc_mentions(doc: Doc, labels: tuple[str, ...] = LABELS) -> list[Mention]:
    """All mentions of `doc` in reading order; `doc.text[m.start:m.end] == m.text` always holds."""
    text = doc_text(doc)
    has_sentences = doc.has_annotation("SENT_START")  # a scan of the whole doc
    mentions = []
    for label in labels:
        if label not in doc.spans:
            continue
        for span in doc.spans[label]:
            attrs = {}
            if span._.agency_country is not None or label == "agency":
                attrs["agency_country"] = span._.agency_country
            if label == "trl":
                attrs["party_country"] = span._.party_country
                attrs["party_kind"] = span._.party_kind
            mentions.append(
                Mention(
                    label=label,
                    value=span._.value,
                    text=text[span.start_char:span.end_char],
                    start=span.start_char,
                    end=span.end_char,
                    sentence=sentence_of(span, text, has_sentences),
                    trl_min=span._.trl_min,
                    trl_max=span._.trl_max,
                    attrs=attrs,
                )
            )
    order = {label: i for i, label in enumerate(labels)}
    mentions.sort(key=lambda m: (m.start, m.end, order[m.label]))
    return mentions
