"""GuardedLoader: one reusable worker, killed and replaced when a document overruns its budget."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.guard import GuardedLoader
from corpus.loaders import Limits, LoadError, load_bytes
from tests.corpus.engines import pdf_engine  # noqa: F401  (runs each test once per PDF engine)

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
SLOW = (HOSTILE / "slow_4m_chars.pdf").read_bytes()
BOMB = (HOSTILE / "decompression_bomb.pdf").read_bytes()
NOTE = b"Each agency funds its own researchers.\n"


@pytest.fixture()
def guard() -> Iterator[GuardedLoader]:
    with GuardedLoader() as loader:
        yield loader


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_one_worker_serves_many_documents(guard: GuardedLoader) -> None:
    assert guard.worker_pid is None  # started on the first document, not before
    first = guard.load(NOTE, "a.txt")
    pid = guard.worker_pid
    second = guard.load(b"Joint call with Kenya.\n", "b.txt")
    assert guard.worker_pid == pid and pid != os.getpid()
    assert (first.text, second.text) == ("Each agency funds its own researchers.", "Joint call with Kenya.")


def test_guarded_result_is_the_same_document_as_unguarded(guard: GuardedLoader) -> None:
    data = (HOSTILE / "encrypted_owner_only.pdf").read_bytes()
    assert guard.load(data, "call.pdf") == load_bytes(data, "call.pdf")


def test_overrun_is_a_transient_timeout_and_the_next_document_gets_a_fresh_worker(guard: GuardedLoader) -> None:
    guard.load(NOTE, "warm.txt")
    old = guard.worker_pid
    assert old is not None
    started = time.monotonic()
    with pytest.raises(LoadError) as caught:
        guard.load(SLOW, "slow.pdf", Limits(max_seconds=0.5))
    assert time.monotonic() - started < 0.5 + 10  # far below the slow file's own load time; room for a loaded machine
    assert caught.value.error_type == "timeout" and caught.value.transient
    assert "longer than 0.5 s" in caught.value.message
    assert guard.worker_pid is None and not _alive(old)
    assert guard.load(NOTE, "after.txt").text == "Each agency funds its own researchers."
    assert guard.worker_pid not in (None, old)


def test_a_worker_that_dies_mid_document_costs_only_that_document(guard: GuardedLoader) -> None:
    guard.load(NOTE, "warm.txt")
    pid = guard.worker_pid
    assert pid is not None
    killer = threading.Timer(0.3, os.kill, args=(pid, signal.SIGKILL))
    killer.start()
    with pytest.raises(LoadError) as caught:
        guard.load(SLOW, "slow.pdf", Limits(max_seconds=20))
    killer.join()
    assert caught.value.error_type == "internal"
    assert f"exit code -{int(signal.SIGKILL)}" in caught.value.message
    assert guard.load(NOTE, "next.txt").text == "Each agency funds its own researchers."


def test_a_worker_killed_between_documents_is_replaced(guard: GuardedLoader) -> None:
    guard.load(NOTE, "warm.txt")
    pid = guard.worker_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    assert guard.load(NOTE, "next.txt").text == "Each agency funds its own researchers."
    assert guard.worker_pid != pid


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to size the cap")
def test_memory_cap_turns_an_allocation_failure_into_too_large(guard: GuardedLoader) -> None:
    guard.load(NOTE, "warm.txt")
    status = Path(f"/proc/{guard.worker_pid}/status").read_text()
    vm_kb = int(next(line for line in status.splitlines() if line.startswith("VmSize:")).split()[1])
    # 40 MiB above what the idle worker maps: far less than the bomb's 64 MiB content stream
    capped = Limits(max_memory_bytes=vm_kb * 1024 + 40 * 1024 * 1024)
    with pytest.raises(LoadError) as caught:
        guard.load(BOMB, "bomb.pdf", capped)
    assert caught.value.error_type == "too_large"
    assert "max_memory_bytes" in caught.value.message
    # the cap is per document: the same worker reads the same file under the default cap
    assert guard.load(BOMB, "bomb.pdf").text == "Decompression bomb"


def test_oversized_input_is_refused_before_reaching_a_worker(guard: GuardedLoader) -> None:
    with pytest.raises(LoadError) as caught:
        guard.load(b"x" * 101, "big.txt", Limits(max_bytes=100))
    assert caught.value.error_type == "too_large"
    assert caught.value.message == "the input is 101 bytes, more than the limit of 100"
    assert guard.worker_pid is None


def test_close_stops_the_worker() -> None:
    loader = GuardedLoader()
    loader.load(NOTE, "a.txt")
    pid = loader.worker_pid
    assert pid is not None and _alive(pid)
    loader.close()
    assert loader.worker_pid is None and not _alive(pid)
