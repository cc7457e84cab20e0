"""Technology readiness level mentions, each read as a [trl_min, trl_max] range on the 1-9 scale."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.base import RuleComponent, doc_text, longest_first, read_records
from extractors.languages import language_records
from extractors.trl_party import PartyReader

TOP = 9
# every TRL pattern contains one of these words; patterns run only in windows around them
ANCHOR = re.compile(r"trl|technology[ -]readiness", re.IGNORECASE)
BEFORE, AFTER = 60, 200

# rule name -> (min, max) from the numbers a and b captured by the regex
BOUNDS = {
    "exact": lambda a, b: (a, a),
    "range": lambda a, b: (a, b),
    "at_least": lambda a, b: (a, TOP),
    "at_most": lambda a, b: (1, a),
    "below": lambda a, b: (1, a - 1),
    "above": lambda a, b: (a + 1, TOP),
}


@dataclass(frozen=True)
class Reading:
    """One TRL mention found by a regex: character offsets and level bounds."""

    start: int
    end: int
    low: int
    high: int


@Language.factory("fundscope_trl", default_config={"spans_key": "trl", "patterns_path": None, "party_path": None,
                                                   "language": "en"})
def make_trl(nlp: Language, name: str, spans_key: str, patterns_path: str | None,
             party_path: str | None, language: str) -> "TrlFinder":
    """Build the TRL component (patterns load in `initialize`; party cues from `party_path` or trl_party.jsonl)."""
    return TrlFinder(nlp, name, spans_key=spans_key, patterns_path=patterns_path, party_path=party_path,
                     language=language)


class TrlFinder(RuleComponent):
    """Finds readiness levels ("TRL 4-6", "at least TRL 5", "low TRL") with regexes over doc.text.

    Writes `doc.spans["trl"]`; each span has `Span._.trl_min`, `Span._.trl_max` (ints)
    and `Span._.value` = "min-max". Regexes run on the text, not on tokens, because
    "TRL4" and "TRL-4" are single tokens; a match that ends inside a token is widened
    to whole tokens. Records in extractors/data/trl_patterns.jsonl: `kind` "define"
    (named regex fragments, used as <<NAME>>) and patterns `{"id", "rule", "regex"}`
    whose rule turns the captured numbers `a`, `b` into bounds (`fixed` carries
    `min`/`max`; `alternatives` gives one mention per number, the first starting at
    the group `first` when the regex has one). Overlaps keep the longest match, so
    "TRL 4 to TRL 6" is one range and "TRL 3 ... reach TRL 6" or "move from TRL 3 to
    TRL 6" (a start and a target) two. With `language` other than "en" the records of
    extractors/data/<language>/trl_patterns.jsonl are added (their defines replace ours,
    so our patterns read "mindestens TRL 5"), and `kind` "anchor" regexes there replace
    the anchor words that open the search windows. Each span also gets `Span._.party_country` and
    `Span._.party_kind` when its sentence ties it to a party ("Japanese teams at TRL 3", see
    extractors/trl_party.py); country spans are read when the country component ran first.

        nlp.add_pipe("fundscope_trl", name="trl")
    """

    default_file = "trl_patterns.jsonl"

    def __init__(self, nlp: Language, name: str, *, spans_key: str, patterns_path: str | None,
                 party_path: str | None = None, language: str = "en") -> None:
        self.party_path = party_path
        self.language = language
        self._party: PartyReader | None = None
        super().__init__(nlp, name, spans_key=spans_key, patterns_path=patterns_path)

    def _load(self, path: Path) -> list[dict]:
        """The English records, then those of extractors/data/<language>/trl_patterns.jsonl (its defines replace ours)."""
        records = read_records(path)
        return records if self.language == "en" else records + language_records(self.language, self.default_file)

    def _compile(self) -> None:
        defines = {r["name"]: r["regex"] for r in self._records if r.get("kind") == "define"}
        anchors = [r["regex"] for r in self._records if r.get("kind") == "anchor"]
        self._anchor = re.compile("|".join(anchors), re.IGNORECASE) if anchors else ANCHOR
        self._rules: list[tuple[re.Pattern, dict]] = []
        for record in self._records:
            if record.get("kind") in ("define", "anchor"):
                continue
            source = record["regex"]
            for _ in range(3):  # fragments may nest a couple of levels
                for name, fragment in defines.items():
                    source = source.replace(f"<<{name}>>", fragment)
            self._rules.append((re.compile(source, re.IGNORECASE), record))

    def readings(self, text: str) -> list[tuple[int, int, list[Reading]]]:
        """Every regex match in `text`: its character extent and the list of mentions it stands for."""
        found = []
        for lo, hi in self._windows(text, self._anchor):
            for regex, record in self._rules:
                for match in regex.finditer(text, lo, hi):
                    group = self._read(match, record)
                    if group:
                        found.append((match.start(), match.end(), group))
        return found

    @staticmethod
    def _windows(text: str, anchors: re.Pattern = ANCHOR) -> list[tuple[int, int]]:
        """Merged character windows around each TRL anchor word (patterns are short and local)."""
        windows: list[tuple[int, int]] = []
        for anchor in anchors.finditer(text):
            lo, hi = max(0, anchor.start() - BEFORE), min(len(text), anchor.end() + AFTER)
            if windows and lo <= windows[-1][1]:
                windows[-1] = (windows[-1][0], hi)
            else:
                windows.append((lo, hi))
        return windows

    @staticmethod
    def _read(match: re.Match, record: dict) -> list[Reading]:
        rule = record["rule"]
        named = match.groupdict()
        a = int(named["a"]) if named.get("a") else None
        b = int(named["b"]) if named.get("b") else None
        if rule == "fixed":
            return [Reading(match.start(), match.end(), record["min"], record["max"])]
        if rule == "alternatives":
            # a leading verb ("moved from TRL 4 to TRL 7") is matched but left out of the first mention, and a
            # trailing one ("TRL3からTRL6へ引き上げる") out of the second
            first = match.start("first") if named.get("first") else match.start()
            return [Reading(first, match.end("a"), a, a), Reading(match.start("second"), match.end("second"), b, b)]
        low, high = BOUNDS[rule](a, b)
        if not 1 <= low <= high <= TOP:
            return []
        return [Reading(match.start(), match.end(), low, high)]

    def find(self, doc: Doc) -> list[Span]:
        """TRL spans in reading order; the longest reading wins where readings overlap."""
        # overlaps are settled on the characters each regex matched: "TRL 4" and "TRL 4–6" cover the
        # same tokens, and "move from TRL 3 to TRL 6" outranks the range "TRL 3 to TRL 6" inside it
        candidates = self.readings(doc_text(doc))
        if candidates and self._party is None:
            self._party = PartyReader(self.party_path)
        countries = list(doc.spans["country"]) if "country" in doc.spans else []
        found = []
        for _, _, group in longest_first(candidates):
            for reading in group:
                span = doc.char_span(reading.start, reading.end, alignment_mode="expand")
                if span is None:
                    continue
                span = self._span(doc, span.start, span.end, f"{reading.low}-{reading.high}")
                span._.trl_min = reading.low
                span._.trl_max = reading.high
                party = self._party.party(doc, span, countries)
                span._.party_country, span._.party_kind = party.country, party.kind
                found.append(span)
        return found
