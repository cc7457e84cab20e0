"""Country mentions: names, aliases and demonyms normalised to ISO 3166-1 alpha-3."""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from extractors.base import DATA_DIR, RuleComponent, doc_text, longest_first, read_records
from extractors.languages import UNSPACED, language_file, pycountry_translations, trie_regex_source

# English records a text in another language still uses: which ISO entries are left out, menu separators
SHARED_KINDS = frozenset({"exclude", "menu_separator", "language_item"})


KANA = "ァ-ヺー"  # katakana and the long-vowel mark, not the middle dot
HANGUL = "가-힣"


def edges(phrase: str) -> tuple[str, str]:
    """Lookarounds keeping `phrase` from matching inside a longer katakana word ("タイ" in "タイプ") or after a Hangul syllable ("이란" in "기술이란")."""
    first, last = phrase[0], phrase[-1]
    before = f"(?<![{KANA}])" if re.match(f"[{KANA}]", first) else f"(?<![{HANGUL}])" if re.match(f"[{HANGUL}]", first) else ""
    after = f"(?![{KANA}])" if re.match(f"[{KANA}]", last) else ""
    return before, after


def pycountry_records(excluded: set[str]) -> list[dict]:
    """Official, short and common names of every ISO 3166-1 entry not in `excluded`."""
    records = []
    for entry in pycountry.countries:
        if entry.alpha_3 in excluded:
            continue
        for attr in ("name", "official_name", "common_name"):
            name = getattr(entry, attr, None)
            if not name or "," in name or "(" in name:
                continue
            if name.startswith("the "):
                name = name[4:]
            records.append({"pattern": name, "id": entry.alpha_3})
    return records


@Language.factory(
    "fundscope_country",
    default_config={"spans_key": "country", "patterns_path": None, "use_pycountry": True, "language": "en",
                    "name_languages": []},
)
def make_country(nlp: Language, name: str, spans_key: str, patterns_path: str | None,
                 use_pycountry: bool, language: str, name_languages: list[str]) -> "CountryFinder":
    """Build the country component (patterns load in `initialize`)."""
    return CountryFinder(nlp, name, spans_key=spans_key, patterns_path=patterns_path,
                         use_pycountry=use_pycountry, language=language, name_languages=name_languages)


class CountryFinder(RuleComponent):
    """Finds countries named, aliased ("U.K.") or referred to by demonym ("Japanese").

    Writes `doc.spans["country"]`; each span has `Span._.value` = ISO3 code.
    Records in extractors/data/countries_aliases.jsonl (merged with pycountry names
    when `use_pycountry`): `{"pattern", "id"}` names, `"block": true` phrases that
    veto any country inside them (New Mexico, Latin America), `"person_name": true`
    names dropped next to a personal name or title, `"state_lookalike": true` names
    (Georgia) dropped in a text naming two or more US states (`kind` "us_state") or in
    a sentence naming one and holding a lower-case `kind` "state_noun" ("states"),
    `"language": true` demonyms dropped before "language"/"version", and `kind`
    "honorific" / "exclude" (ISO3 codes of dependent territories left out of
    pycountry's list) / "menu_separator" (3+ countries joined only by these, as in a
    site's country menu, are boilerplate and dropped) / "language_item" (a country in a
    menu line that also lists one of these, "Nederlands | English | Français", is a
    language switcher and dropped). Names match case-sensitively (as written or ALL
    CAPS); blockers match on lower case.

    With `language` other than "en", the records are extractors/data/<language>/
    countries_aliases.jsonl (or `patterns_path`) plus pycountry's names in that language
    and the English file's `exclude`, `menu_separator` and `language_item` records. Such a
    file may add `"endings"` to a record (appended to its `"stem"` when given, Spanish
    "chilen" + "as"), or `kind` "endings" records (`form`, `terms`) for every
    record of a form ("name" when none: German "Japans"), and lower-case adjectives
    also match capitalised. In an unspaced script (ja, ko) names and blockers match on
    the characters of the text, widened to whole tokens; a `person_name` record is
    then dropped next to a `kind` "person_marker" ("・", "氏"), and a name followed by
    a `kind` "language_suffix" ("語": "日本語" is the language) is no mention.

    `name_languages` (English records only) adds pycountry's country names in those gettext
    catalogues: the English pipeline reads a language that has no rules of its own (Italian,
    Portuguese, ...) with its local country names too ("Alemanha", "Stati Uniti").

        nlp.add_pipe("fundscope_country", name="country")
    """

    default_file = "countries_aliases.jsonl"

    def __init__(self, nlp: Language, name: str, *, spans_key: str, patterns_path: str | None,
                 use_pycountry: bool = True, language: str = "en",
                 name_languages: list[str] | tuple[str, ...] = ()) -> None:
        self.use_pycountry = use_pycountry
        self.language = language
        self.name_languages = list(name_languages)
        self._unspaced = language in UNSPACED
        super().__init__(nlp, name, spans_key=spans_key, patterns_path=patterns_path)

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   patterns_path: str | None = None) -> None:
        """Load the English records, or those of `language` (see the class docstring)."""
        if self.language == "en":
            super().initialize(get_examples, nlp=nlp, patterns_path=patterns_path)
            return
        chosen = patterns_path or self.patterns_path or language_file(self.language, self.default_file)
        self.set_patterns(self._load_language(Path(chosen)))

    def _load_language(self, path: Path) -> list[dict]:
        """Records of a language other than English: its own file, pycountry's names in it, shared English kinds."""
        shared = [r for r in read_records(DATA_DIR / self.default_file) if r.get("kind") in SHARED_KINDS]
        records = shared + read_records(path)
        if not self.use_pycountry:
            return records
        excluded = {r["id"] for r in records if r.get("kind") == "exclude"}
        written = {r["pattern"] for r in records if "pattern" in r}
        return records + [r for r in pycountry_translations(self.language, excluded) if r["pattern"] not in written]

    def _load(self, path: Path) -> list[dict]:
        records = read_records(path)
        if not self.use_pycountry:
            return records
        excluded = {r["id"] for r in records if r.get("kind") == "exclude"}
        written = {r["pattern"] for r in records if "pattern" in r}
        extra = [r for r in pycountry_records(excluded) if r["pattern"] not in written]
        for catalogue in self.name_languages:
            extra += [r for r in pycountry_translations(catalogue, excluded) if r["pattern"] not in written]
        unique: dict[str, dict] = {}
        for r in extra:
            unique.setdefault(r["pattern"], r)  # English names first: a local name never re-points one
        return records + list(unique.values())

    def _compile(self) -> None:
        self._names = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._blocks = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._states = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._info: dict[int, dict] = {}
        self._separators = {r["pattern"] for r in self._records if r.get("kind") == "menu_separator"}
        self._language_items = {r["pattern"] for r in self._records if r.get("kind") == "language_item"}
        self._honorifics = {r["pattern"].lower() for r in self._records if r.get("kind") == "honorific"}
        self._state_nouns = {r["pattern"] for r in self._records if r.get("kind") == "state_noun"}
        self._person_markers = tuple(r["pattern"] for r in self._records if r.get("kind") == "person_marker")
        self._language_suffixes = tuple(r["pattern"] for r in self._records if r.get("kind") == "language_suffix")
        endings = {r.get("form", "name"): r["terms"] for r in self._records if r.get("kind") == "endings"}
        self._char_names: dict[str, dict | None] = {}  # pattern without spaces -> record (None: blocker)
        for record in self._records:
            if record.get("kind") == "us_state":
                self._states.add("state", [self.nlp.make_doc(record["pattern"])])
            if record.get("kind", "name") != "name":
                continue
            text = record["pattern"]
            if self._unspaced and not text.isascii():
                self._char_names["".join(text.split())] = None if record.get("block") else record
                continue
            if record.get("block"):
                self._blocks.add("block", [self.nlp.make_doc(text)])
                continue
            key = self.nlp.vocab.strings.add(text)
            self._info[key] = record
            variants = {text, text.upper()} if self.language == "en" else self._variants(record, endings)
            self._names.add(text, [self.nlp.make_doc(v) for v in variants])
            if record.get("language"):
                for follower in (" language", "-language", " version", " translation"):
                    self._blocks.add("block", [self.nlp.make_doc(text + follower)])
        self._char_regex = None
        if self._char_names:
            written = {r["pattern"] for r in self._records
                       if r.get("kind", "name") == "name" and "".join(r["pattern"].split()) in self._char_names}
            self._char_regex = re.compile(trie_regex_source(sorted(written), edges))

    @staticmethod
    def _variants(record: dict, endings: dict[str, list[str]]) -> set[str]:
        """Written forms of a record in a language other than English: endings, ALL CAPS, capitalised."""
        text = record["pattern"]
        stem = record.get("stem", text)  # Spanish "chilen" + "as", Dutch "Canade" + "se": endings that replace the last letters
        forms = [text] + [stem + e for e in record.get("endings", endings.get(record.get("form", "name"), []))]
        variants = set()
        for form in forms:
            variants.update({form, form.upper(), form[:1].upper() + form[1:]})
        return variants

    def _char_candidates(self, doc: Doc) -> list[tuple[int, int, dict | None]]:
        """Names and blockers found on the characters of an unspaced text, as token candidates."""
        text = doc_text(doc)
        found = []
        for match in self._char_regex.finditer(text):
            record = self._char_names["".join(match.group().split())]
            if record is not None and text.startswith(self._language_suffixes or ("\x00",), match.end()):
                record = None  # "日本語": the language, not the country
            if record is not None and record.get("person_name") and self._is_marked_person(text, match):
                record = None
            found.append((match.start(), match.end(), record))
        candidates = []
        for start, end, record in longest_first(found):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                # the person test on tokens is for spaced scripts; the one above has been applied
                candidates.append((span.start, span.end, None if record is None else {**record, "person_name": False}))
        return candidates

    def _is_marked_person(self, text: str, match: re.Match) -> bool:
        """True when a person marker ("・", "氏") touches the match: "チャド・スミス", "ジョージア氏"."""
        markers = self._person_markers
        return bool(markers) and (text.startswith(markers, match.end()) or text[:match.start()].endswith(markers))

    def find(self, doc: Doc) -> list[Span]:
        """Country spans in reading order, longest match first, vetoes applied."""
        candidates = [(s, e, self._info[k]) for k, s, e in self._names(doc)]
        candidates += [(s, e, None) for _, s, e in self._blocks(doc)]
        if self._char_regex is not None:
            candidates += self._char_candidates(doc)
        found = []
        kept = longest_first(candidates)
        states = self._states(doc) if any(r.get("state_lookalike") for _, _, r in kept) else []
        state_doc = len({doc[s:e].text for _, s, e in states}) >= 2
        for start, end, record in kept:
            if record.get("person_name") and self._is_person(doc, start, end):
                continue
            if record.get("state_lookalike") and (state_doc or self._state_nearby(doc, start, states)):
                continue
            found.append(self._span(doc, start, end, record["id"]))
        return self._drop_menus(doc, found)

    def _drop_menus(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Drop runs of 3+ countries joined only by menu separators ("Japan | Korea | China"): boilerplate."""
        text = doc_text(doc)
        runs: list[list[Span]] = []
        for span in spans:
            if runs and self._is_separator(text[runs[-1][-1].end_char:span.start_char]):
                runs[-1].append(span)
            else:
                runs.append([span])
        return [span for run in runs if len(run) < 3 for span in run if not self._in_language_switcher(text, span)]

    def _in_language_switcher(self, text: str, span: Span) -> bool:
        """True when the span is one item of a menu line that also lists a language ("Nederlands | English | Français")."""
        if not self._language_items:
            return False
        start = text.rfind("\n", 0, span.start_char) + 1
        end = text.find("\n", span.end_char)
        line = text[start:end if end >= 0 else len(text)]
        if not any(sep in line for sep in self._separators):
            return False
        items = [line]
        for sep in self._separators:
            items = [piece.strip() for item in items for piece in item.split(sep)]
        mention = text[span.start_char:span.end_char]
        return mention in items and any(item in self._language_items for item in items if item != mention)

    def _is_separator(self, gap: str) -> bool:
        core = gap.strip()
        return bool(core) and all(ch in self._separators or ch.isspace() for ch in core)

    def _state_nearby(self, doc: Doc, start: int, states: list[tuple[int, int, int]]) -> bool:
        """True when the sentence holding token `start` names a US state and says "states" ("states such as Georgia and Kansas")."""
        if not states:
            return False
        sent = doc[start].sent if doc.has_annotation("SENT_START") else doc[:]
        if not any(sent.start <= s < sent.end for _, s, _ in states):
            return False
        # lower case only, so the "States" of "United States" is no cue (except to open a sentence)
        return any(t.text in self._state_nouns or (t.is_sent_start and t.lower_ in self._state_nouns) for t in sent)

    def _is_person(self, doc: Doc, start: int, end: int) -> bool:
        """True when the name stands next to a title or a capitalised name ("Dr Jordan", "Chad Miller")."""
        if start > 0:
            prev = doc[start - 1]
            if prev.text.rstrip(".").lower() in self._honorifics:
                return True
            # a capitalised word before it is a first name, unless it opens the sentence as a stop word ("In")
            if prev.is_title and prev.is_alpha and not (prev.is_sent_start and prev.is_stop):
                return True
        if end < len(doc):
            nxt = doc[end]
            if nxt.is_title and nxt.is_alpha and not nxt.is_sent_start:
                return True
        return False
