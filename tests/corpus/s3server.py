"""A real S3 API on 127.0.0.1 (moto's server) for the object-store tests, and URLs into it."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

import pytest

from corpus.store import Batch

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "fundscope-test", "AWS_SECRET_ACCESS_KEY": "fundscope-test-secret",
               "AWS_DEFAULT_REGION": "us-east-1"}
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass
class S3Server:
    """A running moto server with one bucket."""

    endpoint: str  # host:port
    bucket: str

    def url(self, prefix: str | None = None) -> str:
        """A `--data` URL for a fresh (or the given) prefix in the bucket, in pyarrow's URI form."""
        prefix = prefix or f"run-{uuid.uuid4().hex[:8]}"
        return f"s3://{self.bucket}/{prefix}?endpoint_override={self.endpoint}&scheme=http&region=us-east-1"

    def keys(self, prefix: str) -> list[str]:
        """Every object key under `prefix`, relative to it, sorted."""
        from pyarrow import fs

        s3 = fs.S3FileSystem(endpoint_override=self.endpoint, scheme="http", region="us-east-1")
        infos = s3.get_file_info(fs.FileSelector(f"{self.bucket}/{prefix}", recursive=True, allow_not_found=True))
        return sorted(i.path[len(self.bucket) + len(prefix) + 2:] for i in infos if i.type == fs.FileType.File)


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """Start moto's S3 server on a free port with test credentials in the environment; one bucket."""
    server_mod = pytest.importorskip("moto.server")
    from pyarrow import fs

    with pytest.MonkeyPatch.context() as env:
        for key, value in CREDENTIALS.items():
            env.setenv(key, value)
        server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            endpoint = f"{host}:{port}"
            fs.S3FileSystem(endpoint_override=endpoint, scheme="http", region="us-east-1",
                            allow_bucket_creation=True).create_dir("fundscope")
            yield S3Server(endpoint, "fundscope")
        finally:
            server.stop()


def one_doc(source: str = "a.txt", doc_id: str = "d1", run_id: str = "r1") -> Batch:
    """A batch of one text document with one mention and one classification."""
    text = "Japan funds its own teams."
    return Batch(
        documents=[{"doc_id": doc_id, "source": source, "title": "t", "kind": "text", "text": text, "n_pages": 1,
                    "page_starts": [0], "size_bytes": len(text), "encoding": "utf-8", "ingested_at": T0,
                    "run_id": run_id}],
        mentions=[{"doc_id": doc_id, "label": "country", "value": "JPN", "text": "Japan", "start": 0, "end": 5,
                   "sentence": text, "trl_min": None, "trl_max": None, "agency_country": None, "page": 1}],
        classifications=[{"doc_id": doc_id, "funding_mode": "matching_fund", "p_matching_fund": 0.8,
                          "p_direct_fund": 0.1, "p_neither": 0.1, "model_version": "m1", "classified_at": T0}],
    )
