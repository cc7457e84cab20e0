"""Ceilings a loader enforces so that one hostile input cannot exhaust the machine."""

from __future__ import annotations

from dataclasses import dataclass

from corpus.document import LoadError

PDF_ENGINES = ("pdfium", "pdfplumber")


@dataclass(frozen=True)
class Limits:
    """Per-document limits; an input over any of them fails as `too_large` (or `timeout`).

    max_bytes: size of the input as given (default 100 MiB).
    max_pages: pages of a PDF (default 2000).
    max_decompressed_bytes: bytes inflated from a PDF's compressed streams, and characters of
        decoded HTML or text (default 256 MiB; a "zip bomb" inflates far beyond its own size).
    max_seconds: wall-clock budget per document, enforced by `corpus.guard.GuardedLoader`
        (default 60 s; `load_bytes` called directly does not time itself).
    max_memory_bytes: address space of the guard's worker process while it loads one document
        (default 4 GiB; Linux/macOS only; `load_bytes` called directly is not capped).
    pdf_engine: the library reading PDF text, "pdfium" (pypdfium2, the default, falling back to
        pdfplumber for a file it cannot open) or "pdfplumber". Not a ceiling, but it travels with them.
    """

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 2000
    max_decompressed_bytes: int = 256 * 1024 * 1024
    max_seconds: float = 60.0
    max_memory_bytes: int = 4 * 1024 * 1024 * 1024
    pdf_engine: str = "pdfium"

    def __post_init__(self) -> None:
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"pdf_engine must be one of {', '.join(PDF_ENGINES)}, not {self.pdf_engine!r}")


def too_large_error(size: int, limits: Limits) -> LoadError:
    """The `too_large` error for an input of `size` bytes over `max_bytes`."""
    return LoadError("too_large", f"the input is {size:,} bytes, more than the limit of {limits.max_bytes:,}")


def check_decoded_size(n_chars: int, limits: Limits) -> None:
    """Raise `too_large` when decoded text is longer than `max_decompressed_bytes` characters."""
    if n_chars > limits.max_decompressed_bytes:
        raise LoadError(
            "too_large",
            f"the decoded text has {n_chars:,} characters, more than the limit of "
            f"{limits.max_decompressed_bytes:,} (max_decompressed_bytes)",
        )
