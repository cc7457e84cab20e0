"""One PDF page's upright words to text lines in reading order: rows, columns, cells.

Engine-independent: both PDF engines hand their words over in the same shape.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from itertools import accumulate
from statistics import median
from typing import Any

from corpus.loaders.linejoin import SOFT_HYPHEN
from corpus.loaders.whitespace import collapse_spaces

GUTTER_BAND = (0.3, 0.7)  # a column gutter is searched in this share of the page width
GUTTER_WIDTH = 1.2  # minimum gutter width in word heights: wider than any space in justified text
WORD_SPACE = 0.6  # gaps narrower than this many word heights are spaces inside one line
MIN_SPLIT_ROWS = 3  # rows with text on both sides of a gutter needed to call a page two-column
MIN_SPLIT_SHARE = 0.25  # of the rows with words on both sides of the gutter
MIN_COLUMN_WIDTH = 60  # points; narrower regions are not split further


@dataclass
class Line:
    """One line of text with its box in upright page coordinates (top grows downwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    cells: list[str] = field(default_factory=list)  # parts of the line split at gutter-wide gaps
    column: tuple[float, float] = (0.0, 0.0)  # left and right edge of the text column it stands in
    flow_start: bool = False  # first line after a jump up to the top of the next column


@dataclass
class PageLines:
    """The lines of one page in reading order and the page's upright size."""

    lines: list[Line]
    width: float
    height: float


def _rows(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group words whose vertical centres fall inside the first word's band of a row."""
    rows: list[list[dict[str, Any]]] = []
    band: tuple[float, float] | None = None
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        centre = (word["top"] + word["bottom"]) / 2
        if band is not None and band[0] <= centre <= band[1]:
            rows[-1].append(word)
        else:
            rows.append([word])
            band = (word["top"], word["bottom"])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _crosses(row: list[dict[str, Any]], x: float) -> bool:
    return any(w["x0"] < x < w["x1"] for w in row)


def _wide_gaps(row: list[dict[str, Any]], min_gap: float) -> list[tuple[float, float]]:
    """Horizontal gaps of at least `min_gap` between the words of `row` (sorted by x0)."""
    gaps = []
    reach = row[0]["x1"]
    for word in row[1:]:
        if word["x0"] - reach >= min_gap:
            gaps.append((reach, word["x0"]))
        reach = max(reach, word["x1"])
    return gaps


def _spans(row: list[dict[str, Any]], x: float, word_space: float) -> bool:
    """Whether `row` runs across `x`: a word covers it, or the words either side are one space apart."""
    if _crosses(row, x):
        return True
    left = [w["x1"] for w in row if w["x1"] <= x]
    right = [w["x0"] for w in row if w["x0"] >= x]
    return bool(left and right) and min(right) - max(left) < word_space


def find_gutter(rows: list[list[dict[str, Any]]], lo: float, hi: float, min_gap: float) -> float | None:
    """The x of a gutter at least `min_gap` wide splitting the rows between `lo` and `hi`, or None."""
    if len(rows) < MIN_SPLIT_ROWS or hi - lo < MIN_COLUMN_WIDTH * 2:
        return None
    first, last = int(lo + (hi - lo) * GUTTER_BAND[0]), int(lo + (hi - lo) * GUTTER_BAND[1])
    # counts[i]: rows that a vertical line at x = first + i splits through a wide gap
    counts = [0] * (last - first + 2)
    for row in rows:
        for start, end in _wide_gaps(row, min_gap):
            a, b = max(first, int(start) + 1), min(last, math.ceil(end) - 1)
            if a <= b:
                counts[a - first] += 1
                counts[b - first + 1] -= 1
    values = list(accumulate(counts[:-1]))
    best = max(values, default=0)
    if best < MIN_SPLIT_ROWS:
        return None
    # the middle of the widest run of positions that split the most rows
    widest, run_start, middle = 0, None, None
    for i, value in enumerate(values + [-1]):
        if value == best and run_start is None:
            run_start = i
        elif value != best and run_start is not None:
            if i - run_start > widest:
                widest, middle = i - run_start, first + (run_start + i - 1) / 2
            run_start = None
    if middle is None:
        return None
    # the share is of the rows with words on both sides of the gutter: a row wholly in one column says
    # nothing (a short right column beside a long left one, on a call's last page, is still two columns)
    both = sum(1 for row in rows if row[0]["x0"] < middle < max(w["x1"] for w in row))
    return middle if best >= MIN_SPLIT_SHARE * both else None


def _clean(words: list[dict[str, Any]]) -> str:
    """Words joined by single spaces, NFKC-folded (ligatures), without mid-line soft hyphens."""
    text = collapse_spaces(unicodedata.normalize("NFKC", " ".join(w["text"] for w in words)))
    # soft hyphens only matter at the line end, where joining the next line consumes them
    return text[:-1].replace(SOFT_HYPHEN, "") + text[-1:]


def _line(words: list[dict[str, Any]], min_gap: float, column: tuple[float, float]) -> Line:
    """A Line from one row's words; `min_gap` splits it into cells, `column` is its column's edges."""
    cells: list[list[dict[str, Any]]] = [[words[0]]]
    for prev, word in zip(words, words[1:]):
        if word["x0"] - prev["x1"] >= min_gap:
            cells.append([])
        cells[-1].append(word)
    text = _clean(words)
    return Line(
        text=text,
        x0=min(w["x0"] for w in words),
        x1=max(w["x1"] for w in words),
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        size=median(w["bottom"] - w["top"] for w in words),
        cells=[text] if len(cells) == 1 else [_clean(cell) for cell in cells],  # one cell: the same words
        column=column,
    )


def _reading_order(rows: list[list[dict[str, Any]]], lo: float, hi: float, word_height: float) -> list[Line]:
    """Lines in reading order: rows spanning a gutter stay in place, split runs go left then right."""
    if not rows:
        return []
    min_gap = GUTTER_WIDTH * word_height
    gutter = find_gutter(rows, lo, hi, min_gap)
    extent = (min(w["x0"] for row in rows for w in row), max(w["x1"] for row in rows for w in row))
    if gutter is None:
        return [_line(row, min_gap, extent) for row in rows]
    lines: list[Line] = []
    left: list[list[dict[str, Any]]] = []
    right: list[list[dict[str, Any]]] = []

    def flush() -> None:
        left_lines = _reading_order(left, lo, gutter, word_height)
        right_lines = _reading_order(right, gutter, hi, word_height)
        if left_lines and right_lines:
            right_lines[0].flow_start = True
        lines.extend(left_lines + right_lines)
        left.clear()
        right.clear()

    for row in rows:
        if _spans(row, gutter, WORD_SPACE * word_height):
            flush()
            lines.append(_line(row, min_gap, extent))
            continue
        left_words = [w for w in row if w["x1"] <= gutter]
        right_words = [w for w in row if w["x0"] >= gutter]
        if left_words:
            left.append(left_words)
        if right_words:
            right.append(right_words)
    flush()
    return lines


def page_lines(words: list[dict[str, Any]], width: float, height: float) -> PageLines:
    """Text lines of one page, in reading order, from upright words (dicts with text and box)."""
    words = [w for w in words if w["text"].strip()]
    if not words:
        return PageLines([], width, height)
    rows = _rows(words)
    word_height = median(w["bottom"] - w["top"] for w in words)
    lines = [line for line in _reading_order(rows, 0.0, width, word_height) if line.text]
    return PageLines(lines, width, height)
