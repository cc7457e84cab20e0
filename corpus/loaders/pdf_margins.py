"""Dropping running headers, running footers and page numbers from the page margins."""

from __future__ import annotations

import re
from collections import Counter
from statistics import median

from corpus.loaders.pdf_layout import Line, PageLines

MARGIN_SHARE = 0.12  # top and bottom share of the page height searched for headers and footers
SMALL_PRINT = 0.85  # a header set at most this share of the body text size is small print
HEADER_GAP = 1.5  # ... and stands apart when this many body line heights separate it from the text
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.|seite|pag\.|página)\s*)?"
    r"[-\u2013\u2014(\[]?\s*(?:\d{1,5}|[ivxlcdm]{1,7})\s*[-\u2013\u2014)\]]?"
    r"(?:\s*(?:of|/|von|de|sur)\s*\d{1,4})?$",
    re.I,
)


def is_page_number(text: str) -> bool:
    """Whether a line is only a page number: '3', '- 3 -', 'Page 3 of 7', 'iv', '3/7'."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def _key(text: str) -> str:
    """A line's text with digits masked, so 'Page 3' and 'Page 4' compare equal."""
    return _DIGITS.sub("#", text.lower())


def _keys(line: Line) -> set[str]:
    """Keys of the whole line and of each gap-separated cell, for counting repeats across pages."""
    return {_key(line.text)} | {_key(cell) for cell in line.cells}


def _is_furniture(line: Line, running: set[str], outermost: bool) -> bool:
    """Whether a margin line repeats, is a page number, or is made of repeated cells and page numbers.

    A page number beside words only marks a header or footer on the page's outermost lines;
    elsewhere it is more likely a line number or a table cell.
    """
    if _key(line.text) in running or is_page_number(line.text):
        return True
    if outermost and _has_page_number(line):
        return True
    repeated = [_key(cell) in running for cell in line.cells]
    return any(repeated) and all(r or is_page_number(c) for r, c in zip(repeated, line.cells))


def _in_margin(line: Line, page: PageLines) -> bool:
    band = MARGIN_SHARE * page.height
    return line.bottom <= band or line.top >= page.height - band


def _has_page_number(line: Line) -> bool:
    """Whether the line starts or ends with a page number set apart from cells holding words."""
    if len(line.cells) < 2:
        return False
    for number, others in ((line.cells[0], line.cells[1:]), (line.cells[-1], line.cells[:-1])):
        if is_page_number(number) and any(ch.isalpha() for ch in "".join(others)):
            return True
    return False


def _outermost(page: PageLines) -> list[Line]:
    """The page's top and bottom lines."""
    if not page.lines:
        return []
    return [min(page.lines, key=lambda line: line.top), max(page.lines, key=lambda line: line.bottom)]


def _small_print_header(page: PageLines) -> Line | None:
    """The page's first line when it is small print standing apart above the text, as headers are."""
    if len(page.lines) < 2:
        return None
    first = min(page.lines, key=lambda line: line.top)
    body = median(line.size for line in page.lines)
    below = [line.top for line in page.lines if line.top > first.bottom]
    if not below or not _in_margin(first, page):
        return None
    small = first.size <= SMALL_PRINT * body
    apart = min(below) - first.bottom > HEADER_GAP * body
    return first if small and apart else None


def drop_margins(pages: list[PageLines]) -> list[PageLines]:
    """Copies of `pages` without margin lines that repeat, carry a page number, or are header small print."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({key for line in page.lines if _in_margin(line, page) for key in _keys(line)})
    needed = max(2, len(pages) / 2)
    running = {key for key, count in counts.items() if count >= needed}
    kept = []
    for page in pages:
        header = _small_print_header(page)
        outer = _outermost(page)
        lines = [
            line
            for line in page.lines
            if line is not header
            and not (_in_margin(line, page) and _is_furniture(line, running, any(line is o for o in outer)))
        ]
        kept.append(PageLines(lines, page.width, page.height))
    return kept
