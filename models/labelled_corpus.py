"""The hand-labelled corpus splits the classifier is trained and tested on."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.funding_mode import LABELS

REPO = Path(__file__).resolve().parents[1]
TRAIN_DIR = REPO / "corpus" / "labelled" / "train"
TEST_PATH = REPO / "corpus" / "labelled" / "test" / "test.jsonl"


@dataclass(frozen=True)
class LabelledDoc:
    """One hand-labelled document of a corpus split."""

    id: str
    label: str
    text: str
    genre: str
    file: str


def load_labelled(path: Path) -> list[LabelledDoc]:
    """Read one JSONL split file (`id`, `label`, `text`, optional `genre`), refusing unknown labels."""
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row["label"] not in LABELS:
                raise ValueError(f"{path.name}:{line_no}: label {row['label']!r} is not one of {LABELS}")
            docs.append(LabelledDoc(row["id"], row["label"], row["text"], row.get("genre", "unknown"), path.name))
    return docs


def load_train(train_dir: Path = TRAIN_DIR) -> list[LabelledDoc]:
    """All training documents, files in name order, refusing duplicate ids."""
    docs = [doc for path in sorted(train_dir.glob("*.jsonl")) for doc in load_labelled(path)]
    duplicates = [doc_id for doc_id, n in Counter(d.id for d in docs).items() if n > 1]
    if duplicates:
        raise ValueError(f"duplicate training ids: {sorted(duplicates)[:10]}")
    if not docs:
        raise FileNotFoundError(f"no training documents under {train_dir}")
    return docs


def load_test(test_path: Path = TEST_PATH) -> list[LabelledDoc]:
    """The held-out test split; read only by the final evaluation, after model selection."""
    if not test_path.is_file():
        raise FileNotFoundError(f"test split {test_path} is missing")
    return load_labelled(test_path)


def text_hashes(docs: Sequence[LabelledDoc]) -> set[str]:
    """sha256 of each text with case and whitespace folded, to count documents shared by two splits."""
    return {hashlib.sha256(" ".join(d.text.split()).lower().encode("utf-8")).hexdigest() for d in docs}
