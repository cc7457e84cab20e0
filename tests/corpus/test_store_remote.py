"""The store on an object store (a real S3 API from moto): commits, crash safety, the lease, URLs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pyarrow as pa
import pytest

from corpus import store as store_module
from corpus.query import run_query
from corpus.storage import display, is_remote, local_path, normalize
from corpus.store import LEASE_S, Batch, Store, StoreLeaseHeld
from tests.corpus.s3server import S3Server, one_doc, s3_server

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
    cid = result.commit_id
    assert s3.keys(prefix_of(url)) == [f"commits/{cid}.json", "lease.json", f"tables/classifications/{cid}.parquet",
                                       f"tables/documents/{cid}.parquet", f"tables/mentions/{cid}.parquet"]
    assert list(tmp_path.iterdir()) == []  # nothing written to a local "s3:" directory
    reader = Store(url)  # another process's view
    assert rows(reader, 'select source, doc_id from documents') == [("a.txt", "d1")]
    assert rows(reader, 'select text, start, "end", value from mentions') == [("Japan", 0, 5, "JPN")]
    assert rows(reader, "select funding_mode, model_version from classifications") == [("matching_fund", "m1")]
    assert reader.read_table("documents").schema.field("ingested_at").type == pa.timestamp("us", tz="UTC")
    assert reader.files("mentions") == [f"fundscope/{prefix_of(url)}/tables/mentions/{cid}.parquet"]


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


def test_commit_killed_before_its_record_is_invisible_then_swept(s3: S3Server,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url = s3.url()
    script = ("from corpus.store import Batch, Store\n"
              "from tests.corpus.s3server import one_doc\n"
              f"Store({url!r}).commit(one_doc('x.txt', 'dx'), 'killed')\n")
    env = {**os.environ, "FUNDSCOPE_KILL_AT": "store.before_record:1", "PYTHONPATH": str(REPO)}
    child = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, timeout=60)
    assert child.returncode == -9, child.stderr.decode()
    orphans = [k for k in s3.keys(prefix_of(url)) if k.startswith("tables/")]
    assert [k.split("/")[1] for k in orphans] == ["classifications", "documents", "mentions"]
    store = Store(url)
    assert rows(store, "select count(*) from documents_all") == [(0,)]
    assert store.index().doc_ids == set()
    with pytest.raises(StoreLeaseHeld):  # the killed run's lease is still fresh
        store.commit(one_doc("a.txt", "d1"), "r1")
    write_lease(s3, url, age_s=LEASE_S + 1, run_id="killed")  # as it will be once it expires

    store.commit(one_doc("a.txt", "d1"), "r1")
    assert set(orphans) < set(s3.keys(prefix_of(url)))  # young: could be a commit in progress
    monkeypatch.setattr(store_module, "ORPHAN_GRACE_S", -60)
    store.commit(one_doc("b.txt", "d2"), "r1")
    left = s3.keys(prefix_of(url))
    assert not set(orphans) & set(left)
    assert len([k for k in left if k.startswith("tables/documents/")]) == 2
    assert rows(Store(url), "select source from documents order by source") == [("a.txt",), ("b.txt",)]


def write_lease(s3: S3Server, url: str, age_s: float, run_id: str = "other-run") -> None:
    lease = {"run_id": run_id, "host": "worker-7.example", "pid": 4242, "at": time.time() - age_s}
    Store(url).objects.write("lease.json", json.dumps(lease).encode())


def test_another_runs_fresh_lease_refuses_commits_and_names_the_store(s3: S3Server) -> None:
    url = s3.url("leased")
    write_lease(s3, url, age_s=30)
    with pytest.raises(StoreLeaseHeld) as refused:
        Store(url).commit(one_doc(), "r1")
    message = str(refused.value)
    assert message.startswith("s3://fundscope/leased: run other-run on worker-7.example (pid 4242)")
    assert "endpoint_override" not in message
    assert s3.keys("leased") == ["lease.json"]
    with pytest.raises(StoreLeaseHeld):
        Store(url).take_lease("r1")
    Store(url).release_lease()  # not ours: stays
    assert json.loads(Store(url).objects.read("lease.json"))["run_id"] == "other-run"


def test_an_expired_lease_is_taken_over_and_released_at_the_end(s3: S3Server) -> None:
    url = s3.url()
    write_lease(s3, url, age_s=LEASE_S + 5)
    store = Store(url)
    store.take_lease("r1")
    lease = json.loads(store.objects.read("lease.json"))
    assert (lease["run_id"], lease["pid"]) == ("r1", os.getpid())
    store.commit(one_doc(), "r2")  # the same process again: its own lease does not block it
    assert json.loads(store.objects.read("lease.json"))["run_id"] == "r2"
    store.release_lease()
    assert "lease.json" not in s3.keys(prefix_of(url))


def test_file_url_is_the_local_store(tmp_path: Path) -> None:
    store = Store(f"file://{tmp_path}")
    assert not store.remote and store.root == tmp_path
    store.commit(one_doc(), "r1")
    assert sorted(p.name for p in (tmp_path / "tables" / "documents").iterdir()) == \
        [f"{r['commit_id']}.parquet" for r in store.commit_records()]
    assert rows(Store(tmp_path), "select doc_id from documents") == [("d1",)]
