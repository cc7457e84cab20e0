"""Whitespace clean-up shared by the loaders, so no sentence keeps a tab, NBSP or newline."""

from __future__ import annotations

import re

# Any run of whitespace, including NBSP, thin and ideographic spaces (str.split semantics).
_SPACES = re.compile(r"\s+")
# Invisible characters that only break tokens: zero-width space/joiners, word joiner, BOM.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def collapse_spaces(text: str) -> str:
    """Turn every whitespace run into one plain space and trim the ends."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()
