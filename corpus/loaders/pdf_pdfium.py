"""The pypdfium2 PDF engine: PDFium's text page and loose character boxes, grouped into words here."""

from __future__ import annotations

import math
import re
import resource
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from corpus.loaders.limits import Limits
from corpus.loaders.linejoin import is_cjk
from corpus.loaders.pdf_document import RawPdf, check_page_count, check_pages_read
from corpus.loaders.pdf_layout import PageLines, page_lines
from corpus.loaders.pdf_words import Char, direction, upright, words_from_chars

# PDFium is not thread-safe; documents are read one at a time per process.
_LOCK = threading.Lock()
# PDFium reports a hyphen it found at a line end as U+0002 (U+FFFE in the page text).
_LINE_END_HYPHENS = {"\x02": "-", "\ufffe": "-"}
# Control characters (and U+FFFD) in the text mean a font PDFium could not map to Unicode.
_UNMAPPED = re.compile("[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
MAX_UNMAPPED_SHARE = 0.02  # more unmapped characters than this share: PDFium misreads the fonts
MEMORY_FACTOR = 4  # PDFium may hold this many times a file's inflated streams while it reads


def fits_in_memory(needed_bytes: int) -> bool:
    """Whether the address-space cap (RLIMIT_AS, set by the loader guard) leaves PDFium room.

    PDFium terminates the whole process when an allocation fails instead of raising, so a file
    that may not fit under the cap goes to pdfplumber, whose MemoryError becomes `too_large`.
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return True
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return False  # the cap cannot be compared with what is mapped: do not risk the process
    return mapped + MEMORY_FACTOR * needed_bytes < soft


class CannotOpen(Exception):
    """PDFium cannot open or read the file faithfully; another engine may still read it."""


def _misread(text: str, chars: list[Char], way: str) -> str | None:
    """Why PDFium's reading of a page is not to be trusted, or None.

    Fonts without a usable Unicode map come out as control characters; vertical CJK writing
    (text running top to bottom) loses whole lines in PDFium's text page.
    """
    visible = [c[0] for c in chars if c[0] != " "]
    if visible and len(_UNMAPPED.findall(text)) > MAX_UNMAPPED_SHARE * len(visible):
        return "characters PDFium cannot map to Unicode"
    if way == "ttb" and sum(map(is_cjk, visible)) > len(visible) / 2:
        return "vertical CJK writing, which PDFium's text page reads incompletely"
    return None


def _page_text(textpage: pdfium.PdfTextPage, n_chars: int) -> str:
    """The page's characters as a string with one entry per character index."""
    text = textpage.get_text_range()
    if len(text) == n_chars:
        return text
    # characters outside the BMP come back as surrogate pairs: ask for each code point instead
    raw = textpage.raw
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(n_chars))


def _ascent_side(textpage: pdfium.PdfTextPage, index: int, matrix: pdfium_c.FS_MATRIX) -> tuple[str, float, bool]:
    """Which edge of character `index`'s box its glyphs rise towards ('top', 'bottom', 'left',
    'right'), its font size on the page (Tf size times the text and graphics scaling), and
    whether it is upright as pdfminer means it (not turned a quarter or more, not mirrored)."""
    raw = textpage.raw
    pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
    size = pdfium_c.FPDFText_GetFontSize(raw, index)
    up_x, up_y = matrix.c * size, matrix.d * size
    height = math.hypot(up_x, up_y)
    straight = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0
    if abs(up_y) >= abs(up_x):
        return ("top" if up_y > 0 else "bottom"), height, straight
    return ("right" if up_x > 0 else "left"), height, straight


def _page_chars(textpage: pdfium.PdfTextPage, left: float, top: float) -> tuple[str, list[Char], list[bool]]:
    """The page text, (text, x0, x1, top, bottom) of every character with `top` measured downwards,
    and whether each character is upright.

    PDFium's loose box spans the font's ascent to descent; like pdfminer's, ours keeps the
    descent edge and is one font size high, so that layout thresholds in word heights mean
    the same with either engine. The font size is read once per run of non-space characters.
    """
    raw = textpage.raw
    n_chars = pdfium_c.FPDFText_CountChars(raw)
    if n_chars <= 0:
        return "", [], []
    text = _page_text(textpage, n_chars)
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    chars: list[Char] = []
    straight: list[bool] = []
    append, mark = chars.append, straight.append
    side, height, upright = "top", 0.0, True
    fresh = True
    for i, ch in enumerate(text):
        if ch.isspace():
            append((" ", 0.0, 0.0, 0.0, 0.0))  # a word break; its box is never read
            mark(True)
            fresh = True
            continue
        loose_box(raw, i, rect)
        if fresh:
            side, height, upright = _ascent_side(textpage, i, matrix)
            fresh = False
        mark(upright)
        x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
        if height > 0:
            if side == "top":
                y1 = y0 + height
            elif side == "bottom":
                y0 = y1 - height
            elif side == "right":
                x1 = x0 + height
            else:
                x0 = x1 - height
        append((_LINE_END_HYPHENS.get(ch, ch), x0 - left, x1 - left, top - y1, top - y0))
    return text, chars, straight


def _read_page(page: pdfium.PdfPage) -> tuple[PageLines, int]:
    """One page's lines and its number of characters."""
    left, bottom, right, top = page.get_bbox()
    width, height = right - left, top - bottom
    textpage = page.get_textpage()
    try:
        text, chars, straight = _page_chars(textpage, left, top)
    finally:
        textpage.close()
    n_chars = sum(1 for c in chars if c[0] != " ")
    way = direction(chars)
    reason = _misread(text, chars, way)
    if reason:
        raise CannotOpen(f"pypdfium2 misreads the file ({reason})")
    if way == "ltr" and not all(straight):  # as with pdfplumber: turned labels on a level page are left out
        chars = [c for c, ok in zip(chars, straight) if ok]
    chars = upright(chars, way, width, height)
    if way != "ltr":
        width, height = height, width
    return page_lines(words_from_chars(chars), width, height), n_chars


def _open(data: bytes) -> pdfium.PdfDocument:
    """The PDFium document, or CannotOpen saying why not."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CannotOpen(f"pypdfium2 cannot open the file ({exc})") from exc
    if len(doc) == 0:
        doc.close()
        raise CannotOpen("pypdfium2 finds no pages in the file")
    return doc


def read_pdf(data: bytes, limits: Limits) -> RawPdf:
    """Read every page of a PDF with pypdfium2; raises CannotOpen when pdfplumber should read it instead."""
    warnings: list[str] = []
    with _LOCK:
        doc = _open(data)
        try:
            n_pages = len(doc)
            check_page_count(n_pages, limits)
            pages: list[PageLines] = []
            n_chars = failures = 0
            for number in range(n_pages):
                page = doc[number]
                try:
                    lines, count = _read_page(page)
                    pages.append(lines)
                    n_chars += count
                except (MemoryError, CannotOpen):
                    raise
                except Exception as exc:  # one damaged page should not cost the whole document
                    failures += 1
                    warnings.append(f"page {number + 1} could not be read ({type(exc).__name__}: {exc})")
                    width, height = page.get_size()
                    pages.append(PageLines([], width, height))
                finally:
                    page.close()
            check_pages_read(n_pages, failures, warnings)
            if n_chars == 0:  # pdfplumber tells a broken page tree (empty) from scans (no_text_layer)
                raise CannotOpen("pypdfium2 finds no text characters")
            title = doc.get_metadata_value("Title")
        finally:
            doc.close()
    return RawPdf(pages, n_chars, title, warnings)
