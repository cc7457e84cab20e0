"""Reflowing a page's lines into paragraphs, using vertical gaps, size changes and bullets."""

from __future__ import annotations

import re
from statistics import median

from corpus.loaders.linejoin import SOFT_HYPHEN, continues_paragraph, ends_sentence, join_wrapped
from corpus.loaders.pdf_layout import Line

PARAGRAPH_GAP = 0.4  # extra gap, in line heights, above the usual leading that ends a paragraph
SIZE_CHANGE = 0.25  # relative change of text size that starts a new block (headings)
SHORT_LINE = 0.15  # a sentence-final line this share short of the column edge ends a paragraph
_BULLET = re.compile(r"^([\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2219\u00b7*\u2013\u2014-]|\(?\d{1,2}[.)]|\([a-z]\)|[a-z]\))\s")


def _usual_gap(lines: list[Line], height: float) -> float:
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:])
        if not b.flow_start and -height < b.top - a.bottom < 2.5 * height
    ]
    return median(gaps) if gaps else 0.2 * height


def _breaks(prev: Line, line: Line, gap: float, height: float) -> bool:
    """Whether `line` starts a new paragraph after `prev` within one column."""
    if line.top - prev.bottom > gap + PARAGRAPH_GAP * height:
        return True
    if abs(line.size - prev.size) > SIZE_CHANGE * max(line.size, prev.size):
        return True
    if _BULLET.match(line.text):
        return True
    left, right = prev.column
    return ends_sentence(prev.text) and prev.x1 < right - SHORT_LINE * (right - left)


def page_paragraphs(lines: list[Line]) -> list[str]:
    """The paragraphs of one page in reading order, each on a single line."""
    if not lines:
        return []
    height = median(line.size for line in lines)
    gap = _usual_gap(lines, height)
    paragraphs = [lines[0].text]
    for i in range(1, len(lines)):
        prev, line = lines[i - 1], lines[i]
        if line.flow_start or line.top < prev.top:
            joined = continues_paragraph(paragraphs[-1], line.text)
        else:
            joined = not _breaks(prev, line, gap, height)
        if joined:
            paragraphs[-1] = join_wrapped(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
    # only the page's last paragraph may run on to the next page and still need its soft hyphen
    return [p.removesuffix(SOFT_HYPHEN) for p in paragraphs[:-1]] + paragraphs[-1:]
