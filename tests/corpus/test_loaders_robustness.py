"""Hostile input: whatever the bytes, load_bytes returns a document or raises a typed LoadError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.document import ERROR_TYPES
from corpus.loaders import LoadError, load_bytes
from tests.corpus.engines import pdf_engine  # noqa: F401  (runs each test once per PDF engine)

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "loaders"
PDF = (FIXTURES / "two_columns.pdf").read_bytes()
HTML = (FIXTURES / "boilerplate.html").read_bytes()


def _outcome(data: bytes, name: str) -> str:
    try:
        doc = load_bytes(data, name)
    except LoadError as error:
        assert error.error_type in ERROR_TYPES
        assert error.message
        return error.error_type
    assert doc.text.strip()
    for paragraph in doc.text.split("\n\n"):
        assert "\n" not in paragraph
    return doc.kind


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at : at + draw(st.integers(0, 64))] = draw(st.binary(max_size=64))
    return bytes(data[: draw(st.integers(1, len(data)))])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged(PDF))
def test_damaged_pdf_bytes(data: bytes) -> None:
    _outcome(data, "call.pdf")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged(HTML))
def test_damaged_html_bytes(data: bytes) -> None:
    _outcome(data, "page.html")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(["x.pdf", "x.html", "x.txt", "x", ""]))
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    _outcome(data, name)
