"""Shared fixtures for extractor tests: one pipeline per session and a span-marking helper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.pipeline import build_nlp

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
TEST_DATA = REPO / "tests" / "data" / "extractors"

# "[span text]{VALUE}" marks an expected span; the brackets are removed from the text
MARK = re.compile(r"\[([^\[\]]+)\]\{([^{}]+)\}")


def unmark(marked: str) -> tuple[str, list[tuple[str, int, int, str]]]:
    """Plain text plus the (text, start, end, value) of every span marked in it."""
    plain, expected, last = [], [], 0
    length = 0
    for m in MARK.finditer(marked):
        before = marked[last:m.start()]
        plain.append(before)
        length += len(before)
        expected.append((m.group(1), length, length + len(m.group(1)), m.group(2)))
        plain.append(m.group(1))
        length += len(m.group(1))
        last = m.end()
    plain.append(marked[last:])
    return "".join(plain), expected


@pytest.fixture(scope="session")
def nlp():
    """The full pipeline, built once for the whole test session."""
    return build_nlp()


@pytest.fixture(scope="session")
def found(nlp):
    """found(marked, key) -> (expected, actual) lists of (text, start, end, value) for one span group."""

    def run(marked: str, key: str) -> tuple[list, list]:
        text, expected = unmark(marked)
        doc = nlp(text)
        actual = [(s.text, s.start_char, s.end_char, s._.value) for s in doc.spans[key]]
        return expected, actual

    return run


@pytest.fixture(scope="session")
def marks():
    """The `unmark` helper, for tests that need the plain text and expected spans."""
    return unmark
