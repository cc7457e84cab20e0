"""Funding scheme mentions: matching_fund, direct_fund, lead_agency, joint_call."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from extractors.base import RuleComponent, doc_text, longest_first, read_records
from extractors.languages import UNSPACED, char_regex_source, language_records


def cue_regex(terms: list[str], whole_words: bool = True) -> re.Pattern:
    """One regex finding any of `terms` in lower-cased text, as whole words unless the script has no spaces."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    if not whole_words:
        return re.compile(alternatives)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@Language.factory(
    "fundscope_scheme",
    default_config={"spans_key": "scheme", "patterns_path": None, "country_key": "country", "language": "en"},
)
def make_scheme(nlp: Language, name: str, spans_key: str, patterns_path: str | None,
                country_key: str, language: str) -> "SchemeFinder":
    """Build the scheme component (patterns load in `initialize`)."""
    return SchemeFinder(nlp, name, spans_key=spans_key, patterns_path=patterns_path, country_key=country_key,
                        language=language)


class SchemeFinder(RuleComponent):
    """Finds wording that describes an international funding scheme and names its code.

    Writes `doc.spans["scheme"]`; each span has `Span._.value` = one of matching_fund,
    direct_fund, lead_agency, joint_call. Records in extractors/data/scheme_patterns.jsonl,
    span_ruler style: `{"id": code, "pattern": "phrase" | [token dicts]}`; phrases match
    on lower case unless `"case": "exact"`; `"block": true` phrases veto any overlapping
    match ("direct costs", "money follows researcher"); `"needs": "international"` phrases
    ("matching funds", "direct support") count only in a sentence with an international
    cue (a cue term or a span in `doc.spans[country_key]`, so run after the country
    component) and no domestic cost-share cue; cue lists are `kind` "cue" records.
    `"needs": "country_pair"` token patterns must open with two names joined by a dash
    or slash ("Japan–France Joint Call"), each a country span or a `country_prefix`
    cue ("Sino", "Franco"). Token patterns with wildcards are slow, so a token
    pattern may name `"anchor"` words and then runs only on sentences holding one of
    them, or `"anchor_min"` of them (2 for a pattern naming two funders). With `language`
    other than "en" the records of extractors/data/<language>/scheme_patterns.jsonl are
    added (cue records of the same name add terms); in an unspaced script (ja, ko) its
    phrases match on the characters of the text, widened to whole tokens.

        nlp.add_pipe("fundscope_scheme", name="scheme")
    """

    default_file = "scheme_patterns.jsonl"

    def __init__(self, nlp: Language, name: str, *, spans_key: str, patterns_path: str | None,
                 country_key: str = "country", language: str = "en") -> None:
        self.country_key = country_key
        self.language = language
        self._unspaced = language in UNSPACED
        super().__init__(nlp, name, spans_key=spans_key, patterns_path=patterns_path)

    def _load(self, path: Path) -> list[dict]:
        """Our English records, then those of the language's own file."""
        records = read_records(path)
        return records if self.language == "en" else records + language_records(self.language, self.default_file)

    def _compile(self) -> None:
        self._lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._anchors = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # token patterns grouped by their anchor words: group key -> (matcher, anchor words a sentence needs)
        self._groups: dict[int, tuple[Matcher, int]] = {}
        self._unanchored = Matcher(self.nlp.vocab)
        self._info: dict[int, dict] = {}
        cues: dict[str, list[str]] = {}
        for record in self._records:
            if record.get("kind") == "cue":
                cues.setdefault(record["name"], []).extend(record["terms"])
        whole = not self._unspaced
        self._international = cue_regex(cues.get("international", []) or ["\x00"], whole)
        self._domestic = cue_regex(cues.get("domestic", []) or ["\x00"], whole)
        char_sources: list[tuple[str, str]] = []
        self._prefixes = {t.lower() for t in cues.get("country_prefix", [])}
        for i, record in enumerate(self._records):
            if record.get("kind") == "cue":
                continue
            label = f"{self.name}:{i}"
            self._info[self.nlp.vocab.strings.add(label)] = record
            pattern = record["pattern"]
            if isinstance(pattern, list):
                self._token_matcher(record).add(label, [pattern], greedy="LONGEST")
            elif self._unspaced and not pattern.isascii():
                char_sources.append((label, pattern))
            elif record.get("case") == "exact":
                self._exact.add(label, [self.nlp.make_doc(pattern)])
            else:
                self._lower.add(label, [self.nlp.make_doc(pattern)])

        self._char_regex = None
        if char_sources:
            ordered = sorted(char_sources, key=lambda item: len(item[1]), reverse=True)
            self._char_labels = [self.nlp.vocab.strings[label] for label, _ in ordered]
            self._char_regex = re.compile("|".join(f"({char_regex_source(p)})" for _, p in ordered), re.IGNORECASE)

    def _char_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Phrases found on the characters of an unspaced text (any case), widened to whole tokens."""
        matches = []
        for match in self._char_regex.finditer(doc_text(doc)):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None:
                matches.append((self._char_labels[match.lastindex - 1], span.start, span.end))
        return matches

    def _token_matcher(self, record: dict) -> Matcher:
        """The matcher for a token pattern: one per anchor set and count, or the one run on whole texts."""
        anchors = sorted(record.get("anchor", []))
        if not anchors:
            return self._unanchored
        needed = int(record.get("anchor_min", 1))
        name = f"{self.name}:anchors:{needed}:{'|'.join(anchors)}"
        key = self.nlp.vocab.strings.add(name)
        if key not in self._groups:
            self._groups[key] = (Matcher(self.nlp.vocab), needed)
            self._anchors.add(name, [self.nlp.make_doc(word) for word in anchors])
        return self._groups[key][0]

    def find(self, doc: Doc) -> list[Span]:
        """Scheme spans in reading order; blockers and the longest match win overlaps."""
        matches = list(self._lower(doc)) + list(self._exact(doc)) + self._token_matches(doc)
        if self._char_regex is not None:
            matches += self._char_matches(doc)
        records = [(start, end, self._info[key]) for key, start, end in matches]
        has_sentences, countries = False, []
        if any(record.get("needs") for _, _, record in records):
            has_sentences = doc.has_annotation("SENT_START")
            countries = list(doc.spans[self.country_key]) if self.country_key in doc.spans else []
        country_starts = sorted(span.start for span in countries)
        candidates = []
        for start, end, record in records:
            # a match whose condition fails is dropped before overlaps are settled, so it hides nothing
            needs = record.get("needs")
            if needs == "international" and not self._international_sentence(
                doc, start, has_sentences, country_starts
            ):
                continue
            if needs == "country_pair" and not self._country_pair(doc, start, countries):
                continue
            candidates.append((start, end, None if record.get("block") else record))
        return [self._span(doc, start, end, record["id"]) for start, end, record in longest_first(candidates)]

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Token-pattern matches; an anchored pattern runs only on sentences holding enough of its anchor words."""
        matches = list(self._unanchored(doc)) if len(self._unanchored) else []
        if not doc.has_annotation("SENT_START"):
            for matcher, _ in self._groups.values():
                matches += matcher(doc)
            return matches
        counts: Counter[tuple[int, int]] = Counter()
        sents: dict[int, Span] = {}
        for key, start, _ in self._anchors(doc):
            sent = doc[start].sent
            sents[sent.start] = sent
            counts[(key, sent.start)] += 1
        for (key, sent_start), count in counts.items():
            matcher, needed = self._groups[key]
            if count >= needed:
                matches += [(k, sent_start + s, sent_start + e) for k, s, e in matcher(sents[sent_start])]
        return matches

    def _country_pair(self, doc: Doc, start: int, countries: list[Span]) -> bool:
        """True when tokens `start` and `start + 2` (either side of a dash) each name a country or a country prefix."""
        covered = {i for span in countries for i in range(span.start, span.end)}
        sides = (start, start + 2)
        return all(i < len(doc) and (i in covered or doc[i].lower_ in self._prefixes) for i in sides)

    def _international_sentence(self, doc: Doc, start: int, has_sentences: bool, country_starts: list[int]) -> bool:
        """True when the sentence around token `start` speaks of another country and not of cost-share."""
        sent = doc[start].sent if has_sentences else doc[:]
        text = sent.text.lower()
        if self._domestic.search(text):
            return False
        if self._international.search(text):
            return True
        first = bisect_left(country_starts, sent.start)
        return first < len(country_starts) and country_starts[first] < sent.end
