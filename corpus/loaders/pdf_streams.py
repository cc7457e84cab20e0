"""Measuring how far a PDF's Flate streams inflate, without keeping what they inflate to."""

from __future__ import annotations

import re
import zlib

_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_FLATE = re.compile(rb"/(FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_DICT_LOOKBACK = 4096
_CHUNK = 1 << 20  # most output bytes produced per call
_INPUT_PIECE = 1024  # compressed bytes fed per call


def _stream_dictionary(data: bytes, start: int) -> bytes:
    """The bytes of the object header and dictionary just before a `stream` keyword."""
    window = data[max(0, start - _DICT_LOOKBACK) : start]
    return window[window.rfind(b"obj") + 1 :]


def _inflated_length(raw: bytes, budget: int) -> int:
    """Bytes that `raw` inflates to, stopping once past `budget`.

    Input goes in small pieces so that a stream whose checksum or tail is damaged still counts
    what it inflates to before the damage, as pdfminer's byte-by-byte recovery would produce it.
    """
    inflater = zlib.decompressobj()
    total = 0
    try:
        for start in range(0, len(raw), _INPUT_PIECE):
            pending = raw[start : start + _INPUT_PIECE]
            while pending and total <= budget:
                total += len(inflater.decompress(pending, _CHUNK))
                pending = inflater.unconsumed_tail
            if total > budget or inflater.eof:
                break
    except zlib.error:
        pass  # damaged from here on: pdfminer recovers no more than this either
    return total


def inflated_size(data: bytes, ceiling: int) -> int:
    """Total inflated size of the non-image Flate streams in `data`, counted up to just past `ceiling`.

    Streams are found by their keywords rather than their /Length, which a hostile file can
    falsify; image streams are skipped because text extraction never inflates them.
    """
    total = 0
    position = 0
    while total <= ceiling:
        match = _STREAM_START.search(data, position)
        if match is None:
            break
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        header = _stream_dictionary(data, match.start())
        if _FLATE.search(header) and not _IMAGE.search(header):
            total += _inflated_length(data[match.end() : end], ceiling - total)
        position = end
    return total
