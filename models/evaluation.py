"""Scoring the classifier: metrics on labelled records and cross-validated metrics on the training split."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, log_loss, precision_recall_fscore_support
from sklearn.model_selection import cross_val_predict

from models.funding_mode import (
    LABELS,
    FundingModeModel,
    ModelParams,
    apply_evidence_vote,
    build_pipeline,
    single_threaded_blas,
)
from models.labelled_corpus import LabelledDoc
from models.selection import N_JOBS, cv_folds


@dataclass
class CVReport:
    """Cross-validated metrics of the chosen params on the training split, with the documents it got wrong."""

    metrics: dict[str, Any]
    log_loss: float
    errors: list[dict[str, Any]] = field(default_factory=list)


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
            build_pipeline(params, seed),
            list(records),
            labels,
            cv=cv_folds(labels, seed),
            method="predict_proba",
            n_jobs=N_JOBS,
        )
    classes = sorted(LABELS)  # cross_val_predict orders columns like classes_
    order = [classes.index(label) for label in LABELS]
    proba = apply_evidence_vote(raw[:, order], records, params.evidence_vote_ratio,
                                params.real_temperature, params.real_neither_ratio)  # as the shipped model predicts
    pred = [LABELS[i] for i in proba.argmax(axis=1)]
    errors = [
        {"id": d.id, "genre": d.genre, "true": d.label, "pred": p, "p_pred": round(float(row.max()), 3)}
        for d, p, row in zip(docs, pred, proba)
        if p != d.label
    ]
    loss = round(float(log_loss(labels, proba[:, [LABELS.index(c) for c in classes]], labels=classes)), 4)
    return CVReport(classification_metrics(labels, pred), loss, errors)


def cross_writer_metrics(
    records: Sequence[Mapping[str, Any]], docs: Sequence[LabelledDoc], params: ModelParams, seed: int
) -> dict[str, Any]:
    """Train on one training file, predict the other: each file is one writer's genres, so this estimates a new writer."""
    files = sorted({d.file for d in docs})
    if len(files) < 2:
        return {}
    files_of = np.array([d.file for d in docs])
    folds = [(np.flatnonzero(files_of != f), np.flatnonzero(files_of == f)) for f in files]
    labels = [d.label for d in docs]
    with single_threaded_blas():
        # Temperature scaling keeps the top label, so the uncalibrated pipeline gives the same predictions.
        pipeline = build_pipeline(params, seed, calibrated=False)
        pred = cross_val_predict(pipeline, list(records), labels, cv=folds, n_jobs=N_JOBS)
    return classification_metrics(labels, list(pred))


def evaluate(model: FundingModeModel, records: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> dict[str, Any]:
    """Metrics of a fitted model on labelled records."""
    pred = [p.funding_mode for p in model.predict(records)]
    return classification_metrics(labels, pred)
