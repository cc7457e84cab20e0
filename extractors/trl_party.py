"""Whose TRL a mention states: the party noun ("teams", "companies") and country its sentence ties it to.

"Japanese teams at TRL 3" gives party_country JPN and party_kind academia; "foreign companies at a
high TRL" gives company and no country; "at least TRL 5" alone gives neither. The nearest party
noun before the mention in its clause wins, else the nearest after it; its country is a country
span just before the noun ("Japanese research teams") or just after it ("teams in Japan").
Cue words live in extractors/data/trl_party.jsonl.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span

from extractors.base import DATA_DIR, read_records

PARTY_KINDS = ("academia", "company", "sme", "project")


@dataclass(frozen=True)
class Party:
    """The party a TRL mention is tied to; either field may be None."""

    country: str | None
    kind: str | None


class PartyReader:
    """Ties TRL spans to parties with the rules of a `trl_party.jsonl` file."""

    def __init__(self, path: str | Path | None = None) -> None:
        records = read_records(path or DATA_DIR / "trl_party.jsonl")
        self.kind_of: dict[str, str | None] = {}
        breaks: list[str] = []
        after: list[str] = []
        self.before, self.after, self.qualifier_words = 60, 40, 3
        self._bounds_doc: Doc | None = None
        self._bounds_len = -1
        self._text = ""
        self._token_starts: list[int] = []
        self._char_bounds: list[tuple[int, int]] = []
        self._countries_list: list[Span] | None = None
        self._countries_sorted: list[Span] = []
        self._country_starts: list[int] = []
        for r in records:
            if r["kind"] == "party_noun":
                self.kind_of.update({t.lower(): r["party_kind"] for t in r["terms"]})
            elif r["kind"] == "window":
                self.before, self.after, self.qualifier_words = r["before"], r["after"], r["qualifier_words"]
            elif r["kind"] == "clause_break":
                breaks += r["terms"]
            elif r["kind"] == "country_after":
                after += r["terms"]
        nouns = sorted(self.kind_of, key=len, reverse=True)
        self._noun = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, nouns)) + r")(?![\w-])", re.IGNORECASE)
        self._break = re.compile("|".join(map(re.escape, breaks))) if breaks else None
        prepositions = "|".join(map(re.escape, sorted(after, key=len, reverse=True)))
        self._country_after = re.compile(rf"\s+(?:{prepositions})\s+(?:the\s+)?$", re.IGNORECASE)
        self._qualifier = re.compile(rf"^(?:['’]s\s+)?(?:[\w-]+\s+){{0,{self.qualifier_words}}}$")

    def party(self, doc: Doc, span: Span, countries: list[Span]) -> Party:
        """The party of the TRL mention `span`; `countries` are the doc's country spans (in reading order)."""
        s0, s1 = self._sentence(doc, span.start)
        text = self._text
        lo = max(s0, span.start_char - self.before)
        hi = min(s1, span.end_char + self.after)
        lo, hi = self._clause(text, lo, span.start_char, span.end_char, hi)
        countries = self._countries_within(countries, lo, hi)
        before = [m for m in self._noun.finditer(text, lo, span.start_char)]
        after = [m for m in self._noun.finditer(text, span.end_char, hi)]
        match = before[-1] if before else (after[0] if after else None)
        if match is None:
            return Party(None, None)
        kind = self.kind_of[match.group(0).lower()]
        return Party(self._country(text, match, countries, lo, hi), kind)

    def _sentence(self, doc: Doc, token: int) -> tuple[int, int]:
        """Character bounds of the sentence holding `token`, from bounds computed once per doc.

        `doc.text` and `Token.sent` (through `has_annotation`) each rescan the whole doc on every
        call, which made a doc with many TRL mentions quadratic; the text and sentence bounds
        are cached for the doc last seen.
        """
        if self._bounds_doc is not doc or self._bounds_len != len(doc):
            self._text = doc.text
            if doc.has_annotation("SENT_START"):
                sents = list(doc.sents)
                self._token_starts = [s.start for s in sents]
                self._char_bounds = [(s.start_char, s.end_char) for s in sents]
            else:
                self._token_starts, self._char_bounds = [0], [(0, len(doc.text))]
            self._bounds_doc, self._bounds_len = doc, len(doc)
        return self._char_bounds[bisect_right(self._token_starts, token) - 1]

    def _countries_within(self, countries: list[Span], lo: int, hi: int) -> list[Span]:
        """The country spans starting in [lo, hi), found by bisection (spans sorted by start)."""
        if self._countries_list is not countries:
            self._countries_list = countries
            self._countries_sorted = sorted(countries, key=lambda c: c.start_char)
            self._country_starts = [c.start_char for c in self._countries_sorted]
        starts = self._country_starts
        return self._countries_sorted[bisect_left(starts, lo):bisect_left(starts, hi)]

    def _clause(self, text: str, lo: int, start: int, end: int, hi: int) -> tuple[int, int]:
        """Narrow [lo, hi) to the clause holding [start, end)."""
        if self._break is None:
            return lo, hi
        cuts_before = [m.end() for m in self._break.finditer(text, lo, start)]
        cut_after = self._break.search(text, end, hi)
        return (cuts_before[-1] if cuts_before else lo), (cut_after.start() if cut_after else hi)

    def _country(self, text: str, noun: re.Match, countries: list[Span], lo: int, hi: int) -> str | None:
        """The country qualifying the party noun: a few words before it, or "in <country>" right after it."""
        best_before = [c for c in countries if lo <= c.start_char and c.end_char <= noun.start()
                       and self._qualifier.match(text[c.end_char:noun.start()].lstrip())]
        if best_before:
            return best_before[-1]._.value
        for c in countries:
            if noun.end() <= c.start_char < hi and self._country_after.search(text[noun.end():c.start_char]):
                return c._.value
        return None
