"""Plain text and Markdown: decoding, reflow of hard-wrapped lines, titles, refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.loaders import LoadError, load_bytes, load_path

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "loaders"


def test_cp1252_text_decoded_and_reflowed() -> None:
    doc = load_path(FIXTURES / "cp1252.txt")
    assert doc.kind == "text"
    assert doc.encoding == "cp1252"
    assert doc.text == (
        "Funding note on \u201cmoney follows cooperation\u201d\n\n"
        "The Dutch council pays foreign partners directly \u2013 na\u00efve observers call it a real "
        "common pot. The budget of \u20ac2 million covers partners in Belgium, Germany and "
        "Fran\u00e7ois\u2019s team in France."
    )
    assert doc.title == "Funding note on \u201cmoney follows cooperation\u201d"


def test_shift_jis_text_joins_wrapped_lines_without_spaces() -> None:
    doc = load_path(FIXTURES / "shift_jis.txt")
    assert doc.encoding in {"cp932", "shift_jis"}
    assert doc.text == (
        "日英共同研究の公募について\n\n"
        "日本の研究者は科学技術振興機構から支援を受け、英国の研究者は自国の機関から支援を受けます。"
        "これは各国がそれぞれの研究者を支援する方式です。"
    )
    assert doc.title == "日英共同研究の公募について"


def test_utf16_with_bom() -> None:
    doc = load_path(FIXTURES / "utf16_bom.txt")
    assert doc.encoding == "utf-16-le"
    assert doc.text == "Money follows cooperation\n\nThe council pays partners abroad directly."
    assert doc.title == "Money follows cooperation"


def test_utf16_big_endian_without_bom() -> None:
    doc = load_bytes("Parallel funding\n\nEach agency pays\nits own teams.\n".encode("utf-16-be"), "x.txt")
    assert doc.encoding == "utf-16-be"
    assert doc.text == "Parallel funding\n\nEach agency pays its own teams."


def test_fenced_code_lines_stay_apart() -> None:
    data = b"Budget table\n\n```\nJapan   JST\nKorea   NRF\n```\nEnd of\nnote.\n"
    doc = load_bytes(data, "note.md")
    assert doc.text == "Budget table\n\nJapan JST\n\nKorea NRF\n\nEnd of note."


def test_markdown_headings_lists_and_wrapped_trl() -> None:
    doc = load_path(FIXTURES / "call.md")
    assert doc.text == (
        "Published by the agency\n\n"
        "Joint call: Japan and Korea\n\n"
        "Projects run from TRL 4 to TRL 6 and are funded by each national agency.\n\n"
        "- Consortia need partners from both countries\n\n"
        "- Budget: 3 years\n\n"
        "Eligibility\n\n"
        "Applicants must be based in Japan or Korea."
    )
    # the first Markdown heading wins over the first line
    assert doc.title == "Joint call: Japan and Korea"


def test_crlf_tabs_and_hyphenated_wrap() -> None:
    data = b"Call for\tproposals\r\n\r\nThe agencies fund collabo-\r\nration at\r\nTRL\r\n4.\r\n"
    doc = load_bytes(data, "call.txt")
    assert doc.text == "Call for proposals\n\nThe agencies fund collaboration at TRL 4."
    assert doc.title == "Call for proposals"
    assert doc.doc_id == hashlib.sha256(data).hexdigest()
    assert doc.size_bytes == len(data)
    assert doc.n_pages == 1 and doc.page_starts == [0]


def test_long_first_line_gives_no_title() -> None:
    doc = load_bytes(("word " * 60).encode(), "x.txt")
    assert doc.title is None


def test_whitespace_only_is_empty() -> None:
    with pytest.raises(LoadError) as caught:
        load_bytes(b" \r\n\t\n  \n", "blank.txt")
    assert caught.value.error_type == "empty"


def test_undecodable_bytes_are_a_decode_error() -> None:
    # every high byte once, twice over: invalid UTF-8, and gibberish in every legacy code page
    with pytest.raises(LoadError) as caught:
        load_bytes(bytes(range(0x80, 0x100)) * 2, "odd.txt")
    assert caught.value.error_type == "decode_error"
    assert "UTF-8" in caught.value.message


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40), max_size=12))
def test_paragraphs_never_hold_a_newline(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8")
    try:
        doc = load_bytes(data, "random.txt")
    except LoadError:
        return
    for paragraph in doc.text.split("\n\n"):
        assert paragraph and "\n" not in paragraph and "\r" not in paragraph
        assert paragraph == paragraph.strip()
