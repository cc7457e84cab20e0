"""Real PDFs from other projects' test suites: each one loads or fails with its own error type."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from corpus.loaders import LoadError, load_path

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PDFS = SHARED / "pdfs"
TIME_BUDGET_S = 20.0

# Outcome per file, decided from the README and the files' own objects, not from this loader:
# an error type, or "text" for a document that must come back with text.
EXPECTED = {
    "pdfplumber/empty.pdf": "empty",  # 0 bytes
    "pdfplumber/password-example.pdf": "encrypted_pdf",  # user password "test"
    "pdfminer/encryption-aes-128-m.pdf": "encrypted_pdf",  # user password "foo"
    "pdfminer/encryption-aes-128.pdf": "encrypted_pdf",
    "pdfminer/encryption-aes-256-m.pdf": "encrypted_pdf",
    "pdfminer/encryption-aes-256-r6.pdf": "encrypted_pdf",
    "pdfminer/encryption-aes-256.pdf": "encrypted_pdf",
    "pdfminer/encryption-rc4-128.pdf": "encrypted_pdf",
    "pdfminer/encryption-rc4-40.pdf": "encrypted_pdf",
    # encrypted with an empty user password; its pages are CCITT-fax images and it has no fonts
    "pdfminer/encryption-encrypted_doc_no_id.pdf": "no_text_layer",
    "pdfminer/contrib-issue-1057-tiff-predictor.pdf": "no_text_layer",  # one image, no fonts
    "pdfminer/simple2.pdf": "no_text_layer",  # its only content stream draws lines and shapes
    # the page dictionary's /Resources is never closed and the page has no /Contents
    "pdfplumber/issue-297-example.pdf": "empty",
}
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
