"""Bytes to str for text and HTML: byte-order mark, declared charset, strict UTF-8, then guessing."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from corpus.document import LoadError

# Longest marks first, so a UTF-32 LE mark is not read as a UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers read as a wider superset (WHATWG Encoding Standard); pages rely on it.
_SUPERSETS = {
    "ascii": "cp1252",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "iso8859_9": "cp1254",
    "tis_620": "cp874",
}


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the name of the encoding that produced it."""

    text: str
    encoding: str


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding named by a leading byte-order mark and the mark's length, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit on every other position, as in BOM-less UTF-16."""
    sample = data[:2048]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def python_codec(label: str) -> str | None:
    """The Python codec for a charset label from a page or header, widened as browsers do."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    key = name.replace("-", "_")
    return _SUPERSETS.get(key, name)


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # one of the five bytes cp1252 leaves undefined: read it as latin-1


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the bytes that are not UTF-8 as cp1252 instead."""
    assert isinstance(error, UnicodeDecodeError)
    return "".join(_cp1252_char(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error("fundscope-cp1252-fallback", _cp1252_fallback)


def mixed_utf8(data: bytes) -> str | None:
    """`data` as UTF-8 with stray cp1252 bytes, when it is mostly valid UTF-8 with a few such bytes.

    Files edited in two tools (half saved as UTF-8, half appended in Windows-1252) decode this way
    correctly in both halves, where any single encoding garbles one of them.
    """
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for ch in replaced if ord(ch) > 127) - bad
    if good < 2 or good < bad / 2:
        return None
    return data.decode("utf-8", errors="fundscope-cp1252-fallback")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data` by its BOM, as non-ASCII UTF-8, by `declared`, as UTF-16, ASCII, or by guessing."""
    bom = bom_encoding(data)
    if bom is not None:
        name, length = bom
        text = _try(data[length:], name)
        if text is not None:
            return Decoded(text, name)
    utf8 = _try(data, "utf-8")
    if utf8 is not None and not utf8.isascii():
        # Multi-byte UTF-8 sequences almost never occur by chance, so they outrank a declaration
        # (pages saved as UTF-8 often keep an old "iso-8859-1" meta tag).
        return Decoded(utf8, "utf-8")
    if declared:
        codec = python_codec(declared)
        text = _try(data, codec) if codec else None
        if text is not None:
            return Decoded(text, codec)
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        text = _try(data, utf16)
        if text is not None:
            return Decoded(text, utf16)
    if utf8 is not None:
        return Decoded(utf8, "utf-8")
    mixed = mixed_utf8(data)
    if mixed is not None:
        return Decoded(mixed, "utf-8+cp1252")
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise LoadError(
            "decode_error",
            "bytes are not valid UTF-8 and no likely encoding decodes them; "
            "re-save the file as UTF-8",
        )
    # Short Western text often scores the same in cp1250, cp1252 and cp1257; browsers pick cp1252.
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    chosen = next((m for m in tied if m.encoding == "cp1252"), best)
    return Decoded(str(chosen), chosen.encoding)
