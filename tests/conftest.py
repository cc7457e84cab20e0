"""Shared fixtures: one Prefect test harness per session, and paths to shared data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "corpus" / "samples"

# Property tests explore the same examples on every run: CI results must not depend on luck.
settings.register_profile("fundscope", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("fundscope")

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# No test may leave a background Prefect server behind; the auto-server tests turn it on for themselves.
os.environ["FUNDSCOPE_AUTO_SERVER"] = "0"


# Tests that take minutes run first, so that `pytest -n 2` does not leave one of them for the end.
SLOW_FIRST = ("tests/models/test_training_reproduces_card.py",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the slowest tests to the front of the run; their relative order is kept."""
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FIRST))


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A Prefect test harness for the whole session (heartbeats off); yields its API URL.

    Subprocesses started by tests get this URL so they report to the same server
    instead of each starting a temporary one.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}), prefect_test_harness(server_startup_timeout=90):
        yield str(PREFECT_API_URL.value())


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the repo (CI has it); tests needing it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: it holds the seed letter and real-world PDFs")
    return SHARED
