"""Model selection on the training split: the search space, the shared CV folds, the acceptance check."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from models.funding_mode import (
    LABELS,
    ModelParams,
    block_weights,
    build_classifier,
    build_features,
    build_pipeline,
    single_threaded_blas,
)

SEARCH_SPACE = Path(__file__).resolve().parent / "search_space.json"
ACCEPTANCE = Path(__file__).resolve().parent / "acceptance.json"  # paths relative to the shared folder
CV_FOLDS = 5
N_JOBS = 2  # folds run in parallel worker processes; results do not depend on it


@dataclass
class Selection:
    """Outcome of model selection: the chosen params, the CV macro-F1 of every candidate, the acceptance checks."""

    best: ModelParams
    scores: list[tuple[ModelParams, float, float]]  # params, mean and std of fold macro-F1
    floor: float = 0.0  # candidates below this mean CV macro-F1 were not considered
    n_acceptance: int = 0  # acceptance documents that every considered candidate had to get right
    rejected: list[ModelParams] = field(default_factory=list)  # considered, but failed an acceptance document
    accepted: bool = True  # False when no considered candidate passed, and the top CV candidate was kept


def load_search_space(path: Path = SEARCH_SPACE) -> list[ModelParams]:
    """Every combination of the values listed in the search-space file, in a fixed order."""
    space = json.loads(path.read_text(encoding="utf-8"))
    names = sorted(space)
    return [ModelParams(**dict(zip(names, values))) for values in itertools.product(*(space[n] for n in names))]


def cv_folds(labels: Sequence[str], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The stratified folds every CV step shares."""
    splitter = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels))


def load_acceptance(shared: Path, path: Path = ACCEPTANCE) -> list[tuple[str, str]]:
    """(text, required label) of each acceptance document that exists under the shared folder."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    return [
        ((shared / e["path"]).read_text(encoding="utf-8"), e["label"])
        for e in entries
        if (shared / e["path"]).is_file()
    ]


def select_params(
    records: Sequence[Mapping[str, Any]],
    labels: Sequence[str],
    grid: Sequence[ModelParams],
    seed: int,
    acceptance: Sequence[tuple[Mapping[str, Any], str]] = (),
) -> Selection:
    """Best mean fold macro-F1 on the training split, among candidates that get the acceptance documents right.

    Candidates within one fold standard deviation of the top mean are tried from best to worst (grid order on
    ties); the first whose fit on the whole training split labels every acceptance record as required wins.
    """
    with single_threaded_blas():
        selection = _cv_scores(list(records), np.asarray(labels), grid, seed)
        if acceptance:
            _apply_acceptance(selection, list(records), list(labels), seed, acceptance)
    return selection


def _apply_acceptance(
    selection: Selection,
    records: list[Mapping[str, Any]],
    labels: list[str],
    seed: int,
    acceptance: Sequence[tuple[Mapping[str, Any], str]],
) -> None:
    top_mean, top_std = max(((mean, std) for _, mean, std in selection.scores), key=lambda pair: pair[0])
    selection.floor = top_mean - top_std
    selection.n_acceptance = len(acceptance)
    ranked = sorted(
        (row for row in selection.scores if row[1] >= selection.floor), key=lambda row: -row[1]
    )  # sorted() is stable, so grid order breaks ties
    for params, _, _ in ranked:
        # Temperature scaling keeps the top label, so the uncalibrated pipeline decides acceptance.
        pipeline = build_pipeline(params, seed, calibrated=False).fit(records, labels)
        predicted = pipeline.predict([record for record, _ in acceptance])
        if all(p == required for p, (_, required) in zip(predicted, acceptance)):
            selection.best = params
            return
        selection.rejected.append(params)
    selection.accepted = False


def _fold_scores(
    records: list[Mapping[str, Any]],
    y: np.ndarray,
    train_idx: np.ndarray,
    valid_idx: np.ndarray,
    grid: Sequence[ModelParams],
    seed: int,
) -> list[float]:
    """Macro-F1 of every candidate on one fold."""
    # Block weights only scale columns, so the fold's features are fitted once and reweighted per candidate.
    train_records = [records[i] for i in train_idx]
    valid_records = [records[i] for i in valid_idx]
    blocks = {}
    every_block = {name: 1.0 for name in block_weights(ModelParams())}
    for name, block in build_features(ModelParams(), every_block).transformer_list:
        fitted = clone(block).fit(train_records, y[train_idx])
        blocks[name] = (sp.csr_matrix(fitted.transform(train_records)), sp.csr_matrix(fitted.transform(valid_records)))
    scores = []
    for params in grid:
        weights = block_weights(params)
        x_train = sp.hstack([blocks[n][0] * w for n, w in weights.items() if w]).tocsr()
        x_valid = sp.hstack([blocks[n][1] * w for n, w in weights.items() if w]).tocsr()
        classifier = build_classifier(params, seed).fit(x_train, y[train_idx])
        scores.append(f1_score(y[valid_idx], classifier.predict(x_valid), labels=list(LABELS), average="macro"))
    return scores


def _cv_scores(records: list[Mapping[str, Any]], y: np.ndarray, grid: Sequence[ModelParams], seed: int) -> Selection:
    per_fold = Parallel(n_jobs=N_JOBS)(
        delayed(_fold_scores)(records, y, train_idx, valid_idx, grid, seed)
        for train_idx, valid_idx in cv_folds(list(y), seed)
    )
    by_candidate = np.asarray(per_fold).T  # rows: candidates in grid order, columns: folds
    scores = [(params, float(row.mean()), float(row.std())) for params, row in zip(grid, by_candidate)]
    best = max(scores, key=lambda row: row[1])[0]
    return Selection(best, scores)
