"""Reflowing hard-wrapped plain text and Markdown into one line per paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.loaders.linejoin import join_wrapped
from corpus.loaders.whitespace import collapse_spaces

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(\s+#+)?\s*$")
_RULE = re.compile(r"^ {0,3}([-*_=])( *\1){2,} *$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+) *$")
_LIST_ITEM = re.compile(r"^\s*([-*+\u2022\u2013]|\d{1,3}[.)]|\([a-zA-Z0-9]{1,3}\))\s+\S")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass
class Block:
    """One paragraph, heading, list item or table row of reflowed text."""

    text: str
    heading: bool = False


def normalise_newlines(text: str) -> str:
    """CRLF, CR, form feed and Unicode separators become '\\n' (paragraph breaks for the last two)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n\n").replace("\u2029", "\n\n").replace("\u2028", "\n")
    return text.replace("\u0085", "\n")


def reflow_blocks(text: str) -> list[Block]:
    """Split normalised text into blocks, joining the wrapped lines inside each paragraph."""
    blocks: list[Block] = []
    current: str | None = None
    in_fence = False

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(Block(current))
        current = None

    for raw in text.split("\n"):
        line = collapse_spaces(raw)
        if _FENCE.match(raw):
            close()
            in_fence = not in_fence
            continue
        if in_fence:
            if line:
                blocks.append(Block(line))
            continue
        if not line:
            close()
            continue
        if current is not None and _SETEXT.match(raw):
            # "Title" underlined by === or --- is a heading, whatever it spans.
            blocks.append(Block(current, heading=True))
            current = None
            continue
        if _RULE.match(raw):
            close()
            continue
        heading = _ATX_HEADING.match(raw)
        if heading:
            close()
            if heading.group(2).strip():
                blocks.append(Block(collapse_spaces(heading.group(2)), heading=True))
            continue
        if _LIST_ITEM.match(raw) or line.startswith("|"):
            close()
            if line.startswith("|"):
                blocks.append(Block(line))
                continue
            current = line
            continue
        current = line if current is None else join_wrapped(current, line)
    close()
    return blocks
