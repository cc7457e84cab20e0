"""Scheduled serving compacts the Delta tables once they hold more data files than a threshold."""

from __future__ import annotations

from pathlib import Path

from corpus.query import run_query
from corpus.store import SMALL_FILES, Batch, Store
from flows.ingest import compact_if_needed
from flows.serve import deployments
from tests.corpus.test_store import doc, mention


def small_files(root: Path, n: int) -> None:
    store = Store(root)
    for i in range(n):
        store.commit(Batch(documents=[doc(f"s{i}.txt", f"d{i}")], mentions=[mention(f"d{i}")]), "r")


def test_compaction_waits_for_the_threshold_then_merges(tmp_path: Path) -> None:
    small_files(tmp_path, 4)  # 8 data files
    assert compact_if_needed.fn(str(tmp_path), 8) is None
    assert Store(tmp_path).data_files() == 8
    report = compact_if_needed.fn(str(tmp_path), 7)
    assert report["mentions"]["files_before"] == 4 and report["mentions"]["files_after"] == 1
    assert Store(tmp_path).data_files() == 2
    assert run_query(Store(tmp_path), "select count(*) from mentions")[1] == [(4,)]


def test_served_deployments_ask_for_compaction(tmp_path: Path) -> None:
    config = tmp_path / "fundscope.toml"
    config.write_text('[sources.inbox]\nkind = "path"\npaths = ["in"]\nschedule = "0 7 * * MON"\n', encoding="utf-8")
    (deployment,) = deployments(config, tmp_path / "data")
    assert deployment.parameters["compact_over"] == SMALL_FILES
