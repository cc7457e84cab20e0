"""Ingest, query, show and reclassify with `--data` an s3:// URL (moto's S3 server), against a local run."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from corpus.query import run_query
from corpus.store import Batch, Store
from flows.cli import app
from tests.corpus.s3server import S3Server, s3_server

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"
N_SAMPLES = 16  # the files in corpus/samples, counted by hand

TABLES = {
    "documents": "select doc_id, source, title, kind, text, n_pages, page_starts, size_bytes, encoding "
                 "from documents order by source",
    "mentions": 'select doc_id, label, value, text, start, "end", sentence, trl_min, trl_max, agency_country, page, '
                'party_country, party_kind '
                'from mentions order by doc_id, start, "end", label, value',
    "classifications": "select doc_id, funding_mode, p_matching_fund, p_direct_fund, p_neither, model_version "
                       "from classifications order by doc_id",
    "errors": "select source, doc_id, stage, error_type, message, transient from errors order by source",
    "evidence": 'select * from evidence order by doc_id, start, "end", kind, funder, recipient_country',
    "flows": "select * from flows order by doc_id, funder, recipient_country",
    "facts": 'select * from facts order by doc_id, start, "end", fact, date, amount, months',  # a range is two rows
}


def rows(data: str | Path, sql: str) -> list[tuple]:
    return run_query(Store(data), sql)[1]


def relative(data: str | Path, sql: str, inputs: Path) -> list[tuple]:
    """Rows with the input folder cut from paths, so two runs over two copies compare equal."""
    return [tuple(v.replace(str(inputs), "IN") if isinstance(v, str) else v for v in r) for r in rows(data, sql)]


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples plus one corrupt PDF, so the errors table has a row to compare."""
    target = tmp_path_factory.mktemp("in") / "samples"
    shutil.copytree(SAMPLES, target)
    shutil.copy(REPO / "tests" / "data" / "hostile" / "corrupt.pdf", target / "broken.pdf")
    return target


@pytest.fixture(scope="module")
def runs(prefect_api: str, s3: S3Server, inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The inputs ingested into an s3 URL (twice) and into a local directory (once)."""
    from flows.ingest import ingest

    url, local = s3.url("ingested"), tmp_path_factory.mktemp("local-data")
    first = ingest(paths=[str(inputs)], data_dir=url, batch_size=4)
    counts = {t: rows(url, f"select count(*) from {t}_all")[0][0] for t in TABLES}
    keys_after_first = s3.keys("ingested")
    second = ingest(paths=[str(inputs)], data_dir=url, batch_size=4)
    ingest(paths=[str(inputs)], data_dir=str(local), batch_size=4)
    return {"url": url, "local": local, "first": first, "second": second, "counts": counts,
            "keys_after_first": keys_after_first}


def test_the_s3_run_stores_every_sample_and_the_broken_pdf_as_an_error(runs: dict, inputs: Path) -> None:
    url = runs["url"]
    assert runs["first"].stats.new == N_SAMPLES and runs["first"].failed == 1
    assert rows(url, "select count(*) from documents") == [(N_SAMPLES,)]
    assert rows(url, "select count(*) from classifications") == [(N_SAMPLES,)]
    assert relative(url, "select source, stage, error_type from errors", inputs) == [
        ("IN/broken.pdf", "load", "corrupt_pdf")]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_tables_equal_a_local_run(runs: dict, inputs: Path, table: str) -> None:
    on_s3 = relative(runs["url"], TABLES[table], inputs)
    assert on_s3, f"{table} cannot be empty for these inputs"
    assert on_s3 == relative(runs["local"], TABLES[table], inputs)


def test_the_s3_store_is_one_delta_table_per_table_and_nothing_else(runs: dict) -> None:
    keys = runs["keys_after_first"]
    assert {k.split("/")[1] for k in keys} == set(TABLES)
    assert all(k.startswith("tables/") for k in keys)  # no commit records, no lease
    for table in TABLES:
        assert f"tables/{table}/_delta_log/00000000000000000000.json" in keys


def test_rerun_over_the_s3_url_adds_nothing(runs: dict, s3: S3Server) -> None:
    second, url = runs["second"], runs["url"]
    assert second.stats.new == 0
    assert second.unchanged == N_SAMPLES
    assert {t: rows(url, f"select count(*) from {t}_all")[0][0] for t in TABLES} == runs["counts"]
    assert s3.keys("ingested") == runs["keys_after_first"]  # no commit


def test_cli_query_reads_the_s3_url(runs: dict) -> None:
    result = CliRunner().invoke(app, ["query", "select count(*) as n from documents where kind = 'pdf'",
                                      "--data", runs["url"], "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "6"]  # six PDFs in corpus/samples; broken.pdf failed


def test_cli_show_reads_the_s3_url(runs: dict, tmp_path: Path) -> None:
    nwo = "select doc_id from documents where source like '%nwo-money-follows-cooperation-guide.pdf'"
    doc_id = rows(runs["url"], nwo)[0][0]
    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["show", doc_id[:12], "--data", runs["url"], "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Money Follows Cooperation" in out.read_text(encoding="utf-8")


def test_cli_query_names_an_empty_s3_prefix(s3: S3Server) -> None:
    result = CliRunner().invoke(app, ["query", "select 1", "--data", s3.url("nothing-here")], terminal_width=200)
    assert result.exit_code == 2
    assert "s3://fundscope/nothing-here: no such data directory" in " ".join(result.output.split())


def test_cli_refuses_web_inputs_with_an_s3_data_url(s3: S3Server) -> None:
    result = CliRunner().invoke(app, ["ingest", "https://example.org/call.html", "--data", s3.url("web"), "-q"],
                                terminal_width=300)
    assert result.exit_code == 2
    assert ("s3://fundscope/web: fetching web pages needs a local or shared --data directory: "
            "fetched pages are cached there for the workers") in " ".join(result.output.split())
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert s3.keys("web") == []


@pytest.mark.parametrize("name", ["feed.xml", "sitemap"])
def test_cli_refuses_a_local_feed_or_sitemap_file_with_an_s3_data_url(s3: S3Server, name: str) -> None:
    listing = REPO / "tests" / "data" / "web" / "bare" / name
    result = CliRunner().invoke(app, ["ingest", str(listing), "--data", s3.url("feedfile"), "-q"],
                                terminal_width=300)
    assert result.exit_code == 2, result.output
    assert "fetching web pages needs a local or shared --data directory" in " ".join(result.output.split())
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert s3.keys("feedfile") == []


def test_reclassify_labels_unclassified_documents_on_s3(prefect_api: str, s3: S3Server) -> None:
    from flows.reclassify import reclassify

    url = s3.url("reclassify")
    text = "JST funds the Japanese teams; each partner agency funds its own researchers."
    Store(url).commit(Batch(documents=[{
        "doc_id": "d-recl", "source": "letter.txt", "title": "letter", "kind": "text", "text": text, "n_pages": 1,
        "page_starts": [0], "size_bytes": len(text), "encoding": "utf-8",
        "ingested_at": datetime(2026, 1, 1, tzinfo=timezone.utc), "run_id": "r0"}]), "r0")
    result = reclassify(data_dir=url)
    assert result["reclassified"] == 1
    assert rows(url, "select doc_id, model_version from classifications") == [("d-recl", result["model_version"])]
    # one Delta commit of one row (history() is not used: it keeps the GIL, which the in-process server needs)
    assert Store(url).delta_table("classifications").version() == 0
    assert rows(url, "select count(*) from classifications_all") == [(1,)]


def test_batch_tasks_hand_rows_back_instead_of_committing_to_an_object_store(prefect_api: str, s3: S3Server) -> None:
    from flows.batch import BatchStats
    from flows.ingest import plan_inputs, process_batch_task

    url = s3.url("task-only")
    planned = plan_inputs.fn([str(SAMPLES / "india-norway-agreement-news.txt")], url)
    result = process_batch_task.fn(planned.todo, url, "r-task", {})
    assert isinstance(result, tuple)
    stats, batch = result
    assert isinstance(stats, BatchStats) and stats.new == 1
    assert [r["source"] for r in batch.documents] == [str(SAMPLES / "india-norway-agreement-news.txt")]
    assert s3.keys("task-only") == []  # the flow process commits, not the task


def test_dask_workers_with_an_s3_data_url_give_the_local_tables(prefect_api: str, runs: dict, inputs: Path,
                                                                s3: S3Server) -> None:
    """Batches run in two Dask worker processes that read the s3 store; the flow commits their rows."""
    distributed = pytest.importorskip("dask.distributed")
    from prefect_dask import DaskTaskRunner

    from flows.ingest import ingest

    url = s3.url("dask")
    with pytest.MonkeyPatch.context() as env:  # workers inherit the S3 credentials from the environment
        env.setenv("PREFECT_API_URL", prefect_api)
        env.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster:
            summary = ingest.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))(
                paths=[str(inputs)], data_dir=url, batch_size=4, workers=2)
    assert summary.stats.new == N_SAMPLES
    for table, sql in TABLES.items():
        assert relative(url, sql, inputs) == relative(runs["local"], sql, inputs), table
    assert "lease.json" not in s3.keys("dask")


def test_the_flow_itself_refuses_web_sources_with_an_s3_data_url(prefect_api: str, s3: S3Server) -> None:
    from corpus.storage import RemoteDataError
    from flows.ingest import ingest

    with pytest.raises(RemoteDataError, match="^s3://fundscope/flow-web: fetching web pages needs a local"):
        ingest(paths=["https://example.org/call.html"], data_dir=s3.url("flow-web"))
    assert s3.keys("flow-web") == []
