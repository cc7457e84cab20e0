"""`process_batch` picks each document's pipeline from its language and records that language."""

from __future__ import annotations

from pathlib import Path

import pytest

import pyarrow as pa

from corpus.loaders import Limits
from corpus.query import run_query
from corpus.store import Store, StoreIndex
from extractors.languages import get_nlp_for
from extractors.pipeline import get_nlp
from flows.batch import extract_rows_by_language, process_batch
from tests.flows.batch_inputs import planned_items as planned

TEXTS = {
    "en.txt": "JST funds Japanese teams and DFG funds German teams at TRL 3.",
    "ja.txt": "日本側の研究者はJSTが、相手国の研究者は相手国の機関が支援する。英国と韓国の研究者が参加する。",
    "de.txt": "Partnerländer sind Kanada, die Tschechische Republik, Frankreich und die Niederlande.",
}


class Recording:
    """`nlp_for` that remembers which languages it was asked for and hands out the real pipelines."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, language: str):
        self.asked.append(language)
        return get_nlp_for(language)


def countries(batch, source: str) -> list[str]:
    doc_id = next(d["doc_id"] for d in batch.documents if d["source"] == source)
    return sorted({m["value"] for m in batch.mentions if m["doc_id"] == doc_id and m["label"] == "country"})


def test_each_document_goes_through_its_language_pipeline(tmp_path: Path) -> None:
    chooser = Recording()
    batch, _ = process_batch(planned(tmp_path, TEXTS), index=StoreIndex(), nlp=get_nlp(), model=None,
                             limits=Limits(), run_id="r", nlp_for=chooser)
    assert {d["source"]: d["language"] for d in batch.documents} == {"en.txt": "en", "ja.txt": "ja", "de.txt": "de"}
    assert sorted(chooser.asked) == ["de", "ja"]  # English stays on the `nlp` passed in
    assert countries(batch, "en.txt") == ["DEU", "JPN"]
    assert countries(batch, "ja.txt") == ["GBR", "JPN", "KOR"]
    assert countries(batch, "de.txt") == ["CAN", "CZE", "FRA", "NLD"]
    for m in batch.mentions:  # offsets stay offsets into the stored text
        text = next(d["text"] for d in batch.documents if d["doc_id"] == m["doc_id"])
        assert text[m["start"]:m["end"]] == m["text"]


def test_a_forced_language_is_used_for_every_document(tmp_path: Path) -> None:
    chooser = Recording()
    batch, _ = process_batch(planned(tmp_path, TEXTS), index=StoreIndex(), nlp=get_nlp(), model=None,
                             limits=Limits(), run_id="r", language="de", nlp_for=chooser)
    assert {d["language"] for d in batch.documents} == {"de"}
    assert set(chooser.asked) == {"de"}
    assert countries(batch, "ja.txt") == []  # the German rules do not read Japanese


def test_a_language_without_its_own_pipeline_uses_english_and_is_still_recorded(tmp_path: Path) -> None:
    chooser = Recording()
    batch, _ = process_batch(planned(tmp_path, {"en.txt": TEXTS["en.txt"]}), index=StoreIndex(), nlp=get_nlp(),
                             model=None, limits=Limits(), run_id="r", language="tr", nlp_for=chooser)
    # Turkish: no rules of its own and not among the languages given their local country names
    assert [d["language"] for d in batch.documents] == ["tr"] and chooser.asked == []
    assert countries(batch, "en.txt") == ["DEU", "JPN"]


class Tagging:
    """A fake pipeline whose docs say which language's pipeline made them."""

    def __init__(self, language: str) -> None:
        self.language = language

    def pipe(self, texts, batch_size: int = 32):
        return iter([(self.language, t) for t in texts])


def test_grouped_extraction_keeps_the_order_of_the_texts(monkeypatch) -> None:
    import extractors.doc_rows

    monkeypatch.setattr(extractors.doc_rows, "doc_rows", lambda sdoc: sdoc)
    texts, languages = ["a", "b", "c", "d", "e"], ["ja", "en", "ja", "de", "en"]
    got = extract_rows_by_language(texts, languages, Tagging)
    assert got == [("ja", "a"), ("en", "b"), ("ja", "c"), ("de", "d"), ("en", "e")]


def test_stores_written_before_the_language_column_read_it_as_null(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus.schema import TABLES

    batch, _ = process_batch(planned(tmp_path, {"en.txt": TEXTS["en.txt"]}), index=StoreIndex(), nlp=get_nlp(),
                             model=None, limits=Limits(), run_id="r")
    for row in batch.documents:
        row.pop("language", None)
    old = pa.schema([f for f in TABLES["documents"] if f.name != "language"])
    with monkeypatch.context() as m:  # committed as an older version would have: no language column
        m.setitem(TABLES, "documents", old)
        Store(tmp_path / "data").commit(batch, "r")
    store = Store(tmp_path / "data")
    assert "language" not in store.delta_table("documents").schema().to_arrow().names
    assert store.read_table("documents").column("language").to_pylist() == [None]
    assert run_query(Store(tmp_path / "data"), "select source, language from documents")[1] == [("en.txt", None)]
