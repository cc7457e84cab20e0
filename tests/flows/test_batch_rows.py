"""`process_batch` writes evidence, flows and facts rows, and each spaCy Doc is reduced as soon as it is yielded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corpus.loaders import Limits
from corpus.query import run_query
from corpus.store import Store, StoreIndex
from extractors.pipeline import get_nlp
from flows.batch import extract_mentions, extract_rows, process_batch
from tests.flows.batch_inputs import planned_items as planned

TEXT = ("JST funds the Japanese teams at TRL 3 and DFG funds the German teams. "
        "NWO may also pay foreign partners of Dutch consortia.\n\n"
        "Proposals are due by 31 January 2027. The budget is EUR 1.5 million per project.")


def run(tmp_path: Path, texts: dict[str, str]):
    return process_batch(planned(tmp_path, texts), index=StoreIndex(), nlp=get_nlp(), model=None,
                         limits=Limits(), run_id="r")


def test_evidence_and_flows_rows_carry_the_doc_id_and_offsets(tmp_path: Path) -> None:
    batch, _ = run(tmp_path, {"call.txt": TEXT})
    text = batch.documents[0]["text"]
    doc_id = batch.documents[0]["doc_id"]
    assert batch.evidence and all(r["doc_id"] == doc_id for r in batch.evidence + batch.flows)
    for r in batch.evidence:
        assert text[r["start"]:r["end"]] == r["text"]
    assert sorted((r["funder"], r["funder_country"], r["recipient_country"], r["mode"]) for r in batch.flows) == [
        ("DFG", "DEU", "DEU", "matching_fund"), ("JST", "JPN", "JPN", "matching_fund"),
        ("NWO", "NLD", "*", "direct_fund"), ("NWO", "NLD", "NLD", "matching_fund")]
    nwo_any = next(r for r in batch.flows if r["recipient_country"] == "*")
    assert "foreign partners" in text[nwo_any["evidence_start"]:nwo_any["evidence_end"]]


def test_trl_mentions_carry_their_party(tmp_path: Path) -> None:
    batch, _ = run(tmp_path, {"call.txt": TEXT})
    assert [(m["value"], m["party_country"], m["party_kind"]) for m in batch.mentions if m["label"] == "trl"] == [
        ("3-3", "JPN", "academia")]
    assert {m["party_kind"] for m in batch.mentions if m["label"] != "trl"} == {None}


def test_fact_rows_are_typed_for_the_store(tmp_path: Path) -> None:
    assert "facts" in get_nlp().pipe_names
    batch, _ = run(tmp_path, {"call.txt": TEXT})
    text = batch.documents[0]["text"]
    by_fact = {r["fact"]: r for r in batch.facts}
    assert by_fact["deadline"]["date"] == date(2027, 1, 31)
    assert (by_fact["budget"]["amount"], by_fact["budget"]["currency"]) == (pytest.approx(1.5e6, abs=1e-6), "EUR")
    for r in batch.facts:
        assert text[r["start"]:r["end"]] == r["text"]


def test_the_batch_commits_and_reads_back(tmp_path: Path) -> None:
    batch, _ = run(tmp_path, {"call.txt": TEXT, "plain.txt": "A note with no funding in it."})
    store = Store(tmp_path / "data")
    written = store.commit(batch, "r").written
    assert written["evidence"] == len(batch.evidence) > 0 and written["flows"] == len(batch.flows) == 4
    assert written["facts"] == len(batch.facts)
    assert run_query(store, "select count(distinct doc_id) from flows")[1] == [(1,)]
    assert run_query(store, "select party_kind from mentions where label = 'trl'")[1] == [("academia",)]


def test_each_doc_is_reduced_before_the_next_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.doc_rows

    events: list[str] = []
    real_nlp, real_rows = get_nlp(), extractors.doc_rows.doc_rows

    class CountingNlp:
        def pipe(self, texts, batch_size: int = 32):
            for i, text in enumerate(texts):
                events.append(f"make {i}")
                yield real_nlp(text)

    def rows(doc):
        events.append(f"reduce {doc.text[:1]}")
        return real_rows(doc)

    monkeypatch.setattr(extractors.doc_rows, "doc_rows", rows)
    found = extract_rows(CountingNlp(), ["0 JST funds Japanese teams.", "1 no funding.", "2 DFG pays."])
    assert events == ["make 0", "reduce 0", "make 1", "reduce 1", "make 2", "reduce 2"]
    assert [f.flows[0].funder_country for f in found if f.flows] == ["JPN"]


def test_a_doc_whose_rows_fail_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.doc_rows

    real_rows = extractors.doc_rows.doc_rows

    def rows(doc):
        if "BOOM" in doc.text:
            raise ValueError("reduction failed")
        return real_rows(doc)

    monkeypatch.setattr(extractors.doc_rows, "doc_rows", rows)
    found = extract_mentions(get_nlp(), ["Japan funds its teams.", "BOOM", "France pays its own teams."])
    assert isinstance(found[1], ValueError)
    assert [m.value for m in found[0] if m.label == "country"] == ["JPN"]
    assert [m.value for m in found[2] if m.label == "country"] == ["FRA"]
