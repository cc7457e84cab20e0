"""The ingest flow end to end on the bundled samples: idempotence, versions, offsets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.query import run_query
from corpus.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"


def q(data: Path, sql: str) -> list[tuple]:
    return run_query(Store(data), sql)[1]


@pytest.fixture(scope="module")
def samples_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("in") / "samples"
    shutil.copytree(SAMPLES, target)
    shutil.copy(target / sorted(p.name for p in target.glob("*.txt"))[0], target / "same-bytes-again.txt")
    return target


@pytest.fixture(scope="module")
def ingested(prefect_api: str, samples_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, object]:
    from flows.ingest import ingest

    data = tmp_path_factory.mktemp("data")
    first = ingest(paths=[str(samples_copy)], data_dir=str(data), batch_size=4)
    second = ingest(paths=[str(samples_copy)], data_dir=str(data), batch_size=4)
    return data, first, second


def test_first_run_ingests_every_sample(ingested: tuple, samples_copy: Path) -> None:
    data, first, _ = ingested
    n_inputs = sum(1 for p in samples_copy.rglob("*") if p.is_file())
    assert first.stats.new + first.failed == n_inputs
    assert first.failed == 0, first.errors
    assert q(data, "select count(*) from documents")[0][0] == n_inputs


def test_second_run_reports_every_document_unchanged_and_adds_no_rows(ingested: tuple) -> None:
    data, first, second = ingested
    assert second.stats.new == 0
    assert second.unchanged == first.stats.new
    for table in ("documents_all", "mentions_all", "classifications_all", "errors_all"):
        total = q(data, f"select count(*) from {table}")
        assert total == q(data, f"select count(*) from (select distinct * from {table})"), table
    assert q(data, "select count(*) from documents_all")[0][0] == first.stats.new


def test_identical_bytes_under_two_names_share_a_doc_id(ingested: tuple, samples_copy: Path) -> None:
    data, _, _ = ingested
    original = sorted(p.name for p in samples_copy.glob("*.txt") if p.name != "same-bytes-again.txt")[0]
    rows = q(data, "select source, doc_id from documents where source like '%.txt' order by source")
    ids = {Path(s).name: d for s, d in rows}
    assert ids["same-bytes-again.txt"] == ids[original]
    n = q(data, f"select count(*) from mentions_all where doc_id = '{ids[original]}'")[0][0]
    distinct = q(data, f"select count(*) from (select distinct label, start, \"end\" from mentions_all where doc_id = '{ids[original]}')")[0][0]
    assert n == distinct


def test_every_mention_offset_round_trips(ingested: tuple) -> None:
    data, _, _ = ingested
    rows = q(data, "select d.text, m.start, m.\"end\", m.text from mentions m join documents d using (doc_id)")
    assert rows, "the samples must produce mentions"
    bad = [(s, e, t) for text, s, e, t in rows if text[s:e] != t]
    assert bad == []


def test_every_document_is_classified_once(ingested: tuple) -> None:
    data, _, _ = ingested
    assert q(data, "select count(distinct doc_id) from documents") == q(data, "select count(*) from classifications")
    modes = {m for (m,) in q(data, "select distinct funding_mode from classifications")}
    assert modes <= {"matching_fund", "direct_fund", "neither"}


def test_a_changed_file_is_a_new_version_and_queries_see_the_latest(prefect_api: str, tmp_path: Path) -> None:
    from flows.ingest import ingest

    src = tmp_path / "in"
    src.mkdir()
    call = src / "call.txt"
    call.write_text("The Korean agency NRF funds Korean teams; partners in Germany are paid by DFG.\n", encoding="utf-8")
    data = tmp_path / "data"
    ingest(paths=[str(src)], data_dir=str(data))
    call.write_text("Updated: the call now funds projects at TRL 4 to 6 in Korea and Germany.\n", encoding="utf-8")
    summary = ingest(paths=[str(src)], data_dir=str(data))
    assert summary.stats.new == 1
    assert q(data, "select count(*) from documents_all") == [(2,)]
    latest = q(data, "select text from documents")
    assert latest == [("Updated: the call now funds projects at TRL 4 to 6 in Korea and Germany.",)]


def test_one_bad_document_does_not_fail_the_run(prefect_api: str, tmp_path: Path) -> None:
    from flows.ingest import ingest

    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Japan and France run a joint call.\n", encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj garbage that is not a pdf\n")
    (src / "empty.txt").write_bytes(b"")
    data = tmp_path / "data"
    summary = ingest(paths=[str(src), str(tmp_path / "missing.pdf")], data_dir=str(data))
    assert summary.stats.new == 1
    assert summary.failed == 3
    errors = dict(q(data, "select source, error_type from errors"))
    assert errors == {
        str(src / "broken.pdf"): "corrupt_pdf",
        str(src / "empty.txt"): "empty",
        str(tmp_path / "missing.pdf"): "not_found",
    }


def test_new_documents_table_lists_mode_countries_and_trl(ingested: tuple) -> None:
    data, first, _ = ingested
    rows = {Path(r["source"]).name: r for r in first.stats.overview}
    assert len(rows) == first.stats.new
    call = rows["jst-ukri-quantum-sensing-call.pdf"]
    stored = dict(q(data, "select funding_mode, 1 from classifications join documents using (doc_id) "
                          "where source like '%jst-ukri-quantum-sensing-call.pdf'"))
    assert call["funding_mode"] in stored
    assert set(call["countries"].split()) >= {"JPN", "GBR"}
    assert "2-2" in call["trl_ranges"].split()


def test_each_run_leaves_a_markdown_summary_artifact(ingested: tuple) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    _, first, second = ingested
    with get_client(sync_client=True) as client:
        for summary, expected in ((first, "| documents new | "), (second, "| documents unchanged | ")):
            artifacts = client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[summary.run_id])))
            markdown = [a for a in artifacts if a.type == "markdown"]
            assert len(markdown) == 1
            assert expected in markdown[0].data
            assert "`fundscope report --data " in markdown[0].data and "report.html" in markdown[0].data
            tables = [a for a in artifacts if a.type == "table"]
            assert len(tables) == (1 if summary is first else 0)  # a run with nothing new adds no table
    assert f"| documents unchanged | {first.stats.new} |" in markdown[0].data
