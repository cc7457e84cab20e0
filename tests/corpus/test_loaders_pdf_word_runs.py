"""The array fast path of the pdfium engine builds exactly the words of the exact per-character path."""

from __future__ import annotations

import random

import numpy as np
import pytest

from corpus.loaders.pdf_word_runs import direction_of, words_of_runs
from corpus.loaders.pdf_words import direction, words_from_chars

TRIALS = 2000


def _line(rng: random.Random) -> list[tuple[str, float, float, float, float]]:
    """A random line of character boxes: spaces, gaps, jumps back, line changes and doubled glyphs."""
    chars: list[tuple[str, float, float, float, float]] = []
    x, y = 0.0, 100.0
    for _ in range(rng.randint(0, 60)):
        if rng.random() < 0.15:
            chars.append((" ", 0.0, 0.0, 0.0, 0.0))
            x += rng.choice([0, 2, 4])
            continue
        glyph, width = rng.choice("aab-c"), rng.choice([0.3, 1.0, 2.0, 5.0])
        x += rng.choice([-3.0, -1.6, -0.5, 0.0, 0.2, 1.0, 1.5, 1.6, 2.5, width])
        if rng.random() < 0.1:
            y += rng.choice([-4.0, -1.0, 0.5, 1.0, 3.0, 3.5])
        chars.append((glyph, x, x + width * rng.choice([1, 0.5, 2]), y, y + rng.choice([8.0, 10.0, 2.0])))
        if rng.random() < 0.1:  # the same glyph drawn twice, as fake bold does
            chars.append((glyph, x + rng.choice([0.0, 0.4, 1.0, 1.2]), x + width, y + rng.choice([0, 0.5, 1.5]), y + 10))
    return chars


@pytest.mark.parametrize("seed", [7, 11])
def test_array_words_equal_the_exact_path(seed: int) -> None:
    rng = random.Random(seed)
    for trial in range(TRIALS):
        chars = _line(rng)
        visible = [c for c in chars if c[0] != " "]
        run_start, after_space = [], True
        for c in chars:
            if c[0] == " ":
                after_space = True
                continue
            run_start.append(after_space)
            after_space = False
        boxes = [np.array([c[k] for c in visible], dtype=np.float64) for k in range(1, 5)]
        got = words_of_runs("".join(c[0] for c in visible), *boxes, np.array(run_start, dtype=bool))
        assert got == words_from_chars(chars), (seed, trial, chars)
        if visible:
            assert direction_of(*boxes) == direction(chars), (seed, trial)
