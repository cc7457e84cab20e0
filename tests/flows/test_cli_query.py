"""`fundscope query` output formats and `--help` texts, on a store written directly."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.store import Batch, Store
from flows.cli import app

runner = CliRunner()
AT = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    docs = [
        {"doc_id": f"d{i}", "source": f"in/{name}", "title": name, "kind": kind, "text": "Korea, Japan",
         "n_pages": pages, "page_starts": [0], "size_bytes": 12, "encoding": None, "ingested_at": AT, "run_id": "r"}
        for i, (name, kind, pages) in enumerate([("a.pdf", "pdf", 3), ("b.html", "html", 1), ("c.pdf", "pdf", 2)])
    ]
    Store(tmp_path).commit(Batch(documents=docs), "r")
    return tmp_path


SQL = "select kind, count(*) as n, sum(n_pages) as pages from documents group by 1 order by 1"


def test_json_is_one_array_of_row_objects(data: Path) -> None:
    result = runner.invoke(app, ["query", SQL, "--data", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"kind": "html", "n": 1, "pages": 1}, {"kind": "pdf", "n": 2, "pages": 5}]


def test_csv_is_a_header_line_then_rows(data: Path) -> None:
    result = runner.invoke(app, ["query", SQL, "--data", str(data), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["kind,n,pages", "html,1,1", "pdf,2,5"]


def test_json_timestamps_are_iso_strings(data: Path) -> None:
    result = runner.invoke(app, ["query", "select ingested_at from documents limit 1", "--data", str(data), "-f", "json"])
    assert json.loads(result.stdout)[0]["ingested_at"].startswith("2026-03-01T12:00:00")


def test_table_format_shows_the_values(data: Path) -> None:
    result = runner.invoke(app, ["query", SQL, "--data", str(data)])
    assert result.exit_code == 0
    assert "html" in result.stdout and "pdf" in result.stdout


def test_bad_sql_is_a_clear_error_not_a_traceback(data: Path) -> None:
    result = runner.invoke(app, ["query", "select nope from documents", "--data", str(data)])
    assert result.exit_code == 2
    assert "query failed" in result.output and "Traceback" not in result.output


def test_missing_data_directory_is_named(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "select 1", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "nowhere" in result.output


def test_data_directory_from_environment(data: Path) -> None:
    result = runner.invoke(app, ["query", "select count(*) as n from documents", "-f", "csv"],
                           env={"FUNDSCOPE_DATA": str(data)})
    assert result.stdout.splitlines() == ["n", "3"]


@pytest.mark.parametrize("command,words", [
    ([], ["ingest", "query", "show"]),
    (["ingest"], ["--data", "--batch-size", "--strict", "--max-bytes", "--max-pages", "FUNDSCOPE_DATA"]),
    (["query"], ["--format", "documents", "mentions", "classifications", "errors"]),
    (["show"], ["doc_id", "--out"]),
])
def test_help_explains_every_option(command: list[str], words: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    for word in words:
        assert word in result.stdout, word


def test_sql_from_a_file_may_start_with_a_comment(data: Path, tmp_path: Path) -> None:
    sql_file = tmp_path / "q.sql"
    sql_file.write_text("-- pages per kind\n" + SQL + "\n", encoding="utf-8")
    result = runner.invoke(app, ["query", "--file", str(sql_file), "--data", str(data), "-f", "csv"])
    assert result.stdout.splitlines() == ["kind,n,pages", "html,1,1", "pdf,2,5"]


def test_sql_argument_and_file_together_are_refused(data: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", SQL, "--file", str(tmp_path / "q.sql"), "--data", str(data)])
    assert result.exit_code == 2
