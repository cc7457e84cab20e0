"""Where a run's time goes, per stage, over 1,000 documents cycled from the bundled samples.

Prints the share of each stage, the ratio of spaCy extraction to PDF text extraction on the
PDFs, and classification's share of the whole pipeline. Classification counts the funding-evidence
component as well as the model: the evidence exists only to classify and to explain the label.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from corpus.loaders import Limits, load_bytes
from corpus.store import Batch, Store
from extractors.doc_rows import doc_rows
from flows.batch import classification_row, document_row, mention_row, now_utc
from flows.workers import get_model, get_nlp

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpus" / "samples"
EVIDENCE = "funding_evidence"  # the pipeline's who-funds-whom component


def measure(n_docs: int = 1000, batch_size: int = 100) -> dict:
    """Seconds per stage for `n_docs` documents processed in batches as the flow does."""
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    raw = [(p.name, p.suffix == ".pdf", p.read_bytes()) for p in files]
    nlp, model = get_nlp(), get_model()
    later = nlp.pipe_names[nlp.pipe_names.index(EVIDENCE):]
    seconds: Counter = Counter()
    pdf_pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        for start in range(0, n_docs, batch_size):
            chunk = [raw[i % len(raw)] for i in range(start, min(start + batch_size, n_docs))]
            docs, is_pdf = [], []
            for i, (name, pdf, data) in enumerate(chunk):
                t0 = time.perf_counter()
                doc = load_bytes(data, f"{start + i}/{name}", limits=Limits())
                seconds["load_pdf" if pdf else "load_html_text"] += time.perf_counter() - t0
                pdf_pages += doc.n_pages if pdf else 0
                docs.append(doc)
                is_pdf.append(pdf)
            t0 = time.perf_counter()
            parsed = list(nlp.pipe([d.text for d in docs], batch_size=32, disable=later))
            spacy_s = time.perf_counter() - t0
            for name in later:  # the components from the evidence on, each timed on its own
                proc = nlp.get_pipe(name)
                t0 = time.perf_counter()
                parsed = [proc(p) for p in parsed]
                took = time.perf_counter() - t0
                if name == EVIDENCE:
                    seconds["evidence"] += took
                else:
                    spacy_s += took
            t0 = time.perf_counter()
            rows = [doc_rows(p) for p in parsed]
            mentions = [r.mentions for r in rows]
            spacy_s += time.perf_counter() - t0
            seconds["spacy"] += spacy_s
            pdf_chars = sum(len(d.text) for d, p in zip(docs, is_pdf) if p)
            seconds["spacy_on_pdf_text"] += spacy_s * pdf_chars / max(sum(len(d.text) for d in docs), 1)
            t0 = time.perf_counter()
            preds = model.predict([{"text": d.text, "mentions": r.mentions, "evidence": r.evidence}
                                   for d, r in zip(docs, rows)])
            seconds["classify"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            at = now_utc()
            batch = Batch()
            for j, (d, ms, p) in enumerate(zip(docs, mentions, preds)):
                d.doc_id = f"{start + j:08d}"  # distinct ids: the bench measures work, not dedupe
                batch.documents.append(document_row(d, at, "bench"))
                batch.mentions.extend(mention_row(d, m) for m in ms)
                batch.classifications.append(classification_row(d.doc_id, p, model.version, at,
                                                                rows[j].evidence, ms))
            store.commit(batch, "bench")
            seconds["store_write"] += time.perf_counter() - t0
    return {"seconds": seconds, "n_docs": n_docs, "pdf_pages": pdf_pages}


def main() -> None:
    """Print the stage table and the two ratios the issues ask for."""
    result = measure()
    s = result["seconds"]
    stages = ["load_pdf", "load_html_text", "spacy", "evidence", "classify", "store_write"]
    total = sum(s[k] for k in stages)
    print(f"\n## Stage shares over {result['n_docs']} documents (the 16 samples cycled; "
          f"{result['pdf_pages']} PDF pages)\n")
    print("| stage | seconds | share |\n|---|---:|---:|")
    for k in stages:
        print(f"| {k} | {s[k]:.2f} | {s[k] / total:.1%} |")
    print(f"| total | {total:.2f} | |")
    print(f"\n- spaCy extraction on the PDFs' text / PDF text extraction: "
          f"{s['spacy_on_pdf_text'] / s['load_pdf']:.3f} (target ≤ 1)")
    print(f"- classification share of the pipeline for {result['n_docs']} documents, evidence included: "
          f"{(s['classify'] + s['evidence']) / total:.2%} (target < 5%; the model alone "
          f"{s['classify'] / total:.2%}, the evidence component {s['evidence'] / total:.2%})")
    print(f"- pipeline throughput, one process: {result['n_docs'] / total:.1f} documents/s")


if __name__ == "__main__":
    main()
