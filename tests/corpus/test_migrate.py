"""`fundscope migrate`: an old-layout store becomes Delta tables in place, all or nothing, once."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus import migrate as migrate_module
from corpus.delta import LegacyStoreError
from corpus.legacy_store import LegacyStore
from corpus.migrate import MigrationRefused, migrate
from corpus.query import run_query
from corpus.schema import TABLES
from corpus.store import Batch, Store
from flows.cli import app
from tests.corpus.test_store import T0, cls, doc, err, mention


def old_store(root: Path) -> dict[str, list]:
    """A store written by the old layout's code; returns its rows per table (every version)."""
    legacy = LegacyStore(root)
    legacy.commit(Batch(documents=[doc("a.txt", "a1")], mentions=[mention("a1")], classifications=[cls("a1")]), "r1")
    legacy.commit(Batch(documents=[doc("a.txt", "a2", at=T0 + timedelta(hours=1))], mentions=[mention("a2")],
                        classifications=[cls("a2")], errors=[err("b.pdf", "b1")]), "r2")
    return {t: sorted(map(repr, legacy.read_table(t).to_pylist())) for t in TABLES}


def rows_now(root: Path) -> dict[str, list]:
    store = Store(root)
    return {t: sorted(map(repr, store.read_table(t).to_pylist())) for t in TABLES}


def test_migrate_keeps_every_row_and_leaves_only_delta_tables(tmp_path: Path) -> None:
    before = old_store(tmp_path)
    result = CliRunner().invoke(app, ["migrate", "--data", str(tmp_path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert rows_now(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
    for table in ("documents", "mentions", "classifications", "errors"):
        names = {p.name for p in (tmp_path / "tables" / table).iterdir()}
        assert "_delta_log" in names and not any(n.startswith("0") for n in names)  # old files gone
    assert run_query(Store(tmp_path), "select doc_id from documents")[1] == [("a2",)]
    Store(tmp_path).commit(Batch(documents=[doc("c.txt", "c1")]), "after")  # and it takes new commits
    assert run_query(Store(tmp_path), "select count(*) from documents")[1] == [(2,)]


def test_migrate_is_refused_twice_and_on_a_directory_that_is_no_store(tmp_path: Path) -> None:
    old_store(tmp_path)
    migrate(tmp_path)
    with pytest.raises(MigrationRefused, match="already in Delta tables"):
        migrate(tmp_path)
    result = CliRunner().invoke(app, ["migrate", "--data", str(tmp_path)], terminal_width=200)
    assert result.exit_code == 2 and "already in Delta tables" in " ".join(result.output.split())
    with pytest.raises(MigrationRefused, match="not a fundscope store"):
        migrate(tmp_path / "empty")


def test_every_command_on_an_old_store_says_to_migrate(tmp_path: Path) -> None:
    old_store(tmp_path)
    with pytest.raises(LegacyStoreError):
        Store(tmp_path).index()
    for args in (["query", "select 1"], ["compact"], ["report"], ["ingest", str(tmp_path / "nothing.txt")]):
        result = CliRunner().invoke(app, [*args, "--data", str(tmp_path)], terminal_width=300)
        assert result.exit_code == 2, (args, result.output)
        assert f"run `fundscope migrate --data {tmp_path}`" in " ".join(result.output.split()), args


def test_a_migration_killed_before_its_commit_point_leaves_the_old_store(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    before = old_store(tmp_path)

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # stands in for a kill between staging the tables and the READY marker

    monkeypatch.setattr(migrate_module.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        migrate(tmp_path)
    monkeypatch.undo()
    assert (tmp_path / "commits").is_dir() and not (tmp_path / ".migrate" / "READY").exists()
    assert {t: sorted(map(repr, LegacyStore(tmp_path).read_table(t).to_pylist())) for t in TABLES} == before
    migrate(tmp_path)  # starts again from the old store
    assert rows_now(tmp_path) == before


@pytest.mark.parametrize("done_steps", [0, 1, 2])
def test_a_migration_killed_after_its_commit_point_is_finished_by_a_rerun(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, done_steps: int) -> None:
    before = old_store(tmp_path)
    real_replace = os.replace
    calls = {"n": 0}

    def replace(src: object, dst: object) -> None:
        # call 1 is the READY marker (the commit point); the switch's renames follow
        if calls["n"] >= 1 + done_steps:
            raise KeyboardInterrupt
        calls["n"] += 1
        real_replace(src, dst)

    monkeypatch.setattr(migrate_module.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        migrate(tmp_path)
    monkeypatch.undo()
    with pytest.raises(LegacyStoreError, match="interrupted"):
        Store(tmp_path).index()
    migrate(tmp_path)
    assert rows_now(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
