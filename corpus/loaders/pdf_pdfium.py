"""The pypdfium2 PDF engine: PDFium's text page and loose character boxes, grouped into words here."""

from __future__ import annotations

import re
import resource
import threading
from dataclasses import replace
from itertools import compress

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from corpus.loaders.limits import Limits
from corpus.loaders.linejoin import is_cjk
from corpus.loaders.pdf_document import RawPdf, check_page_count, check_pages_read
from corpus.loaders.pdf_layout import PageLines, page_lines
from corpus.loaders.pdf_pdfium_boxes import PageBoxes, page_boxes
from corpus.loaders.pdf_word_runs import direction_of, words_of_runs
from corpus.loaders.pdf_words import Char, Word, upright, words_from_chars

# PDFium is not thread-safe; documents are read one at a time per process.
_LOCK = threading.Lock()
# Control characters (and U+FFFD) in the text mean a font PDFium could not map to Unicode.
_UNMAPPED = re.compile("[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
MAX_UNMAPPED_SHARE = 0.02  # more unmapped characters than this share: PDFium misreads the fonts
MEMORY_FACTOR = 4  # PDFium may hold this many times a file's inflated streams while it reads
_BREAK: Char = (" ", 0.0, 0.0, 0.0, 0.0)  # whitespace: a word break whose box is never read


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


def _misread(text: str, visible: str, way: str) -> str | None:
    """Why PDFium's reading of a page is not to be trusted, or None.

    Fonts without a usable Unicode map come out as control characters; vertical CJK writing
    (text running top to bottom) loses whole lines in PDFium's text page.
    """
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


def _read_boxes(page: pdfium.PdfPage, left: float, top: float) -> PageBoxes | None:
    """The page's visible characters and their boxes, or None when it has no characters."""
    textpage = page.get_textpage()
    try:
        n_chars = pdfium_c.FPDFText_CountChars(textpage.raw)
        if n_chars <= 0:
            return None
        return page_boxes(textpage, _page_text(textpage, n_chars), left, top)
    finally:
        textpage.close()


def _char_tuples(boxes: PageBoxes) -> list[Char]:
    """The page's characters as tuples in drawing order, whitespace as a box-less ' ' (word break)."""
    chars: list[Char] = []
    visible = zip(boxes.visible, boxes.x0.tolist(), boxes.x1.tolist(), boxes.top.tolist(), boxes.bottom.tolist())
    for char, starts in zip(visible, boxes.run_start.tolist()):
        if starts and chars:
            chars.append(_BREAK)
        chars.append(char)
    return chars


def _level_only(boxes: PageBoxes) -> PageBoxes:
    """The page without its turned or mirrored characters (whitespace stays where it was)."""
    keep = boxes.upright
    ordinal = np.flatnonzero(keep)  # places among the visible characters
    index = boxes.index[keep]
    run_start = np.ones(len(index), dtype=bool)
    # whitespace lies between two kept characters when more text than visible characters separates them
    run_start[1:] = np.diff(index) > np.diff(ordinal)
    return replace(boxes, visible="".join(compress(boxes.visible, keep.tolist())), index=index,
                   x0=boxes.x0[keep], x1=boxes.x1[keep], top=boxes.top[keep], bottom=boxes.bottom[keep],
                   upright=boxes.upright[keep], run_start=run_start)


def _turned(boxes: PageBoxes, way: str, width: float, height: float) -> PageBoxes:
    """The boxes turned upright for text running `way`, as `pdf_words.upright_box` turns one."""
    x0, x1, top, bottom = boxes.x0, boxes.x1, boxes.top, boxes.bottom
    if way == "ttb":
        return replace(boxes, x0=top, x1=bottom, top=width - x1, bottom=width - x0)
    if way == "btt":
        return replace(boxes, x0=height - bottom, x1=height - top, top=x0, bottom=x1)
    return boxes


def _words(boxes: PageBoxes, way: str, width: float, height: float) -> list[Word]:
    """The page's words, with their boxes turned upright for text running `way`."""
    if way == "ltr" and not boxes.upright.all():
        boxes = _level_only(boxes)  # as with pdfplumber: turned labels on a level page are left out
    if all(np.isfinite(a).all() for a in (boxes.x0, boxes.x1, boxes.top, boxes.bottom)):
        boxes = _turned(boxes, way, width, height)
        return words_of_runs(boxes.visible, boxes.x0, boxes.x1, boxes.top, boxes.bottom, boxes.run_start)
    return words_from_chars(upright(_char_tuples(boxes), way, width, height))


def _read_page(page: pdfium.PdfPage) -> tuple[PageLines, int]:
    """One page's lines and its number of characters."""
    left, bottom, right, top = page.get_bbox()
    width, height = right - left, top - bottom
    boxes = _read_boxes(page, left, top)
    if boxes is None or not boxes.visible:
        return PageLines([], width, height), 0
    way = direction_of(boxes.x0, boxes.x1, boxes.top, boxes.bottom)
    reason = _misread(boxes.text, boxes.visible, way)
    if reason:
        raise CannotOpen(f"pypdfium2 misreads the file ({reason})")
    words = _words(boxes, way, width, height)
    if way != "ltr":
        width, height = height, width
    return page_lines(words, width, height), len(boxes.visible)


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
