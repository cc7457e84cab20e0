"""Loading PDFs with pdfplumber: page by page, reading order, margins dropped, text reflowed."""

from __future__ import annotations

import io
import logging

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from corpus.document import LoadError
from corpus.loaders.extracted import Extracted
from corpus.loaders.limits import Limits
from corpus.loaders.linejoin import SOFT_HYPHEN, continues_paragraph, join_wrapped
from corpus.loaders.pdf_layout import PageLines, page_lines
from corpus.loaders.pdf_margins import drop_margins
from corpus.loaders.pdf_paragraphs import page_paragraphs
from corpus.loaders.pdf_streams import inflated_size
from corpus.loaders.pdf_title import pdf_title

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
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    return isinstance(cause, MemoryError) or isinstance(exc, MemoryError)


def _read_pages(pdf: pdfplumber.PDF, warnings: list[str]) -> tuple[list[PageLines], int]:
    """Lines of every page and the number of characters seen, closing each page after use."""
    pages: list[PageLines] = []
    n_chars = 0
    failures = 0
    for number, page in enumerate(pdf.pages, start=1):
        try:
            chars = page.chars
            n_chars += len(chars)
            pages.append(page_lines(chars, float(page.width), float(page.height)))
        except Exception as exc:  # one damaged page should not cost the whole document
            if _out_of_memory(exc):
                raise MemoryError(f"page {number}: {exc}") from exc  # the document is too large
            failures += 1
            warnings.append(f"page {number} could not be read ({type(exc).__name__}: {exc})")
            pages.append(PageLines([], float(page.width), float(page.height)))
        finally:
            page.close()
    if pages and failures == len(pages):
        raise LoadError("corrupt_pdf", f"no page of the PDF could be read; first problem: {warnings[0]}")
    return pages, n_chars


def _drop_trailing_soft_hyphen(paragraphs: list[str]) -> int:
    """Remove a soft hyphen left at the end of the last paragraph; return the length change."""
    if paragraphs[-1].endswith(SOFT_HYPHEN):
        paragraphs[-1] = paragraphs[-1][:-1]
        return -1
    return 0


def _assemble(paragraphs_by_page: list[list[str]]) -> tuple[str, list[int]]:
    """Join pages into one text, continuing a paragraph across a page break where it runs on."""
    paragraphs: list[str] = []
    length = 0
    starts: list[int | None] = []
    for page in paragraphs_by_page:
        start = None
        for i, paragraph in enumerate(page):
            if i == 0 and paragraphs and continues_paragraph(paragraphs[-1], paragraph):
                joined = join_wrapped(paragraphs[-1], paragraph)
                length += len(joined) - len(paragraphs[-1])
                paragraphs[-1] = joined
                start = length - len(paragraph)
                continue
            if paragraphs:
                length += _drop_trailing_soft_hyphen(paragraphs) + 2
            if start is None:
                start = length
            paragraphs.append(paragraph)
            length += len(paragraph)
        starts.append(start)
    if paragraphs:
        length += _drop_trailing_soft_hyphen(paragraphs)
    # a page without text starts where the next page's text starts
    resolved: list[int] = []
    following = length
    for start in reversed(starts):
        following = start if start is not None else following
        resolved.append(following)
    return "\n\n".join(paragraphs), resolved[::-1]


def load_pdf(data: bytes, limits: Limits) -> Extracted:
    """Extract reading-order text from PDF bytes, one '\\n\\n'-separated paragraph per block."""
    inflated = inflated_size(data, limits.max_decompressed_bytes)
    if inflated > limits.max_decompressed_bytes:
        raise LoadError(
            "too_large",
            f"the PDF's compressed streams inflate to more than {limits.max_decompressed_bytes:,} bytes "
            "(max_decompressed_bytes); it may be a decompression bomb",
        )
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
        if n_pages > limits.max_pages:
            raise LoadError("too_large", f"the PDF has {n_pages} pages, more than the limit of {limits.max_pages}")
        if n_pages == 0:
            raise LoadError("empty", "the PDF has no pages")
        pages, n_chars = _read_pages(pdf, warnings)
        metadata_title = pdf.metadata.get("Title")
    if n_chars == 0:
        raise LoadError(
            "no_text_layer",
            f"none of the {n_pages} pages carries text characters (scanned images or drawings); run OCR first",
        )
    pages = drop_margins(pages)
    text, page_starts = _assemble([page_paragraphs(page.lines) for page in pages])
    if not text.strip():
        raise LoadError("empty", "the PDF has characters but no text remained after extraction")
    first_line = pages[0].lines[0].text if pages[0].lines else None
    return Extracted(
        text=text,
        title=pdf_title(metadata_title, first_line),
        n_pages=n_pages,
        page_starts=page_starts,
        warnings=warnings,
    )
