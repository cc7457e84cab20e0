"""What each feature block adds: the chosen model refitted with one block switched off, scored on other data.

Used by `python -m flows.evaluate_real --ablation` on the real-world dev pages, whose texts are
not in the repository, so the table it writes into the model card is produced outside training.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sklearn.metrics import f1_score, recall_score

from models.funding_mode import (
    LABELS,
    ModelParams,
    apply_evidence_vote,
    block_weights,
    build_pipeline,
    single_threaded_blas,
)


def variants(params: ModelParams) -> dict[str, dict[str, float]]:
    """Block weights of the full model and of the model without each block that the full one uses."""
    full = block_weights(params)
    out = {"full model": dict(full)}
    for name, weight in full.items():
        if weight:
            out[f"without {name}"] = {**full, name: 0.0}
    if not full.get("evidence"):
        out["with evidence (weight 0.3)"] = {**full, "evidence": 0.3}
    return out


def ablation(train_records: Sequence[Mapping[str, Any]], train_labels: Sequence[str], params: ModelParams,
             seed: int, eval_records: Sequence[Mapping[str, Any]], eval_labels: Sequence[str]) -> list[dict[str, Any]]:
    """Macro-F1 and per-class recall on the evaluation records for every variant, each predicting as shipped."""
    rows = []
    runs = [(name, weights, params.evidence_vote_ratio) for name, weights in variants(params).items()]
    if params.evidence_vote_ratio != 1.0:
        runs.insert(1, ("without evidence vote", block_weights(params), 1.0))
    with single_threaded_blas():
        for name, weights, ratio in runs:
            pipeline = build_pipeline(params, seed, calibrated=True, weights=weights)
            pipeline.fit(list(train_records), list(train_labels))
            order = [list(pipeline.classes_).index(label) for label in LABELS]
            proba = apply_evidence_vote(pipeline.predict_proba(list(eval_records))[:, order], eval_records, ratio,
                                        params.real_temperature, params.real_neither_ratio)
            predicted = [LABELS[i] for i in proba.argmax(axis=1)]
            recalls = recall_score(eval_labels, predicted, labels=list(LABELS), average=None, zero_division=0)
            rows.append({
                "variant": name,
                "weights": weights,
                "macro_f1": float(f1_score(eval_labels, predicted, labels=list(LABELS), average="macro", zero_division=0)),
                "recall": {label: float(r) for label, r in zip(LABELS, recalls)},
                "n": len(eval_labels),
            })
    return rows


def ablation_markdown(rows: Sequence[Mapping[str, Any]], where: str) -> list[str]:
    """The ablation as a markdown table for the model card."""
    lines = [f"| variant ({where}) | macro-F1 | recall matching | recall direct | recall neither |", "|---|---|---|---|---|"]
    for row in rows:
        r = row["recall"]
        lines.append(f"| {row['variant']} | {row['macro_f1']:.3f} | {r['matching_fund']:.3f} | "
                     f"{r['direct_fund']:.3f} | {r['neither']:.3f} |")
    return lines
