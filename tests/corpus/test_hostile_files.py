"""Every hostile fixture, and every real-world PDF, ends as a document or as a typed load error."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from dataclasses import replace
from types import ModuleType

import pytest

from corpus.document import ERROR_TYPES, LoadedDocument
from corpus.guard import GuardedLoader
from corpus.loaders import Limits, LoadError, load_bytes
from tests.expectations import HOSTILE, HOSTILE_TOOLING, REAL_PDFS, hostile_outcomes, real_pdf_error_types
from tests.corpus.engines import pdf_engine  # noqa: F401  (runs each test once per PDF engine)

# Small limits, so that the fixtures can exceed them while staying small.
LIMITS = Limits(max_pages=5, max_decompressed_bytes=8 * 1024 * 1024, max_seconds=10.0)

CALL = (
    "Joint Call for Proposals 2026\n\n"
    "The agencies of Japan and Finland fund their own national teams.\n\n"
    "Projects should start at TRL 3 and reach TRL 5."
)

# What each file is, hence what must come out: ("doc", kind, text) or ("error", error_type);
# tests/data/hostile/expected.json says why for each.
EXPECTED = hostile_outcomes()
# Loading it without a time budget takes tens of seconds, so only the guarded path reads it.
GUARD_ONLY = {"slow_4m_chars.pdf"}
TIGHT = replace(LIMITS, max_seconds=1.0)
REAL_LIMITS = Limits(max_seconds=10.0)  # real documents run longer than the fixtures' max_pages

# Real PDFs from pdfplumber's and pdfminer's test suites: the error type each listed one fails
# with, kept once in tests/data/real_pdfs_expected.json (any file not listed must load with text).
REAL_EXPECTED = real_pdf_error_types()


def _fixture_names() -> list[str]:
    return sorted(p.name for p in HOSTILE.iterdir() if p.name not in HOSTILE_TOOLING and p.is_file())


def _make_hostile() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_hostile", HOSTILE / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check(name: str, outcome: LoadedDocument | LoadError) -> None:
    expected = EXPECTED[name]
    if expected[0] == "error":
        assert isinstance(outcome, LoadError), f"{name} loaded, expected {expected[1]}"
        assert outcome.error_type == expected[1], outcome.message
        assert outcome.message
        return
    assert isinstance(outcome, LoadedDocument), f"{name}: {getattr(outcome, 'message', '')}"
    assert (outcome.kind, outcome.text) == expected[1:]
    assert outcome.source == name


def _direct(data: bytes, name: str, limits: Limits = LIMITS) -> LoadedDocument | LoadError:
    try:
        return load_bytes(data, name, limits=limits)
    except LoadError as error:
        return error


@pytest.fixture(scope="module")
def guard() -> Iterator[GuardedLoader]:
    with GuardedLoader() as loader:
        yield loader


def _guarded(guard: GuardedLoader, data: bytes, name: str, limits: Limits = LIMITS) -> LoadedDocument | LoadError:
    try:
        return guard.load(data, name, limits)
    except LoadError as error:
        return error


def test_every_fixture_has_an_expected_outcome_and_the_folder_stays_small() -> None:
    assert _fixture_names() == sorted(EXPECTED)
    assert sum(p.stat().st_size for p in HOSTILE.iterdir()) < 2 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - GUARD_ONLY))
def test_hostile_file_through_load_bytes(name: str) -> None:
    _check(name, _direct((HOSTILE / name).read_bytes(), name))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_through_guarded_loader(guard: GuardedLoader, name: str) -> None:
    limits = TIGHT if name in GUARD_ONLY else LIMITS
    started = time.monotonic()
    outcome = _guarded(guard, (HOSTILE / name).read_bytes(), name, limits)
    assert time.monotonic() - started < limits.max_seconds + 10  # the budget, plus room to kill the worker on a loaded machine
    _check(name, outcome)


def test_messages_say_what_to_do() -> None:
    truncated = _direct((HOSTILE / "truncated.pdf").read_bytes(), "truncated.pdf")
    assert isinstance(truncated, LoadError) and "truncated" in truncated.message
    bomb = _direct((HOSTILE / "decompression_bomb.pdf").read_bytes(), "bomb.pdf")
    assert isinstance(bomb, LoadError) and "max_decompressed_bytes" in bomb.message
    pages = _direct((HOSTILE / "seven_pages.pdf").read_bytes(), "seven_pages.pdf")
    assert isinstance(pages, LoadError) and pages.message == "the PDF has 7 pages, more than the limit of 5"
    xxe = _direct((HOSTILE / "external_entity.xml").read_bytes(), "feed.xml")
    assert isinstance(xxe, LoadError) and "'secret'" in xxe.message and "root:" not in xxe.message


def test_limits_are_what_fails_the_oversized_fixtures() -> None:
    # with default limits the same bytes load: it is the configured ceiling that refused them
    seven = load_bytes((HOSTILE / "seven_pages.pdf").read_bytes(), "seven_pages.pdf")
    assert seven.n_pages == 7 and len(seven.page_starts) == 7
    assert seven.text[seven.page_starts[6] :] == "Annex on the partners from Chile."
    assert seven.text[seven.page_starts[1] : seven.page_starts[2]].startswith("Annex on the partners from Japan.")
    bomb = load_bytes((HOSTILE / "decompression_bomb.pdf").read_bytes(), "bomb.pdf")
    assert bomb.text == "Decompression bomb"


def test_huge_single_line_html_keeps_only_the_call() -> None:
    data = _make_hostile().huge_one_line_html()
    assert len(data) > 5_000_000 and b"\n" not in data
    doc = _direct(data, "app.html")
    assert isinstance(doc, LoadedDocument)
    assert doc.text == CALL


def test_decoded_text_over_the_limit_is_too_large() -> None:
    outcome = _direct(_make_hostile().oversized_text(), "notes.txt")
    assert isinstance(outcome, LoadError) and outcome.error_type == "too_large"
    assert "9,000,000 characters" in outcome.message


def _real_pdfs() -> list[str]:
    return sorted(str(p.relative_to(REAL_PDFS)) for p in REAL_PDFS.glob("*/*.pdf")) if REAL_PDFS.is_dir() else []


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason=f"shared real-PDF folder {REAL_PDFS} is absent")
def test_every_input_is_accounted_for(guard: GuardedLoader) -> None:
    """Ingest all hostile fixtures and real PDFs: each lands in documents or errors, once, as expected."""
    inputs = {f"hostile/{n}": HOSTILE / n for n in _fixture_names()}
    inputs |= {f"real/{n}": REAL_PDFS / n for n in _real_pdfs()}
    documents: dict[str, LoadedDocument] = {}
    errors: dict[str, tuple[str, str]] = {}  # source -> (stage, error_type)
    for source, path in inputs.items():
        limits = REAL_LIMITS if source.startswith("real/") else TIGHT if path.name in GUARD_ONLY else LIMITS
        try:
            documents[source] = guard.load(path.read_bytes(), source, limits)
        except LoadError as error:
            assert error.error_type in ERROR_TYPES and error.message
            errors[source] = ("load", error.error_type)
    assert set(documents) | set(errors) == set(inputs)
    assert not set(documents) & set(errors)
    assert len(inputs) == len(EXPECTED) + len(_real_pdfs())
    for name, expected in EXPECTED.items():
        source = f"hostile/{name}"
        assert (source in documents) == (expected[0] == "doc")
        if expected[0] == "error":
            assert errors[source] == ("load", expected[1])
    for name in _real_pdfs():
        source = f"real/{name}"
        if name in REAL_EXPECTED:
            assert errors.get(source) == ("load", REAL_EXPECTED[name]), source
        else:
            assert source in documents and documents[source].text.strip(), errors.get(source)
