"""The store on an object store (a real S3 API from moto): Delta commits, crash safety, two writers, URLs."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pyarrow as pa
import pytest

from corpus.query import run_query
from corpus.storage import display, is_remote, local_path, normalize
from corpus.store import Batch, Store
from tests.corpus.s3server import S3Server, one_doc, s3_server
from tests.corpus.test_store import run_together

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


def prefix_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def rows(store: Store, sql: str) -> list[tuple]:
    return run_query(store, sql)[1]


def test_data_values_are_told_apart_without_mangling_urls() -> None:
    url = "s3://bucket/some/prefix?endpoint_override=127.0.0.1:9000&scheme=http"
    assert is_remote(url) and is_remote("gs://b/p") and is_remote("hdfs://namenode:8020/fundscope")
    assert normalize(url) == url
    assert not is_remote("data") and not is_remote("/srv/fundscope") and not is_remote(Path("s3://b/p"))
    assert not is_remote("file:///srv/fundscope")
    assert normalize("file:///srv/fund%20scope") == "/srv/fund scope"
    assert local_path("relative/dir") == Path("relative/dir")
    assert display(url) == "s3://bucket/some/prefix"
    assert display("s3://AKIAEXAMPLE:s3cr3t@bucket/p?secret_key=x") == "s3://bucket/p"
    assert display("hdfs://namenode:8020/fundscope") == "hdfs://namenode:8020/fundscope"


def test_commit_writes_objects_in_the_store_layout_and_reads_back(s3: S3Server, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = s3.url()
    store = Store(url)
    assert store.remote
    result = store.commit(one_doc(), "r1")
    assert result.written == {"documents": 1, "mentions": 1, "classifications": 1, "errors": 0,
                              "evidence": 0, "flows": 0, "facts": 0}
    keys = s3.keys(prefix_of(url))
    for table in ("documents", "mentions", "classifications"):  # a Delta table each: its log and one data file
        assert f"tables/{table}/_delta_log/00000000000000000000.json" in keys
        assert len([k for k in keys if k.startswith(f"tables/{table}/") and k.endswith(".parquet")]) == 1
    assert not [k for k in keys if not k.startswith("tables/")]  # no commit records, no lease
    assert list(tmp_path.iterdir()) == []  # nothing written to a local "s3:" directory
    reader = Store(url)  # another process's view
    assert rows(reader, 'select source, doc_id from documents') == [("a.txt", "d1")]
    assert rows(reader, 'select text, start, "end", value from mentions') == [("Japan", 0, 5, "JPN")]
    assert rows(reader, "select funding_mode, model_version from classifications") == [("matching_fund", "m1")]
    assert reader.read_table("documents").schema.field("ingested_at").type == pa.timestamp("us", tz="UTC")
    assert [f.rsplit("/", 2)[1] for f in reader.files("mentions")] == ["mentions"]


def test_same_rows_twice_add_nothing(s3: S3Server) -> None:
    url = s3.url()
    Store(url).commit(one_doc(), "r1")
    second = Store(url).commit(one_doc(run_id="r2"), "r2")
    assert second.commit_id is None
    assert second.written == {"documents": 0, "mentions": 0, "classifications": 0, "errors": 0,
                              "evidence": 0, "flows": 0, "facts": 0}
    assert rows(Store(url), "select count(*) from documents_all") == [(1,)]


def test_a_new_version_of_a_source_replaces_the_old_in_the_views(s3: S3Server) -> None:
    url = s3.url()
    store = Store(url)
    store.commit(one_doc("a.txt", "d1"), "r1")
    newer = one_doc("a.txt", "d2")
    newer.documents[0]["ingested_at"] = datetime(2026, 2, 1, tzinfo=timezone.utc)
    store.commit(newer, "r1")
    assert rows(store, "select doc_id from documents") == [("d2",)]
    assert rows(store, "select doc_id from documents_all order by doc_id") == [("d1",), ("d2",)]


def test_empty_remote_store_has_every_view(s3: S3Server) -> None:
    store = Store(s3.url())
    assert not store.exists()
    for view in ("documents", "mentions", "classifications", "errors", "errors_all", "evidence", "flows", "facts"):
        assert rows(store, f"select count(*) from {view}") == [(0,)]


def test_a_batch_killed_between_tables_is_finished_by_the_next_commit(s3: S3Server) -> None:
    url = s3.url()
    script = ("from corpus.store import Batch, Store\n"
              "from tests.corpus.s3server import one_doc\n"
              f"Store({url!r}).commit(one_doc('x.txt', 'dx'), 'killed')\n")
    env = {**os.environ, "FUNDSCOPE_KILL_AT": "store.before_documents:1", "PYTHONPATH": str(REPO)}
    child = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, timeout=60)
    assert child.returncode == -9, child.stderr.decode()
    store = Store(url)
    assert rows(store, "select count(*) from documents_all") == [(0,)]  # the input is not done
    assert rows(store, "select count(*) from mentions") == [(0,)]  # nor visible in the views
    assert store.index().doc_ids == set()
    again = store.commit(one_doc("x.txt", "dx"), "rerun")
    assert again.written["documents"] == 1 and again.written["mentions"] == 0  # committed before the kill
    assert rows(Store(url), "select count(*) from mentions_all") == [(1,)]
    assert rows(Store(url), "select doc_id from documents") == [("dx",)]


def _commit_many(url: str, credentials: dict, tag: str, shared: bool, go: "mp.synchronize.Event") -> None:
    os.environ.update(credentials)
    go.wait(30)
    store = Store(url)
    for i in range(12):
        name = f"s{i}" if shared else f"{tag}-{i}"
        store.commit(one_doc(f"{name}.txt", name, run_id=tag), tag)


@pytest.mark.parametrize("shared", [True, False], ids=["same-rows", "different-rows"])
def test_two_writers_at_once_on_s3_end_as_one_run_would(s3: S3Server, shared: bool) -> None:
    from tests.corpus.s3server import CREDENTIALS

    url = s3.url()
    run_together(_commit_many, [(url, CREDENTIALS, tag, shared) for tag in ("w1", "w2")], settle_s=1.5)
    expected = 12 if shared else 24
    for table in ("documents_all", "mentions_all", "classifications_all"):
        assert rows(Store(url), f"select count(*) from {table}") == [(expected,)]
    assert rows(Store(url), "select count(distinct doc_id) from mentions_all") == [(expected,)]


def test_compact_merges_files_and_vacuum_deletes_replaced_ones_on_s3(s3: S3Server) -> None:
    url = s3.url()
    store = Store(url)
    for i in range(3):
        store.commit(one_doc(f"c{i}.txt", f"c{i}"), "r1")
    before = rows(Store(url), "select count(*) from mentions_all")
    report = Store(url).compact(retention_hours=0)
    assert report["mentions"]["files_before"] == 3 and report["mentions"]["files_after"] == 1
    assert report["mentions"]["deleted"] == 3
    assert rows(Store(url), "select count(*) from mentions_all") == before
    parquet = [k for k in s3.keys(prefix_of(url)) if k.startswith("tables/mentions/") and k.endswith(".parquet")]
    assert len(parquet) == 1


def test_file_url_is_the_local_store(tmp_path: Path) -> None:
    store = Store(f"file://{tmp_path}")
    assert not store.remote and store.root == tmp_path
    store.commit(one_doc(), "r1")
    assert (tmp_path / "tables" / "documents" / "_delta_log").is_dir()
    assert rows(Store(tmp_path), "select doc_id from documents") == [("d1",)]


def test_an_old_layout_store_on_s3_is_named_then_migrated_in_place(s3: S3Server) -> None:
    from typer.testing import CliRunner

    from corpus.legacy_store import LegacyStore
    from corpus.schema import TABLES
    from flows.cli import app

    url = s3.url("old-layout")
    LegacyStore(url).commit(one_doc(), "r1")
    LegacyStore(url).commit(one_doc("b.txt", "d2"), "r2")
    before = {t: sorted(map(repr, LegacyStore(url).read_table(t).to_pylist())) for t in TABLES}
    result = CliRunner().invoke(app, ["query", "select 1", "--data", url], terminal_width=400)
    assert result.exit_code == 2
    assert "run `fundscope migrate --data s3://fundscope/old-layout`" in " ".join(result.output.split())
    migrated = CliRunner().invoke(app, ["migrate", "--data", url], terminal_width=400)
    assert migrated.exit_code == 0, migrated.output
    assert {t: sorted(map(repr, Store(url).read_table(t).to_pylist())) for t in TABLES} == before
    keys = s3.keys("old-layout")
    assert all(k.startswith("tables/") and ("/_delta_log/" in k or "/part-" in k) for k in keys), keys
    again = CliRunner().invoke(app, ["migrate", "--data", url], terminal_width=400)
    text = " ".join(again.output.split())
    assert again.exit_code == 2 and "already in Delta tables" in text and "endpoint_override" not in text


def test_an_s3_migration_killed_after_its_marker_is_finished_by_a_rerun(s3: S3Server,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus.delta import LegacyStoreError
    from corpus.legacy_store import LegacyStore
    from corpus.migrate import migrate
    from corpus.storage import ObjectStore

    url = s3.url("half-migrated")
    LegacyStore(url).commit(one_doc(), "r1")
    real_delete = ObjectStore.delete

    def delete(self: ObjectStore, rel: str) -> None:
        if rel.startswith("commits/"):
            raise KeyboardInterrupt  # killed while the old commit records are being deleted
        real_delete(self, rel)

    monkeypatch.setattr(ObjectStore, "delete", delete)
    with pytest.raises(KeyboardInterrupt):
        migrate(url)
    monkeypatch.undo()
    with pytest.raises(LegacyStoreError, match="interrupted"):
        Store(url).index()
    migrate(url)
    assert rows(Store(url), "select doc_id from documents") == [("d1",)]
    assert "migrate-ready.json" not in s3.keys("half-migrated")
