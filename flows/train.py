"""Prefect flow `train`: retrains the funding-mode classifier and rewrites its artifact and model card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from models import evaluation, labelled_corpus, selection, train as steps
from models.funding_mode import DEFAULT_PATH, FundingModeModel, ModelParams, Prediction
from models.labelled_corpus import LabelledDoc


@task(name="load-train-split", cache_policy=NO_CACHE)
def load_train_split(train_dir: Path) -> list[LabelledDoc]:
    """Read the training split."""
    return labelled_corpus.load_train(train_dir)


@task(name="extract-mentions", cache_policy=NO_CACHE)
def extract_mentions(docs: list[LabelledDoc]) -> list[dict[str, Any]]:
    """Run the spaCy extractors once over a split's texts."""
    return steps.attach_mentions([d.text for d in docs])


@task(name="select-params", cache_policy=NO_CACHE)
def select_params(records: list[dict[str, Any]], docs: list[LabelledDoc], seed: int) -> selection.Selection:
    """Choose C and block weights by stratified CV on the training split, checked on the acceptance documents."""
    labels = [d.label for d in docs]
    return selection.select_params(records, labels, selection.load_search_space(), seed, steps.acceptance_records())


@task(name="cross-validate", cache_policy=NO_CACHE)
def cross_validate(
    records: list[dict[str, Any]], docs: list[LabelledDoc], params: ModelParams, seed: int
) -> evaluation.CVReport:
    """Out-of-fold metrics of the chosen params, for the model card."""
    return evaluation.cross_validate_model(records, docs, params, seed)


@task(name="cross-validate-by-writer", cache_policy=NO_CACHE)
def cross_validate_by_writer(
    records: list[dict[str, Any]], docs: list[LabelledDoc], params: ModelParams, seed: int
) -> dict[str, Any]:
    """Train on one writer's file, test on the other's: a preview of a new writer."""
    return evaluation.cross_writer_metrics(records, docs, params, seed)


@task(name="fit-model", cache_policy=NO_CACHE)
def fit_model(records: list[dict[str, Any]], docs: list[LabelledDoc], params: ModelParams, seed: int) -> FundingModeModel:
    """Fit the calibrated pipeline on the whole training split."""
    return FundingModeModel.fit(records, [d.label for d in docs], params, seed)


@task(name="evaluate-test-split", cache_policy=NO_CACHE)
def evaluate_test_split(model: FundingModeModel, test_path: Path) -> tuple[list[LabelledDoc], dict[str, Any]]:
    """Score the frozen model once on the held-out test split."""
    docs = labelled_corpus.load_test(test_path)
    return docs, evaluation.evaluate(model, steps.attach_mentions([d.text for d in docs]), [d.label for d in docs])


@task(name="classify-seed-letter", cache_policy=NO_CACHE)
def classify_seed_letter(model: FundingModeModel) -> Prediction | None:
    """The fitted model's label for the project's seed letter (None without ../shared)."""
    return steps.classify_seed_letter(model)


@task(name="write-artifact-and-card", cache_policy=NO_CACHE)
def write_outputs(summary: dict[str, Any], model: FundingModeModel, chosen: selection.Selection,
                  cv_report: evaluation.CVReport, train_docs: list[LabelledDoc],
                  test_docs: list[LabelledDoc], artifact_path: Path, card_path: Path) -> None:
    """Save the model and render its card."""
    model.save(artifact_path)
    steps.write_model_card(card_path, summary, chosen, cv_report, train_docs, test_docs)


@flow(name="train", validate_parameters=False)
def train(
    seed: int = steps.DEFAULT_SEED,
    train_dir: Path = labelled_corpus.TRAIN_DIR,
    test_path: Path = labelled_corpus.TEST_PATH,
    artifact_path: Path = DEFAULT_PATH,
    card_path: Path = steps.CARD_PATH,
) -> dict[str, Any]:
    """Select on train by CV, fit, evaluate on test once, write artifact and card; returns the metrics."""
    train_docs = load_train_split(train_dir)
    train_records = extract_mentions(train_docs)
    chosen = select_params(train_records, train_docs, seed)
    cv_report = cross_validate(train_records, train_docs, chosen.best, seed)
    by_writer = cross_validate_by_writer(train_records, train_docs, chosen.best, seed)
    model = fit_model(train_records, train_docs, chosen.best, seed)
    test_docs, test_metrics = evaluate_test_split(model, test_path)
    seed_prediction = classify_seed_letter(model)
    summary = steps.summarise(
        model, chosen, cv_report, by_writer, test_metrics, seed_prediction, train_docs, test_docs
    )
    write_outputs(summary, model, chosen, cv_report, train_docs, test_docs, artifact_path, card_path)
    return summary
