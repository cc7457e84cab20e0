"""`direction` and `words_from_chars` over character arrays: one word per run where nothing splits it.

Same results as the per-character functions in pdf_words, which still read every run that a
gap, a jump or a doubled glyph may split; the rest become words straight from array reductions.
"""

from __future__ import annotations

import numpy as np

from corpus.loaders.pdf_words import SAME_PLACE, X_TOLERANCE, Y_TOLERANCE, Char, Word, winning_direction, words_from_chars


def direction_of(x0: np.ndarray, x1: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> str:
    """`pdf_words.direction` for the boxes of the visible characters, in drawing order."""
    with np.errstate(all="ignore"):
        dx, dy = x0[1:] - x0[:-1], top[1:] - top[:-1]
        ltr = (np.abs(dy) < 0.5 * (bottom[:-1] - top[:-1])) & (dx > 0)
        narrow = np.abs(dx) < 0.5 * (x1[:-1] - x0[:-1])
        ttb = ~ltr & narrow & (dy > 0)
        btt = ~ltr & ~ttb & narrow & (dy < 0)
    return winning_direction({"ltr": int(ltr.sum()), "ttb": int(ttb.sum()), "btt": int(btt.sum())})


def words_of_runs(text: str, x0: np.ndarray, x1: np.ndarray, top: np.ndarray, bottom: np.ndarray,
                  run_start: np.ndarray) -> list[Word]:
    """`words_from_chars` for visible characters `text` (finite boxes) whose runs between
    whitespace begin where `run_start` is set.

    A run is one word unless, against the character before it, some character jumps back,
    leaves a gap, changes line or repeats the same glyph in place; testing each character
    against its predecessor's own right edge (not the word's so far) can only flag more runs.
    """
    count = len(text)
    if count == 0:
        return []
    flag = np.zeros(count, dtype=bool)
    px0, px1, ptop = x0[:-1], x1[:-1], top[:-1]
    cx0, ctop = x0[1:], top[1:]
    near = np.minimum(SAME_PLACE, (px1 - px0) / 2)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    flag[1:] = (
        (cx0 - px1 > X_TOLERANCE)
        | (cx0 < px0 - X_TOLERANCE)
        | (np.abs(ctop - ptop) > Y_TOLERANCE)
        | ((codes[1:] == codes[:-1]) & (np.abs(cx0 - px0) <= near) & (np.abs(ctop - ptop) <= SAME_PLACE))
    ) & ~run_start[1:]
    starts = np.flatnonzero(run_start)
    ends = np.append(starts[1:], count)
    split = np.logical_or.reduceat(flag, starts)
    first_x0 = x0[starts].tolist()
    last_x1 = np.maximum.reduceat(x1, starts).tolist()
    tops = np.minimum.reduceat(top, starts).tolist()
    bottoms = np.maximum.reduceat(bottom, starts).tolist()
    words: list[Word] = []
    for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist())):
        if split[k]:
            words.extend(words_from_chars(_chars(text, x0, x1, top, bottom, a, b)))
        else:
            words.append({"text": text[a:b], "x0": first_x0[k], "x1": last_x1[k], "top": tops[k], "bottom": bottoms[k]})
    return words


def _chars(text: str, x0: np.ndarray, x1: np.ndarray, top: np.ndarray, bottom: np.ndarray,
           a: int, b: int) -> list[Char]:
    return list(zip(text[a:b], x0[a:b].tolist(), x1[a:b].tolist(), top[a:b].tolist(), bottom[a:b].tolist()))
