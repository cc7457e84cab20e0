"""Paths to the test inputs and their expected-outcome tables, shared so test modules need not import each other."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
HOSTILE = DATA / "hostile"
SHARED = REPO / ".." / "shared"
REAL_PDFS = SHARED / "pdfs"

HOSTILE_TABLE = HOSTILE / "expected.json"
REAL_PDFS_TABLE = DATA / "real_pdfs_expected.json"
# Files in the hostile folder that are not inputs: the script that writes them and their table.
HOSTILE_TOOLING = frozenset({"make_hostile.py", HOSTILE_TABLE.name})


def _outcomes(table: Path) -> dict[str, tuple[str, ...]]:
    """Each file's `outcome` from a table, as a tuple; the `why` notes are for readers only."""
    files = json.loads(table.read_text(encoding="utf-8"))["files"]
    return {name: tuple(entry["outcome"]) for name, entry in files.items()}


def hostile_outcomes() -> dict[str, tuple[str, ...]]:
    """Hostile fixture name -> ("doc", kind, text) or ("error", error_type)."""
    return _outcomes(HOSTILE_TABLE)


def real_pdf_error_types() -> dict[str, str]:
    """Real PDF path under REAL_PDFS -> the error type it must fail with; unlisted files load with text."""
    outcomes = _outcomes(REAL_PDFS_TABLE)
    not_errors = sorted(name for name, outcome in outcomes.items() if outcome[0] != "error" or len(outcome) != 2)
    if not_errors:
        raise ValueError(f"{REAL_PDFS_TABLE.name}: entries must be [\"error\", error_type]: {not_errors}")
    return {name: outcome[1] for name, outcome in outcomes.items()}
