"""Facts of a call: deadlines, opening and publication dates, budgets and durations, normalised.

Dates become ISO dates, money an amount plus its ISO 4217 code (and what it is given per), and
durations months. Rules (currency tokens, multipliers, cue and reject words per language) live in
extractors/data/facts_patterns.jsonl; month names and their numbers come from babel's CLDR data,
and numbers are read by price-parser.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import get_month_names
from babel.numbers import list_currencies
from price_parser import Price
from spacy.language import Language
from spacy.tokens import Doc

from extractors.base import RuleComponent, doc_text, longest_first
from extractors.languages import trie_regex_source

FACTS = ("deadline", "opening", "budget", "duration", "published")
MONTH_LANGS = ("en", "de", "fr", "nl", "es")
DECIMAL_COMMA_LANGS = frozenset({"de", "fr", "nl", "es"})
NUM = r"\d{1,3}(?:(?:,|\.|\u00a0|\u202f| )\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
RANGE = r"\s*(?:-|–|—|‐|~|～|〜|to|bis|à|a)\s*"
# how far around a value its cue, reject and `per` words are looked for (characters)
CUE_BEFORE, CUE_AFTER, PER_AFTER, REJECT_AROUND = 90, 25, 45, 45
HEAD_CHARS = 400  # a period alone on a line this near the top is the call's open period
# a date written without its year ("Application Deadline: June 9") is read in this leap year, then
# given the year of the nearest dated fact of the document; without one it is dropped
YEARLESS = 4


@dataclass
class Fact:
    """One stated fact: its kind, where it is written, and its normalised value."""

    fact: str
    text: str
    start: int
    end: int
    sentence: str
    date: str | None = None
    amount: float | None = None
    currency: str | None = None
    per: str | None = None
    months: int | None = None

    def as_dict(self) -> dict:
        """The `facts` table row of this fact, without `doc_id` (the caller adds it)."""
        return {"fact": self.fact, "text": self.text, "start": self.start, "end": self.end,
                "sentence": self.sentence, "date": self.date, "amount": self.amount,
                "currency": self.currency, "per": self.per, "months": self.months}


@Language.factory("fundscope_facts", default_config={"patterns_path": None, "language": "en"})
def make_facts(nlp: Language, name: str, patterns_path: str | None, language: str) -> "FactFinder":
    """Build the call-facts component (patterns load in `initialize`)."""
    return FactFinder(nlp, name, patterns_path=patterns_path, language=language)


_DIGIT = re.compile(r"\d")


def _give_years(facts: list[Fact]) -> list[Fact]:
    """Give each date written without a year the year of the nearest dated fact; drop it when there is none."""
    dated = [f for f in facts if f.date and not f.date.startswith(f"{YEARLESS:04d}-")]
    kept = []
    for fact in facts:
        if fact.date and fact.date.startswith(f"{YEARLESS:04d}-"):
            if not dated:
                continue
            nearest = min(dated, key=lambda f: abs(f.start - fact.start))
            try:
                fact.date = dt.date.fromisoformat(fact.date).replace(year=int(nearest.date[:4])).isoformat()
            except ValueError:  # 29 February in a year without it
                continue
        kept.append(fact)
    return kept


def _alternation(items: Iterable[str]) -> str:
    return "|".join(sorted(set(items), key=len, reverse=True))


class FactFinder(RuleComponent):
    """Finds the facts of a call sentence by sentence and writes them to `doc._.facts`.

    Sets `Doc._.facts` (a list of `Fact`, in reading order; `doc.text[f.start:f.end] == f.text`)
    and reads `Doc._.language` when a language detector set it (else the configured language).
    A date counts only with a cue word before it (deadline, opening, published) and no sign of a
    past event; money counts as budget unless a salary, fee or cost-category word stands next to
    it; a duration needs a duration word near it. Ranges give one fact per end.

        nlp.add_pipe("fundscope_facts", name="facts")
    """

    default_file = "facts_patterns.jsonl"

    def __init__(self, nlp: Language, name: str, *, patterns_path: str | None, language: str = "en") -> None:
        self.language = language
        if not Doc.has_extension("facts"):
            Doc.set_extension("facts", default=None)
        if not Doc.has_extension("language"):
            Doc.set_extension("language", default=None)
        super().__init__(nlp, name, spans_key="facts", patterns_path=patterns_path)

    def __call__(self, doc: Doc) -> Doc:
        """Write `doc._.facts`."""
        doc._.facts = self.find(doc)
        return doc

    # -- compiling the rule records ---------------------------------------------------------
    def _compile(self) -> None:
        recs = self._records
        by = lambda kind: [r for r in recs if r.get("kind") == kind]  # noqa: E731
        self._symbols = {r["token"]: r["code"] for r in by("currency")}
        self._words = [(re.compile(rf"(?:{r['regex']})$", re.I), r["code"]) for r in by("currency_word")]
        self._mults = [(re.compile(rf"(?:{r['regex']})$", re.I), r["factor"]) for r in by("multiplier")]
        self._units = [(re.compile(rf"(?:{r['regex']})$", re.I), r["months"]) for r in by("duration_unit")]
        self._number_words = {r["word"]: r["value"] for r in by("number_word")}
        self._eras = {r["token"]: r["first_year"] for r in by("era")}
        self._cues: dict[str, list[tuple[str, re.Pattern]]] = {}
        for r in by("cue"):
            self._cues.setdefault(r["lang"], []).append((r["fact"], re.compile(r["regex"], re.I)))
        self._rejects = {(r["fact"], r["lang"]): re.compile(r["regex"], re.I) for r in by("reject")}
        self._duration_cues = {r["lang"]: re.compile(r["regex"], re.I) for r in by("duration_cue")}
        self._period_cues = {r["lang"]: re.compile(r["regex"], re.I) for r in by("period_cue")}
        self._dollar_countries = {k: v for r in by("dollar_country") for k, v in r["countries"].items()}
        self._iso_codes = set(list_currencies())
        # words right before a duration that make it one ("for 3 years"); weak ones ("over 3 years")
        # count only after an amount or a funding word earlier in the sentence
        self._duration_leads: dict[tuple[str, str], re.Pattern] = {
            (r["lang"], r["strength"]): re.compile(r["regex"], re.I) for r in by("duration_lead")}
        self._duration_context = {r["lang"]: re.compile(r["regex"], re.I) for r in by("duration_context")}
        self._pers: dict[str, list[tuple[str, re.Pattern]]] = {}
        for r in by("per"):
            self._pers.setdefault(r["lang"], []).append((r["per"], re.compile(r["regex"], re.I)))
        if not recs:
            self._money = self._duration = self._date_rules = None
            return
        # upper-case words that are ISO 4217 codes but far more often something else next to a number
        not_currency = {code for r in by("not_currency") for code in r["codes"]}
        codes = [c for c in list_currencies() if c not in not_currency]
        # the ~300 codes as one character trie: an alternation of each tried in turn made this the slowest regex
        cur = _alternation([re.escape(s) for s in self._symbols] + [rf"\b(?:{trie_regex_source(codes)})\b"]
                           + [rf"\b(?:{r['regex']})\b" for r in by("currency_word")])
        mult = _alternation([r["regex"] for r in by("multiplier")])
        amount = rf"(?:{NUM})(?:\s?(?i:{mult})(?![A-Za-z]))?"
        self._money = re.compile(
            rf"(?P<c1>{cur})\s?(?P<a1>{amount})(?:{RANGE}(?:{cur})?\s?(?P<b1>{amount}))?"
            rf"|(?P<a2>{amount})(?:{RANGE}(?P<b2>{amount}))?\s?(?P<c2>{cur})",
        )
        words = _alternation(re.escape(w) for w in self._number_words)
        unit = _alternation(r["regex"] for r in by("duration_unit"))
        value = rf"(?:\d{{1,3}}(?:[.,]5)?|{words})"
        self._duration_hint = re.compile(rf"\d|{words}", re.I)  # a duration needs a number: a fast first look
        self._duration = re.compile(rf"(?<![\d.,])(?P<a>{value})(?:(?:{RANGE}|\s+or\s+)(?P<b>{value}))?[\s-]?(?P<u>{unit})(?![A-Za-zäöüéè])", re.I)
        months: dict[str, int] = {"sept": 9}
        for lang in MONTH_LANGS:
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, locale=lang).items():
                    months[name.rstrip(".").lower()] = number  # no name means two months in these languages
        self._months = months
        month = _alternation(re.escape(m) for m in months)
        era = _alternation(re.escape(e) for e in self._eras)
        self._date_rules = [
            ("named", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+|of\s+)?(?P<m>{month})\.?,?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)\b", re.I)),
            # the first date of a period whose year is written once, after the second ("17 May and 26 September 2022")
            ("named", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{month})\.?(?=\s*(?:-|–|—|and|to|until|till)\s*"
                                 rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{month})\.?,?\s+(?P<y>(?:19|20)\d\d)\b)", re.I)),
            ("short_year", re.compile(rf"\b(?P<d>\d{{1,2}})-(?P<m>{month})-(?P<y>\d\d)\b", re.I)),
            ("named", re.compile(rf"\b(?P<m>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
            # no year at all: "June 9", "9 June" (a cue is required, and the year comes from the document)
            ("yearless", re.compile(rf"\b(?P<m>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![\d:/.,]|\s*(?:19|20)\d\d)", re.I)),
            ("yearless", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+|of\s+)?(?P<m>{month})\b(?!\.?,?\s*(?:de\s+)?(?:19|20)\d\d)", re.I)),
            ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b")),
            ("numeric", re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>(?:19|20)\d\d)\b")),
            ("cjk", re.compile(rf"(?P<y>(?:19|20)\d\d|(?:{era})(?:\d{{1,2}}|元))\s?[年년]\s?(?P<m>\d{{1,2}})\s?[月월]\s?(?P<d>\d{{1,2}})\s?[日일]")),
        ]

    # -- finding ----------------------------------------------------------------------------
    def _lang(self, doc: Doc) -> str:
        lang = doc._.language or self.language
        return lang if lang in self._cues else "en"

    def find(self, doc: Doc) -> list[Fact]:  # type: ignore[override]
        """Every fact of `doc`, in reading order."""
        if self._money is None:
            return []
        text = doc_text(doc)
        lang = self._lang(doc)
        sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else [(0, len(text))]
        us_order = self._month_first(text)
        dollars = self._dollar_mentions(doc)
        facts: list[Fact] = []
        for lo, hi in sentences:
            sentence = text[lo:hi]
            facts += self._dates(text, lo, hi, sentence, lang, us_order)
            facts += self._budgets(text, lo, hi, sentence, lang, dollars)
            facts += self._durations(text, lo, hi, sentence, lang)
        return sorted(_give_years(facts), key=lambda f: (f.start, FACTS.index(f.fact)))

    @staticmethod
    def _month_first(text: str) -> bool:
        """Whether slashed dates read month first: a text writing "March 3, 2025" does (US usage)."""
        named_us = len(re.findall(r"\b[A-Z][a-z]{2,8}\.? \d{1,2}, (?:19|20)\d\d", text))
        named_eu = len(re.findall(r"\b\d{1,2} [A-Z][a-z]{2,8}\.? (?:19|20)\d\d", text))
        return named_us > named_eu

    def _reject(self, fact: str, lang: str, window: str) -> bool:
        pattern = self._rejects.get((fact, lang)) or self._rejects.get((fact, "en"))
        return bool(pattern and pattern.search(window))

    # dates ------------------------------------------------------------------------------------
    def _read_date(self, kind: str, match: re.Match, us_order: bool) -> dt.date | None:
        g = match.groupdict()
        try:
            if kind == "short_year":
                g = {**g, "y": str(2000 + int(g["y"]))}
                kind = "named"
            if kind == "yearless":
                g = {**g, "y": str(YEARLESS)}
                kind = "named"
            if kind == "named":
                month = self._months.get(g["m"].rstrip(".").lower())
                return dt.date(int(g["y"]), month, int(g["d"])) if month else None
            if kind == "iso":
                return dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
            if kind == "numeric":
                a, b = int(g["a"]), int(g["b"])
                month_first = (us_order and a <= 12) or b > 12
                return dt.date(int(g["y"]), a, b) if month_first else dt.date(int(g["y"]), b, a)
            if kind == "cjk":
                year = g["y"]
                for era, first in self._eras.items():
                    if year.startswith(era):
                        n = year[len(era):]
                        year = str(first + (0 if n == "元" else int(n) - 1))
                return dt.date(int(year), int(g["m"]), int(g["d"]))
        except ValueError:
            return None
        return None

    def _cue(self, lang: str, before: str, after: str) -> str | None:
        """The fact a date is, from the cue word nearest before it (or right after it)."""
        best: tuple[int, str] | None = None
        for fact, pattern in self._cues.get(lang, []) + (self._cues["en"] if lang != "en" else []):
            for m in pattern.finditer(before):
                distance = len(before) - m.end()
                if best is None or distance < best[0]:
                    best = (distance, fact)
            m = pattern.search(after)
            if m and (best is None or m.start() + 5 < best[0]):
                best = (m.start() + 5, fact)
        return best[1] if best else None

    def _dates(self, text: str, lo: int, hi: int, sentence: str, lang: str, us_order: bool) -> list[Fact]:
        if not _DIGIT.search(text, lo, hi):  # every date rule has a digit
            return []
        found = []
        for kind, regex in self._date_rules:
            for m in regex.finditer(text, lo, hi):
                day = self._read_date(kind, m, us_order)
                if day is not None:
                    found.append((m.start(), m.end(), day))
        found = [(s, e, d) for s, e, d in longest_first(found)]
        facts: list[Fact] = []
        rejected: set[int] = set()
        for i, (start, end, day) in enumerate(found):
            before = text[max(lo, start - CUE_BEFORE):start]
            if facts and facts[-1].end > start - CUE_BEFORE:
                before = text[max(facts[-1].end, lo):start]  # a cue belongs to the nearest date
            after = text[end:min(hi, end + CUE_AFTER)].split("\n", 1)[0]  # a cue after a date shares its line
            if self._alone_on_line(text, start, end):
                before = self._label_line(text, start)
            # a past-event word after a date counts on its own line only, as a cue after it does
            if self._reject("date", lang, text[max(lo, start - CUE_BEFORE):end]
                            + text[end:min(hi, end + REJECT_AROUND)].split("\n", 1)[0]):
                rejected.add(start)
                continue
            fact = self._cue(lang, before.lower(), after.lower())
            if fact is None and self._dateline(text, start):
                fact = "published"
            previous = found[i - 1] if i else None
            if previous and re.fullmatch(rf"{RANGE}|\s*(?:and|until|till|through)\s*", text[previous[1]:start], re.I):
                # the second date of a period ("1 March – 30 April 2025"): the period closes on it
                kept = facts[-1] if facts and facts[-1].start == previous[0] else None
                if kept is not None and (kept.fact in ("opening", "deadline")
                                         or self._period_line(text, previous[0], end)):
                    kept.fact = "opening"
                    fact = "deadline"
                elif kept is None and previous[0] not in rejected and (
                        self._period_line(text, previous[0], end) or self._period_cue(lang, text[lo:previous[0]])):
                    # an application period without a cue on its first date ("submit ... between 17 May and 26 September")
                    facts.append(Fact("opening", text[previous[0]:previous[1]], previous[0], previous[1], sentence,
                                      date=previous[2].isoformat()))
                    fact = "deadline"
            if fact is None or (day.year == YEARLESS and fact not in ("deadline", "opening")):
                continue
            facts.append(Fact(fact, text[start:end], start, end, sentence, date=day.isoformat()))
        return facts

    def _period_cue(self, lang: str, head: str) -> bool:
        """Whether the sentence before a period's first date says it is when applications are taken ("submit ... between")."""
        pattern = self._period_cues.get(lang) or self._period_cues.get("en")
        return bool(pattern and pattern.search(head[-160:]))

    @staticmethod
    def _period_line(text: str, start: int, end: int) -> bool:
        """A period alone on a line near the top ("12 Oct 2020 - 27 Nov 2020" under a call's title): the call's open period."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start:line_end if line_end >= 0 else None]
        return line_start < HEAD_CHARS and line.strip() == text[start:end].strip()

    @staticmethod
    def _alone_on_line(text: str, start: int, end: int) -> bool:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        return not text[line_start:start].strip() and text[end:line_end if line_end >= 0 else None].strip() in ("", ".")

    @staticmethod
    def _label_line(text: str, start: int) -> str:
        """The line above a date standing alone, when it is a short label ("Deadline:"); else nothing."""
        above = text[:text.rfind("\n", 0, start)].rstrip().rsplit("\n", 1)[-1]
        return above.lower() if above.endswith(":") or len(above.split()) <= 2 else ""

    @staticmethod
    def _dateline(text: str, start: int) -> bool:
        """A press release's dateline ("TOKYO, 3 March 2025 –") or a date alone on the first lines."""
        line_start = text.rfind("\n", 0, start) + 1
        head = text[line_start:start]
        return bool(re.fullmatch(r"\s*(?:[A-ZÄÖÜ][A-ZÄÖÜ .'-]{2,40},\s*)|\s*", head)) and (start < 400 or head.strip() != "")

    # money ------------------------------------------------------------------------------------
    def _currency(self, token: str) -> str | None:
        token = token.strip()
        if token in self._symbols:
            return self._symbols[token]
        if re.fullmatch(r"[A-Z]{3}", token):
            return token
        for pattern, code in self._words:
            if pattern.match(token):
                return code
        return None

    def _amount(self, raw: str, lang: str) -> float | None:
        number = re.match(NUM, raw)
        if not number:
            return None
        digits = number.group(0)
        rest = raw[number.end():].strip()
        factor = 1.0
        if rest:
            for pattern, value in self._mults:
                if pattern.match(rest.rstrip(".")) or pattern.match(rest):
                    factor = value
                    break
        decimal = self._decimal_separator(digits, lang, bool(rest))
        value = Price.fromstring(digits.replace("\u00a0", " ").replace("\u202f", " "), decimal_separator=decimal).amount
        if value is None:
            return None
        return float(value * Decimal(str(factor)))

    @staticmethod
    def _decimal_separator(digits: str, lang: str, has_multiplier: bool) -> str:
        """Which of ',' and '.' marks decimals in this number, from its shape and the language."""
        if "," in digits and "." in digits:
            return "," if digits.rfind(",") > digits.rfind(".") else "."
        for sep in (",", "."):
            if sep in digits:
                tail = digits.rsplit(sep, 1)[1]
                if len(tail) != 3 or digits.count(sep) == 1 and has_multiplier and (sep == "." or lang in DECIMAL_COMMA_LANGS):
                    return sep
                return "." if sep == "," else ","
        return "."

    def _per(self, lang: str, after: str, sentence: str) -> str | None:
        patterns = self._pers.get(lang, []) + (self._pers["en"] if lang != "en" else [])
        for per, pattern in patterns:
            if pattern.search(after):
                return per
        return None

    def _dollar_mentions(self, doc: Doc) -> list[tuple[int, str]]:
        """(offset, currency) of each country or agency of a dollar country in `doc`, in reading order."""
        found = []
        for key, attr in (("country", "value"), ("agency", "agency_country")):
            for span in doc.spans.get(key, []) if key in doc.spans else []:
                code = self._dollar_countries.get(getattr(span._, attr, None) or "")
                if code:
                    found.append((span.start_char, code))
        return sorted(found)

    def _dollar(self, text: str, start: int, end: int, lo: int, dollars: list[tuple[int, str]]) -> str:
        """Which dollar a bare "$" at `start` is: an ISO code right before it ("SGD $500,000") or after the amount
        ending at `end` ("$250,000 CAD"), else the dollar
        country named last before it in its sentence, else the one the document names most (US only when no other
        outnumbers it)."""
        code = re.search(r"\b([A-Z]{3})\s?$", text[max(0, start - 5):start])
        code = code or re.match(r"\s?([A-Z]{3})\b", text[end:end + 5])
        if code and code.group(1) in self._iso_codes:
            return code.group(1)
        near = [c for at, c in dollars if lo <= at < start]
        if near:
            return near[-1]
        counts: dict[str, int] = {}
        for _, c in dollars:
            counts[c] = counts.get(c, 0) + 1
        best = max(counts, key=lambda c: (counts[c], c == "USD"), default="USD")
        return best if counts.get(best, 0) > counts.get("USD", 0) else "USD"

    def _budgets(self, text: str, lo: int, hi: int, sentence: str, lang: str,
                 dollars: list[tuple[int, str]] | None = None) -> list[Fact]:
        facts: list[Fact] = []
        if not _DIGIT.search(text, lo, hi):  # every amount has a digit; the money pattern is slow to scan
            return facts
        for m in self._money.finditer(text, lo, hi):
            token = (m.group("c1") or m.group("c2")).strip()
            currency = self._currency(token)
            if currency is None:
                continue
            if token == "$":
                currency = self._dollar(text, m.start(), m.end(), lo, dollars or [])
            a, b = (m.group("a1"), m.group("b1")) if m.group("c1") else (m.group("a2"), m.group("b2"))
            # "6-100 million" puts the multiplier after the upper end only: the lower end shares it
            if b and not re.search(r"[^\d\s.,]", a) and re.search(r"[^\d\s.,]", b):
                a = a + b[re.match(NUM, b).end():]
            window = text[max(lo, m.start() - REJECT_AROUND):min(hi, m.end() + REJECT_AROUND)].lower()
            if self._reject("budget", lang, window):
                continue
            per = self._per(lang, text[m.end():min(hi, m.end() + PER_AFTER)].lower(), sentence)
            if per is None:
                per = self._per(lang, text[max(lo, m.start() - 25):m.start()].lower(), sentence)
            for raw in (a, b):
                if not raw:
                    continue
                amount = self._amount(raw, lang)
                if amount is None or amount < 100:  # "EUR 5" alone is a fee or a typo, not a budget
                    continue
                facts.append(Fact("budget", m.group(0), m.start(), m.end(), sentence,
                                  amount=amount, currency=currency, per=per))
        return facts

    # durations --------------------------------------------------------------------------------
    def _number(self, raw: str) -> float | None:
        raw = raw.lower()
        if raw in self._number_words:
            return float(self._number_words[raw])
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            return None

    def _led(self, lang: str, head: str) -> bool:
        """Whether the sentence text before a duration ends in a lead word ("for", "within", "over")."""
        tail = head[-40:]
        strong = self._duration_leads.get((lang, "strong")) or self._duration_leads.get(("en", "strong"))
        if strong and strong.search(tail):
            return True
        weak = self._duration_leads.get((lang, "weak")) or self._duration_leads.get(("en", "weak"))
        context = self._duration_context.get(lang) or self._duration_context.get("en")
        if weak and context and weak.search(tail):
            return bool(context.search(head[:-len(weak.search(tail).group(0))][-80:]))
        return False

    def _durations(self, text: str, lo: int, hi: int, sentence: str, lang: str) -> list[Fact]:
        facts: list[Fact] = []
        if not self._duration_hint.search(text, lo, hi):
            return facts
        cue = self._duration_cues.get(lang) or self._duration_cues.get("en")
        for m in self._duration.finditer(text, lo, hi):
            if re.match(r"\s?\d{1,2}\s?[月월]", text[m.end():m.end() + 4]):
                continue  # "2025年4月" is a date
            unit = next((months for pattern, months in self._units if pattern.match(m.group("u"))), None)
            if unit is None:
                continue
            before = text[max(lo, m.start() - 40):m.start()].lower()
            after = text[m.end():min(hi, m.end() + 30)].lower()
            adjective = text[m.start():m.end()].count("-") and re.match(r"\s*(?:project|programme|program|grant|award|funding|collaboration)", after)
            is_range = m.group("b") is not None
            if not (adjective or is_range or self._led(lang, text[lo:m.start()])
                    or (cue and (cue.search(before) or cue.search(after[:12])))):
                continue
            # the reject words may span the value itself ("within two years of the end")
            if self._reject("duration", lang, before[-30:] + text[m.start():m.end()].lower() + after[:20]):
                continue
            for raw in (m.group("a"), m.group("b")):
                if not raw:
                    continue
                value = self._number(raw)
                if value is None:
                    continue
                months = int(round(value * unit))
                if 1 <= months <= 240:
                    facts.append(Fact("duration", m.group(0), m.start(), m.end(), sentence, months=months))
        return facts
