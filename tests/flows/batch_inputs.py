"""Inputs for batch tests: texts written to files and planned as the flow would plan them."""

from __future__ import annotations

from pathlib import Path

from corpus.sources import PlannedItem, hash_file


def planned_items(folder: Path, texts: dict[str, str]) -> list[PlannedItem]:
    """One PlannedItem per (file name, text), the file written into `folder`."""
    out = []
    for name, text in texts.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        doc_id, size = hash_file(str(path))
        out.append(PlannedItem(name, str(path), doc_id, size))
    return out
