"""The loaded document: what every loader returns and every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoadedDocument:
    """Clean text of one input plus the facts about it that the `documents` table keeps."""

    source: str
    doc_id: str
    kind: str  # "pdf" | "html" | "text"
    text: str
    title: str | None = None
    n_pages: int = 1
    # character offset in `text` at which each page starts (one entry per page; [0] for non-PDF)
    page_starts: list[int] = field(default_factory=lambda: [0])
    size_bytes: int = 0
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    def page_of(self, offset: int) -> int:
        """1-based page number on which character `offset` stands."""
        page = 1
        for i, start in enumerate(self.page_starts):
            if offset >= start:
                page = i + 1
            else:
                break
        return page


class LoadError(Exception):
    """A document that cannot be turned into text; `error_type` is one of ERROR_TYPES."""

    def __init__(self, error_type: str, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.transient = transient


# The fixed list of error types written to the `errors` table (README documents each).
ERROR_TYPES = {
    "encrypted_pdf": "PDF needs a password we do not have",
    "no_text_layer": "PDF pages carry no extractable text (scanned images)",
    "corrupt_pdf": "PDF structure cannot be parsed",
    "unsupported_type": "content is not PDF, HTML or text",
    "too_large": "input exceeds a configured size or page limit",
    "empty": "input has no bytes or no text after extraction",
    "decode_error": "text bytes could not be decoded in any likely encoding",
    "timeout": "loading took longer than the per-document time budget",
    "unsafe_xml": "XML declares entities or external references (billion laughs, XXE) and was refused",
    "corrupt_xml": "XML (a feed, sitemap or .xml input) is not well-formed",
    "not_found": "the named path does not exist",
    "read_error": "the file could not be read (permissions, I/O error); retried on the next run",
    "refused_path": "a symlink or path outside the named inputs was refused",
    "http_error": "the web server answered with an HTTP error status (5xx and 429 are retried)",
    "robots_disallowed": "the site's robots.txt does not let fundscope fetch the URL; it is skipped",
    "too_many_redirects": "the URL redirected more times than the configured limit",
    "fetch_failed": "the URL could not be fetched (connection failure, refused URL, bad transfer)",
    "extract_failed": "the spaCy extraction step raised",
    "classify_failed": "the classifier raised",
    "internal": "an unexpected error in fundscope itself",
}
