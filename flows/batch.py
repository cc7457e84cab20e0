"""One batch of inputs through load → language → spaCy → mentions, evidence, flows, facts → classifier (which completes the flows), as store rows.

Plain functions: the Prefect tasks in `flows/ingest.py` call them, and tests can too.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable

from corpus import failpoints
from corpus.document import LoadedDocument, LoadError
from corpus.guard import GuardedLoader
from corpus.loaders import Limits, load_bytes
from corpus.sources import PlannedItem
from corpus.store import Batch, StoreIndex
from extractors.flow_completion import complete_flows
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


def extract_rows(nlp: Any, texts: list[str], batch_size: int = 32) -> list[Any | Exception]:
    """Each text's `DocRows` (mentions, evidence, flows, facts), or the exception that stopped its extraction.

    Each spaCy doc is reduced to its rows as soon as `nlp.pipe` yields it, so a batch never
    holds more than one pipe minibatch of docs. A text that breaks the pipe costs only itself:
    the texts after it are run one by one.
    """
    from extractors.doc_rows import doc_rows

    results: list[Any | Exception] = []
    try:
        for sdoc in nlp.pipe(texts, batch_size=batch_size):
            results.append(_rows_or_error(doc_rows, sdoc))
    except Exception:
        for text in texts[len(results):]:
            try:
                sdoc = nlp(text)
            except Exception as exc:
                results.append(exc)
                continue
            results.append(_rows_or_error(doc_rows, sdoc))
    return results


def extract_rows_by_language(texts: list[str], languages: list[str], nlp_for: Callable[[str], Any],
                             batch_size: int = 32) -> list[Any | Exception]:
    """Like `extract_rows`, each text through the pipeline `nlp_for` gives for its language; results in `texts` order."""
    groups: dict[str, list[int]] = {}
    for i, language in enumerate(languages):
        groups.setdefault(language, []).append(i)
    results: list[Any | Exception] = [None] * len(texts)
    for language, positions in groups.items():
        found = extract_rows(nlp_for(language), [texts[i] for i in positions], batch_size)
        for i, rows in zip(positions, found):
            results[i] = rows
    return results


def pipeline_chooser(nlp: Any, nlp_for: Callable[[str], Any] | None = None) -> Callable[[str], Any]:
    """A language -> pipeline function: `nlp` for English and languages without a pipeline, `nlp_for` for the rest.

    The rest are the languages with rules of their own and those read by the English rules with their
    own country names (`extractors.languages.NAMES_ONLY_LANGUAGES`).
    """
    from extractors.languages import NAMES_ONLY_LANGUAGES, PIPELINE_LANGUAGES

    if nlp_for is None:
        from flows.workers import get_nlp_for as nlp_for

    def choose(language: str) -> Any:
        own = language in PIPELINE_LANGUAGES or language in NAMES_ONLY_LANGUAGES
        return nlp if language == "en" or not own else nlp_for(language)

    return choose


def document_languages(docs: list[LoadedDocument], forced: str | None = None) -> dict[str, str]:
    """The ISO 639-1 language of each distinct document (by doc_id): `forced` for all, else detected from a sample."""
    if forced:
        return {doc.doc_id: forced for doc in docs}
    from corpus.language import detect_language  # reads a bounded sample of each text

    out: dict[str, str] = {}
    for doc in docs:
        if doc.doc_id not in out:
            out[doc.doc_id] = detect_language(doc.text)
    return out


def extract_mentions(nlp: Any, texts: list[str], batch_size: int = 32) -> list[list[Any] | Exception]:
    """Mentions of each text, or the exception that stopped its extraction (see `extract_rows`)."""
    return [r if isinstance(r, Exception) else r.mentions for r in extract_rows(nlp, texts, batch_size)]


def _rows_or_error(doc_rows: Callable[[Any], Any], sdoc: Any) -> Any | Exception:
    try:
        return doc_rows(sdoc)
    except Exception as exc:
        return exc


def process_batch(items: list[PlannedItem], *, index: StoreIndex, nlp: Any, model: Any,
                  limits: Limits, run_id: str,
                  on_document: Callable[[int, int], None] | None = None,
                  language: str | None = None,
                  nlp_for: Callable[[str], Any] | None = None) -> tuple[Batch, BatchStats]:
    """Rows for every item of the batch: documents, mentions, evidence, flows, facts, classifications, errors.

    Each document goes through the pipeline of its language (`language` forces one for all):
    `nlp` for English, `nlp_for(code)` (default: the process's per-language pipelines) otherwise.
    """
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
    languages = document_languages([doc for _, doc in loaded], language)
    mentions_by_doc: dict[str, list] = {}
    rows_by_doc: dict[str, Any] = {}
    failed_extract: dict[str, str] = {}
    extracted = extract_rows_by_language([d.text for d in fresh.values()], [languages[i] for i in fresh],
                                         pipeline_chooser(nlp, nlp_for))
    for doc, found in zip(fresh.values(), extracted):
        if isinstance(found, Exception):
            failed_extract[doc.doc_id] = f"{type(found).__name__}: {found}"
        else:
            mentions_by_doc[doc.doc_id] = found.mentions
            rows_by_doc[doc.doc_id] = found
    stats.seconds["spacy"] += time.perf_counter() - t0
    failpoints.reach("batch.extracted")

    t0 = time.perf_counter()
    predictions: dict[str, Any] = {}
    ok_ids = list(mentions_by_doc)
    if ok_ids and model is not None:
        records = [{"text": fresh[i].text, "mentions": mentions_by_doc[i], "evidence": rows_by_doc[i].evidence}
                   for i in ok_ids]
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
        batch.documents.append(document_row(doc, ingested_at, run_id, item.fetch, languages.get(doc.doc_id)))
        keep_rows(stats.overview, [overview_row(item.source, doc.title, mentions_by_doc.get(doc.doc_id, []),
                                                predictions.get(doc.doc_id))])
        stats.new += 1
        stats.pages += doc.n_pages
    for doc_id, mentions in mentions_by_doc.items():
        doc = fresh[doc_id]
        for m in mentions:
            batch.mentions.append(mention_row(doc, m))
            stats.mentions[m.label] += 1
        found = rows_by_doc[doc_id]
        batch.evidence.extend(evidence_row(doc_id, ev) for ev in found.evidence)
        pred = predictions.get(doc_id)
        flows = complete_flows(found.flows, mentions, pred.funding_mode if pred is not None else None)
        batch.flows.extend(flow_row(doc_id, fl) for fl in flows)
        batch.facts.extend(fact_row(doc_id, fact) for fact in found.facts)
        if pred is not None:
            batch.classifications.append(classification_row(doc_id, pred, model.version, ingested_at,
                                                            found.evidence, mentions))
            stats.modes[pred.funding_mode] += 1
    stats.failed += len(items) - len(loaded)
    return batch, stats


def document_row(doc: LoadedDocument, ingested_at: datetime, run_id: str,
                 fetch: dict[str, Any] | None = None, language: str | None = None) -> dict[str, Any]:
    """A `documents` table row (with the fetch columns for a web input, and the text's language)."""
    return {
        "doc_id": doc.doc_id, "source": doc.source, "title": doc.title, "kind": doc.kind,
        "text": doc.text, "n_pages": doc.n_pages, "page_starts": list(doc.page_starts),
        "size_bytes": doc.size_bytes, "encoding": doc.encoding,
        "ingested_at": ingested_at, "run_id": run_id, "language": language, **(fetch or {}),
    }


def mention_row(doc: LoadedDocument, m: Any) -> dict[str, Any]:
    """A `mentions` table row; the page is found from the loader's page offsets."""
    return {
        "doc_id": doc.doc_id, "label": m.label, "value": m.value, "text": m.text,
        "start": m.start, "end": m.end, "sentence": m.sentence,
        "trl_min": m.trl_min, "trl_max": m.trl_max,
        "agency_country": (m.attrs or {}).get("agency_country"),
        "page": doc.page_of(m.start),
        "party_country": (m.attrs or {}).get("party_country"),
        "party_kind": (m.attrs or {}).get("party_kind"),
    }


def evidence_row(doc_id: str, ev: Any) -> dict[str, Any]:
    """An `evidence` table row from an `extractors.funding_evidence.Evidence`."""
    return {"doc_id": doc_id, **ev.as_dict()}


def flow_row(doc_id: str, fl: Any) -> dict[str, Any]:
    """A `flows` table row from an `extractors.funding_evidence.Flow`."""
    return {"doc_id": doc_id, "funder": fl.funder, "funder_country": fl.funder_country,
            "recipient_country": fl.recipient_country, "mode": fl.mode,
            "evidence_start": fl.evidence_start, "evidence_end": fl.evidence_end, "basis": fl.basis}


def fact_row(doc_id: str, fact: Any) -> dict[str, Any]:
    """A `facts` table row from an `extractors.facts.Fact` (its ISO date string becomes a date)."""
    when = fact.date
    return {"doc_id": doc_id, "fact": fact.fact, "text": fact.text, "start": fact.start, "end": fact.end,
            "sentence": fact.sentence, "date": date.fromisoformat(when[:10]) if isinstance(when, str) else when,
            "amount": None if fact.amount is None else float(fact.amount), "currency": fact.currency,
            "per": fact.per, "months": None if fact.months is None else float(fact.months)}


def classification_row(doc_id: str, pred: Any, model_version: str, at: datetime,
                       evidence: list[Any] = (), mentions: list[Any] = ()) -> dict[str, Any]:
    """A `classifications` table row, with the spans backing the label and the review flag."""
    from models.review import review

    probabilities = (pred.p_matching_fund, pred.p_direct_fund, pred.p_neither)
    why = review(pred.funding_mode, probabilities, evidence, mentions)
    return {
        "doc_id": doc_id, "funding_mode": pred.funding_mode,
        "p_matching_fund": float(pred.p_matching_fund), "p_direct_fund": float(pred.p_direct_fund),
        "p_neither": float(pred.p_neither), "model_version": model_version, "classified_at": at,
        "evidence_spans": [{"start": a, "end": b} for a, b in why.spans],
        "needs_review": why.needs_review, "review_reason": why.reason,
    }
