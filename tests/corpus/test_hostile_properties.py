"""Random and mutated bytes through GuardedLoader: only a document or a typed LoadError, on time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.document import ERROR_TYPES, LoadedDocument
from corpus.guard import GuardedLoader
from corpus.loaders import Limits, LoadError
from tests.corpus.engines import pdf_engine  # noqa: F401  (runs each test once per PDF engine)

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
PDFS = [(HOSTILE / name).read_bytes() for name in ("encrypted_owner_only.pdf", "seven_pages.pdf")]
HTML = (HOSTILE / "html_named.pdf").read_bytes()
TEXT = (HOSTILE / "mixed_utf8_cp1252.txt").read_bytes()
BUDGET = Limits(max_seconds=2.0, max_pages=20, max_decompressed_bytes=16 * 1024 * 1024)
SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def guard() -> Iterator[GuardedLoader]:
    with GuardedLoader() as loader:
        yield loader


def _through_guard(guard: GuardedLoader, data: bytes, name: str) -> None:
    started = time.monotonic()
    try:
        doc = guard.load(data, name, BUDGET)
    except LoadError as error:
        assert error.error_type in ERROR_TYPES
        assert error.message
    else:
        assert isinstance(doc, LoadedDocument) and doc.kind in {"pdf", "html", "text"}
        assert doc.text.strip() and len(doc.page_starts) == doc.n_pages
    # any other exception escaping the guard fails the test by itself
    assert time.monotonic() - started < BUDGET.max_seconds + 10  # the budget, plus room to kill the worker on a loaded machine


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "delete", "insert", "flip"]))
        if action == "replace":
            data[at : at + draw(st.integers(1, 32))] = draw(st.binary(min_size=1, max_size=32))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 256))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            data[at] ^= 1 << draw(st.integers(0, 7))
        if not data:
            break
    cut = draw(st.one_of(st.just(len(data)), st.integers(0, len(data))))  # truncated half the time
    return bytes(data[:cut])


@SETTINGS
@given(st.binary(max_size=4096), st.sampled_from(["x.pdf", "x.html", "x.txt", "x.xml", ""]))
def test_random_bytes(guard: GuardedLoader, data: bytes, name: str) -> None:
    _through_guard(guard, data, name)


@SETTINGS
@given(mutated(PDFS))
def test_mutated_pdf(guard: GuardedLoader, data: bytes) -> None:
    _through_guard(guard, data, "call.pdf")


@SETTINGS
@given(mutated([HTML]))
def test_mutated_html(guard: GuardedLoader, data: bytes) -> None:
    _through_guard(guard, data, "page.html")


@SETTINGS
@given(mutated([TEXT]))
def test_mutated_text(guard: GuardedLoader, data: bytes) -> None:
    _through_guard(guard, data, "note.txt")
