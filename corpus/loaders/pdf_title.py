"""Choosing a PDF's title: the metadata Title when it says something, else the first line."""

from __future__ import annotations

import re
import unicodedata

from corpus.loaders.whitespace import collapse_spaces

MAX_TITLE_CHARS = 200
_FILE_NAME = re.compile(r"\.(docx?|pdf|txt|tex|dvi|rtf|odt|indd|qxd|exe|ps|html?|pptx?|xlsx?)$", re.I)
_PLACEHOLDER = re.compile(r"^(untitled|title|document\d*|none|unknown|slide \d+)$", re.I)
_OFFICE_PREFIX = re.compile(r"^microsoft (word|powerpoint|excel) - ", re.I)


def _as_text(value: object) -> str:
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            return value.decode("utf-16", errors="replace")
        return value.decode("latin-1")
    return value if isinstance(value, str) else ""


def meaningful_title(value: object) -> str | None:
    """The metadata title cleaned, or None when it is empty, a file name or a placeholder."""
    title = collapse_spaces(unicodedata.normalize("NFKC", _as_text(value)))
    if len(title) < 3 or not any(ch.isalpha() for ch in title):
        return None
    if _OFFICE_PREFIX.match(title) or _FILE_NAME.search(title) or _PLACEHOLDER.match(title):
        return None
    if " " not in title and ("_" in title or title == title.lower()):
        return None  # slugs and identifiers such as "905_Precinct_NoOU" or "test-punkt"
    return title[:MAX_TITLE_CHARS]


def pdf_title(metadata_title: object, first_line: str | None) -> str | None:
    """The PDF's title: a meaningful metadata Title, else the first line of page 1."""
    title = meaningful_title(metadata_title)
    if title:
        return title
    return first_line[:MAX_TITLE_CHARS] if first_line else None
