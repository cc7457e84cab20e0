"""Loading PDFs: the engine named in the limits (pypdfium2 by default, or pdfplumber) reads the pages."""

from __future__ import annotations

from corpus.document import LoadError
from corpus.loaders import pdf_pdfium, pdf_plumber
from corpus.loaders.extracted import Extracted
from corpus.loaders.limits import Limits
from corpus.loaders.pdf_document import RawPdf, extracted
from corpus.loaders.pdf_streams import inflated_size


def _read(data: bytes, inflated: int, limits: Limits) -> RawPdf:
    """The pages as the chosen engine reads them; pdfplumber takes over a file PDFium cannot open."""
    if limits.pdf_engine == "pdfplumber":
        return pdf_plumber.read_pdf(data, limits)
    if not pdf_pdfium.fits_in_memory(len(data) + inflated):
        raw = pdf_plumber.read_pdf(data, limits)
        raw.warnings.insert(0, "the memory cap leaves pypdfium2 too little room for this file; read with pdfplumber")
        return raw
    try:
        return pdf_pdfium.read_pdf(data, limits)
    except pdf_pdfium.CannotOpen as exc:
        raw = pdf_plumber.read_pdf(data, limits)
        raw.warnings.insert(0, f"{exc}; read with pdfplumber instead")
        return raw


def load_pdf(data: bytes, limits: Limits) -> Extracted:
    """Extract reading-order text from PDF bytes, one '\\n\\n'-separated paragraph per block."""
    inflated = inflated_size(data, limits.max_decompressed_bytes)
    if inflated > limits.max_decompressed_bytes:
        raise LoadError(
            "too_large",
            f"the PDF's compressed streams inflate to more than {limits.max_decompressed_bytes:,} bytes "
            "(max_decompressed_bytes); it may be a decompression bomb",
        )
    return extracted(_read(data, inflated, limits))
