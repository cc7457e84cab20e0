"""How many processes a run uses: work estimated from bytes and PDF pages, against the workers' start-up."""

from __future__ import annotations

from pathlib import Path
import os
import zlib

import pytest
from typer.testing import CliRunner

from flows import runners
from flows.ingest import PDF_COST_WEIGHT
from flows.runners import (SECONDS_PER_COST_UNIT, SECONDS_PER_PDF_PAGE, WORKER_START_CPU_S, WorkerChoice,
                           break_even_seconds, choose_workers, estimate_work, estimated_seconds, pdf_pages)
from flows.summary import RunSummary, summary_markdown, summary_rows

DATA = Path(__file__).resolve().parents[1] / "data" / "runners"
TOLERANCE = 1e-12  # sums of a few products of exact decimal constants: only float rounding differs


def _many_pages(path: Path, pages: int) -> Path:
    objects = "".join(f"{i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj\n" for i in range(pages))
    path.write_bytes(f"%PDF-1.4\n2 0 obj << /Type /Pages /Count {pages} >> endobj\n{objects}%%EOF\n".encode())
    return path


def _compressed_pages(path: Path, size: int = 4000) -> Path:
    """A PDF of `size` bytes whose page object sits inside a Flate-compressed object stream."""
    packed = zlib.compress(b"3 0 << /Type /Page /Parent 2 0 R >>")
    head = (b"%PDF-1.5\n5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
            + str(len(packed)).encode() + b" >>\nstream\n" + packed + b"\nendstream endobj\n%%EOF\n%")
    path.write_bytes(head + b"x" * (size - len(head) - 1) + b"\n")
    return path


def test_page_objects_are_counted_and_hidden_ones_give_none(tmp_path: Path) -> None:
    assert pdf_pages((DATA / "two_pages.pdf").read_bytes()) == 2  # "/Type /Page" and "/Type/Page", not "/Pages"
    assert pdf_pages(_compressed_pages(tmp_path / "c.pdf").read_bytes()) is None


def test_text_is_weighed_by_bytes_as_the_batch_balancer_does() -> None:
    assert estimated_seconds(str(DATA / "note.txt")) == pytest.approx(1000 * SECONDS_PER_COST_UNIT, abs=TOLERANCE)


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_pdf_pages_are_used_when_they_can_be_counted(engine: str) -> None:
    assert estimated_seconds(str(DATA / "two_pages.pdf"), engine) == pytest.approx(
        2 * SECONDS_PER_PDF_PAGE[engine], abs=TOLERANCE)


def test_pdf_without_countable_pages_falls_back_to_the_balancers_byte_weight(tmp_path: Path) -> None:
    plumber = 4000 * PDF_COST_WEIGHT * SECONDS_PER_COST_UNIT
    path = str(_compressed_pages(tmp_path / "c.pdf"))
    assert os.path.getsize(path) == 4000
    assert estimated_seconds(path, "pdfplumber") == pytest.approx(plumber, abs=TOLERANCE)
    faster = SECONDS_PER_PDF_PAGE["pdfium"] / SECONDS_PER_PDF_PAGE["pdfplumber"]
    assert estimated_seconds(path, "pdfium") == pytest.approx(plumber * faster, abs=TOLERANCE)


def test_missing_file_is_no_work(tmp_path: Path) -> None:
    assert estimated_seconds(str(tmp_path / "gone.pdf")) == 0.0


def test_estimate_stops_reading_once_past_enough(tmp_path: Path) -> None:
    big = _many_pages(tmp_path / "big.pdf", 100)
    seen = []

    def paths():
        for p in [big, DATA / "note.txt", DATA / "two_pages.pdf"]:
            seen.append(p)
            yield str(p)

    assert estimate_work(paths(), "pdfium", enough=1.0) == pytest.approx(100 * SECONDS_PER_PDF_PAGE["pdfium"],
                                                                         abs=TOLERANCE)
    assert seen == [big]


def test_break_even_pays_for_start_up() -> None:
    # one process takes W; two on two cores take start + W/2, so they win from W = 2 × start
    assert break_even_seconds(2, cores=2) == pytest.approx(2 * WORKER_START_CPU_S, abs=TOLERANCE)
    assert break_even_seconds(2, cores=1) == float("inf")


def test_small_work_uses_one_process_and_says_why() -> None:
    choice = choose_workers(2, [str(DATA / "note.txt"), str(DATA / "two_pages.pdf")], "pdfium", cores=2)
    assert choice.used == 1
    assert choice.work_seconds < 1.0
    assert choice.note is not None and choice.note.startswith("1 process instead of 2: about 0.1 s of estimated work")


def test_enough_pages_use_every_requested_worker(tmp_path: Path) -> None:
    pages = int(break_even_seconds(2, 2) / SECONDS_PER_PDF_PAGE["pdfium"]) + 20  # just past break-even
    choice = choose_workers(2, [str(_many_pages(tmp_path / "dense.pdf", pages))], "pdfium", cores=2)
    assert (choice.used, choice.note) == (2, None)
    # the same file read with pdfplumber is about five times the work, still past break-even
    assert choose_workers(2, [str(tmp_path / "dense.pdf")], "pdfplumber", cores=2).used == 2


def test_just_under_break_even_stays_in_one_process(tmp_path: Path) -> None:
    pages = int(break_even_seconds(2, 2) / SECONDS_PER_PDF_PAGE["pdfium"]) - 20
    assert choose_workers(2, [str(_many_pages(tmp_path / "dense.pdf", pages))], "pdfium", cores=2).used == 1


def test_four_asked_on_four_cores_falls_back_to_the_largest_number_that_pays(tmp_path: Path) -> None:
    # on 4 cores n ≤ 4 workers start in one start's time but save only 1 - 1/n of the work: 4 pay off
    # before 3, 3 before 2; work between the 4- and 3-worker break-evens pays only for 4
    between = (break_even_seconds(4, 4) + break_even_seconds(3, 4)) / 2
    assert break_even_seconds(4, 4) < between < break_even_seconds(3, 4) < break_even_seconds(2, 4)
    path = _many_pages(tmp_path / "mid.pdf", int(between / SECONDS_PER_PDF_PAGE["pdfium"]))
    assert choose_workers(4, [str(path)], "pdfium", cores=4).used == 4
    assert choose_workers(3, [str(path)], "pdfium", cores=4).used == 1


def test_one_core_says_so_whatever_the_work(tmp_path: Path) -> None:
    choice = choose_workers(2, [str(_many_pages(tmp_path / "dense.pdf", 2000))], "pdfium", cores=1)
    assert choice.used == 1
    assert "1 core" in (choice.note or "")


def test_one_requested_is_never_a_reduction() -> None:
    assert choose_workers(1, [str(DATA / "note.txt")], cores=2) == WorkerChoice(1, 1, 0.0, 2)
    assert WorkerChoice(1, 1, 0.0, 2).note is None


def test_note_names_the_work_start_up_and_break_even() -> None:
    note = WorkerChoice(requested=2, used=1, work_seconds=1.24, cores=2).note
    start = WORKER_START_CPU_S  # two workers starting together on two cores: one start's wall time
    assert note == (f"1 process instead of 2: about 1.2 s of estimated work; 2 workers pay for their start-up "
                    f"(≈{start:.0f} s) only from about {2 * start:.0f} s of work")


def test_summary_shows_the_reduction_only_when_there_is_one() -> None:
    note = WorkerChoice(2, 1, 1.2, 2).note
    reduced = RunSummary(run_id="r", workers_note=note)
    assert ("processes", note) in summary_rows(reduced)
    assert f"| processes | {note} |" in summary_markdown(reduced)
    assert all(k != "processes" for k, _ in summary_rows(RunSummary(run_id="r")))


def test_cli_summary_says_fewer_processes_were_used(prefect_api: str, tmp_path: Path) -> None:
    from flows.cli import app

    src = tmp_path / "in"
    src.mkdir()
    (src / "note.txt").write_bytes((DATA / "note.txt").read_bytes())
    result = CliRunner().invoke(app, ["ingest", str(src), "--data", str(tmp_path / "d"), "-q", "--workers", "2"],
                                env={"PREFECT_API_URL": prefect_api}, terminal_width=400)
    assert result.exit_code == 0, result.output
    assert "1 process instead of 2: about 0.0 s of estimated work" in result.output
    assert runners.default_workers() >= 1


def test_cli_default_workers_do_not_explain_a_small_run(prefect_api: str, tmp_path: Path) -> None:
    from flows.cli import app

    src = tmp_path / "in"
    src.mkdir()
    (src / "note.txt").write_bytes((DATA / "note.txt").read_bytes())
    result = CliRunner().invoke(app, ["ingest", str(src), "--data", str(tmp_path / "d"), "-q"],
                                env={"PREFECT_API_URL": prefect_api}, terminal_width=400)
    assert result.exit_code == 0, result.output
    assert "documents new" in result.output and "instead of" not in result.output
