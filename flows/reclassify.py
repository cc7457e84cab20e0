"""The `reclassify` Prefect flow: label stored documents with the current model, keeping history.

Old `classifications` rows stay (with their `model_version`) in `classifications_all`;
the `classifications` view shows each document's newest row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from corpus.query import connect
from corpus.store import Batch, Store
from extractors.mentions import Mention
from flows.batch import classification_row, now_utc
from flows.workers import get_model

_MENTION_COLUMNS = 'doc_id, label, value, text, start, "end", sentence, trl_min, trl_max, agency_country'
_EVIDENCE_COLUMNS = 'doc_id, kind, funder, funder_country, recipient_country, negated, modality, start, "end"'


def stale_documents(store: Store, model_version: str) -> list[tuple[str, str]]:
    """(doc_id, text) of current documents with no row from `model_version`."""
    con = connect(store)
    try:
        return con.execute(
            "select distinct doc_id, text from documents where doc_id not in "
            "(select doc_id from classifications_all where model_version = ?) order by doc_id",
            [model_version],
        ).fetchall()
    finally:
        con.close()


def stored_mentions(store: Store, doc_ids: list[str]) -> dict[str, list[Mention]]:
    """The stored mentions of `doc_ids`, as the extractors' Mention objects, in reading order."""
    con = connect(store)
    try:
        rows = con.execute(f"select {_MENTION_COLUMNS} from mentions_all where doc_id in "
                           f"(select unnest(?::varchar[])) order by doc_id, start", [doc_ids]).fetchall()
    finally:
        con.close()
    out: dict[str, list[Mention]] = defaultdict(list)
    for doc_id, label, value, text, start, end, sentence, tmin, tmax, agency_country in rows:
        attrs = {"agency_country": agency_country} if agency_country else {}
        out[doc_id].append(Mention(label=label, value=value, text=text, start=start, end=end,
                                   sentence=sentence, trl_min=tmin, trl_max=tmax, attrs=attrs))
    return out


def stored_evidence(store: Store, doc_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The stored funding-evidence rows of `doc_ids` as dicts, in reading order (none for stores without the table)."""
    con = connect(store)
    try:
        rows = con.execute(f"select {_EVIDENCE_COLUMNS} from evidence_all where doc_id in "
                           f"(select unnest(?::varchar[])) order by doc_id, start", [doc_ids]).fetchall()
    except Exception:  # a store written before the evidence table existed
        return {}
    finally:
        con.close()
    names = [c.strip().strip('"') for c in _EVIDENCE_COLUMNS.split(",")]
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(dict(zip(names, row)))
    return out


def reclassify_batch(store: Store, docs: list[tuple[str, str]], model: Any) -> tuple[Batch, Counter]:
    """Classification rows for `docs` from `model`, using the mentions and evidence already stored."""
    ids = [d for d, _ in docs]
    mentions, evidence = stored_mentions(store, ids), stored_evidence(store, ids)
    records = [{"text": text, "mentions": mentions.get(doc_id, []), "evidence": evidence.get(doc_id, [])}
               for doc_id, text in docs]
    at = now_utc()
    batch, modes = Batch(), Counter()
    for (doc_id, _), pred, record in zip(docs, model.predict(records), records):
        batch.classifications.append(classification_row(doc_id, pred, model.version, at,
                                                        record["evidence"], record["mentions"]))
        modes[pred.funding_mode] += 1
    return batch, modes


@task(name="reclassify-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def reclassify_batch_task(data_dir: str, docs: list[tuple[str, str]], run_id: str) -> Counter:
    """Classify one batch with the shipped model and commit the rows."""
    store = Store(data_dir)
    batch, modes = reclassify_batch(store, docs, get_model())
    store.commit(batch, run_id)
    return modes


@flow(name="reclassify", validate_parameters=False)
def reclassify(data_dir: str, batch_size: int = 500) -> dict[str, Any]:
    """Re-label every stored document the current model has not labelled yet."""
    from prefect.runtime import flow_run

    model = get_model()
    store = Store(data_dir)
    docs = stale_documents(store, model.version)
    modes: Counter = Counter()
    for i in range(0, len(docs), batch_size):
        modes.update(reclassify_batch_task(data_dir, docs[i:i + batch_size], str(flow_run.id)))
    return {"model_version": model.version, "reclassified": len(docs), "modes": dict(modes), "at": str(now_utc())}
