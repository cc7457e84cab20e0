"""Turning input bytes (PDF, HTML, plain text) into a LoadedDocument, or a LoadError saying why not."""

from __future__ import annotations

import hashlib
from pathlib import Path

from corpus.document import LoadedDocument, LoadError
from corpus.loaders.detect import detect_kind
from corpus.loaders.extracted import Extracted
from corpus.loaders.html import load_html
from corpus.loaders.limits import Limits, too_large_error
from corpus.loaders.pdf import load_pdf
from corpus.loaders.text import load_text
from corpus.loaders.xml_input import refuse_xml

__all__ = ["Limits", "LoadError", "detect_kind", "load_bytes", "load_path"]


def _extract(data: bytes, kind: str, limits: Limits) -> Extracted:
    if kind == "pdf":
        return load_pdf(data, limits)
    if kind == "html":
        return load_html(data, limits)
    if kind == "xml":
        refuse_xml(data, limits)
    return load_text(data, limits)


def load_bytes(data: bytes, source: str, *, limits: Limits | None = None) -> LoadedDocument:
    """Load one input's bytes; the kind comes from the content, `source` is only a name hint."""
    limits = limits or Limits()
    kind = None
    try:
        if len(data) > limits.max_bytes:
            raise too_large_error(len(data), limits)
        kind = detect_kind(data, source)
        extracted = _extract(data, kind, limits)
    except LoadError:
        raise
    except MemoryError as exc:
        # raised when the guard's memory cap (or the machine) runs out mid-parse
        raise LoadError(
            "too_large",
            f"loading as {kind or 'unknown kind'} ran out of memory (the guard caps a worker at "
            f"{limits.max_memory_bytes:,} bytes, max_memory_bytes); the input needs more than allowed",
        ) from exc
    except Exception as exc:
        # a parser failing in a way nobody foresaw still becomes an error row, not a crash
        error_type = "corrupt_pdf" if kind == "pdf" else "internal"
        raise LoadError(
            error_type, f"loading as {kind or 'unknown kind'} failed unexpectedly ({type(exc).__name__}: {exc})"
        ) from exc
    return LoadedDocument(
        source=source,
        doc_id=hashlib.sha256(data).hexdigest(),
        kind=kind,
        text=extracted.text,
        title=extracted.title,
        n_pages=extracted.n_pages,
        page_starts=extracted.page_starts,
        size_bytes=len(data),
        encoding=extracted.encoding,
        warnings=extracted.warnings,
    )


def load_path(path: str | Path, source: str | None = None, limits: Limits | None = None) -> LoadedDocument:
    """Read a file and load it; `source` defaults to the path as given."""
    limits = limits or Limits()
    path = Path(path)
    try:
        if not path.is_file():
            reason = "is a directory, not a file" if path.is_dir() else "does not exist"
            raise LoadError("not_found", f"the path {reason}")
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise too_large_error(size, limits)
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError("not_found", f"the file cannot be read ({exc.strerror or type(exc).__name__})") from exc
    return load_bytes(data, source if source is not None else str(path), limits=limits)
