"""One batch of inputs through load → spaCy → mentions → classifier, as store rows.

Plain functions: the Prefect tasks in `flows/ingest.py` call them, and tests can too.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from corpus import failpoints
from corpus.document import LoadedDocument, LoadError
from corpus.guard import GuardedLoader
from corpus.loaders import Limits, load_bytes
from corpus.sources import PlannedItem
from corpus.store import Batch, StoreIndex
from flows.artifacts import keep_rows, overview_row


@dataclass
class BatchStats:
    """Counts and stage timings of one processed batch, for the run summary."""

    new: int = 0
    failed: int = 0
    pages: int = 0
    mentions: Counter = field(default_factory=Counter)
    modes: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)  # stage -> seconds
    reported_live: bool = False  # progress was already reported document by document
    overview: list[dict[str, Any]] = field(default_factory=list)  # artifact rows, at most artifacts.MAX_ROWS

    def add(self, other: "BatchStats") -> None:
        """Fold another batch's stats into these."""
        self.new += other.new
        self.failed += other.failed
        self.pages += other.pages
        self.mentions.update(other.mentions)
        self.modes.update(other.modes)
        self.seconds.update(other.seconds)
        keep_rows(self.overview, other.overview)


def now_utc() -> datetime:
    """The current time, timezone-aware, as the store's timestamps are."""
    return datetime.now(timezone.utc)


def error_row(source: str, doc_id: str | None, stage: str, error_type: str, message: str,
              run_id: str, transient: bool = False) -> dict[str, Any]:
    """An `errors` table row."""
    return {
        "source": source, "doc_id": doc_id, "stage": stage, "error_type": error_type,
        "message": message, "transient": transient, "occurred_at": now_utc(), "run_id": run_id,
    }


def load_items(items: list[PlannedItem], limits: Limits, batch: Batch, run_id: str,
               on_document: Callable[[int, int], None] | None = None,
               ) -> list[tuple[PlannedItem, LoadedDocument]]:
    """Read and load each item; failures become `errors` rows in `batch`.

    Loading is most of a document's cost, so progress is reported per document here.
    """
    loaded = []
    with GuardedLoader() as guard:  # one worker process per batch; a stuck document is killed
        for item in items:
            doc = load_one(item, limits, batch, run_id, guard.load)
            if doc is not None:
                loaded.append((item, doc))
            if on_document:
                on_document(1, doc.n_pages if doc is not None else 0)
    return loaded


def load_one(item: PlannedItem, limits: Limits, batch: Batch, run_id: str,
             load: Callable[..., LoadedDocument] = load_bytes) -> LoadedDocument | None:
    """The loaded document, or None after adding its `errors` row to `batch`."""
    try:
        with open(item.path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        batch.errors.append(error_row(item.source, item.doc_id, "load", "read_error",
                                      f"{item.source}: cannot read: {exc.strerror or exc}",
                                      run_id, transient=True))
        return None
    try:
        return load(data, item.source, limits)
    except LoadError as exc:
        batch.errors.append(error_row(item.source, item.doc_id, "load", exc.error_type,
                                      f"{item.source}: {exc.message}", run_id, exc.transient))
    except Exception as exc:  # a loader bug must cost one document, not the run
        batch.errors.append(error_row(item.source, item.doc_id, "load", "internal",
                                      f"{item.source}: {type(exc).__name__}: {exc}", run_id))
    return None


def extract_mentions(nlp: Any, texts: list[str], batch_size: int = 32) -> list[list[Any] | Exception]:
    """Mentions of each text, or the exception that stopped its extraction.

    Each spaCy doc is reduced to its mentions as soon as `nlp.pipe` yields it, so a batch never
    holds more than one pipe minibatch of docs. A text that breaks the pipe costs only itself:
    the texts after it are run one by one.
    """
    from extractors.mentions import doc_mentions

    results: list[list[Any] | Exception] = []
    try:
        for sdoc in nlp.pipe(texts, batch_size=batch_size):
            results.append(_mentions_or_error(doc_mentions, sdoc))
    except Exception:
        for text in texts[len(results):]:
            try:
                sdoc = nlp(text)
            except Exception as exc:
                results.append(exc)
                continue
            results.append(_mentions_or_error(doc_mentions, sdoc))
    return results


def _mentions_or_error(doc_mentions: Callable[[Any], list[Any]], sdoc: Any) -> list[Any] | Exception:
    try:
        return doc_mentions(sdoc)
    except Exception as exc:
        return exc


def process_batch(items: list[PlannedItem], *, index: StoreIndex, nlp: Any, model: Any,
                  limits: Limits, run_id: str,
                  on_document: Callable[[int, int], None] | None = None) -> tuple[Batch, BatchStats]:
    """Rows for every item of the batch: documents, mentions, classifications and errors."""
    batch, stats = Batch(), BatchStats()
    t0 = time.perf_counter()
    loaded = load_items(items, limits, batch, run_id, on_document)
    failpoints.reach("batch.loaded")
    stats.seconds["load"] += time.perf_counter() - t0

    # identical bytes share one extraction, within the batch and with the store
    fresh: dict[str, LoadedDocument] = {}
    for _, doc in loaded:
        if doc.doc_id not in index.doc_ids and doc.doc_id not in fresh:
            fresh[doc.doc_id] = doc

    t0 = time.perf_counter()
    mentions_by_doc: dict[str, list] = {}
    failed_extract: dict[str, str] = {}
    for doc, found in zip(fresh.values(), extract_mentions(nlp, [d.text for d in fresh.values()])):
        if isinstance(found, Exception):
            failed_extract[doc.doc_id] = f"{type(found).__name__}: {found}"
        else:
            mentions_by_doc[doc.doc_id] = found
    stats.seconds["spacy"] += time.perf_counter() - t0
    failpoints.reach("batch.extracted")

    t0 = time.perf_counter()
    predictions: dict[str, Any] = {}
    ok_ids = list(mentions_by_doc)
    if ok_ids and model is not None:
        records = [{"text": fresh[i].text, "mentions": mentions_by_doc[i]} for i in ok_ids]
        try:
            predictions = dict(zip(ok_ids, model.predict(records)))
        except Exception:
            for i, rec in zip(ok_ids, records):
                try:
                    predictions[i] = model.predict([rec])[0]
                except Exception as exc:
                    batch.errors.append(error_row(fresh[i].source, i, "classify", "classify_failed",
                                                  f"{fresh[i].source}: {type(exc).__name__}: {exc}", run_id))
    stats.seconds["classify"] += time.perf_counter() - t0
    failpoints.reach("batch.classified")

    ingested_at = now_utc()
    for item, doc in loaded:
        if doc.doc_id in failed_extract:
            batch.errors.append(error_row(item.source, doc.doc_id, "extract", "extract_failed",
                                          f"{item.source}: {failed_extract[doc.doc_id]}", run_id))
            stats.failed += 1
            continue
        batch.documents.append(document_row(doc, ingested_at, run_id, item.fetch))
        keep_rows(stats.overview, [overview_row(item.source, doc.title, mentions_by_doc.get(doc.doc_id, []),
                                                predictions.get(doc.doc_id))])
        stats.new += 1
        stats.pages += doc.n_pages
    for doc_id, mentions in mentions_by_doc.items():
        doc = fresh[doc_id]
        for m in mentions:
            batch.mentions.append(mention_row(doc, m))
            stats.mentions[m.label] += 1
        pred = predictions.get(doc_id)
        if pred is not None:
            batch.classifications.append(classification_row(doc_id, pred, model.version, ingested_at))
            stats.modes[pred.funding_mode] += 1
    stats.failed += len(items) - len(loaded)
    return batch, stats


def document_row(doc: LoadedDocument, ingested_at: datetime, run_id: str,
                 fetch: dict[str, Any] | None = None) -> dict[str, Any]:
    """A `documents` table row (with the fetch columns for a web input)."""
    return {
        "doc_id": doc.doc_id, "source": doc.source, "title": doc.title, "kind": doc.kind,
        "text": doc.text, "n_pages": doc.n_pages, "page_starts": list(doc.page_starts),
        "size_bytes": doc.size_bytes, "encoding": doc.encoding,
        "ingested_at": ingested_at, "run_id": run_id, **(fetch or {}),
    }


def mention_row(doc: LoadedDocument, m: Any) -> dict[str, Any]:
    """A `mentions` table row; the page is found from the loader's page offsets."""
    return {
        "doc_id": doc.doc_id, "label": m.label, "value": m.value, "text": m.text,
        "start": m.start, "end": m.end, "sentence": m.sentence,
        "trl_min": m.trl_min, "trl_max": m.trl_max,
        "agency_country": (m.attrs or {}).get("agency_country"),
        "page": doc.page_of(m.start),
    }


def classification_row(doc_id: str, pred: Any, model_version: str, at: datetime) -> dict[str, Any]:
    """A `classifications` table row."""
    return {
        "doc_id": doc_id, "funding_mode": pred.funding_mode,
        "p_matching_fund": float(pred.p_matching_fund), "p_direct_fund": float(pred.p_direct_fund),
        "p_neither": float(pred.p_neither), "model_version": model_version, "classified_at": at,
    }
