"""Typesets plain text into simple, reproducible PDFs (build-time tool for the sample corpora)."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

BODY_FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
BODY_SIZE, BODY_LEADING = 10.5, 14.5
HEADING_SIZE, HEADING_LEADING = 12.5, 17.0
TITLE_SIZE, TITLE_LEADING = 17.0, 22.0
RUNNING_SIZE = 8.0

MARGIN_X = 62.0
HEADER_FROM_TOP = 38.0  # baseline of the running header, measured down from the top edge
BODY_FROM_TOP = 84.0  # first body baseline, measured down from the top edge
FOOTER_Y = 36.0
BODY_BOTTOM = 74.0  # no body baseline is placed below this
COLUMN_GAP = 22.0
PARAGRAPH_GAP = 7.0
HEADING_GAP = 10.0
TITLE_GAP = 12.0
MIN_FRAGMENT = 3  # letters kept on each side of a hyphenation point
VOWELS = frozenset("aeiouy")

DEFAULT_PAGE_LABEL = "Page {page} of {pages}"


@dataclass(frozen=True)
class PlacedLine:
    """One line of text at its final position (PDF points, origin bottom-left)."""

    x: float
    y: float
    text: str
    font: str
    size: float


@dataclass
class Layout:
    """Body lines per page, plus every word split across a line end as (word, prefix length)."""

    pages: list[list[PlacedLine]]
    hyphenated: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _Block:
    kind: str  # "title" | "heading" | "paragraph"
    text: str


_STYLE = {
    "title": (BOLD_FONT, TITLE_SIZE, TITLE_LEADING),
    "heading": (BOLD_FONT, HEADING_SIZE, HEADING_LEADING),
    "paragraph": (BODY_FONT, BODY_SIZE, BODY_LEADING),
}


def parse_body(body: str) -> list[tuple[str, str]]:
    """Split `body` into ("heading" | "paragraph", text) blocks, each block's lines joined by spaces."""
    blocks: list[tuple[str, str]] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(("paragraph", " ".join(" ".join(lines).split())))
            lines.clear()

    for raw in body.splitlines():
        if not raw.strip():
            flush()
        elif raw.startswith("# "):
            flush()
            blocks.append(("heading", " ".join(raw[2:].split())))
        else:
            lines.append(raw)
    flush()
    return [b for b in blocks if b[1]]


def _check_encodable(label: str, text: str) -> None:
    """Refuse characters that Helvetica's WinAnsi encoding cannot show (they would print as junk)."""
    for ch in text:
        try:
            ch.encode("cp1252")
        except UnicodeEncodeError:
            raise ValueError(f"{label} contains {ch!r} (U+{ord(ch):04X}), which Helvetica/WinAnsi cannot print") from None


class _Flow:
    """Places lines into columns and pages, top to bottom, left column first."""

    def __init__(self, page_size: tuple[float, float], columns: int, hyphenate: set[str]) -> None:
        self.width_page, self.height_page = page_size
        self.columns = columns
        self.hyphenate = hyphenate
        full = self.width_page - 2 * MARGIN_X
        self.column_width = (full - (columns - 1) * COLUMN_GAP) / columns
        self.layout = Layout(pages=[[]])
        self.column = 0
        self.top = self.height_page - BODY_FROM_TOP
        self.y = self.top
        self.at_column_top = True

    def column_x(self) -> float:
        """Left edge of the current column."""
        return MARGIN_X + self.column * (self.column_width + COLUMN_GAP)

    def next_column(self) -> None:
        """Move to the top of the next column, starting a new page after the last one."""
        self.column += 1
        if self.column == self.columns:
            self.column = 0
            self.layout.pages.append([])
            self.top = self.height_page - BODY_FROM_TOP
        self.y = self.top
        self.at_column_top = True

    def place_title(self, text: str) -> None:
        """Set the title across the full text width at the top of page 1; columns start below it."""
        font, size, leading = _STYLE["title"]
        width = self.width_page - 2 * MARGIN_X
        words = text.split()
        while words:
            line, words = self._fill_line(words, width, font, size, allow_hyphen=False)
            self.layout.pages[0].append(PlacedLine(MARGIN_X, self.y, line, font, size))
            self.y -= leading
        self.y -= TITLE_GAP
        self.top = self.y
        self.at_column_top = True

    def place_block(self, block: _Block) -> None:
        """Flow one heading or paragraph into the columns, after the usual gap above it."""
        font, size, leading = _STYLE[block.kind]
        gap = HEADING_GAP if block.kind == "heading" else PARAGRAPH_GAP
        if not self.at_column_top:
            self.y -= gap
        if block.kind == "heading":
            # keep a heading together with at least one line of what follows it
            needed = leading * (self._count_lines(block.text, font, size) - 1) + PARAGRAPH_GAP + BODY_LEADING
            if self.y - needed < BODY_BOTTOM and not self.at_column_top:
                self.next_column()
        words = block.text.split()
        while words:
            if self.y < BODY_BOTTOM:
                self.next_column()
            last_slot = self.y - leading < BODY_BOTTOM
            # no hyphenation on the last line of a column: the word would be split across columns
            allow = block.kind == "paragraph" and not last_slot
            line, words = self._fill_line(words, self.column_width, font, size, allow_hyphen=allow)
            self.layout.pages[-1].append(PlacedLine(self.column_x(), self.y, line, font, size))
            self.y -= leading
            self.at_column_top = False

    def _count_lines(self, text: str, font: str, size: float) -> int:
        """How many column lines `text` takes without hyphenation."""
        words, count = text.split(), 0
        while words:
            _, words = self._fill_line(words, self.column_width, font, size, allow_hyphen=False)
            count += 1
        return count

    def _fill_line(
        self, words: list[str], width: float, font: str, size: float, *, allow_hyphen: bool
    ) -> tuple[str, list[str]]:
        """Take words for one line of `width`; return the line and the words left over."""
        taken: list[str] = []
        for i, word in enumerate(words):
            candidate = " ".join([*taken, word])
            if stringWidth(candidate, font, size) <= width:
                taken.append(word)
                continue
            if not taken:
                raise ValueError(f"word {word!r} is wider than the {width:.0f} pt line")
            if allow_hyphen:
                split = self._split_word(taken, word, width, font, size)
                if split is not None:
                    head, tail, core, cut = split
                    self.layout.hyphenated.append((core, cut))
                    return " ".join([*taken, head]), [tail, *words[i + 1 :]]
            return " ".join(taken), words[i:]
        return " ".join(taken), []

    def _split_word(
        self, taken: list[str], word: str, width: float, font: str, size: float
    ) -> tuple[str, str, str, int] | None:
        """Longest hyphenated prefix of a listed word that still fits on the line, or None."""
        lead = len(word) - len(word.lstrip(string.punctuation))
        core = word.strip(string.punctuation)
        trail = word[lead + len(core) :]
        if core.lower() not in self.hyphenate or not core.isalpha():
            return None
        for cut in range(len(core) - MIN_FRAGMENT, MIN_FRAGMENT - 1, -1):
            if not _syllable_start(core, cut):
                continue
            head = word[:lead] + core[:cut] + "-"
            if stringWidth(" ".join([*taken, head]), font, size) <= width:
                return head, core[cut:] + trail, core, cut
        return None


def _syllable_start(word: str, cut: int) -> bool:
    """Rough syllable rule: break before a consonant-vowel pair (inter-national), not in "pr"/"bl"/"th"."""
    before, first, second = word[cut - 1].lower(), word[cut].lower(), word[cut + 1].lower()
    if first in "rlh" and before not in VOWELS:
        return False
    return first not in VOWELS and second in VOWELS


def lay_out(
    title: str,
    body: str,
    *,
    columns: int = 1,
    hyphenate: set[str] | frozenset[str] = frozenset(),
    page_size: tuple[float, float] = A4,
) -> Layout:
    """Compute where every title, heading and body line goes, without writing a file."""
    if columns < 1:
        raise ValueError("columns must be at least 1")
    _check_encodable("title", title)
    _check_encodable("body", body)
    flow = _Flow(page_size, columns, {w.lower() for w in hyphenate})
    if title.strip():
        flow.place_title(" ".join(title.split()))
    for kind, text in parse_body(body):
        flow.place_block(_Block(kind, text))
    return flow.layout


def build_pdf(
    path: Path,
    title: str,
    body: str,
    *,
    columns: int = 1,
    header: str | None = None,
    footer: str | None = None,
    page_numbers: bool = True,
    hyphenate: set[str] | frozenset[str] = frozenset(),
    page_label: str = DEFAULT_PAGE_LABEL,
    page_size: tuple[float, float] = A4,
) -> None:
    """Write a text PDF to `path`, byte-identical on every rebuild, for use as a test or sample input.

    Layout: Helvetica, ragged right, `title` in bold across the full width at the top of page 1,
    then `body` flowed in `columns` columns (left column filled before the right one) over as
    many pages as needed. `body` is paragraphs separated by blank lines; lines inside a paragraph
    are joined with spaces; a line starting with "# " is a bold heading (kept with the next line).
    `header` is printed at the top and `footer` at the bottom left of every page; with
    `page_numbers`, `page_label` (placeholders {page} and {pages}, e.g. "{page}") is printed at the
    bottom right, or centred when there is no footer. A word listed in `hyphenate` (matched
    case-insensitively, without surrounding punctuation) that does not fit at the end of a line is
    split with "-" at the longest prefix that fits, before a consonant-vowel pair, keeping at
    least 3 letters on each side and never on the last line of a column; `lay_out(...).hyphenated` tells which words were split.
    Only characters of the WinAnsi (cp1252) encoding are allowed: "–" and curly quotes are fine,
    "≥" is not; anything else raises ValueError. Title is also stored as the PDF metadata title.
    """
    layout = lay_out(title, body, columns=columns, hyphenate=hyphenate, page_size=page_size)
    running = [" ".join(s.split()) for s in (header, footer) if s]
    for text in running:
        _check_encodable("header/footer", text)
    _check_encodable("page_label", page_label)
    width, height = page_size
    canvas = Canvas(str(path), pagesize=page_size, invariant=1)
    canvas.setTitle(" ".join(title.split()))
    canvas.setCreator("fundscope corpus.pdfbuild")
    total = len(layout.pages)
    for number, lines in enumerate(layout.pages, start=1):
        canvas.setFillGray(0.35)
        canvas.setFont(BODY_FONT, RUNNING_SIZE)
        if header:
            canvas.drawString(MARGIN_X, height - HEADER_FROM_TOP, " ".join(header.split()))
            canvas.setLineWidth(0.4)
            canvas.setStrokeGray(0.6)
            canvas.line(MARGIN_X, height - HEADER_FROM_TOP - 5, width - MARGIN_X, height - HEADER_FROM_TOP - 5)
        if footer:
            canvas.drawString(MARGIN_X, FOOTER_Y, " ".join(footer.split()))
        if page_numbers:
            label = page_label.format(page=number, pages=total)
            if footer:
                canvas.drawRightString(width - MARGIN_X, FOOTER_Y, label)
            else:
                canvas.drawCentredString(width / 2, FOOTER_Y, label)
        canvas.setFillGray(0)
        for line in lines:
            canvas.setFont(line.font, line.size)
            canvas.drawString(line.x, line.y, line.text)
        canvas.showPage()
    canvas.save()
