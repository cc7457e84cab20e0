"""HTML view of a document with its mentions highlighted, for `fundscope show`."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy import displacy
from spacy.language import Language

from extractors.mentions import Mention

COLOURS = {
    "scheme": "#f4a261",
    "country": "#8ecae6",
    "agency": "#b5e48c",
    "trl": "#cdb4db",
}


@lru_cache(maxsize=1)
def _tokenizer() -> Language:
    return spacy.blank("en")


def render_html(text: str, mentions: list[Mention], title: str) -> str:
    """A standalone HTML page: `text` with each mention underlined in its label's colour and its value shown."""
    doc = _tokenizer().make_doc(text)
    spans = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        spans.append({"start_token": span.start, "end_token": span.end, "label": m.label,
                      "kb_id": m.value, "kb_url": "#"})
    spans.sort(key=lambda s: (s["start_token"], s["end_token"]))
    parsed = {"text": text, "tokens": [t.text for t in doc], "spans": spans, "title": title}
    colours = {label: COLOURS.get(label, "#dddddd") for label in {s["label"] for s in spans} | set(COLOURS)}
    return displacy.render(parsed, style="span", manual=True, page=True, options={"colors": colours})
