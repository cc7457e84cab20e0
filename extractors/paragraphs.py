"""A blank line ends a sentence: headings, menu items, datelines and table cells are not run into the next paragraph.

spaCy's sentencizer splits on punctuation only, so a headline without a full stop ("Taiwan to fund
partners directly") and the paragraph after it became one sentence, and a negation in either
spoke for both. This component runs after the sentencizer and starts a sentence at the first
token after every whitespace token holding a blank line. It sets no extensions.

    nlp.add_pipe("fundscope_paragraphs", name="paragraphs", after="sentencizer")
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


@Language.component("fundscope_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Mark the token after each blank line as a sentence start."""
    for token in doc[:-1]:
        if token.is_space and _BLANK_LINE.search(token.text):
            doc[token.i + 1].is_sent_start = True
    return doc
