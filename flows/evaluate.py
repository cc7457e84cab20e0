"""`make eval`: ingest each annotated split with the real CLI and score it against its gold.

Usage: python -m flows.evaluate [--misses dev|test|all]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from corpus.query import run_query
from corpus.store import Store
from extractors.evaluation import Score, read_gold, score_split
from extractors.facts_evaluation import predicted_from_facts, score_facts

REPO = Path(__file__).resolve().parents[1]
ANNOTATED = REPO / "corpus" / "annotated"
TARGETS = {"country": 0.95, "trl": 0.92, "scheme": 0.85}  # F1 on the test split (issue 3)
FACT_TARGETS = {"deadline": 0.95, "budget": 0.90, "duration": 0.90, "flows": 0.90}  # test split (issue 13)
FACT_KINDS = ("deadline", "opening", "budget", "duration", "flows")


def ingest_split(split: str, data: Path) -> tuple[dict[str, dict[str, list]], dict[str, str], Store]:
    """Run `fundscope ingest` on the split's files; return mentions and funding modes by file name."""
    folder = ANNOTATED / split
    files = [str(folder / g["file"]) for g in read_gold(folder / "gold.jsonl")]
    cmd = [sys.executable, "-m", "flows.cli", "ingest", *files, "--data", str(data), "--quiet"]
    subprocess.run(cmd, check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    store = Store(data)
    predicted: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    _, rows = run_query(store, "select d.source, m.label, m.value, m.trl_min, m.trl_max "
                               "from mentions m join documents d using (doc_id)")
    for source, label, value, tmin, tmax in rows:
        predicted[Path(source).name][label].append((tmin, tmax) if label == "trl" else value)
    _, modes = run_query(store, "select d.source, c.funding_mode from documents d join classifications c using (doc_id)")
    return predicted, {Path(s).name: m for s, m in modes}, store


def _stored_rows(store: Store, sql: str) -> list[tuple] | None:
    """Rows of `sql`, or None when the store has no such table (written before it existed)."""
    try:
        return run_query(store, sql)[1]
    except Exception:  # duckdb raises a CatalogException for a missing view
        return None


def split_facts(store: Store) -> tuple[dict[str, dict[str, list]], str]:
    """Predicted facts and flows by file name: from the facts and flows tables, or by running the pipeline."""
    facts = _stored_rows(store, "select d.source, f.fact, f.date, f.amount, f.currency, f.months "
                                "from facts f join documents d using (doc_id)")
    flows = _stored_rows(store, "select d.source, l.funder_country, l.recipient_country "
                                "from flows l join documents d using (doc_id)")
    if facts is not None and flows is not None:
        rows: dict[str, list[dict]] = defaultdict(list)
        pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for source, fact, when, amount, currency, months in facts:
            rows[Path(source).name].append({"fact": fact, "date": when, "amount": amount,
                                            "currency": currency, "months": months})
        for source, funder, recipient in flows:
            pairs[Path(source).name].append((funder, recipient))
        names = set(rows) | set(pairs)
        return {n: predicted_from_facts(rows[n], pairs[n]) for n in names}, "facts and flows tables"
    return _facts_by_pipeline(store), "spaCy pipeline on the stored text (no facts/flows table)"


def _facts_by_pipeline(store: Store) -> dict[str, dict[str, list]]:
    """Facts and flows computed from each stored document's text, for stores without those tables."""
    import extractors.facts  # noqa: F401  (registers the component)
    from extractors.funding_evidence import doc_flows
    from extractors.pipeline import build_nlp

    nlp = build_nlp()
    if not any(nlp.get_pipe_meta(name).factory == "fundscope_facts" for name in nlp.pipe_names):
        nlp.add_pipe("fundscope_facts", name="facts").initialize()
    _, docs = run_query(store, "select source, text from documents")
    out = {}
    for source, text in docs:
        doc = nlp(text)
        flows = [(f.funder_country, f.recipient_country) for f in doc_flows(doc._.funding_evidence or [])]
        out[Path(source).name] = predicted_from_facts([f.as_dict() for f in doc._.facts or []], flows)
    return out


def facts_report(split: str, scores: dict[str, Score]) -> list[str]:
    """Markdown rows of the facts and flows scores of one split."""
    lines = []
    for kind, s in scores.items():
        target = FACT_TARGETS.get(kind) if split == "test" else None
        mark = "" if target is None else (" ✓" if s.f1 >= target else f" ✗ (target {target})")
        lines.append(f"| {split} | {kind} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f}{mark} | "
                     f"{s.tp + s.fn} | {s.tp} | {s.fp} | {s.fn} |")
    return lines


def mode_accuracy(split: str, modes: dict[str, str]) -> tuple[int, int]:
    """Documents whose funding_mode matches the gold label, out of all gold documents."""
    gold = read_gold(ANNOTATED / split / "gold.jsonl")
    return sum(modes.get(g["file"]) == g["funding_mode"] for g in gold), len(gold)


def report(split: str, scores: dict[str, Score], accuracy: tuple[int, int]) -> list[str]:
    """Markdown rows for one split."""
    lines = []
    for label, s in scores.items():
        target = TARGETS.get(label) if split == "test" else None
        mark = "" if target is None else (" ✓" if s.f1 >= target else f" ✗ (target {target})")
        lines.append(f"| {split} | {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f}{mark} | "
                     f"{s.tp + s.fn} | {s.tp} | {s.fp} | {s.fn} |")
    ok, n = accuracy
    lines.append(f"| {split} | funding_mode (accuracy) | | | {ok / n:.3f} | {n} | | | |")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Score both splits and print one table; optionally list the misses of a split."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", choices=["dev", "test", "all"], help="list each document's misses")
    parser.add_argument("--split", choices=["dev", "test"], action="append",
                        help="score only this split (repeatable; default both). Rule work uses --split dev only.")
    args = parser.parse_args(argv)
    splits = tuple(args.split or ("dev", "test"))
    rows = []
    misses: dict[str, dict[str, Score]] = {}
    fact_rows: list[str] = []
    fact_source = ""
    with tempfile.TemporaryDirectory() as tmp:
        for split in splits:
            predicted, modes, store = ingest_split(split, Path(tmp) / split)
            scores = score_split(read_gold(ANNOTATED / split / "gold.jsonl"), predicted)
            rows += report(split, scores, mode_accuracy(split, modes))
            found, fact_source = split_facts(store)
            fact_scores = score_facts(read_gold(ANNOTATED / split / "facts_gold.jsonl"), found, FACT_KINDS)
            fact_rows += facts_report(split, fact_scores)
            misses[split] = {**scores, **{f"facts:{k}": v for k, v in fact_scores.items()}}
    print("\n## Extractors against corpus/annotated (document-level sets; TRL as a multiset of ranges)\n")
    print("| split | label | precision | recall | F1 | gold | tp | fp | fn |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(f"\n## Call facts and flows against corpus/annotated/*/facts_gold.jsonl (sets per document; from {fact_source})\n")
    print("| split | fact | precision | recall | F1 | gold | tp | fp | fn |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(fact_rows))
    if args.misses:
        for split in splits if args.misses == "all" else (args.misses,):
            print(f"\n### misses on {split}")
            for label, s in misses[split].items():
                for line in s.misses:
                    print(f"- {label}: {line}")
    if "test" in splits:
        _print_classifier_card()
    return 0


def _print_classifier_card() -> None:
    card = REPO / "models" / "funding_mode.md"
    if not card.exists():
        print("\n(no model card: run `fundscope train`)")
        return
    text = card.read_text(encoding="utf-8")
    start = text.find("## Test")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        print("\n## Funding-mode classifier (from models/funding_mode.md)\n")
        print(text[start:end if end > 0 else None].strip())


if __name__ == "__main__":
    sys.exit(main())
