"""The `train` flow (what `fundscope train` runs) is the same procedure as `models.train.run_training`.

That procedure reproducing the shipped card on the full corpus is checked once, in
tests/models/test_training_reproduces_card.py; here both run on a small slice of the training
files, so the flow's wiring is checked without a second full retrain.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.funding_mode import FundingModeModel
from models.labelled_corpus import TRAIN_DIR
from models.train import SEED_LETTER, run_training
from tests.numeric import assert_close_tree

PER_LABEL_PER_FILE = 8
# Both runs fit the same data with the same seed on the same machine: only summation order could differ.
SAME_MACHINE_TOL = 1e-9


def _slice(out: Path) -> Path:
    """The first PER_LABEL_PER_FILE documents of each label from two training files (two writers)."""
    out.mkdir()
    for name in ("calls_programmes_letters.jsonl", "realshaped_w4.jsonl"):
        taken: dict[str, int] = {}
        lines = []
        for line in (TRAIN_DIR / name).read_text(encoding="utf-8").splitlines():
            label = json.loads(line)["label"]
            if taken.get(label, 0) < PER_LABEL_PER_FILE:
                taken[label] = taken.get(label, 0) + 1
                lines.append(line)
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_train_flow_gives_what_the_plain_procedure_gives(prefect_api: str, tmp_path: Path) -> None:
    from flows.train import train

    if not SEED_LETTER.is_file():
        pytest.skip("../shared/seeds is absent; model selection checks the seed letter")
    train_dir = _slice(tmp_path / "train")
    by_flow = train(train_dir=train_dir, artifact_path=tmp_path / "flow.joblib", card_path=tmp_path / "flow.md")
    plain = run_training(train_dir=train_dir, artifact_path=tmp_path / "plain.joblib", card_path=tmp_path / "plain.md")
    assert by_flow["n_train"] == plain["n_train"] == 6 * PER_LABEL_PER_FILE
    assert by_flow["params"] == plain["params"]
    # the version is a content hash plus the training date: the hash part must match
    assert by_flow["model_version"].rsplit("-", 1)[0] == plain["model_version"].rsplit("-", 1)[0]
    for key in ("test", "cv", "cv_log_loss", "cv_by_writer", "seed_letter"):
        assert_close_tree(by_flow[key], plain[key], abs_tol=SAME_MACHINE_TOL, where=key)
    assert FundingModeModel.load(tmp_path / "flow.joblib").version == by_flow["model_version"]
    assert (tmp_path / "flow.md").read_text(encoding="utf-8").startswith("# Model card")
