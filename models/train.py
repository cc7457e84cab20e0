"""Training the funding-mode classifier: corpus loading, CV model selection, one test evaluation, artifact and card."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.metrics import confusion_matrix, f1_score, log_loss, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from models.funding_mode import (
    DEFAULT_PATH,
    LABELS,
    FundingModeModel,
    ModelParams,
    Prediction,
    block_weights,
    build_classifier,
    build_features,
    build_pipeline,
    single_threaded_blas,
)
from models.model_card import write_model_card

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
TRAIN_DIR = REPO / "corpus" / "labelled" / "train"
TEST_PATH = REPO / "corpus" / "labelled" / "test" / "test.jsonl"
SEED_LETTER = SHARED / "seeds" / "japan-bold-approach.txt"
SEARCH_SPACE = Path(__file__).resolve().parent / "search_space.json"
ACCEPTANCE = Path(__file__).resolve().parent / "acceptance.json"  # paths relative to SHARED
CARD_PATH = Path(__file__).resolve().parent / "funding_mode.md"
DEFAULT_SEED = 7
CV_FOLDS = 5


@dataclass(frozen=True)
class LabelledDoc:
    """One hand-labelled document of a corpus split."""

    id: str
    label: str
    text: str
    genre: str
    file: str


@dataclass
class Selection:
    """Outcome of model selection: the chosen params, the CV macro-F1 of every candidate, the acceptance checks."""

    best: ModelParams
    scores: list[tuple[ModelParams, float, float]]  # params, mean and std of fold macro-F1
    floor: float = 0.0  # candidates below this mean CV macro-F1 were not considered
    n_acceptance: int = 0  # acceptance documents that every considered candidate had to get right
    rejected: list[ModelParams] = field(default_factory=list)  # considered, but failed an acceptance document
    accepted: bool = True  # False when no considered candidate passed, and the top CV candidate was kept


@dataclass
class CVReport:
    """Cross-validated metrics of the chosen params on the training split, with the documents it got wrong."""

    metrics: dict[str, Any]
    log_loss: float
    errors: list[dict[str, Any]] = field(default_factory=list)


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


def attach_mentions(texts: Sequence[str]) -> list[dict[str, Any]]:
    """Run the extractors once over the texts and pair each text with its mentions."""
    from extractors.mentions import doc_mentions
    from extractors.pipeline import get_nlp

    nlp = get_nlp()
    return [
        {"text": text, "mentions": doc_mentions(doc)}
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=64))
    ]


def load_search_space(path: Path = SEARCH_SPACE) -> list[ModelParams]:
    """Every combination of the values listed in the search-space file, in a fixed order."""
    space = json.loads(path.read_text(encoding="utf-8"))
    names = sorted(space)
    return [ModelParams(**dict(zip(names, values))) for values in itertools.product(*(space[n] for n in names))]


def cv_folds(labels: Sequence[str], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The stratified folds every CV step shares."""
    splitter = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels))


def load_acceptance(path: Path = ACCEPTANCE, shared: Path = SHARED) -> list[tuple[str, str]]:
    """(text, required label) of each acceptance document that exists under the shared folder."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    return [
        ((shared / e["path"]).read_text(encoding="utf-8"), e["label"])
        for e in entries
        if (shared / e["path"]).is_file()
    ]


def acceptance_records(path: Path = ACCEPTANCE, shared: Path = SHARED) -> list[tuple[dict[str, Any], str]]:
    """The acceptance documents as records with mentions, each with its required label."""
    entries = load_acceptance(path, shared)
    records = attach_mentions([text for text, _ in entries])
    return [(record, label) for record, (_, label) in zip(records, entries)]


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


def _cv_scores(records: list[Mapping[str, Any]], y: np.ndarray, grid: Sequence[ModelParams], seed: int) -> Selection:
    fold_blocks = []
    # Block weights only scale columns, so each fold's features are fitted once and reweighted per candidate.
    features = build_features(ModelParams())
    for train_idx, valid_idx in cv_folds(list(y), seed):
        fitted = [
            (name, clone(block).fit([records[i] for i in train_idx], y[train_idx]))
            for name, block in features.transformer_list
        ]
        blocks = {
            name: (
                sp.csr_matrix(block.transform([records[i] for i in train_idx])),
                sp.csr_matrix(block.transform([records[i] for i in valid_idx])),
            )
            for name, block in fitted
        }
        fold_blocks.append((train_idx, valid_idx, blocks))

    scores = []
    for params in grid:
        weights = block_weights(params)
        fold_f1 = []
        for train_idx, valid_idx, blocks in fold_blocks:
            x_train = sp.hstack([blocks[n][0] * w for n, w in weights.items()]).tocsr()
            x_valid = sp.hstack([blocks[n][1] * w for n, w in weights.items()]).tocsr()
            classifier = build_classifier(params, seed).fit(x_train, y[train_idx])
            fold_f1.append(f1_score(y[valid_idx], classifier.predict(x_valid), labels=list(LABELS), average="macro"))
        scores.append((params, float(np.mean(fold_f1)), float(np.std(fold_f1))))
    best = max(scores, key=lambda row: row[1])[0]
    return Selection(best, scores)


def classification_metrics(true: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Per-class precision/recall/F1, macro-F1, accuracy and the confusion matrix (rows true, columns predicted)."""
    precision, recall, f1, support = precision_recall_fscore_support(
        true, pred, labels=list(LABELS), zero_division=0
    )
    return {
        "n": len(true),
        "per_class": {
            label: {
                "precision": round(float(precision[i]), 4),
                "recall": round(float(recall[i]), 4),
                "f1": round(float(f1[i]), 4),
                "support": int(support[i]),
            }
            for i, label in enumerate(LABELS)
        },
        "macro_f1": round(float(np.mean(f1)), 4),
        "accuracy": round(float(np.mean(np.asarray(true) == np.asarray(pred))), 4),
        "confusion": confusion_matrix(true, pred, labels=list(LABELS)).tolist(),
    }


def cross_validate_model(
    records: Sequence[Mapping[str, Any]], docs: Sequence[LabelledDoc], params: ModelParams, seed: int
) -> CVReport:
    """Out-of-fold calibrated probabilities of the full pipeline on the training split, on the selection folds."""
    labels = [d.label for d in docs]
    with single_threaded_blas():
        raw = cross_val_predict(
            build_pipeline(params, seed), list(records), labels, cv=cv_folds(labels, seed), method="predict_proba"
        )
    classes = sorted(LABELS)  # cross_val_predict orders columns like classes_
    order = [classes.index(label) for label in LABELS]
    proba = raw[:, order]
    pred = [LABELS[i] for i in proba.argmax(axis=1)]
    errors = [
        {"id": d.id, "genre": d.genre, "true": d.label, "pred": p, "p_pred": round(float(row.max()), 3)}
        for d, p, row in zip(docs, pred, proba)
        if p != d.label
    ]
    loss = round(float(log_loss(labels, raw, labels=classes)), 4)
    return CVReport(classification_metrics(labels, pred), loss, errors)


def evaluate(model: FundingModeModel, records: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> dict[str, Any]:
    """Metrics of a fitted model on labelled records."""
    pred = [p.funding_mode for p in model.predict(records)]
    return classification_metrics(labels, pred)


def classify_seed_letter(model: FundingModeModel, path: Path = SEED_LETTER) -> Prediction | None:
    """The model's prediction for the project's seed letter, or None when the shared folder is absent."""
    if not path.is_file():
        return None
    return model.predict(attach_mentions([path.read_text(encoding="utf-8")]))[0]


def _text_hashes(docs: Sequence[LabelledDoc]) -> set[str]:
    return {hashlib.sha256(" ".join(d.text.split()).lower().encode("utf-8")).hexdigest() for d in docs}


def summarise(
    model: FundingModeModel,
    selection: Selection,
    cv_report: CVReport,
    test_metrics: dict[str, Any],
    seed_prediction: Prediction | None,
    train_docs: Sequence[LabelledDoc],
    test_docs: Sequence[LabelledDoc],
) -> dict[str, Any]:
    """The metrics of one training run, as returned by the flow and written into the card."""
    return {
        "model_version": model.version,
        "params": asdict(selection.best),
        "seed": model.seed,
        "n_train": len(train_docs),
        "n_test": len(test_docs),
        "cv": cv_report.metrics,
        "cv_log_loss": cv_report.log_loss,
        "test": test_metrics,
        "seed_letter": asdict(seed_prediction) if seed_prediction else None,
        "train_test_overlap": len(_text_hashes(train_docs) & _text_hashes(test_docs)),
    }


def run_training(
    seed: int = DEFAULT_SEED,
    train_dir: Path = TRAIN_DIR,
    test_path: Path = TEST_PATH,
    artifact_path: Path = DEFAULT_PATH,
    card_path: Path = CARD_PATH,
) -> dict[str, Any]:
    """Select on train by CV, fit, evaluate on test once, write artifact and card; returns the metrics."""
    train_docs = load_train(train_dir)
    train_records = attach_mentions([d.text for d in train_docs])
    train_labels = [d.label for d in train_docs]

    selection = select_params(train_records, train_labels, load_search_space(), seed, acceptance_records())
    cv_report = cross_validate_model(train_records, train_docs, selection.best, seed)
    model = FundingModeModel.fit(train_records, train_labels, selection.best, seed)
    # Model selection is frozen above; the test split is read only from here on.
    test_docs = load_test(test_path)
    test_metrics = evaluate(model, attach_mentions([d.text for d in test_docs]), [d.label for d in test_docs])
    summary = summarise(model, selection, cv_report, test_metrics, classify_seed_letter(model), train_docs, test_docs)

    model.save(artifact_path)
    write_model_card(card_path, summary, selection, cv_report, train_docs, test_docs)
    return summary
