"""What either PDF engine reads from a file, and turning it into one reflowed text with page starts."""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.document import LoadError
from corpus.loaders.extracted import Extracted
from corpus.loaders.limits import Limits
from corpus.loaders.linejoin import SOFT_HYPHEN, continues_paragraph, join_wrapped
from corpus.loaders.pdf_layout import PageLines
from corpus.loaders.pdf_margins import drop_margins
from corpus.loaders.pdf_paragraphs import page_paragraphs
from corpus.loaders.pdf_title import pdf_title


@dataclass
class RawPdf:
    """One PDF as an engine read it: each page's lines in reading order, before margins are dropped."""

    pages: list[PageLines]
    n_chars: int
    metadata_title: object = None
    warnings: list[str] = field(default_factory=list)


def check_page_count(n_pages: int, limits: Limits) -> None:
    """Refuse a PDF with more pages than `max_pages`, or with none, before any page is read."""
    if n_pages > limits.max_pages:
        raise LoadError("too_large", f"the PDF has {n_pages} pages, more than the limit of {limits.max_pages}")
    if n_pages == 0:
        raise LoadError("empty", "the PDF has no pages")


def check_pages_read(n_pages: int, failures: int, warnings: list[str]) -> None:
    """Refuse a PDF none of whose pages could be read."""
    if n_pages and failures == n_pages:
        raise LoadError("corrupt_pdf", f"no page of the PDF could be read; first problem: {warnings[0]}")


def _drop_trailing_soft_hyphen(paragraphs: list[str]) -> int:
    """Remove a soft hyphen left at the end of the last paragraph; return the length change."""
    if paragraphs[-1].endswith(SOFT_HYPHEN):
        paragraphs[-1] = paragraphs[-1][:-1]
        return -1
    return 0


def assemble(paragraphs_by_page: list[list[str]]) -> tuple[str, list[int]]:
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


def extracted(raw: RawPdf) -> Extracted:
    """The document's text, title and page starts, or the error saying why it has no text."""
    n_pages = len(raw.pages)
    if raw.n_chars == 0:
        raise LoadError(
            "no_text_layer",
            f"none of the {n_pages} pages carries text characters (scanned images or drawings); run OCR first",
        )
    pages = drop_margins(raw.pages)
    text, page_starts = assemble([page_paragraphs(page.lines) for page in pages])
    if not text.strip():
        raise LoadError("empty", "the PDF has characters but no text remained after extraction")
    first_line = pages[0].lines[0].text if pages[0].lines else None
    return Extracted(
        text=text,
        title=pdf_title(raw.metadata_title, first_line),
        n_pages=n_pages,
        page_starts=page_starts,
        warnings=raw.warnings,
    )
