"""Deciding from the bytes whether an input is a PDF, an HTML page or plain text."""

from __future__ import annotations

import re
from pathlib import PurePath

from corpus.document import LoadError
from corpus.loaders.decoding import bom_encoding, utf16_without_bom

SNIFF_BYTES = 1024

# Leading bytes of formats we refuse, with the words used in the error message.
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt/.epub, which are ZIP files)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (.doc/.xls/.ppt)"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
    (b"\x7fELF", "an executable program"),
)

_HTML_NAMES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp"}
_HTML_START = re.compile(r"<(!doctype\s+html|html|head|body)[\s>]")
_HTML_ANYWHERE = re.compile(r"<(html|head|body)[\s>]")
_FRAGMENT_START = re.compile(
    r"<(div|p|table|h[1-6]|title|meta|script|style|article|section|main|iframe|font|a|b|br)[\s/>]"
)
# An XML document that is not a web page: a declaration, a non-HTML DOCTYPE, or a feed/sitemap root.
_XML_START = re.compile(r"<(\?xml[\s?]|!doctype\s|rss[\s>]|feed[\s>]|rdf:rdf[\s>]|urlset[\s>]|sitemapindex[\s>])")
_PREAMBLE = re.compile(r"^(\s*(<\?xml[^>]*\?>|<!--.*?-->))*\s*", re.S)
# C0 control bytes that do not occur in text (tab, newlines, form feed and ESC are allowed).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


def _suffix(name: str | None) -> str:
    return PurePath(name).suffix.lower() if name else ""


def _sniff_text(head: bytes) -> str | None:
    """The first bytes as text for sniffing, or None when they look binary."""
    bom = bom_encoding(head)
    encoding = bom[0] if bom else utf16_without_bom(head)
    if encoding:
        offset = bom[1] if bom else 0
        return head[offset:].decode(encoding, errors="replace")
    if 0 in head:
        return None
    controls = sum(head.count(b) for b in _CONTROL)
    if controls > max(2, len(head) // 100):
        return None
    # Every ASCII-compatible encoding shows tags as ASCII, so latin-1 is enough to sniff.
    return head.decode("latin-1")


def _looks_html(prefix: str, name: str | None) -> bool:
    lowered = prefix.lower()
    start = _PREAMBLE.sub("", lowered, count=1)
    if _HTML_START.match(start) or _HTML_ANYWHERE.search(lowered):
        return True
    return _suffix(name) in _HTML_NAMES and bool(_FRAGMENT_START.match(start))


def _looks_xml(prefix: str) -> bool:
    return bool(_XML_START.match(prefix.lstrip("\ufeff \t\r\n").lower()))


def detect_kind(data: bytes, name: str | None = None) -> str:
    """'pdf', 'html', 'text' or 'xml' (a feed or other non-HTML XML) judged from the content.

    `name` is only a tie-breaking hint.
    """
    if not data:
        raise LoadError("empty", "the input has 0 bytes")
    head = data[:SNIFF_BYTES]
    if b"%PDF-" in head:
        return "pdf"
    for signature, label in _SIGNATURES:
        if head.startswith(signature):
            raise LoadError("unsupported_type", f"content is {label}, not PDF, HTML or text")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise LoadError("unsupported_type", "content is a WebP image, not PDF, HTML or text")
    prefix = _sniff_text(head)
    if prefix is None:
        hint = " although the name ends in .pdf" if _suffix(name) == ".pdf" else ""
        raise LoadError(
            "unsupported_type",
            f"content is binary and has no %PDF- header in its first {SNIFF_BYTES} bytes{hint}; "
            "only PDF, HTML and text are read",
        )
    if _looks_html(prefix, name):
        return "html"
    if _looks_xml(prefix):
        return "xml"
    return "text"
