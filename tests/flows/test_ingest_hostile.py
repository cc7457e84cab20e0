"""Every hostile and real-world input given to `ingest` ends in `documents` or in `errors`, typed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from corpus.query import run_query
from corpus.store import Store
from tests.expectations import HOSTILE, REAL_PDFS, hostile_outcomes, real_pdf_error_types

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"
EXPECTED = hostile_outcomes()  # fixture name -> ("doc", kind, text) or ("error", error_type)
REAL_EXPECTED = real_pdf_error_types()  # real PDF -> error type; unlisted ones load as "pdf"


def test_every_input_is_accounted_for(prefect_api: str, tmp_path: Path) -> None:
    from flows.ingest import ingest

    # CI clones the repo with ../shared beside it: without the real PDFs this test must fail, not pass quietly
    assert REAL_PDFS.is_dir(), f"{REAL_PDFS} is absent: put ../shared beside the repository, as CI has it"
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    for name in EXPECTED:
        shutil.copy(HOSTILE / name, hostile / name)
    shutil.copy(SAMPLES / "india-norway-agreement-news.txt", hostile / "news.txt")
    shutil.copy(SAMPLES / "india-norway-agreement-news.txt", hostile / "news-copy.txt")  # same bytes
    outside = tmp_path / "outside.txt"
    outside.write_text("Korea and Chile sign a joint call.", encoding="utf-8")
    os.symlink(outside, hostile / "link.txt")
    real = tmp_path / "real"
    shutil.copytree(REAL_PDFS, real, ignore=shutil.ignore_patterns("LICENSE*", "*.md"))

    data = str(tmp_path / "data")
    ingest(paths=[str(hostile)], data_dir=data, batch_size=8,
           limits={"max_pages": 5, "max_decompressed_bytes": 8 * 1024 * 1024, "max_seconds": 1.0})
    ingest(paths=[str(real)], data_dir=data, batch_size=8, limits={"max_seconds": 10.0})

    store = Store(data)
    documents = dict(run_query(store, "select source, kind from documents")[1])
    errors = {s: (stage, t) for s, stage, t in run_query(store, "select source, stage, error_type from errors")[1]}
    assert not set(documents) & set(errors)

    for name, outcome in EXPECTED.items():
        source = str(hostile / name)
        if outcome[0] == "doc":
            assert documents.get(source) == outcome[1], name
        else:
            assert errors.get(source) == ("load", outcome[1]), name
    assert errors[str(hostile / "link.txt")] == ("load", "refused_path")
    ids = dict(run_query(store, "select source, doc_id from documents where source like '%news%'")[1])
    assert ids[str(hostile / "news.txt")] == ids[str(hostile / "news-copy.txt")]

    given = sorted(p.relative_to(real).as_posix() for p in real.rglob("*.pdf"))
    assert len(given) >= 40
    for rel in given:
        source = str(real / rel)
        if rel in REAL_EXPECTED:
            assert errors.get(source) == ("load", REAL_EXPECTED[rel]), rel
        else:
            assert documents.get(source) == "pdf", (rel, errors.get(source))
