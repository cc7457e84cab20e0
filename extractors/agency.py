"""Funding agency and programme mentions, normalised to a canonical acronym."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from extractors.base import RuleComponent, longest_first


@Language.factory("fundscope_agency", default_config={"spans_key": "agency", "patterns_path": None})
def make_agency(nlp: Language, name: str, spans_key: str, patterns_path: str | None) -> "AgencyFinder":
    """Build the agency component (patterns load in `initialize`)."""
    return AgencyFinder(nlp, name, spans_key=spans_key, patterns_path=patterns_path)


class AgencyFinder(RuleComponent):
    """Finds agencies by acronym ("JST") or full name ("Japan Science and Technology Agency").

    Writes `doc.spans["agency"]`; each span has `Span._.value` = canonical acronym and
    `Span._.agency_country` = the agency's ISO3 code, or None for multinational bodies.
    Records in extractors/data/agencies.jsonl: `{"pattern", "id", "country"}`.
    One-word patterns (acronyms) match case-sensitively, longer names on lower case. An acronym
    that is also an English word ("MOST", "ARC"; `"common_word": true` in the record) does not
    count inside all-caps text such as "THE MOST IMPORTANT DATES", where it is the word.

        nlp.add_pipe("fundscope_agency", name="agency")
    """

    default_file = "agencies.jsonl"

    def _compile(self) -> None:
        self._exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._info: dict[int, dict] = {}
        for record in self._records:
            text = record["pattern"]
            self._info[self.nlp.vocab.strings.add(text)] = record
            pattern = self.nlp.make_doc(text)
            matcher = self._exact if len(pattern) == 1 else self._lower
            matcher.add(text, [pattern])

    def find(self, doc: Doc) -> list[Span]:
        """Agency spans in reading order, longest name first."""
        candidates = [(s, e, self._info[k]) for k, s, e in self._exact(doc)
                      if not (self._info[k].get("common_word") and _shouted(doc, s, e))]
        candidates += [(s, e, self._info[k]) for k, s, e in self._lower(doc)]
        found = []
        for start, end, record in longest_first(candidates):
            span = self._span(doc, start, end, record["id"])
            span._.agency_country = record.get("country")
            found.append(span)
        return found


def _shouted(doc: Doc, start: int, end: int) -> bool:
    """Whether the word before or after doc[start:end] is an all-caps word: the span sits in capitals."""
    neighbours = [doc[start - 1]] if start > 0 else []
    neighbours += [doc[end]] if end < len(doc) else []
    return any(t.is_alpha and t.is_upper and len(t) > 1 for t in neighbours)
