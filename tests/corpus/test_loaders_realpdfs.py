"""Real PDFs from other projects' test suites: each one loads or fails with its own error type."""

from __future__ import annotations

import time

import pytest

from corpus.loaders import LoadError, load_path
from tests.expectations import REAL_PDFS as PDFS
from tests.expectations import real_pdf_error_types
from tests.corpus.engines import pdf_engine  # noqa: F401  (runs each test once per PDF engine)

TIME_BUDGET_S = 20.0

# Error type each listed file must fail with (tests/data/real_pdfs_expected.json says why);
# "text" stands for a document that must come back with text.
EXPECTED = real_pdf_error_types()
# Text each document truly holds, read from its content streams or another extractor.
MUST_CONTAIN = {
    "pdfminer/encryption-base.pdf": ["Secret!"],
    # the Flate stream inflates completely (only its Adler-32 checksum is broken); the font's
    # encoding draws the stream's "-" and "'" as minus and right-quote glyphs
    "pdfminer/zen_of_python_corrupted.pdf": [
        "Beautiful is better than ugly.",
        "Namespaces are one honking great idea \u2212\u2212 let\u2019s do more of those!",
    ],
    # vertical Japanese: the opening lines of Miyazawa Kenji's preface to "Haru to Shura"
    "pdfminer/jo.pdf": ["わたくしといふ現象は", "假定された有機交流電燈の", "ひとつの青い照明です"],
    "pdfplumber/federal-register-2020-17221.pdf": ["Airworthiness Directives; The Boeing Company Airplanes"],
    "pdfminer/contrib-issue-791-non-unicode-cmap.pdf": ["Peněžní prostředky na účtech"],
}

pytestmark = pytest.mark.skipif(not PDFS.is_dir(), reason=f"shared real-PDF folder {PDFS} is absent")


def _files() -> list[str]:
    if not PDFS.is_dir():
        return []
    return sorted(str(p.relative_to(PDFS)) for p in PDFS.glob("*/*.pdf"))


@pytest.mark.parametrize("name", _files())
def test_real_pdf_loads_or_fails_with_its_error_type(name: str) -> None:
    expected = EXPECTED.get(name, "text")
    started = time.perf_counter()
    try:
        doc = load_path(PDFS / name)
        outcome = "text"
    except LoadError as error:
        outcome = error.error_type
        assert error.message
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_BUDGET_S, f"{name} took {elapsed:.1f} s"
    assert outcome == expected
    if outcome != "text":
        return
    assert doc.text.strip()
    assert len(doc.page_starts) == doc.n_pages
    assert doc.page_starts == sorted(doc.page_starts) and doc.page_starts[-1] <= len(doc.text)
    for paragraph in doc.text.split("\n\n"):
        assert "\n" not in paragraph
    for snippet in MUST_CONTAIN.get(name, []):
        assert snippet in doc.text


def test_every_special_case_file_is_present() -> None:
    assert set(EXPECTED) | set(MUST_CONTAIN) <= set(_files())


def test_jo_reads_columns_right_to_left() -> None:
    text = load_path(PDFS / "pdfminer/jo.pdf").text
    assert text.index("わたくしといふ現象は") < text.index("假定された") < text.index("ひとつの青い照明です")
