"""The pdfplumber PDF engine: pdfminer's characters, grouped into words by pdfplumber."""

from __future__ import annotations

import io
import logging
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

from corpus.document import LoadError
from corpus.loaders.limits import Limits
from corpus.loaders.pdf_document import RawPdf, check_page_count, check_pages_read
from corpus.loaders.pdf_layout import PageLines, page_lines
from corpus.loaders.pdf_words import X_TOLERANCE, Y_TOLERANCE, direction, upright_box

# pdfminer logs every recoverable oddity of a damaged file as a warning; the loader reports instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _open_error(exc: Exception) -> LoadError:
    """The LoadError for an exception raised while opening a PDF."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return LoadError(
            "encrypted_pdf",
            "the PDF is protected by a user password and the empty password does not open it; "
            "obtain an unprotected copy",
        )
    if isinstance(cause, PDFEncryptionError):
        return LoadError("encrypted_pdf", f"the PDF uses encryption that cannot be opened: {cause}")
    name = type(cause).__name__
    if isinstance(cause, PSEOF):
        return LoadError(
            "corrupt_pdf",
            f"the PDF ends before its structure is complete ({name}: {cause}); "
            "it is probably truncated, so download it again",
        )
    return LoadError("corrupt_pdf", f"the PDF structure cannot be parsed ({name}: {cause})")


def _out_of_memory(exc: BaseException) -> bool:
    """Whether `exc` is, or wraps, a MemoryError (pdfplumber wraps pdfminer's errors)."""
    wrapped = isinstance(exc, PdfminerException) and exc.args
    cause = exc.args[0] if wrapped else exc
    return isinstance(cause, MemoryError) or isinstance(exc, MemoryError)


def unique_chars(chars: list[dict[str, Any]], tolerance: float = 1.0) -> list[dict[str, Any]]:
    """Drop characters painted twice at (nearly) the same place, as fake-bold PDFs do."""
    seen: dict[tuple[str, int, int], list[tuple[float, float]]] = {}
    kept = []
    for c in chars:
        ix, iy = int(c["x0"] // tolerance), int(c["top"] // tolerance)
        near = (
            (x, y)
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for x, y in seen.get((c["text"], ix + dx, iy + dy), ())
        )
        if any(abs(x - c["x0"]) <= tolerance and abs(y - c["top"]) <= tolerance for x, y in near):
            continue
        seen.setdefault((c["text"], ix, iy), []).append((c["x0"], c["top"]))
        kept.append(c)
    return kept


def _upright(chars: list[dict[str, Any]], way: str, width: float, height: float) -> list[dict[str, Any]]:
    """Character dicts turned so that text running `way` reads left to right, lines downwards."""
    if way == "ltr":
        return [c for c in chars if c.get("upright", True)]
    turned = []
    for c in chars:
        x0, x1, top, bottom = upright_box((c["x0"], c["x1"], c["top"], c["bottom"]), way, width, height)
        turned.append({**c, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "upright": True, "doctop": top})
    return turned


def chars_to_page(chars: list[dict[str, Any]], width: float, height: float) -> PageLines:
    """One page's lines from pdfplumber character dicts: de-duplicated, turned upright, grouped."""
    chars = unique_chars(chars)
    way = direction([(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in chars])
    chars = _upright(chars, way, width, height)
    if way != "ltr":
        width, height = height, width
    extractor = WordExtractor(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE)
    return page_lines(extractor.extract_words(chars), width, height)


def _read_pages(pdf: pdfplumber.PDF, warnings: list[str]) -> tuple[list[PageLines], int]:
    """Lines of every page and the number of characters seen, closing each page after use."""
    pages: list[PageLines] = []
    n_chars = 0
    failures = 0
    for number, page in enumerate(pdf.pages, start=1):
        try:
            chars = page.chars
            n_chars += len(chars)
            pages.append(chars_to_page(chars, float(page.width), float(page.height)))
        except Exception as exc:  # one damaged page should not cost the whole document
            if _out_of_memory(exc):
                raise MemoryError(f"page {number}: {exc}") from exc  # the document is too large
            failures += 1
            warnings.append(f"page {number} could not be read ({type(exc).__name__}: {exc})")
            pages.append(PageLines([], float(page.width), float(page.height)))
        finally:
            page.close()
    check_pages_read(len(pages), failures, warnings)
    return pages, n_chars


def read_pdf(data: bytes, limits: Limits) -> RawPdf:
    """Read every page of a PDF with pdfplumber; an unopenable file raises its LoadError."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password="")
    except Exception as exc:
        raise _open_error(exc) from exc
    warnings: list[str] = []
    with pdf:
        try:
            n_pages = len(pdf.pages)
        except Exception as exc:
            raise _open_error(exc) from exc
        check_page_count(n_pages, limits)
        pages, n_chars = _read_pages(pdf, warnings)
        title = pdf.metadata.get("Title")
    return RawPdf(pages, n_chars, title, warnings)
