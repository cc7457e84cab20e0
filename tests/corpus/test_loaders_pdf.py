"""PDF loading on generated fixtures: reading order, margins, hyphens, titles, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

import corpus.loaders as loaders
from corpus.loaders import Limits, LoadError, load_bytes, load_path
from corpus.loaders.pdf_margins import is_page_number
from tests.corpus.engines import pdf_engine  # noqa: F401  (runs each test once per PDF engine)

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "loaders"


def test_two_columns_read_left_then_right() -> None:
    doc = load_path(FIXTURES / "two_columns.pdf")
    assert doc.kind == "pdf"
    assert doc.text == (
        "Bilateral Research Call 2025\n\n"
        "Call text for applicants from Japan and the United Kingdom, published by both agencies "
        "on 1 April 2025.\n\n"
        "Each agency funds its own researchers under the matching fund model. Japanese teams "
        "receive support from JST and the British teams from UKRI through a collaboration grant.\n\n"
        "Projects start at TRL 3 and should reach TRL 5 within three years.\n\n"
        "The call is co-funded by both agencies and follows the national funding principle.\n\n"
        "Proposals are due on 30 June 2025. Each consortium needs one partner from each country."
    )
    # reportlab writes the placeholder title "untitled", so the first line is the title
    assert doc.title == "Bilateral Research Call 2025"
    assert doc.n_pages == 1 and doc.page_starts == [0]


def test_running_headers_footers_and_page_numbers_dropped() -> None:
    doc = load_path(FIXTURES / "running_headers.pdf")
    assert doc.text == (
        "Guide for Applicants\n\n"
        "Japan and the United Kingdom fund this call together. Each side pays its own researchers, "
        "so the foreign partner must apply to its national agency for the budget of its share of "
        "the joint project and must confirm that the funding is in place before the start date.\n\n"
        "Projects must be at TRL 4 or higher at the start.\n\n"
        "Contact the programme office for questions."
    )
    # "Microsoft Word - guide.docx" is not a title; page 1's first line is
    assert doc.title == "Guide for Applicants"


def test_page_starts_follow_a_paragraph_across_the_page_break() -> None:
    doc = load_path(FIXTURES / "running_headers.pdf")
    assert doc.n_pages == 3
    assert doc.page_starts == [0, doc.text.index("is in place"), doc.text.index("Contact the")]
    assert doc.page_of(doc.text.index("the funding")) == 1
    assert doc.page_of(doc.text.index("TRL 4")) == 2
    assert doc.page_of(len(doc.text) - 1) == 3


def test_single_page_header_and_footer_row_dropped_line_numbers_kept() -> None:
    doc = load_path(FIXTURES / "single_page_furniture.pdf")
    assert doc.text == (
        "French-German Call 2026\n\n"
        "1 Each agency funds the partners in its own country.\n\n"
        "2 The German part is funded by DFG and the French 3 part by ANR."
    )
    assert doc.title == "French-German Call 2026"


def test_ligatures_folded_hyphen_kept_before_capital_and_metadata_title() -> None:
    doc = load_path(FIXTURES / "ligatures.pdf")
    assert doc.text == (
        "The final figures show flexible co-funded schemes for Franco-German teams that reach "
        "TRL 4 by the end of the project."
    )
    assert doc.title == "Matching Funds in Practice"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("3", True),
        ("- 3 -", True),
        ("Page 3 of 7", True),
        ("page 12", True),
        ("xiv", True),
        ("3 / 7", True),
        ("TRL 3", False),
        ("3 March 2025", False),
        ("Section 3 Eligibility", False),
    ],
)
def test_page_number_lines(line: str, expected: bool) -> None:
    assert is_page_number(line) is expected


def test_drawing_without_text_has_no_text_layer() -> None:
    with pytest.raises(LoadError) as caught:
        load_path(FIXTURES / "drawing_only.pdf")
    assert caught.value.error_type == "no_text_layer"
    assert "OCR" in caught.value.message


def test_user_password_is_encrypted_pdf() -> None:
    with pytest.raises(LoadError) as caught:
        load_path(FIXTURES / "encrypted_user.pdf")
    assert caught.value.error_type == "encrypted_pdf"
    assert "password" in caught.value.message


def test_owner_password_only_opens_with_empty_password() -> None:
    doc = load_path(FIXTURES / "encrypted_owner_only.pdf")
    assert doc.text == "Owner password only."


def test_page_limit_is_too_large() -> None:
    with pytest.raises(LoadError) as caught:
        load_path(FIXTURES / "running_headers.pdf", limits=Limits(max_pages=2))
    assert caught.value.error_type == "too_large"
    assert "3 pages" in caught.value.message


def test_byte_limit_is_too_large_before_reading() -> None:
    with pytest.raises(LoadError) as caught:
        load_path(FIXTURES / "two_columns.pdf", limits=Limits(max_bytes=100))
    assert caught.value.error_type == "too_large"
    with pytest.raises(LoadError) as caught:
        load_bytes(b"x" * 101, "x.txt", limits=Limits(max_bytes=100))
    assert caught.value.error_type == "too_large"


def test_pdf_header_with_garbage_body_is_corrupt() -> None:
    with pytest.raises(LoadError) as caught:
        load_bytes(b"%PDF-1.7\nthis is not a PDF body at all\n", "broken.pdf")
    assert caught.value.error_type == "corrupt_pdf"
    assert "PDFSyntaxError" in caught.value.message


def test_identical_bytes_share_a_doc_id() -> None:
    data = (FIXTURES / "two_columns.pdf").read_bytes()
    first, second = load_bytes(data, "a.pdf"), load_bytes(data, "b/c.pdf")
    assert first.doc_id == second.doc_id and len(first.doc_id) == 64
    assert (first.source, second.source) == ("a.pdf", "b/c.pdf")
    assert first.size_bytes == len(data)


def test_missing_path_and_directory_are_not_found(tmp_path: Path) -> None:
    for path in (tmp_path / "absent.pdf", tmp_path):
        with pytest.raises(LoadError) as caught:
            load_path(path)
        assert caught.value.error_type == "not_found"


def test_source_defaults_to_the_path(tmp_path: Path) -> None:
    path = tmp_path / "call.txt"
    path.write_text("Joint call\n")
    assert load_path(path).source == str(path)
    assert load_path(path, source="https://example.org/call").source == "https://example.org/call"


def test_unexpected_exceptions_become_load_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(loaders, "load_pdf", boom)
    monkeypatch.setattr(loaders, "load_html", boom)
    with pytest.raises(LoadError) as caught:
        load_bytes((FIXTURES / "two_columns.pdf").read_bytes(), "a.pdf")
    assert caught.value.error_type == "corrupt_pdf"
    assert "ZeroDivisionError" in caught.value.message
    with pytest.raises(LoadError) as caught:
        load_bytes((FIXTURES / "boilerplate.html").read_bytes(), "a.html")
    assert caught.value.error_type == "internal"
    assert "ZeroDivisionError" in caught.value.message


def test_a_short_right_column_beside_a_full_left_one_reads_left_then_right(tmp_path: Path) -> None:
    # the last page of a two-column call: the left column full (10 paragraphs), the right one 2 paragraphs long
    from corpus.pdfbuild import build_pdf

    paragraphs = [f"Paragraph {i} of the call says what section {i} requires of each applicant, in plain "
                  f"words that fill two or three lines of one narrow column of this page." for i in range(1, 13)]
    path = tmp_path / "short_right.pdf"
    build_pdf(path, "Joint Call Text", "\n\n".join(paragraphs), columns=2, page_numbers=False)
    text = " ".join(load_path(path).text.split())
    positions = [text.find(p) for p in paragraphs]
    assert all(at >= 0 for at in positions), text  # no paragraph is cut up and interleaved with another
    assert positions == sorted(positions)
