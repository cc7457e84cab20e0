"""Joining two wrapped lines of one paragraph, undoing end-of-line hyphenation."""

from __future__ import annotations

_HYPHENS = ("-", "\u2010")  # ASCII hyphen-minus and the Unicode hyphen
SOFT_HYPHEN = "\u00ad"


def is_cjk(char: str) -> bool:
    """Whether `char` belongs to a script written without spaces between words."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
    )


def join_wrapped(left: str, right: str) -> str:
    """Append the next line `right` to `left` as a paragraph continues across a line break."""
    if not left:
        return right
    if not right:
        return left
    if left.endswith(SOFT_HYPHEN):
        return left[:-1] + right
    if left.endswith(_HYPHENS) and left[-2:-1].isalnum():
        if left[-2].isalpha() and right[0].islower():
            # "collabo-" + "ration": a word split by the typesetter.
            return left[:-1] + right
        # "Franco-" + "German", "2019-" + "2020": the hyphen is real, the break is not.
        return left + right
    if left.endswith("\u2013") and left[-2:-1].isdigit() and right[0].isdigit():
        return left + right  # a number range "2018–" + "23" broken after its en dash
    if is_cjk(left[-1]) and is_cjk(right[0]):
        return left + right
    return left + " " + right


def ends_sentence(line: str) -> bool:
    """Whether `line` ends like a finished sentence (a colon or semicolon does not)."""
    stripped = line.rstrip("\"'\u201d\u2019)]» ")
    return stripped.endswith((".", "!", "?", "\u3002", "\uff01", "\uff1f"))


def continues_paragraph(left: str, right: str) -> bool:
    """Guess, across a page or column break, whether `right` carries on `left`'s paragraph."""
    if not left or not right:
        return False
    if left.endswith(SOFT_HYPHEN):
        return True
    return not ends_sentence(left) and right[0].islower()
