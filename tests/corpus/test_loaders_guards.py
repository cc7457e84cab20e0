"""Loader-side ceilings and repairs: inflated PDF streams, decoded size, mixed UTF-8/cp1252 text."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest

from corpus.loaders import Limits, LoadError, load_bytes
from corpus.loaders.decoding import decode_bytes, mixed_utf8
from corpus.loaders.pdf_streams import inflated_size

LOADER_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "loaders"


def _stream(dictionary: bytes, payload: bytes) -> bytes:
    return b"1 0 obj\n" + dictionary + b"\nstream\n" + payload + b"\nendstream\nendobj\n"


def test_inflated_size_counts_flate_streams_and_ignores_a_false_length() -> None:
    data = _stream(b"<< /Length 3 /Filter /FlateDecode >>", zlib.compress(b"q" * 10_000))
    data += _stream(b"<< /Length 5 >>", b"BT ET")  # not compressed: nothing to inflate
    assert inflated_size(data, ceiling=1_000_000) == 10_000


def test_inflated_size_skips_images_and_stops_past_the_ceiling() -> None:
    image = _stream(b"<< /Subtype /Image /Filter /FlateDecode >>", zlib.compress(b"\0" * 50_000))
    assert inflated_size(image, ceiling=1_000) == 0
    bomb = _stream(b"<< /Filter /FlateDecode >>", zlib.compress(b" " * 30_000_000))
    counted = inflated_size(bomb, ceiling=2_000_000)
    assert 2_000_000 < counted <= 2_000_000 + 2 * 1024 * 1024  # at most one more chunk


def test_damaged_flate_counts_what_inflates_before_the_damage() -> None:
    # 100 kB of noise does not compress, so each 1 kB piece of input is about 1 kB of output;
    # a broken checksum at the end loses at most the last piece from the count
    good = zlib.compress(random.Random(3).randbytes(100_000))
    counted = inflated_size(_stream(b"<< /Filter /FlateDecode >>", good[:-4] + b"!!!!"), ceiling=10**6)
    assert 98_000 <= counted <= 100_000
    # a bomb with a broken checksum is still counted, so it cannot slip past the ceiling
    bomb = zlib.compress(b" " * 30_000_000)
    assert inflated_size(_stream(b"<< /Filter /FlateDecode >>", bomb[:-4] + b"!!!!"), ceiling=2_000_000) > 2_000_000
    assert inflated_size(_stream(b"<< /Filter /FlateDecode >>", b"not zlib at all"), ceiling=10**6) == 0


def test_decoded_text_and_html_over_the_limit_are_too_large() -> None:
    limits = Limits(max_decompressed_bytes=1_000)
    for data, name in [(b"word " * 300, "a.txt"), (b"<html><body><p>" + b"word " * 300 + b"</p></body></html>", "a.html")]:
        with pytest.raises(LoadError) as caught:
            load_bytes(data, name, limits=limits)
        assert caught.value.error_type == "too_large"
    assert load_bytes(b"word " * 100, "b.txt", limits=limits).text == ("word " * 100).strip()


def test_one_stray_cp1252_byte_in_utf8_text() -> None:
    data = "Förderung für Partner in Köln – ".encode("utf-8") + "café".encode("cp1252")
    decoded = decode_bytes(data)
    assert decoded.text == "Förderung für Partner in Köln – café"
    assert decoded.encoding == "utf-8+cp1252"


def test_cp1252_holes_fall_back_to_latin1() -> None:
    # 0x81 is undefined in cp1252; 0x80 is the euro sign
    assert mixed_utf8("Zürich ü ".encode("utf-8") + b"\x80 \x81") == "Zürich ü € \x81"


@pytest.mark.parametrize("name", ["cp1252.txt", "shift_jis.txt"])
def test_single_legacy_encodings_are_not_taken_for_mixed(name: str) -> None:
    assert mixed_utf8((LOADER_FIXTURES / name).read_bytes()) is None


def test_soft_hyphens_alone_leave_no_empty_paragraph() -> None:
    assert load_bytes("0\n\u00ad\n\nTRL 4\u00ad\n".encode("utf-8"), "a.txt").text == "0\n\nTRL 4"
    with pytest.raises(LoadError) as caught:
        load_bytes("\u00ad".encode("utf-8"), "b.txt")
    assert caught.value.error_type == "empty"
