"""Training the funding-mode classifier end to end: extract, select on train by CV, fit, test once, write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from extractors.mentions import doc_mentions
from models.evaluation import CVReport, cross_validate_model, cross_writer_metrics, evaluate
from models.funding_mode import DEFAULT_PATH, FundingModeModel, Prediction
from models.labelled_corpus import TEST_PATH, TRAIN_DIR, LabelledDoc, load_test, load_train, text_hashes
from models.model_card import write_model_card
from models.selection import ACCEPTANCE, Selection, load_acceptance, load_search_space, select_params

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEED_LETTER = SHARED / "seeds" / "japan-bold-approach.txt"
CARD_PATH = Path(__file__).resolve().parent / "funding_mode.md"
DEFAULT_SEED = 7


def attach_mentions(texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[dict[str, Any]]:
    """Run the extractors once over the texts and pair each text with its mentions and funding evidence.

    Each text goes through the pipeline of its language, as ingest does: the one given in
    `languages` (same order as `texts`; None detects it), else the detected one.
    """
    from corpus.language import detect_language
    from extractors.languages import get_nlp_for

    texts = list(texts)
    given = list(languages) if languages is not None else [None] * len(texts)
    if len(given) != len(texts):
        raise ValueError(f"{len(given)} languages for {len(texts)} texts")
    groups: dict[str, list[int]] = {}
    for i, (text, language) in enumerate(zip(texts, given)):
        groups.setdefault(language or detect_language(text), []).append(i)
    records: list[dict[str, Any]] = [{} for _ in texts]
    for language, positions in groups.items():
        nlp = get_nlp_for(language)  # English (get_nlp) for a language without a pipeline of its own
        # the facts (dates, money) feed neither mentions nor evidence, and were half of the extraction time
        unused = [name for name in ("facts",) if name in nlp.pipe_names]
        for i, doc in zip(positions, nlp.pipe([texts[i] for i in positions], batch_size=64, disable=unused)):
            records[i] = {"text": texts[i], "mentions": doc_mentions(doc),
                          "evidence": list(doc._.funding_evidence or [])}
    return records


def acceptance_records(path: Path = ACCEPTANCE, shared: Path = SHARED) -> list[tuple[dict[str, Any], str]]:
    """The acceptance documents as records with mentions, each with its required label."""
    entries = load_acceptance(shared, path)
    records = attach_mentions([text for text, _ in entries])
    return [(record, label) for record, (_, label) in zip(records, entries)]


def classify_seed_letter(model: FundingModeModel, path: Path = SEED_LETTER) -> Prediction | None:
    """The model's prediction for the project's seed letter, or None when the shared folder is absent."""
    if not path.is_file():
        return None
    return model.predict(attach_mentions([path.read_text(encoding="utf-8")]))[0]


def summarise(
    model: FundingModeModel,
    selection: Selection,
    cv_report: CVReport,
    by_writer: dict[str, Any],
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
        "cv_by_writer": by_writer,
        "test": test_metrics,
        "seed_letter": asdict(seed_prediction) if seed_prediction else None,
        "train_test_overlap": len(text_hashes(train_docs) & text_hashes(test_docs)),
    }


def run_training(
    seed: int = DEFAULT_SEED,
    train_dir: Path = TRAIN_DIR,
    test_path: Path = TEST_PATH,
    artifact_path: Path = DEFAULT_PATH,
    card_path: Path = CARD_PATH,
    cross_writer: bool = True,
) -> dict[str, Any]:
    """Select on train by CV, fit, evaluate on test once, write artifact and card; returns the metrics.

    `cross_writer=False` leaves out the train-on-one-writer figures, a fifth of the run, for a
    reproduction that does not compare them.
    """
    train_docs = load_train(train_dir)
    train_records = attach_mentions([d.text for d in train_docs])
    train_labels = [d.label for d in train_docs]

    selection = select_params(train_records, train_labels, load_search_space(), seed, acceptance_records())
    cv_report = cross_validate_model(train_records, train_docs, selection.best, seed)
    by_writer = cross_writer_metrics(train_records, train_docs, selection.best, seed) if cross_writer else {}
    model = FundingModeModel.fit(train_records, train_labels, selection.best, seed)
    # Model selection is frozen above; the test split is read only from here on.
    test_docs = load_test(test_path)
    test_metrics = evaluate(model, attach_mentions([d.text for d in test_docs]), [d.label for d in test_docs])
    seed_prediction = classify_seed_letter(model)
    summary = summarise(model, selection, cv_report, by_writer, test_metrics, seed_prediction, train_docs, test_docs)

    model.save(artifact_path)
    write_model_card(card_path, summary, selection, cv_report, train_docs, test_docs)
    return summary
