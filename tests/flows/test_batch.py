"""`process_batch` without Prefect: one bad document costs that document only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpus.loaders import Limits
from corpus.sources import PlannedItem, hash_file
from corpus.store import StoreIndex
from extractors.pipeline import get_nlp
from flows.batch import process_batch
from tests.flows.batch_inputs import planned_items as items


@dataclass
class Pred:
    funding_mode: str
    p_matching_fund: float
    p_direct_fund: float
    p_neither: float


class FixedModel:
    """Says matching_fund for everything, and raises on texts containing `poison`."""

    version = "fixed-1"

    def __init__(self, poison: str | None = None) -> None:
        self.poison = poison

    def predict(self, records: list[dict]) -> list[Pred]:
        if self.poison and any(self.poison in r["text"] for r in records):
            raise ValueError("poisoned input")
        return [Pred("matching_fund", 0.7, 0.2, 0.1) for _ in records]


class BreakingNlp:
    """The real pipeline, except that texts containing `poison` raise."""

    def __init__(self, poison: str) -> None:
        self.nlp = get_nlp()
        self.poison = poison

    def __call__(self, text: str):
        if self.poison in text:
            raise RuntimeError("tokenizer exploded")
        return self.nlp(text)

    def pipe(self, texts, batch_size: int = 32):
        for text in texts:
            yield self(text)


TEXTS = {
    "a.txt": "JST funds Japanese teams and DFG funds German teams at TRL 3.",
    "b.txt": "Korea pays partners in Chile directly. BOOM",
    "c.txt": "A domestic call with no partners abroad.",
}


def test_a_document_that_breaks_spacy_becomes_an_extract_error(tmp_path: Path) -> None:
    batch, stats = process_batch(items(tmp_path, TEXTS), index=StoreIndex(), nlp=BreakingNlp("BOOM"),
                                 model=FixedModel(), limits=Limits(), run_id="r")
    assert sorted(d["source"] for d in batch.documents) == ["a.txt", "c.txt"]
    assert [(e["source"], e["stage"], e["error_type"]) for e in batch.errors] == [("b.txt", "extract", "extract_failed")]
    assert "tokenizer exploded" in batch.errors[0]["message"]
    assert (stats.new, stats.failed) == (2, 1)
    values = {(m["label"], m["value"]) for m in batch.mentions}
    assert {("country", "JPN"), ("country", "DEU"), ("trl", "3-3")} <= values


def test_a_document_that_breaks_the_classifier_keeps_its_mentions(tmp_path: Path) -> None:
    batch, _ = process_batch(items(tmp_path, TEXTS), index=StoreIndex(), nlp=get_nlp(),
                             model=FixedModel(poison="BOOM"), limits=Limits(), run_id="r")
    assert len(batch.documents) == 3
    assert sorted(c["doc_id"] for c in batch.classifications) == sorted(
        d["doc_id"] for d in batch.documents if d["source"] != "b.txt")
    assert [(e["source"], e["error_type"]) for e in batch.errors] == [("b.txt", "classify_failed")]


def test_bytes_already_extracted_get_a_document_row_and_nothing_else(tmp_path: Path) -> None:
    planned = items(tmp_path, TEXTS)
    index = StoreIndex(doc_ids={planned[0].doc_id})
    batch, _ = process_batch(planned, index=index, nlp=get_nlp(), model=FixedModel(), limits=Limits(), run_id="r")
    assert len(batch.documents) == 3
    assert planned[0].doc_id not in {m["doc_id"] for m in batch.mentions}
    assert planned[0].doc_id not in {c["doc_id"] for c in batch.classifications}


def test_progress_is_reported_per_document(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    planned = items(tmp_path, TEXTS) + [PlannedItem("bad.pdf", str(tmp_path / "bad.pdf"), "x", 15)]
    process_batch(planned, index=StoreIndex(), nlp=get_nlp(), model=FixedModel(), limits=Limits(),
                  run_id="r", on_document=lambda d, p: calls.append((d, p)))
    assert calls == [(1, 1), (1, 1), (1, 1), (1, 0)]


def test_agency_rows_carry_the_agency_country(tmp_path: Path) -> None:
    batch, _ = process_batch(items(tmp_path, {"a.txt": TEXTS["a.txt"]}), index=StoreIndex(), nlp=get_nlp(),
                             model=FixedModel(), limits=Limits(), run_id="r")
    agencies = {(m["value"], m["agency_country"]) for m in batch.mentions if m["label"] == "agency"}
    assert agencies == {("JST", "JPN"), ("DFG", "DEU")}


def test_a_document_past_its_time_budget_is_stopped_and_the_batch_goes_on(tmp_path: Path) -> None:
    slow = Path(__file__).resolve().parents[1] / "data" / "hostile" / "slow_4m_chars.pdf"
    planned = items(tmp_path, {"a.txt": TEXTS["a.txt"]})
    doc_id, size = hash_file(str(slow))
    planned.insert(0, PlannedItem("slow.pdf", str(slow), doc_id, size))
    batch, stats = process_batch(planned, index=StoreIndex(), nlp=get_nlp(), model=FixedModel(),
                                 limits=Limits(max_seconds=0.5), run_id="r")
    assert [(e["source"], e["error_type"], e["transient"]) for e in batch.errors] == [("slow.pdf", "timeout", True)]
    assert [d["source"] for d in batch.documents] == ["a.txt"]


class MinibatchNlp(BreakingNlp):
    """Like spaCy's own `pipe`: texts go through in minibatches, and one bad text sinks its whole minibatch."""

    def pipe(self, texts, batch_size: int = 32):
        texts = list(texts)
        for start in range(0, len(texts), 2):
            chunk = texts[start:start + 2]
            if any(self.poison in t for t in chunk):
                raise RuntimeError("tokenizer exploded")
            yield from (self.nlp(t) for t in chunk)


def test_a_text_that_sinks_a_pipe_minibatch_costs_only_itself(tmp_path: Path) -> None:
    texts = {"a.txt": TEXTS["a.txt"], "b.txt": TEXTS["a.txt"].replace("Japanese", "Korean"),
             "c.txt": "BOOM " + TEXTS["c.txt"], "d.txt": "France and Japan pay their own teams."}
    batch, stats = process_batch(items(tmp_path, texts), index=StoreIndex(), nlp=MinibatchNlp("BOOM"),
                                 model=FixedModel(), limits=Limits(), run_id="r")
    assert sorted(d["source"] for d in batch.documents) == ["a.txt", "b.txt", "d.txt"]
    assert [(e["source"], e["error_type"]) for e in batch.errors] == [("c.txt", "extract_failed")]
    by_source = {r["source"]: r for r in stats.overview}
    assert by_source["d.txt"]["countries"] == "FRA JPN"
    assert by_source["b.txt"]["countries"] == "DEU KOR"


def test_overview_rows_carry_mode_probability_countries_and_trl(tmp_path: Path) -> None:
    _, stats = process_batch(items(tmp_path, TEXTS), index=StoreIndex(), nlp=get_nlp(),
                             model=FixedModel(), limits=Limits(), run_id="r")
    row = {r["source"]: r for r in stats.overview}["a.txt"]
    assert row == {"source": "a.txt", "title": row["title"], "funding_mode": "matching_fund",
                   "probability": 0.7, "countries": "DEU JPN", "trl_ranges": "3-3"}


def test_flows_agree_with_the_label_and_say_which_rows_it_implied(tmp_path: Path) -> None:
    text = {"p.txt": "The Japan Science and Technology Agency (JST) and the French ANR run a joint call on batteries."}
    batch, _ = process_batch(items(tmp_path, text), index=StoreIndex(), nlp=get_nlp(), model=FixedModel(),
                             limits=Limits(), run_id="r")
    rows = {(f["funder_country"], f["recipient_country"], f["mode"], f["basis"]) for f in batch.flows}
    assert rows == {("JPN", "JPN", "matching_fund", "label"), ("FRA", "FRA", "matching_fund", "label")}
    jst = next(f for f in batch.flows if f["funder_country"] == "JPN")
    assert text["p.txt"][jst["evidence_start"]:jst["evidence_end"]] in ("Japan Science and Technology Agency", "JST")


def test_the_pipeline_chooser_sends_languages_with_rules_or_local_country_names_to_their_own() -> None:
    from flows.batch import pipeline_chooser

    english = object()
    choose = pipeline_chooser(english, lambda language: ("own", language))
    assert [choose(lang) for lang in ("de", "ja", "pt", "nb")] == [("own", "de"), ("own", "ja"), ("own", "pt"),
                                                                   ("own", "nb")]
    assert choose("en") is english and choose("tr") is english  # Turkish: no rules, no local names
