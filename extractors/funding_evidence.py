"""Who funds whom, sentence by sentence: a funder, the party it pays, negation and modality.

A sentence is evidence when it holds a funding cue ("funds", "is paid by", "eligible") or a
self-standing phrase (a pooled budget, "irrespective of nationality", "each agency funds its
own"), a funder and a party:

* `own`     the funder pays its own country's participants (recipient = funder country);
* `foreign` it pays a named other country's participants (recipient = that ISO3 code);
* `any`     it pays participants of any country ("foreign institutions may be the prime
            recipient", "entities from associated countries are eligible"), recipient `*`;
* `pooled`  a pooled budget (a real common pot) pays the partners, recipient `*`;
* (`both`    a binational body pays "both companies": one `own`/`foreign` row per country named
            in the sentence, else per the document's first two countries.)
* `domestic` an eligibility line of a national programme ties the applicants to the funder's own
            country ("a company registered in the Republic of Korea"; `registration` terms) in a
            sentence that gives no other row for it: recipient = funder country. It makes a flow
            but no vote for a funding mode (a domestic programme is `neither`).

The funder is an agency of `doc.spans["agency"]` (its country from agencies.jsonl), an EU body
(`funder_term` records, country `EU`), or a country used as a government ("Japan funds",
"the Dutch government pays"). A sentence without one takes the funder from context: a
`funder_hint` phrase ("associated countries" → EU), else the last funder named in the three
sentences before, else the document's agencies when they all share one country. A funder
that cannot be resolved leaves `funder` and `funder_country` null: the row is kept as
evidence (the classifier counts it) but makes no flow. Distributed wording ("each agency funds
its own national participants", "a virtual common pot") gives one `own` row per funder named
in the sentence, else per agency with a country named in the document (with the countries of
the document's lists when the sentence names no country), else per country named in the
document. A `collective_funder` phrase ("the partner agency funds its own", "the funding
organisations pool their contributions") stands for every funder the document lists: its named
funders with a country, then the countries of its lists of `LIST_LENGTH` or more that are not
examples ("such as Israel or Chile"), less the funders the sentence names itself.

Every row says whether its clause is negated and the sentence's modality: `proposal` ("we
propose a pooled budget"), `hypothetical` ("could", "would", "if", and `past` terms: "in
previous calls each funder paid its own" is not the call's rule) or `stated`. A relation stated
in one clause and denied in another keeps the stated row. Sentences end at blank lines
(`extractors/paragraphs.py`), so a headline is not read with the paragraph under it. Flows (`doc_flows`) are
the document-level summary of the non-negated stated rows.

A sentence about donors (`skip_sentence` terms: "foreign donors", development aid) is never
evidence; `block` phrases ("direct costs") are blanked before the cues are read.

Extensions set: `Doc._.funding_evidence` (list of `Evidence`, in reading order). Rules live in
extractors/data/funding_evidence_patterns.jsonl as `{"lang", "kind", "terms"}` records; a
language adds its records in a file `funding_evidence_patterns.<lang>.jsonl` beside it and is
chosen by the `language` config. Run after the country and agency components.

A language's `settings` record adapts the matching: `char_match` (scripts without spaces, or
with particles glued to words: terms match anywhere, and the words after a country are read
from a character window cut at `window_stop` terms), `verb_final` (the funder may be named
after the party it pays, and a country's role never comes from its side of the verb) and
`noun_before_country` ("les équipes françaises": a party noun just before a country makes it
a party) and `clause_bound` (a named funder pays a party of another country only within one
clause). `example_suffix` terms right after a country ("英国など") make it an example, and
`noun_stop` terms end the look for a party noun, as the built-in English verbs do.

    nlp.add_pipe("fundscope_funding_evidence", name="funding_evidence")
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.base import RuleComponent, doc_text, read_records

KINDS = ("own", "foreign", "any", "pooled", "domestic")
MODALITIES = ("stated", "hypothetical", "proposal")
LIST_LENGTH = 3  # countries in a row that make a list of partner countries, for "the partner agencies" and "each funder"
CONTEXT_SENTENCES = 3  # how far back a sentence without a funder looks for one
REGISTRATION_GAP = 16  # characters between "registered in" and the country ("the Republic of ")
TOKEN_WINDOW = 3  # words between a demonym and the party noun it qualifies ("Japanese research teams")
CHAR_WINDOW = 12  # the same in characters, for `char_match` languages ("日本側の研究チーム")
NOUN_STOPS = frozenset({",", ";", ":", "and", "or", "funds", "pays", "is", "are", "will", "may"})


@dataclass
class Evidence:
    """One funding relation stated (or denied, or proposed) by a sentence."""

    kind: str
    funder: str | None
    funder_country: str | None
    recipient_country: str
    negated: bool
    modality: str
    text: str
    start: int
    end: int
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict (the `evidence` table's columns, without doc_id)."""
        return asdict(self)


@dataclass
class Flow:
    """A document's funder → recipient relation, with the first evidence that states it."""

    funder: str
    funder_country: str
    recipient_country: str
    mode: str
    evidence_start: int
    evidence_end: int
    basis: str = "evidence"  # "label": implied by the document's funding mode (extractors/flow_completion.py)


@dataclass
class _Funder:
    name: str
    country: str | None
    start: int  # characters, into doc.text
    end: int


def _regex(terms: Iterable[str], case_sensitive: bool = False, char_match: bool = False) -> re.Pattern | None:
    """One regex finding any of `terms` as whole words (anywhere with `char_match`), longest first; None for no terms."""
    terms = sorted({t if case_sensitive else t.lower() for t in terms}, key=len, reverse=True)
    if not terms:
        return None
    if char_match:
        return re.compile(_trie(terms, lambda t: ""))
    # word boundaries only where a term starts or ends with a word character (";" follows "team" directly);
    # the start boundary is shared by every term that starts with one, outside their alternation: the regex
    # engine can then skip ahead by first characters (40x faster on page-length text, same matches, since a
    # term starting with a word character and one starting with another never start at the same place)
    def tail(t: str) -> str:
        return r"(?![\w-])" if re.search(r"\w$", t) else ""

    wordy = [t for t in terms if re.match(r"\w", t)]
    other = [t for t in terms if not re.match(r"\w", t)]
    groups = ([rf"(?<![\w-])(?:{_trie(wordy, tail)})"] if wordy else []) + ([_trie(other, tail)] if other else [])
    return re.compile("|".join(groups))


def _trie(terms: list[str], tail: Callable[[str], str]) -> str:
    """The terms as one character trie, each followed by `tail(term)`: the longest term whose tail holds wins.

    Equal to the alternation of the terms longest first, and several times faster to scan: an
    alternation tries every term in turn at each place.
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = term

    def emit(node: dict) -> str:
        alternatives = [re.escape(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if "" in node:
            alternatives.append(tail(node[""]))  # ending here comes last, so longer terms win
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return "|".join(re.escape(ch) + emit(trie[ch]) for ch in sorted(trie))


def _spans(pattern: re.Pattern | None, text: str, offset: int = 0) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [(m.start() + offset, m.end() + offset) for m in pattern.finditer(text)]


@Language.factory(
    "fundscope_funding_evidence",
    default_config={"patterns_path": None, "language": "en", "country_key": "country", "agency_key": "agency"},
)
def make_funding_evidence(nlp: Language, name: str, patterns_path: str | None, language: str,
                          country_key: str, agency_key: str) -> "FundingEvidenceFinder":
    """Build the funding-evidence component (patterns load in `initialize`)."""
    return FundingEvidenceFinder(nlp, name, patterns_path=patterns_path, language=language,
                                 country_key=country_key, agency_key=agency_key)


class FundingEvidenceFinder(RuleComponent):
    """Sets `Doc._.funding_evidence`: who funds whom, sentence by sentence (see the module docstring)."""

    default_file = "funding_evidence_patterns.jsonl"

    def __init__(self, nlp: Language, name: str, *, patterns_path: str | None, language: str = "en",
                 country_key: str = "country", agency_key: str = "agency") -> None:
        self.language = language
        self.country_key = country_key
        self.agency_key = agency_key
        super().__init__(nlp, name, spans_key="funding_evidence", patterns_path=patterns_path)

    def _load(self, path: Path) -> list[dict]:
        """The records of `path` plus, beside the default file, each language's own file."""
        records = read_records(path)
        if path.name == self.default_file:
            for extra in sorted(path.parent.glob("funding_evidence_patterns.*.jsonl")):
                records += read_records(extra)
        return records

    def _compile(self) -> None:
        terms: dict[str, list[str]] = {}
        self._funder_terms: dict[str, tuple[str, str]] = {}  # term -> (funder id, country)
        self._hints: dict[str, tuple[str, str]] = {}
        settings: dict[str, Any] = {}
        for record in self._records:
            if record.get("lang", "en") != self.language:
                continue
            kind = record["kind"]
            if kind == "settings":
                settings.update(record)
                continue
            terms.setdefault(kind, []).extend(record["terms"])
            if kind in ("funder_term", "funder_hint"):
                target = self._funder_terms if kind == "funder_term" else self._hints
                for term in record["terms"]:
                    target[term if kind == "funder_term" else term.lower()] = (record["id"], record["country"])
        self._char = bool(settings.get("char_match"))
        self._verb_final = bool(settings.get("verb_final"))
        self._noun_first = bool(settings.get("noun_before_country"))
        self._clause_bound = bool(settings.get("clause_bound"))
        self._re = {kind: _regex(t, char_match=self._char) for kind, t in terms.items() if kind not in ("funder_term",)}
        self._funder_re = _regex(terms.get("funder_term", []), case_sensitive=True, char_match=self._char)
        self._noun_stops = NOUN_STOPS | {t.lower() for t in terms.get("noun_stop", [])}
        self._recipient_nouns = {t.lower() for t in terms.get("recipient_noun", [])}
        self._funder_nouns = {t.lower() for t in terms.get("funder_noun", []) if " " not in t}
        self._prepositions = {t.lower() for t in terms.get("recipient_preposition", []) if " " not in t}
        self._agent_words = {t.lower() for t in terms.get("agent_word", [])}
        self._example_markers = [t.lower().split() for t in terms.get("example_marker", [])]
        self._list_joiners = {t.lower() for t in terms.get("list_joiner", [])}
        triggers = [t for k in ("funding_cue", "passive", "each_own", "any", "pooled", "own", "both", "registration")
                    for t in terms.get(k, [])]
        self._trigger = _regex(triggers, char_match=self._char)

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc._.funding_evidence` (replacing any there)."""
        doc._.funding_evidence = self.find(doc)
        return doc

    # ----- finding -------------------------------------------------------------------
    def find(self, doc: Doc) -> list[Evidence]:  # type: ignore[override]
        """Evidence rows of `doc` in reading order."""
        if self._trigger is None:
            return []
        text = doc_text(doc)
        low = text.lower()
        hits = [m.start() for m in self._trigger.finditer(low)]
        if not hits:
            return []
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        agencies = list(doc.spans[self.agency_key]) if self.agency_key in doc.spans else []
        countries = list(doc.spans[self.country_key]) if self.country_key in doc.spans else []
        # "Japan" in "Japan Science and Technology Agency" names the agency, not a government or a party
        in_agencies = {i for a in agencies for i in range(a.start, a.end)}
        countries = [c for c in countries if c.start not in in_agencies and not _names_agency(text, c, agencies)]
        agency_funders = [_Funder(a._.value, a._.agency_country, a.start_char, a.end_char) for a in agencies]
        term_funders = [_Funder(*self._funder_terms[text[s:e]], s, e) for s, e in _spans(self._funder_re, text)]
        named = sorted(agency_funders + term_funders, key=lambda f: f.start)
        named_starts = [f.start for f in named]
        country_starts = [c.start_char for c in countries]
        sent_starts = [s.start_char for s in sents]
        hit_sents = sorted({bisect_right(sent_starts, h) - 1 for h in hits})
        doc_context = _Context(named, self._listed(doc, countries))
        found: list[Evidence] = []
        for i in hit_sents:
            sent = sents[i]
            s0, s1 = sent.start_char, sent.end_char
            in_sent = named[bisect_left(named_starts, s0):bisect_left(named_starts, s1)]
            sent_countries = countries[bisect_left(country_starts, s0):bisect_left(country_starts, s1)]
            earlier = sents[max(0, i - CONTEXT_SENTENCES)].start_char
            before = named[bisect_left(named_starts, earlier):bisect_left(named_starts, s0)]
            found += self._sentence(doc, text, low, sent, in_sent, sent_countries, before, doc_context)
        return found

    def _sentence(self, doc: Doc, text: str, low: str, sent: Span, named: list[_Funder],
                  countries: list[Span], before: list[_Funder], context: "_Context") -> list[Evidence]:
        s0, s1 = sent.start_char, sent.end_char
        if _spans(self._re.get("skip_sentence"), low[s0:s1]):
            return []  # development aid from donors, not research funding
        stext = self._masked(low[s0:s1])
        cues = _spans(self._re.get("funding_cue"), stext, s0)
        passive = _spans(self._re.get("passive"), stext, s0)
        each = _spans(self._re.get("each_own"), stext, s0)
        any_ = _spans(self._re.get("any"), stext, s0)
        pooled = [p for p in _spans(self._re.get("pooled"), stext, s0) if not _inside(p, each)]
        both = _spans(self._re.get("both"), stext, s0)
        own = [o for o in _spans(self._re.get("own"), stext, s0) if not _inside(o, each)]
        registered = _spans(self._re.get("registration"), stext, s0)
        collective = _spans(self._re.get("collective_funder"), stext, s0)
        domestic = self._domestic(registered, countries, named, stext, s0, before, context) if registered else []
        if not (cues or passive or each or any_ or pooled or both):
            negated = self._clause_negation(stext, s0)
            return self._rows(domestic, text, sent, negated, self._modality(stext))
        pivot = passive[0] if passive else (cues[0] if cues else None)
        parties, governments = self._split_countries(doc, countries, pivot, bool(passive))
        funders = self._funders(named, governments)
        negated = self._clause_negation(stext, s0)
        modality = self._modality(stext)
        rows: list[tuple[str, _Funder | None, str, tuple[int, int]]] = []  # kind, funder, recipient, place
        if each:
            for funder in context.each_funders(funders, countries):
                rows.append(("own", funder, funder.country or "", each[0]))
        if not (cues or passive) and not (any_ or pooled or both):
            return self._rows(rows, text, sent, negated, modality)
        # "the partner agency supports the researchers in its own country", "the funding organisations pool
        # their contributions": every funder the document lists, beyond those the sentence names
        group = context.collective(funders) if collective and (own or pooled) else []
        if not funders and (any_ or pooled or own or parties or both):
            funders = group or [self._context_funder(stext, s0, before, context)]
            group = []
        for place in pooled:
            for funder in funders + group:
                rows.append(("pooled", funder, "*", place))
        sides = list(dict.fromkeys(c._.value for c in countries)) or context.first_countries(2)
        for place in both:  # a binational body paying "both companies": each country named is a recipient
            for funder in funders:
                rows += [("foreign", funder, code, place) for code in sides]
        for place in any_:
            for funder in funders:
                rows.append(("any", funder, "*", place))
        for place in own:
            for funder in funders + (group if not pooled else []):
                if funder is not None and funder.country:
                    rows.append(("own", funder, funder.country, place))
        for party in parties:
            place = (party.start_char, self._party_end(doc, party))
            same = [f for f in funders if f is not None and f.country == party._.value]
            if same:
                rows += [("own", f, party._.value, place) for f in same]
                continue
            funder = _nearest(funders, party.start_char)
            if funder is None or not (s0 <= funder.start < s1) or (funder.start > party.start_char and not passive
                                                                   and not self._verb_final):
                continue  # a funder from context, or named after the party, does not pay it ("in Japan and one in France")
            if self._clause_bound and negated.clause_of(funder.start) != negated.clause_of(party.start_char):
                continue  # "X funds A; partners from B apply to their own agencies"
            rows.append(("foreign", funder, party._.value, place))
        paid = {recipient for _, _, recipient, _ in rows}
        rows += [row for row in domestic if row[2] not in paid]
        return self._rows(rows, text, sent, negated, modality)

    def _domestic(self, registered: list[tuple[int, int]], countries: list[Span], named: list[_Funder],
                  stext: str, s0: int, before: list[_Funder], context: "_Context") -> list[tuple]:
        """`domestic` rows: a country right after a registration phrase that is the funder's own."""
        funders = [f for f in named if f.country] or [self._context_funder(stext, s0, before, context)]
        rows = []
        for a, b in registered:
            follows = [c for c in countries if 0 <= c.start_char - b <= REGISTRATION_GAP]
            for country in follows[:1]:
                for funder in funders:
                    if funder is not None and funder.country == country._.value:
                        rows.append(("domestic", funder, country._.value, (a, country.end_char)))
        return rows

    def _rows(self, rows: list[tuple[str, _Funder | None, str, tuple[int, int]]], text: str, sent: Span,
              negated: "_Negation", modality: str) -> list[Evidence]:
        """Evidence objects, one per (kind, funder, recipient) of the sentence, spans covering funder and party."""
        out: list[Evidence] = []
        seen: dict[tuple, Evidence] = {}
        s0, s1 = sent.start_char, sent.end_char
        for kind, funder, recipient, (p0, p1) in rows:
            if not recipient:
                continue
            name = funder.name if funder else None
            country = funder.country if funder else None
            if kind == "foreign" and recipient == country:
                kind = "own"
            key = (kind, name, country, recipient)
            if key in seen:
                # one relation stated in one clause and denied in another ("each side pays its own and no
                # money crosses"): the stated place speaks for it
                if seen[key].negated and not negated.at(p0):
                    out.remove(seen[key])
                else:
                    continue
            start, end = p0, p1
            if funder is not None and s0 <= funder.start < s1:
                start, end = min(start, funder.start), max(end, funder.end)
            seen[key] = Evidence(kind=kind, funder=name, funder_country=country, recipient_country=recipient,
                                 negated=negated.at(p0), modality=modality, text=text[start:end], start=start,
                                 end=end, sentence=text[s0:s1])
            out.append(seen[key])
        return out

    def _masked(self, stext: str) -> str:
        """The lower-cased sentence with blocked phrases ("foreign donors", "direct costs") blanked out."""
        for a, b in _spans(self._re.get("block"), stext):
            stext = stext[:a] + " " * (b - a) + stext[b:]
        return stext

    def _negated(self, stext: str) -> bool:
        for a, b in _spans(self._re.get("negation_exception"), stext):
            stext = stext[:a] + " " * (b - a) + stext[b:]
        return bool(_spans(self._re.get("negation"), stext)) or "n't" in stext

    def _clause_negation(self, stext: str, s0: int) -> "_Negation":
        """Negation clause by clause: "X funds A; no funds are transferred" leaves "X funds A" stated."""
        cuts = [0] + [b for _, b in _spans(self._re.get("clause_break"), stext)] + [len(stext)]
        clauses = [(s0 + a, s0 + b, self._negated(stext[a:b])) for a, b in zip(cuts, cuts[1:]) if b > a]
        return _Negation(clauses)

    def _modality(self, stext: str) -> str:
        if _spans(self._re.get("proposal"), stext):
            return "proposal"
        # "if the proposal is recommended for funding, NSF funds the U.S. team": the condition is the
        # selection, and the funding it leads to is stated
        for a, b in _spans(self._re.get("hypothetical_exception"), stext):
            stext = stext[:a] + " " * (b - a) + stext[b:]
        if _spans(self._re.get("hypothetical"), stext) or _spans(self._re.get("past"), stext):
            return "hypothetical"  # or past: "in previous calls each funder paid its own" is not this call's rule
        return "stated"

    def _party_end(self, doc: Doc, span: Span) -> int:
        """End of the party phrase a country span opens: through its party noun ("Japanese research teams")."""
        if self._char:
            noun = self._window_noun(doc, span)
            return span.end_char + noun[2] if noun and noun[0] == "recipient_noun" else span.end_char
        for token in doc[span.end:span.end + TOKEN_WINDOW]:
            if token.lower_ in self._recipient_nouns:
                return token.idx + len(token.text)
            if not token.is_alpha:
                break
        return span.end_char

    def _split_countries(self, doc: Doc, countries: list[Span], pivot: tuple[int, int] | None,
                         passive: bool) -> tuple[list[Span], list[Span]]:
        """Countries standing for a party ("Japanese teams", "partners in Norway") and for a government.

        A country named as an example or an exclusion ("countries such as Israel", "outside
        Norway") is neither, and so are the
        countries listed after it; a country continuing a list ("partners from Jordan, Lebanon
        and Algeria") takes the role of the one before it.
        """
        parties: list[Span] = []
        governments: list[Span] = []
        previous: tuple[Span, str | None] | None = None
        for span in countries:
            if previous is not None and self._continues_list(doc, previous[0], span):
                role = previous[1]
            elif self._is_example(doc, span):
                role = None
            else:
                role = self._role(doc, span, pivot, passive)
            if role == "party":
                parties.append(span)
            elif role == "government":
                governments.append(span)
            previous = (span, role)
        return parties, governments

    def _listed(self, doc: Doc, countries: list[Span]) -> list[Span]:
        """The countries of the document's lists of at least `LIST_LENGTH` ("Austria, Bulgaria, Croatia and
        Finland"), without the lists opened as examples or exclusions ("countries such as Israel, ...")."""
        runs: list[tuple[bool, list[Span]]] = []
        for span in countries:
            if runs and self._continues_list(doc, runs[-1][1][-1], span):
                runs[-1][1].append(span)
            else:
                runs.append((self._is_example(doc, span), [span]))
        return [span for example, run in runs if not example and len(run) >= LIST_LENGTH for span in run]

    def _continues_list(self, doc: Doc, previous: Span, span: Span) -> bool:
        """True when only list words (",", "and", "or") stand between the two country spans."""
        between = doc[previous.end:span.start]
        return 0 < len(between) <= 3 and all(t.lower_ in self._list_joiners for t in between)

    def _is_example(self, doc: Doc, span: Span) -> bool:
        """True when an example or exclusion marker ("such as", "e.g.", "outside") stands just before the country, or a suffix one ("など") after it."""
        suffix = self._re.get("example_suffix")
        if suffix is not None and suffix.match(doc_text(doc)[span.end_char:span.end_char + CHAR_WINDOW].lower().lstrip()):
            return True
        words = [t.lower_ for t in doc[max(0, span.start - 3):span.start]]
        while words and words[-1] in ("the", ","):
            words.pop()
        return any(len(m) <= len(words) and words[len(words) - len(m):] == m for m in self._example_markers)

    def _role(self, doc: Doc, span: Span, pivot: tuple[int, int] | None, passive: bool) -> str | None:
        """"party", "government" or None for one country span, from the words around it and the cue."""
        if self._char:
            return self._char_role(doc, span, pivot, passive)
        if self._noun_first and span.start > 0:
            before_words = [t.lower_ for t in doc[max(0, span.start - TOKEN_WINDOW):span.start]]
            if before_words[-1] in self._funder_nouns:
                return "government"
            if any(w in self._recipient_nouns for w in before_words) and not _stops_before_noun(
                    before_words[::-1], self._recipient_nouns, self._noun_stops):
                return "party"
        after = [t.lower_ for t in doc[span.end:span.end + TOKEN_WINDOW]]
        if after and after[0] in self._funder_nouns or (len(after) > 1 and after[0] in ("'s", "’s")
                                                        and after[1] in self._funder_nouns):
            return "government"
        if any(w in self._recipient_nouns for w in after) and not _stops_before_noun(after, self._recipient_nouns,
                                                                                      self._noun_stops):
            return "party"
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        if before in self._prepositions and span.end < len(doc) and doc[span.end].lower_ in self._agent_words:
            return "party"  # "(participants are funded) in Germany by BMBF"
        if before in self._prepositions:
            window = [t.lower_ for t in doc[max(0, span.start - 1 - TOKEN_WINDOW):span.start - 1]]
            if any(w in self._recipient_nouns for w in window):
                return "party"
        if pivot is None or self._verb_final:
            return None
        funder_side = span.start_char >= pivot[1] if passive else span.end_char <= pivot[0]
        return "government" if funder_side else "party"

    def _window_noun(self, doc: Doc, span: Span) -> tuple[str, int, int] | None:
        """The first party or funder noun in the characters after a country span ("日本の研究者は" -> 研究者), cut at a stop."""
        window = doc_text(doc)[span.end_char:span.end_char + CHAR_WINDOW].lower()
        stop = self._re.get("window_stop")
        cut = stop.search(window) if stop is not None else None
        window = window[:cut.start()] if cut else window
        found = [(m.start(), m.end(), kind) for kind in ("recipient_noun", "funder_noun")
                 if self._re.get(kind) is not None for m in self._re[kind].finditer(window)]
        if not found:
            return None
        start, end, kind = min(found, key=lambda f: (f[0], -f[1]))
        return kind, start, end

    def _char_role(self, doc: Doc, span: Span, pivot: tuple[int, int] | None, passive: bool) -> str | None:
        """The role of a country span read by characters: the noun after it, a noun it ends with ("日本側"), a subject particle."""
        noun = self._window_noun(doc, span)
        if noun is not None:
            return "party" if noun[0] == "recipient_noun" else "government"
        nouns = self._re.get("recipient_noun")
        if nouns is not None and any(m.end() == len(span.text) for m in nouns.finditer(span.text.lower())):
            return "party"
        subject = self._re.get("subject_marker")
        if subject is not None and subject.match(doc_text(doc)[span.end_char:span.end_char + CHAR_WINDOW].lower()):
            return "government"
        if pivot is None or self._verb_final:
            return None
        funder_side = span.start_char >= pivot[1] if passive else span.end_char <= pivot[0]
        return "government" if funder_side else "party"

    def _funders(self, named: list[_Funder], governments: list[Span]) -> list[_Funder]:
        """The sentence's funders: the bodies it names and the countries it uses as governments.

        A named agency is hardly ever the party paid, so every one counts; two clauses ("Japan
        funds the Japanese teams and ANR the French ones") give two funders, and each party
        is then paid by the funder of its own country, else by the nearest one before it.
        """
        govs = [_Funder(g._.value, g._.value, g.start_char, g.end_char) for g in governments]
        return _distinct(sorted(named + govs, key=lambda f: f.start))

    def _context_funder(self, stext: str, s0: int, before: list[_Funder], context: "_Context") -> _Funder | None:
        """The funder of a sentence that names none: a hint phrase, the last one named nearby, or the document's."""
        for a, b in _spans(self._re.get("funder_hint"), stext):
            name, country = self._hints[stext[a:b]]
            return _Funder(name, country, a + s0, a + s0)
        if before:
            last = before[-1]
            return _Funder(last.name, last.country, -1, -1)
        return context.single_funder()


class _Negation:
    """Which clauses of a sentence are negated, looked up by a character offset."""

    def __init__(self, clauses: list[tuple[int, int, bool]]) -> None:
        self.clauses = clauses

    def at(self, offset: int) -> bool:
        """True when the clause holding `offset` is negated (the first clause for offsets before it)."""
        for a, b, negated in self.clauses:
            if offset < b:
                return negated
        return self.clauses[-1][2] if self.clauses else False

    def clause_of(self, offset: int) -> int:
        """The index of the clause holding `offset` (0 for offsets before the first)."""
        for i, (a, b, _) in enumerate(self.clauses):
            if offset < b:
                return i
        return max(0, len(self.clauses) - 1)


class _Context:
    """What the whole document says about funders, for sentences that name none."""

    def __init__(self, named: list[_Funder], countries: list[Span]) -> None:
        self.named = named
        self.countries = countries
        self._distinct_countries: list[str] | None = None

    def single_funder(self) -> _Funder | None:
        """The document's first named funder when every named funder shares its country."""
        with_country = [f for f in self.named if f.country]
        if with_country and len({f.country for f in with_country}) == 1:
            first = with_country[0]
            return _Funder(first.name, first.country, -1, -1)
        return None

    def first_countries(self, n: int) -> list[str]:
        """The first `n` distinct countries the document names (the two sides of a binational body)."""
        if self._distinct_countries is None:  # asked once per sentence: read the document's countries once
            self._distinct_countries = list(dict.fromkeys(c._.value for c in self.countries))
        return self._distinct_countries[:n]

    def collective(self, named_here: list[_Funder | None]) -> list[_Funder]:
        """Every funder the document lists: its named funders with a country, then its other countries as governments.

        Those of `named_here` (the sentence's own funders) are left out.
        """
        skip = {f.country for f in named_here if f is not None and f.country}
        group = [_Funder(f.name, f.country, -1, -1) for f in _distinct([f for f in self.named if f.country])]
        covered = {f.country for f in group}
        group += [_Funder(c, c, -1, -1) for c in dict.fromkeys(s._.value for s in self.countries) if c not in covered]
        return [f for f in group if f.country not in skip]

    def each_funders(self, in_sentence: list[_Funder], sent_countries: list[Span]) -> list[_Funder]:
        """Who "each funds its own" refers to: the sentence's funders, else the document's (`collective`), else the sentence's countries."""
        chosen = _distinct([f for f in in_sentence if f.country])
        if chosen:
            return chosen
        # the document's countries join its agencies only when the sentence names no side itself ("each side"
        # of "a Georgian team and an Armenian team" is those two, not a list named elsewhere)
        group = self.collective([]) if not sent_countries else [
            _Funder(f.name, f.country, -1, -1) for f in _distinct([f for f in self.named if f.country])]
        if group:
            return group
        codes = list(dict.fromkeys(s._.value for s in sent_countries))
        return [_Funder(c, c, -1, -1) for c in codes]


def _names_agency(text: str, country: Span, agencies: list[Span]) -> bool:
    """True when the country ends an agency's long name given before its acronym ("Council of Turkiye (TUBITAK)")."""
    after = text[country.end_char:country.end_char + 3]
    return after.lstrip().startswith("(") and any(0 < a.start_char - country.end_char <= 3 for a in agencies)


def _stops_before_noun(words: list[str], nouns: set[str], stops: frozenset[str] | set[str] = NOUN_STOPS) -> bool:
    """True when a sentence-level break (comma, verb-like word) comes before the party noun."""
    for w in words:
        if w in nouns:
            return False
        if w in stops:
            return True
    return True


def _inside(place: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(a <= place[0] and place[1] <= b for a, b in others)


def _distinct(funders: list[_Funder]) -> list[_Funder]:
    seen: dict[tuple[str, str | None], _Funder] = {}
    for f in funders:
        seen.setdefault((f.name, f.country), f)
    return list(seen.values())


def _nearest(funders: list[_Funder | None], at: int) -> _Funder | None:
    """The funder named closest before `at`, else the closest after, else the context funder."""
    real = [f for f in funders if f is not None]
    if not real:
        return funders[0] if funders else None
    placed = [f for f in real if f.start >= 0]
    before = [f for f in placed if f.start <= at]
    if before:
        return max(before, key=lambda f: f.start)
    return min(placed, key=lambda f: f.start) if placed else real[0]


def mode_of(funder_country: str, recipient_country: str) -> str:
    """`matching_fund` when a funder pays its own country's participants, else `direct_fund`."""
    return "matching_fund" if recipient_country == funder_country else "direct_fund"


def doc_flows(evidence: Iterable[Evidence]) -> list[Flow]:
    """One flow per (funder, funder country, recipient) from the non-negated stated rows with a funder."""
    flows: dict[tuple[str, str, str], Flow] = {}
    for ev in evidence:
        if ev.negated or ev.modality != "stated" or not ev.funder or not ev.funder_country:
            continue
        key = (ev.funder, ev.funder_country, ev.recipient_country)
        if key not in flows:
            flows[key] = Flow(funder=ev.funder, funder_country=ev.funder_country,
                              recipient_country=ev.recipient_country,
                              mode=mode_of(ev.funder_country, ev.recipient_country),
                              evidence_start=ev.start, evidence_end=ev.end)
    return list(flows.values())
