"""Shared machinery of our rule components: JSONL rule records, serialisation, span groups."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import SimpleFrozenList, ensure_path, from_bytes, from_disk, to_bytes, to_disk

from extractors.extensions import register_extensions

DATA_DIR = Path(__file__).resolve().parent / "data"

Candidate = tuple[int, int, Any]  # start, end (tokens or characters), payload (None = blocker)


TEXT_KEY = "fundscope_text"  # Doc.user_data key of the doc's text, once built


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per doc: spaCy joins every token anew on each access, and six components read it.

    A doc's text never changes after tokenisation (retokenising keeps it), so the cached copy stays right.
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def read_records(path: str | Path) -> list[dict]:
    """Read rule records from a JSONL file, skipping blank lines."""
    return [dict(r) for r in srsly.read_jsonl(ensure_path(path))]


def longest_first(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates, longest first then leftmost; blockers win like any other."""
    ordered = sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: set[int] = set()
    kept: list[Candidate] = []
    for start, end, payload in ordered:
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        kept.append((start, end, payload))
    return sorted((c for c in kept if c[2] is not None), key=lambda c: c[0])


class RuleComponent(Pipe):
    """Base of the four extractors: rule records from JSONL, compiled into matchers.

    Subclasses set `default_file` (a file in extractors/data/), implement
    `_compile()` (records -> matchers) and `find(doc) -> list[Span]`, and may extend
    `_load(path)`. The found spans are written to `doc.spans[spans_key]`.
    """

    default_file = ""

    def __init__(self, nlp: Language, name: str, *, spans_key: str, patterns_path: str | None) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.patterns_path = patterns_path
        self._records: list[dict] = []
        self._compile()

    def __call__(self, doc: Doc) -> Doc:
        """Write this component's spans to `doc.spans[spans_key]` (replacing any there)."""
        doc.spans[self.spans_key] = self.find(doc)
        return doc

    @property
    def patterns(self) -> list[dict]:
        """Copies of the rule records in use (what `to_disk` writes)."""
        return [dict(r) for r in self._records]

    def set_patterns(self, records: Iterable[dict]) -> None:
        """Replace the rule records and recompile the matchers."""
        self._records = [dict(r) for r in records]
        self._compile()

    def _load(self, path: Path) -> list[dict]:
        """Rule records read at initialize time from `path`."""
        return read_records(path)

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None,
                   patterns_path: str | None = None) -> None:
        """Load the rule records from `patterns_path`, the config path, or the data file beside the code."""
        chosen = patterns_path or self.patterns_path or DATA_DIR / self.default_file
        self.set_patterns(self._load(Path(chosen)))

    def _span(self, doc: Doc, start: int, end: int, value: str) -> Span:
        span = Span(doc, start, end, label=self.spans_key)
        span._.value = value
        return span

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        """Serialise the rule records."""
        return to_bytes({"patterns": lambda: srsly.json_dumps(self.patterns)}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()) -> "RuleComponent":
        """Load rule records written by `to_bytes`."""
        from_bytes(bytes_data, {"patterns": lambda b: self.set_patterns(srsly.json_loads(b))}, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        """Write the rule records to `path/patterns.jsonl`."""
        to_disk(ensure_path(path), {"patterns.jsonl": lambda p: srsly.write_jsonl(p, self.patterns)}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> "RuleComponent":
        """Load rule records written by `to_disk`."""
        from_disk(ensure_path(path), {"patterns.jsonl": lambda p: self.set_patterns(read_records(p))}, exclude)
        return self
