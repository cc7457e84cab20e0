"""Loading plain text and Markdown: decode, normalise newlines, reflow, pick a title."""

from __future__ import annotations

from corpus.document import LoadError
from corpus.loaders.decoding import decode_bytes
from corpus.loaders.extracted import Extracted
from corpus.loaders.limits import Limits, check_decoded_size
from corpus.loaders.text_reflow import normalise_newlines, reflow_blocks
from corpus.loaders.whitespace import collapse_spaces

MAX_TITLE_CHARS = 150
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def title_of(blocks_text: str, headings: list[str]) -> str | None:
    """The first Markdown heading, else the first non-empty line when it is short."""
    if headings:
        return headings[0]
    for raw in blocks_text.split("\n"):
        line = collapse_spaces(raw)
        if line:
            return line if len(line) <= MAX_TITLE_CHARS else None
    return None


def load_text(data: bytes, limits: Limits | None = None) -> Extracted:
    """Decode `data` as plain text or Markdown and reflow it into '\\n\\n'-separated paragraphs."""
    decoded = decode_bytes(data)
    check_decoded_size(len(decoded.text), limits or Limits())
    text = normalise_newlines(decoded.text).translate(_CONTROL)
    blocks = reflow_blocks(text)
    # soft hyphens are invisible: a block made only of them (or ending in one) must not survive
    paragraphs = [collapse_spaces(b.text.replace("\u00ad", "")) for b in blocks]
    kept = [(p, b.heading) for p, b in zip(paragraphs, blocks) if p]
    if not kept:
        raise LoadError("empty", "the text holds only whitespace")
    headings = [p for p, heading in kept if heading]
    body = "\n\n".join(p for p, _ in kept)
    return Extracted(text=body, title=title_of(text, headings), encoding=decoded.encoding)
