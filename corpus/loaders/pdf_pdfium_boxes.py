"""A page's PDFium character boxes in numpy arrays, read with one cheap ctypes call per character.

The boxes are the same numbers the per-character loop read before (loose box, one font size
high on its ascent side, `top` measured downwards); only the way of fetching them is faster:
PDFium writes straight into one reused buffer, and the arithmetic runs over whole arrays.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# The typed pypdfium2 bindings convert every argument on each call; these prototypes of the very
# same PDFium symbols take plain addresses, which roughly halves the cost of a call.
_BOOL_CALL = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
_SIZE_CALL = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_void_p, ctypes.c_int)


def _symbol(function: object, prototype: type) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


_LOOSE_BOX = _symbol(pdfium_c.FPDFText_GetLooseCharBox, _BOOL_CALL)
_MATRIX = _symbol(pdfium_c.FPDFText_GetMatrix, _BOOL_CALL)
_FONT_SIZE = _symbol(pdfium_c.FPDFText_GetFontSize, _SIZE_CALL)
_RECT_FLOATS, _MATRIX_FLOATS = 4, 6  # FS_RECTF: left, top, right, bottom; FS_MATRIX: a, b, c, d, e, f
assert ctypes.sizeof(pdfium_c.FS_RECTF) == 4 * _RECT_FLOATS and ctypes.sizeof(pdfium_c.FS_MATRIX) == 4 * _MATRIX_FLOATS
_SPACE_LIMIT = 0x3001  # every code point str.isspace() accepts lies below this one
_IS_SPACE = np.array([chr(c).isspace() for c in range(_SPACE_LIMIT)], dtype=bool)
_HYPHEN = ord("-")
_LINE_END_HYPHENS = (0x02, 0xFFFE)  # PDFium's marks for a hyphen it found at a line end
_TOP, _BOTTOM, _RIGHT, _LEFT = 0, 1, 2, 3


class _Buffer:
    """A float32 buffer PDFium writes structures into, grown on demand and reused across pages."""

    def __init__(self, floats_per_item: int) -> None:
        self.floats = floats_per_item
        self.items = 0
        self.array = np.zeros(0, dtype=np.float32)

    def fill(self, call: ctypes._CFuncPtr, textpage: int, indices: list[int]) -> np.ndarray:  # type: ignore[name-defined]
        """(len(indices), floats) as float64: `call(textpage, i, slot)` for each index, in order.

        A failed call leaves the structure as it was, as the single reused structure of a plain
        loop would: the previous item's values, or zeros for the first.
        """
        count = len(indices)
        if count > self.items:
            self.items = max(count, 2 * self.items, 1024)
            self.array = np.zeros(self.items * self.floats, dtype=np.float32)
        step = 4 * self.floats
        base = self.array.ctypes.data
        done = list(map(call, repeat(textpage, count), indices, range(base, base + step * count, step)))
        items = self.array[: count * self.floats].reshape(count, self.floats)
        if not all(done):
            previous = np.zeros(self.floats, dtype=np.float32)
            for k, ok in enumerate(done):
                if not ok:
                    items[k] = previous
                previous = items[k]
        return items.astype(np.float64)


_BOXES, _MATRICES = _Buffer(_RECT_FLOATS), _Buffer(_MATRIX_FLOATS)


@dataclass
class PageBoxes:
    """Every visible (non-whitespace) character of a page, in PDFium's order.

    text: the page text, one entry per PDFium character index; visible: the visible characters
    with line-end hyphens as '-'; index: their character indices; x0, x1, top, bottom: their boxes;
    upright: whether each is upright as pdfminer means it; run_start: whether each follows
    whitespace (or starts the page).
    """

    text: str
    visible: str
    index: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    upright: np.ndarray
    run_start: np.ndarray


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _is_space(codes: np.ndarray) -> np.ndarray:
    """Whether each code point is whitespace as str.isspace() means it."""
    return _IS_SPACE[np.minimum(codes, _SPACE_LIMIT - 1)] & (codes < _SPACE_LIMIT)


def _ascent(matrices: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per run: the box edge its glyphs rise towards (_TOP.._LEFT), its font size on the page
    (Tf size times the text and graphics scaling), and whether it is upright (not turned a
    quarter or more, not mirrored)."""
    a, b, c, d = matrices[:, 0], matrices[:, 1], matrices[:, 2], matrices[:, 3]
    up_x, up_y = c * sizes, d * sizes
    # math.hypot, not np.hypot, whose rounding may differ in the last digit
    heights = np.array(list(map(math.hypot, up_x.tolist(), up_y.tolist())), dtype=np.float64)
    straight = (a * d > 0) & (b * c <= 0)
    vertical = np.abs(up_y) >= np.abs(up_x)
    side = np.where(vertical, np.where(up_y > 0, _TOP, _BOTTOM), np.where(up_x > 0, _RIGHT, _LEFT))
    return side, heights, straight


def page_boxes(textpage: pdfium.PdfTextPage, text: str, left: float, top: float) -> PageBoxes:
    """The visible characters of `text` (the text page's characters) with their boxes.

    PDFium's loose box spans the font's ascent to descent; like pdfminer's, ours keeps the
    descent edge and is one font size high, so that layout thresholds in word heights mean
    the same with either engine. The font size is read once per run of visible characters.
    """
    codes = _code_points(text)
    index = np.flatnonzero(~_is_space(codes))
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    with np.errstate(all="ignore"):  # hostile files may carry inf or NaN coordinates
        rects = _BOXES.fill(_LOOSE_BOX, handle, index.tolist())
        run_start = np.ones(len(index), dtype=bool)
        run_start[1:] = np.diff(index) != 1
        starts = index[run_start].tolist()
        matrices = _MATRICES.fill(_MATRIX, handle, starts)
        sizes = np.array(list(map(_FONT_SIZE, repeat(handle, len(starts)), starts)), dtype=np.float64)
        side, height, straight = _ascent(matrices, sizes)
        run = np.cumsum(run_start) - 1
        side, height = side[run], height[run]
        x0, y1, x1, y0 = rects[:, 0], rects[:, 1], rects[:, 2], rects[:, 3]
        tall = height > 0
        y1 = np.where(tall & (side == _TOP), y0 + height, y1)
        y0 = np.where(tall & (side == _BOTTOM), y1 - height, y0)
        x1 = np.where(tall & (side == _RIGHT), x0 + height, x1)
        x0 = np.where(tall & (side == _LEFT), x1 - height, x0)
        visible_codes = codes[index]
        line_end = (visible_codes == _LINE_END_HYPHENS[0]) | (visible_codes == _LINE_END_HYPHENS[1])
        visible_codes = np.where(line_end, _HYPHEN, visible_codes).astype("<u4")
        return PageBoxes(
            text=text,
            visible=visible_codes.tobytes().decode("utf-32-le", "surrogatepass"),
            index=index,
            x0=x0 - left,
            x1=x1 - left,
            top=top - y1,
            bottom=top - y0,
            upright=straight[run],
            run_start=run_start,
        )
