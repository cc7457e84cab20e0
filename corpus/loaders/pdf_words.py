"""Character boxes to words: text direction, turning sideways text upright, grouping into words.

Engine-independent: a character is a plain tuple (text, x0, x1, top, bottom) in page
coordinates whose `top` grows downwards, whichever library read it.
"""

from __future__ import annotations

from typing import Iterable, Sequence

Char = tuple[str, float, float, float, float]  # text, x0, x1, top, bottom
Word = dict[str, object]  # "text", "x0", "x1", "top", "bottom", as pdf_layout reads them

X_TOLERANCE = 1.5  # a wider gap between two characters separates words (pdfplumber's 3 merges tight text)
Y_TOLERANCE = 3.0  # a larger vertical jump between two characters starts a new word
SAME_PLACE = 1.0  # a character repeated within this many points of itself is painted twice (fake bold)


def direction(chars: Sequence[Char]) -> str:
    """'ltr', 'ttb' or 'btt': the way most consecutive visible characters advance on the page."""
    votes = {"ltr": 0, "ttb": 0, "btt": 0}
    visible = [c for c in chars if c[0].strip()]
    for (_, ax0, ax1, atop, abottom), (_, bx0, _, btop, _) in zip(visible, visible[1:]):
        dx, dy = bx0 - ax0, btop - atop
        if abs(dy) < 0.5 * (abottom - atop) and dx > 0:
            votes["ltr"] += 1
        elif abs(dx) < 0.5 * (ax1 - ax0) and dy > 0:
            votes["ttb"] += 1
        elif abs(dx) < 0.5 * (ax1 - ax0) and dy < 0:
            votes["btt"] += 1
    return winning_direction(votes)


def winning_direction(votes: dict[str, int]) -> str:
    """The direction with most votes ('ltr', 'ttb', 'btt'); 'ltr' wins a tie, then 'ttb'."""
    return max(votes, key=lambda k: (votes[k], k == "ltr"))


def upright_box(box: tuple[float, float, float, float], way: str, width: float, height: float) -> tuple[float, float, float, float]:
    """(x0, x1, top, bottom) turned so that text running `way` reads left to right, lines downwards."""
    x0, x1, top, bottom = box
    if way == "ttb":  # vertical CJK or text turned clockwise: columns run right to left
        return top, bottom, width - x1, width - x0
    if way == "btt":  # text turned anticlockwise: reads upwards, lines run left to right
        return height - bottom, height - top, x0, x1
    return box


def upright(chars: Iterable[Char], way: str, width: float, height: float) -> list[Char]:
    """Characters with their boxes turned upright for text running `way` (unchanged for 'ltr')."""
    if way == "ltr":
        return list(chars)
    return [(c[0], *upright_box(c[1:], way, width, height)) for c in chars]


def _word(text: list[str], x0: float, x1: float, top: float, bottom: float) -> Word:
    return {"text": "".join(text), "x0": x0, "x1": x1, "top": top, "bottom": bottom}


def words_from_chars(chars: Iterable[Char], x_tolerance: float = X_TOLERANCE,
                     y_tolerance: float = Y_TOLERANCE) -> list[Word]:
    """Words from characters in drawing order: whitespace, a gap, a jump back or down ends a word."""
    words: list[Word] = []
    text: list[str] = []
    x0 = x1 = top = bottom = 0.0
    last = ("", 0.0, 0.0, 0.0)  # the previous character's text, x0, top and width
    for ch, cx0, cx1, ctop, cbottom in chars:
        if ch.isspace() or not ch:
            if text:
                words.append(_word(text, x0, x1, top, bottom))
                text = []
            continue
        if text:
            near = min(SAME_PLACE, last[3] / 2)  # tiny print: a letter's own width apart is a double letter
            if ch == last[0] and abs(cx0 - last[1]) <= near and abs(ctop - last[2]) <= SAME_PLACE:
                continue  # the same glyph drawn again at (nearly) the same place
            if cx0 - x1 > x_tolerance or cx0 < last[1] - x_tolerance or abs(ctop - last[2]) > y_tolerance:
                words.append(_word(text, x0, x1, top, bottom))
                text = []
        if text:
            text.append(ch)
            x1 = max(x1, cx1)
            top = min(top, ctop)
            bottom = max(bottom, cbottom)
        else:
            text = [ch]
            x0, x1, top, bottom = cx0, cx1, ctop, cbottom
        last = (ch, cx0, ctop, cx1 - cx0)
    if text:
        words.append(_word(text, x0, x1, top, bottom))
    return words
