"""Kind detection from content: PDF, HTML, text, and the refusals for everything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.loaders import LoadError, detect_kind

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "loaders"


def _bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_pdf_by_magic_even_with_a_text_name() -> None:
    assert detect_kind(_bytes("two_columns.pdf"), "call.txt") == "pdf"


def test_pdf_header_after_leading_junk_within_first_kilobyte() -> None:
    assert detect_kind(b"\r\nHTTP junk before the file\r\n" + _bytes("two_columns.pdf"), None) == "pdf"


def test_pdf_header_beyond_first_kilobyte_is_not_a_pdf() -> None:
    assert detect_kind(b"a" * 2000 + b"%PDF-1.4", "x.pdf") == "text"


def test_html_sniffed_despite_txt_name() -> None:
    assert detect_kind(_bytes("boilerplate.html"), "saved-page.txt") == "html"


def test_html_without_doctype_found_by_head_tag() -> None:
    assert detect_kind(b"\n\n  <HEAD><title>x</title></HEAD><p>call</p>", "notes") == "html"


def test_html_in_utf16_with_bom() -> None:
    assert detect_kind("<!DOCTYPE html><html><body>Call</body></html>".encode("utf-16"), "a.txt") == "html"


def test_html_fragment_needs_an_html_name() -> None:
    assert detect_kind(b"<p>Joint call</p>", "page.html") == "html"
    assert detect_kind(b"<p>Joint call</p>", "page.txt") == "text"


@pytest.mark.parametrize("name", ["cp1252.txt", "shift_jis.txt", "utf16_bom.txt", "call.md"])
def test_text_files(name: str) -> None:
    assert detect_kind(_bytes(name), name) == "text"


@pytest.mark.parametrize(
    ("name", "words"),
    [("bundle.zip", "ZIP archive"), ("pixel.png", "PNG image")],
)
def test_archives_and_images_are_unsupported(name: str, words: str) -> None:
    with pytest.raises(LoadError) as caught:
        detect_kind(_bytes(name), name)
    assert caught.value.error_type == "unsupported_type"
    assert words in caught.value.message


def test_other_binary_is_unsupported_and_mentions_pdf_name() -> None:
    with pytest.raises(LoadError) as caught:
        detect_kind(bytes(range(256)) * 4, "report.pdf")
    assert caught.value.error_type == "unsupported_type"
    assert "no %PDF- header" in caught.value.message
    assert ".pdf" in caught.value.message


def test_zero_bytes_is_empty() -> None:
    with pytest.raises(LoadError) as caught:
        detect_kind(b"", "empty.txt")
    assert caught.value.error_type == "empty"
