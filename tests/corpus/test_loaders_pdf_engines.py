"""Choosing the PDF engine: the pypdfium2 default, the pdfplumber option, and the fallbacks between them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2
import pytest

from corpus.loaders import Limits, load_path
from corpus.loaders import pdf_pdfium
from tests.expectations import REAL_PDFS

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "loaders"
PDFIUM, PLUMBER = Limits(pdf_engine="pdfium"), Limits(pdf_engine="pdfplumber")


def test_pdfium_is_the_default_engine() -> None:
    assert Limits().pdf_engine == "pdfium"


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="pdf_engine"):
        Limits(pdf_engine="poppler")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.pdf") if "encrypted_user" not in p.name
                                        and "drawing" not in p.name))
def test_engines_agree_on_the_fixtures(name: str) -> None:
    fast, plumber = load_path(FIXTURES / name, limits=PDFIUM), load_path(FIXTURES / name, limits=PLUMBER)
    assert (fast.text, fast.title, fast.n_pages, fast.page_starts) == (
        plumber.text, plumber.title, plumber.n_pages, plumber.page_starts)
    assert fast.warnings == []  # read by PDFium itself, not by the fallback


def test_pdfplumber_reads_a_file_pdfium_cannot_open(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise pypdfium2.PdfiumError("Failed to load document (PDFium: Data format error).")

    monkeypatch.setattr(pdf_pdfium.pdfium, "PdfDocument", refuse)
    doc = load_path(FIXTURES / "two_columns.pdf", limits=PDFIUM)
    assert doc.text == load_path(FIXTURES / "two_columns.pdf", limits=PLUMBER).text
    assert len(doc.warnings) == 1
    assert "pypdfium2 cannot open" in doc.warnings[0] and "pdfplumber" in doc.warnings[0]


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason=f"shared real-PDF folder {REAL_PDFS} is absent")
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("pdfminer/contrib-issue-791-non-unicode-cmap.pdf", "cannot map to Unicode"),
        ("pdfminer/jo.pdf", "vertical CJK"),
    ],
)
def test_a_file_pdfium_misreads_goes_to_pdfplumber(name: str, reason: str) -> None:
    doc = load_path(REAL_PDFS / name, limits=PDFIUM)
    assert doc.text == load_path(REAL_PDFS / name, limits=PLUMBER).text
    assert reason in doc.warnings[0] and "read with pdfplumber" in doc.warnings[0]


def test_a_tight_memory_cap_keeps_pdfium_away() -> None:
    # in a child process: capping this test process's address space could break pytest itself
    script = (
        "import resource\n"
        "from corpus.loaders.pdf_pdfium import fits_in_memory\n"
        "assert fits_in_memory(1 << 30), 'no cap: anything fits'\n"
        "mapped = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
        "resource.setrlimit(resource.RLIMIT_AS, (mapped + (200 << 20), resource.RLIM_INFINITY))\n"
        "print(fits_in_memory(1 << 20), fits_in_memory(100 << 20))\n"
    )
    if not Path("/proc/self/statm").exists():
        pytest.skip("needs /proc to size the cap")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.split() == ["True", "False"]
