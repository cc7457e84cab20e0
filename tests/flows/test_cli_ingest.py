"""`fundscope ingest` from the command line: failures listed at the end, `--strict` exit status."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows import cli
from flows.cli import app

REPO = Path(__file__).resolve().parents[2]


def test_failures_are_listed_and_only_strict_makes_them_fatal(prefect_api: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REPO / "corpus" / "samples" / "india-norway-agreement-news.txt", src / "news.txt")
    shutil.copy(REPO / "tests" / "data" / "hostile" / "corrupt.pdf", src / "broken.pdf")
    runner = CliRunner()
    # wide enough that no cell folds: under pytest-xdist the temporary path is long, and a fold can fall
    # inside "broken.pdf"; the CLI's console is made at import, so its width is set here (restored after)
    monkeypatch.setattr(cli.console, "_width", 400)
    env = {"PREFECT_API_URL": prefect_api}
    lenient = runner.invoke(app, ["ingest", str(src), "--data", str(tmp_path / "a"), "-q"], env=env,
                            terminal_width=400)
    assert lenient.exit_code == 0, lenient.output
    assert "broken.pdf" in lenient.output and "corrupt_pdf" in lenient.output, lenient.output
    strict = runner.invoke(app, ["ingest", str(src), "--data", str(tmp_path / "b"), "-q", "--strict"], env=env,
                           terminal_width=200)
    assert strict.exit_code == 1


def test_nothing_to_ingest_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "at least one path" in result.output


def test_unknown_source_names_the_file_and_the_known_sources(tmp_path: Path) -> None:
    config = tmp_path / "fundscope.toml"
    config.write_text('[sources.news]\nkind = "urls"\nurls = ["https://example.org/a.html"]\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", "--source", "nope", "--config", str(config), "--data", str(tmp_path)],
                                terminal_width=200)
    assert result.exit_code == 2
    assert "nope" in result.output and "news" in result.output


def test_a_run_where_every_input_fails_says_so(prefect_api: str, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REPO / "tests" / "data" / "hostile" / "corrupt.pdf", src / "broken.pdf")
    (src / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(app, ["ingest", str(src), "--data", str(tmp_path / "d"), "-q"],
                                env={"PREFECT_API_URL": prefect_api}, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "warning: every input failed (2)" in result.output
    shutil.copy(REPO / "corpus" / "samples" / "india-norway-agreement-news.txt", src / "news.txt")
    mixed = CliRunner().invoke(app, ["ingest", str(src), "--data", str(tmp_path / "e"), "-q"],
                               env={"PREFECT_API_URL": prefect_api}, terminal_width=200)
    assert mixed.exit_code == 0, mixed.output
    assert "every input failed" not in mixed.output and "corrupt_pdf" in mixed.output
