"""Builds our corpora's PDFs from Markdown sources: `python -m corpus.pdfsources SRC_DIR OUT_DIR`.

A source is `key: value` settings (title, header, footer, columns, hyphenate, page_label,
page_size, page_numbers), a `---` line, then the body (`# ` starts a heading). The PDFs
are deterministic, so a rebuild gives identical bytes. Needs reportlab (a dev dependency).
"""

from __future__ import annotations

import sys
from pathlib import Path


def read_source(path: Path) -> tuple[dict[str, str], str]:
    """Split a source into its settings (above the `---` line) and its body."""
    head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    if not sep:
        raise ValueError(f"{path}: no '---' line between settings and body")
    settings = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        settings[key.strip()] = value.strip()
    return settings, body


def build_one(source: Path, out_dir: Path) -> list[str]:
    """Build `out_dir/<source stem>.pdf`; return the words hyphenated at a line end."""
    from reportlab.lib.pagesizes import A4, A5, LETTER

    from corpus.pdfbuild import DEFAULT_PAGE_LABEL, build_pdf, lay_out

    settings, body = read_source(source)
    words = frozenset(w.strip() for w in settings.get("hyphenate", "").split(",") if w.strip())
    columns = int(settings.get("columns", "1"))
    page_size = {"A4": A4, "A5": A5, "letter": LETTER}[settings.get("page_size", "A4")]
    layout = lay_out(settings["title"], body, columns=columns, hyphenate=words, page_size=page_size)
    build_pdf(
        out_dir / f"{source.stem}.pdf",
        settings["title"],
        body,
        columns=columns,
        header=settings.get("header"),
        footer=settings.get("footer"),
        page_numbers=settings.get("page_numbers", "yes") != "no",
        hyphenate=words,
        page_label=settings.get("page_label", DEFAULT_PAGE_LABEL),
        page_size=page_size,
    )
    hyphenated = sorted({w for w, _ in layout.hyphenated})
    print(f"{out_dir.name}/{source.stem}.pdf: {len(layout.pages)} page(s), hyphenated {hyphenated}")
    return hyphenated


def build_dir(src_dir: Path, out_dir: Path) -> list[str]:
    """Build every `*.md` of `src_dir`; return the sources that came out with no hyphenated line end."""
    sources = [s for s in sorted(src_dir.glob("*.md")) if s.name != "README.md"]
    return [s.name for s in sources if not build_one(s, out_dir)]


def main(argv: list[str]) -> int:
    """Command line: pairs of SRC_DIR OUT_DIR."""
    if len(argv) < 2 or len(argv) % 2:
        print("usage: python -m corpus.pdfsources SRC_DIR OUT_DIR [SRC_DIR OUT_DIR ...]", file=sys.stderr)
        return 2
    for src, out in zip(argv[::2], argv[1::2]):
        for name in build_dir(Path(src), Path(out)):
            print(f"warning: {src}/{name} has no hyphenated line end", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
