"""`make eval-real`: score funding mode, countries and TRLs on real public pages nobody here wrote.

The gold is `corpus/realworld/manifest.jsonl` (one page per line; see corpus/realworld/README.md),
whose `flows` also score who funds whom, and `corpus/realworld/facts_gold.jsonl` for the call facts
(deadlines, openings, budgets, durations) of the call pages annotated there: the same scores as
`make eval` gives our own annotated calls, on calls nobody here wrote.
Texts come either from a folder of saved excerpts named `<id>.txt` (`--texts DIR`), run through
the same spaCy pipeline and classifier that `fundscope ingest` uses, or from ingesting the URLs
with the real CLI (`--fetch`, needs internet).

Usage: python -m flows.evaluate_real (--texts DIR | --fetch) [--split dev|holdout|all] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "corpus" / "realworld" / "manifest.jsonl"
FACTS_GOLD = REPO / "corpus" / "realworld" / "facts_gold.jsonl"
FACT_KINDS = ("deadline", "opening", "budget", "duration")
LABELS = ("matching_fund", "direct_fund", "neither")
# dev: tune on it; holdout: scored once on 2026-12-07, tuned on since; holdout2 (manifest_c, manifest_d)
# and holdout3 (manifest_e, manifest_f): fresh sets, each scored once on 2026-12-07 and tuned on since;
# holdout4 (manifest_g, manifest_h): collected after holdout3 was scored, scored once, tuned on since;
# holdout5 (manifest_i, manifest_j): collected after holdout4 was scored, held out, scored once at the end
# tune: everything one may tune on now
SPLITS = ("dev", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "tune", "all")
TUNE = ("dev", "holdout", "holdout2", "holdout3", "holdout4")
FRESH_SPLITS = ("holdout2", "holdout3", "holdout4", "holdout5")  # every page of these is held out: no URL rule
ECE_BINS = 15
CONFIDENT = 0.9  # "wrong with p >= 0.9" (issue 11, step 5)


# --- the manifest ---------------------------------------------------------------------------

def split_of(url: str) -> str:
    """The page's split, fixed by its URL: holdout when sha1(url) is divisible by 3, else dev."""
    return "holdout" if int(hashlib.sha1(url.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "dev"


def load_manifest(path: Path, split: str = "all") -> list[dict[str, Any]]:
    """Manifest rows of `split`, refusing duplicate ids and rows whose split breaks the URL rule."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        where = f"{path}:{n} ({row.get('id')})"
        if row["id"] in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(row["id"])
        if row["label"] not in LABELS:
            raise ValueError(f"{where}: label {row['label']!r} is not one of {LABELS}")
        if row["split"] not in FRESH_SPLITS and row["split"] != split_of(row["url"]):
            raise ValueError(f"{where}: split {row['split']!r} contradicts the URL rule ({split_of(row['url'])!r})")
        if split == "all" or row["split"] == split or (split == "tune" and row["split"] in TUNE):
            rows.append(row)
    return rows


def read_texts(folder: Path, rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, str], list[str]]:
    """Saved texts by manifest id, and the ids whose `<id>.txt` is missing."""
    texts, missing = {}, []
    for row in rows:
        f = folder / f"{row['id']}.txt"
        if f.is_file():
            texts[row["id"]] = f.read_text(encoding="utf-8")
        else:
            missing.append(row["id"])
    return texts, missing


# --- predictions ------------------------------------------------------------------------------

@dataclass
class Predicted:
    """What the pipeline said about one page: probabilities in LABELS order and extracted sets."""

    proba: tuple[float, float, float]
    countries: set[str] = field(default_factory=set)
    trl: set[str] = field(default_factory=set)
    flows: set[tuple[str, str]] = field(default_factory=set)  # (funder_country, recipient_country)
    facts: dict[str, list] = field(default_factory=dict)  # kind -> values shaped like facts_gold's

    @property
    def mode(self) -> str:
        """The top label (first in LABELS order on ties, as the classifier's argmax)."""
        return LABELS[max(range(len(LABELS)), key=lambda i: (self.proba[i], -i))]


def trl_value(tmin: int | None, tmax: int | None) -> str:
    """A TRL range written as in the manifest and the mentions table: "min-max"."""
    return f"{tmin}-{tmax}"


def predict_texts(texts: Mapping[str, str]) -> dict[str, Predicted]:
    """Run texts through the ingest pipeline: each text's detected language picks its spaCy pipeline, then the saved classifier.

    The manifest's `language` is not used: ingest only sees the text, so the detected one is what it would pick.
    """
    from corpus.language import detect_language
    from extractors.flow_completion import complete_flows
    from extractors.languages import get_nlp_for
    from extractors.pipeline import get_nlp
    from flows.batch import extract_rows_by_language, pipeline_chooser
    from models.funding_mode import FundingModeModel

    ids = list(texts)
    found = extract_rows_by_language([texts[i] for i in ids], [detect_language(texts[i]) for i in ids],
                                     pipeline_chooser(get_nlp(), get_nlp_for))
    model = FundingModeModel.load()
    out: dict[str, Predicted] = {}
    ok = [(i, rows) for i, rows in zip(ids, found) if not isinstance(rows, Exception)]
    for i, rows in zip(ids, found):
        if isinstance(rows, Exception):
            print(f"warning: {i}: extraction failed: {rows}", file=sys.stderr)
    proba = model.predict_proba([{"text": texts[i], "mentions": r.mentions, "evidence": r.evidence} for i, r in ok])
    for (i, rows), row in zip(ok, proba):
        mode = LABELS[max(range(len(LABELS)), key=lambda k: (row[k], -k))]  # as Predicted.mode
        pairs = [(f.funder_country, f.recipient_country) for f in complete_flows(rows.flows, rows.mentions, mode)]
        out[i] = Predicted(
            proba=(float(row[0]), float(row[1]), float(row[2])),
            countries={m.value for m in rows.mentions if m.label == "country"},
            trl={trl_value(m.trl_min, m.trl_max) for m in rows.mentions if m.label == "trl"},
            flows={p for p in pairs if all(p)},
            facts=_facts_by_kind([f.as_dict() for f in rows.facts]),
        )
    return out


def _facts_by_kind(facts: Iterable[Mapping[str, Any]]) -> dict[str, list]:
    """Fact rows as values by kind, as the annotated-calls scorer reads them."""
    from extractors.facts_evaluation import predicted_from_facts

    found = predicted_from_facts(facts)
    return {kind: found[kind] for kind in FACT_KINDS}


def predict_by_ingest(rows: Sequence[Mapping[str, Any]], data: Path) -> dict[str, Predicted]:
    """Ingest the manifest URLs with the real CLI into `data` and read back what the store holds."""
    from corpus.query import run_query
    from corpus.store import Store

    by_url = {row["url"]: row["id"] for row in rows}
    cmd = [sys.executable, "-m", "flows.cli", "ingest", *by_url, "--data", str(data), "--quiet"]
    subprocess.run(cmd, check=False, cwd=REPO, stdout=subprocess.DEVNULL)  # failures land in `errors`
    store = Store(data)
    _, modes = run_query(store, "select d.source, c.p_matching_fund, c.p_direct_fund, c.p_neither "
                                "from documents d join classifications c using (doc_id)")
    out = {by_url[s]: Predicted(proba=(pm, pd, pn)) for s, pm, pd, pn in modes if s in by_url}
    _, mentions = run_query(store, "select d.source, m.label, m.value, m.trl_min, m.trl_max "
                                   "from mentions m join documents d using (doc_id)")
    for source, label, value, tmin, tmax in mentions:
        pred = out.get(by_url.get(source, ""))
        if pred is None:
            continue
        if label == "country":
            pred.countries.add(value)
        elif label == "trl":
            pred.trl.add(trl_value(tmin, tmax))
    _, flows = run_query(store, "select d.source, f.funder_country, f.recipient_country "
                                "from flows f join documents d using (doc_id)")
    for source, funder, recipient in flows:
        if source in by_url and by_url[source] in out and funder and recipient:
            out[by_url[source]].flows.add((funder, recipient))
    names, facts = run_query(store, "select d.source, f.* exclude (doc_id) from facts f join documents d using (doc_id)")
    per_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in facts:
        per_page[row[0]].append(dict(zip(names[1:], row[1:])))
    for source, rows_ in per_page.items():
        if source in by_url and by_url[source] in out:
            out[by_url[source]].facts = _facts_by_kind(rows_)
    return out


def load_facts_gold(path: Path, group: str = "all") -> dict[str, dict[str, Any]]:
    """Annotated call facts by manifest id, of one `group` (`tune`, `check`) or all; empty when the file is absent.

    `check` pages (the holdout4 and holdout5 calls) are never tuned on: rule work reads `tune` only.
    """
    if not path.is_file():
        return {}
    gold: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if row["id"] in gold:
                raise ValueError(f"{path}:{n} ({row['id']}): duplicate id")
            if group == "all" or row.get("group") == group:
                gold[row["id"]] = row
    return gold


# --- metrics ------------------------------------------------------------------------------------

def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; 0.0 where a ratio has no denominator."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def classification_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class P/R/F1/support, macro-F1 and the confusion matrix (rows gold, columns predicted).

    Macro-F1 averages the classes that occur in the gold or the predictions; a class absent from
    both says nothing about the model and is left out.
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    n = len(gold)
    confusion = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in zip(gold, pred):
        confusion[g][p] += 1
    per_class = {}
    for c in LABELS:
        tp = confusion[c][c]
        fp = sum(confusion[g][c] for g in LABELS if g != c)
        fn = sum(confusion[c][p] for p in LABELS if p != c)
        p_, r_, f_ = prf(tp, fp, fn)
        per_class[c] = {"precision": p_, "recall": r_, "f1": f_, "support": tp + fn}
    present = [c for c in LABELS if c in set(gold) | set(pred)]
    macro = sum(per_class[c]["f1"] for c in present) / len(present) if present else 0.0
    accuracy = sum(g == p for g, p in zip(gold, pred)) / n if n else 0.0
    return {"n": n, "accuracy": accuracy, "macro_f1": macro, "per_class": per_class, "confusion": confusion}


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], n_bins: int = ECE_BINS) -> float:
    """ECE on the top-label probability: equal-width bins over [0, 1], bin k holding (k/n, (k+1)/n]
    (bin 0 also holds 0); the sum over bins of |bin share| * |accuracy - mean confidence|."""
    n = len(confidence)
    if n == 0:
        return 0.0
    bins: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(confidence):
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"confidence {c} outside [0, 1]")
        k = min(n_bins - 1, max(0, math.ceil(round(c * n_bins, 9)) - 1))  # rounding keeps (0.1 * 6) * 15 in bin 8
        bins[k].append(i)
    total = 0.0
    for members in bins.values():
        acc = sum(correct[i] for i in members) / len(members)
        conf = sum(confidence[i] for i in members) / len(members)
        total += len(members) / n * abs(acc - conf)
    return total


def brier_score(proba: Sequence[Sequence[float]], gold: Sequence[str]) -> float:
    """Multiclass Brier score: the mean over documents of sum_k (p_k - [k is gold])^2 (0 best, 2 worst)."""
    if not gold:
        return 0.0
    total = 0.0
    for row, g in zip(proba, gold):
        total += sum((p - (1.0 if LABELS[k] == g else 0.0)) ** 2 for k, p in enumerate(row))
    return total / len(gold)


def confident_wrong_share(proba: Sequence[Sequence[float]], gold: Sequence[str], threshold: float = CONFIDENT) -> float:
    """Share of documents whose top label is wrong although its probability is at least `threshold`."""
    if not gold:
        return 0.0
    bad = 0
    for row, g in zip(proba, gold):
        top = max(range(len(LABELS)), key=lambda i: (row[i], -i))
        bad += LABELS[top] != g and row[top] >= threshold
    return bad / len(gold)


def set_scores(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> dict[str, float]:
    """Micro P/R/F1 over documents of document-level sets (tp, fp, fn summed over documents)."""
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    p_, r_, f_ = prf(tp, fp, fn)
    return {"precision": p_, "recall": r_, "f1": f_, "tp": tp, "fp": fp, "fn": fn}


# --- the report ---------------------------------------------------------------------------------

def score(rows: Sequence[Mapping[str, Any]], predicted: Mapping[str, Predicted],
          facts_gold: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Every figure of the report for the manifest rows that have a prediction.

    Who funds whom is scored on every scored page (the manifest's `flows`); call facts on the
    scored pages that `facts_gold` annotates.
    """
    scored = [r for r in rows if r["id"] in predicted]
    gold = [r["label"] for r in scored]
    preds = [predicted[r["id"]] for r in scored]
    modes = [p.mode for p in preds]
    proba = [p.proba for p in preds]
    mode = classification_scores(gold, modes)
    mode["ece"] = expected_calibration_error([max(p) for p in proba], [m == g for m, g in zip(modes, gold)])
    mode["brier"] = brier_score(proba, gold)
    mode["confident_wrong_share"] = confident_wrong_share(proba, gold)

    def by(key: str) -> dict[str, Any]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(scored):
            groups[str(r[key])].append(i)
        out = {}
        for name, idx in sorted(groups.items()):
            s = classification_scores([gold[i] for i in idx], [modes[i] for i in idx])
            out[name] = {"n": s["n"], "accuracy": s["accuracy"], "macro_f1": s["macro_f1"]}
        return out

    english = [i for i, r in enumerate(scored) if r["language"] == "en"]
    return {
        "n_manifest": len(rows),
        "n_scored": len(scored),
        "missing": sorted(r["id"] for r in rows if r["id"] not in predicted),
        "labels": dict(Counter(gold)),
        "mode": mode,
        "by_genre": by("genre"),
        "by_language": by("language"),
        "countries": set_scores([r["countries"] for r in scored], [p.countries for p in preds]),
        "countries_english": set_scores([scored[i]["countries"] for i in english],
                                        [preds[i].countries for i in english]),
        "trl": set_scores([r["trl"] for r in scored], [p.trl for p in preds]),
        "flows": set_scores([{tuple(f) for f in r["flows"]} for r in scored], [p.flows for p in preds]),
        "facts": fact_scores(scored, predicted, facts_gold or {}),
        "errors": [{"id": r["id"], "gold": g, "predicted": m, "p": round(max(p.proba), 3),
                    "genre": r["genre"], "language": r["language"], "hard_kind": r.get("hard_kind")}
                   for r, g, m, p in zip(scored, gold, modes, preds) if g != m],
    }


def fact_scores(scored: Sequence[Mapping[str, Any]], predicted: Mapping[str, Predicted],
                facts_gold: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Micro P/R/F1 per call-fact kind over the scored pages that have a facts gold line."""
    from extractors.facts_evaluation import score_facts

    gold = [{**facts_gold[r["id"]], "file": r["id"]} for r in scored if r["id"] in facts_gold]
    found = {g["file"]: predicted[g["file"]].facts for g in gold}
    out: dict[str, Any] = {"n_pages": len(gold)}
    for kind, s in score_facts(gold, found, FACT_KINDS).items():
        out[kind] = {"precision": s.precision, "recall": s.recall, "f1": s.f1, "tp": s.tp, "fp": s.fp, "fn": s.fn,
                     "misses": s.misses}
    return out


def markdown(result: Mapping[str, Any], split: str) -> str:
    """The report as markdown tables."""
    m = result["mode"]
    lines = [f"## Real-world pages, split `{split}`: {result['n_scored']} scored of {result['n_manifest']}"
             + (f" (missing: {', '.join(result['missing'])})" if result["missing"] else ""), "",
             "| funding mode | value |", "|---|---:|",
             f"| macro-F1 | {m['macro_f1']:.3f} |", f"| accuracy | {m['accuracy']:.3f} |",
             f"| ECE ({ECE_BINS} bins, top label) | {m['ece']:.3f} |", f"| Brier (multiclass) | {m['brier']:.3f} |",
             f"| wrong with p ≥ {CONFIDENT} | {m['confident_wrong_share']:.3f} |", "",
             "| class | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for c in LABELS:
        s = m["per_class"][c]
        lines.append(f"| {c} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    lines += ["", "| gold \\ predicted | " + " | ".join(LABELS) + " |", "|---|" + "---:|" * len(LABELS)]
    for g in LABELS:
        lines.append(f"| {g} | " + " | ".join(str(m["confusion"][g][p]) for p in LABELS) + " |")
    for key, title in (("by_genre", "genre"), ("by_language", "language")):
        lines += ["", f"| {title} | n | accuracy | macro-F1 |", "|---|---:|---:|---:|"]
        for name, s in result[key].items():
            lines.append(f"| {name} | {s['n']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} |")
    lines += ["", "| extraction (doc-level sets, micro) | precision | recall | F1 | tp | fp | fn |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for key, title in (("countries", "countries (all pages)"), ("countries_english", "countries (English pages)"),
                       ("trl", "TRL"), ("flows", "flows (funder_country, recipient), all pages")):
        s = result[key]
        lines.append(f"| {title} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                     f"{s['tp']} | {s['fp']} | {s['fn']} |")
    facts = result.get("facts") or {}
    if facts.get("n_pages"):
        lines += ["", f"| call facts ({facts['n_pages']} annotated call pages) | precision | recall | F1 | tp | fp | fn |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for kind in FACT_KINDS:
            s = facts[kind]
            lines.append(f"| {kind} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                         f"{s['tp']} | {s['fp']} | {s['fn']} |")
    if result["errors"]:
        lines += ["", "| wrong | gold | predicted | p | genre | language | hard kind |", "|---|---|---|---:|---|---|---|"]
        for e in result["errors"]:
            lines.append(f"| {e['id']} | {e['gold']} | {e['predicted']} | {e['p']:.3f} | {e['genre']} | "
                         f"{e['language']} | {e['hard_kind'] or ''} |")
    return "\n".join(lines)


def ablation_table(rows: Sequence[Mapping[str, Any]], texts: Mapping[str, str], split: str) -> str:
    """What each feature block of the shipped model adds on these pages, as a markdown section."""
    from models.ablation import ablation, ablation_markdown
    from models.funding_mode import FundingModeModel
    from models.labelled_corpus import load_train
    from models.train import attach_mentions

    shipped = FundingModeModel.load()
    train = load_train()
    train_records = attach_mentions([d.text for d in train])
    eval_records = attach_mentions([texts[r["id"]] for r in rows])
    found = ablation(train_records, [d.label for d in train], shipped.params, shipped.seed,
                     eval_records, [r["label"] for r in rows])
    return "\n".join([f"## Ablation on the real-world `{split}` pages", "",
                      "The shipped model's parameters refitted (calibrated, as shipped) on the training split with one "
                      "feature block's weight set to 0, or without the evidence vote, scored on pages nobody on the "
                      "team wrote.", "",
                      *ablation_markdown(found, f"real {split}, n={len(rows)}")])


def main(argv: list[str] | None = None, predict: Callable[[Mapping[str, str]], dict[str, Predicted]] = predict_texts) -> int:
    """Score one split of the manifest and print the tables; optionally write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--texts", type=Path, help="folder of saved page texts named <id>.txt")
    source.add_argument("--fetch", action="store_true", help="ingest the manifest URLs with `fundscope ingest` (internet)")
    parser.add_argument("--split", choices=SPLITS, default="dev", help="dev and tune (dev + the first four holdouts) to tune on, holdout5 (score once), one earlier holdout, or all")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--facts-gold", type=Path, default=FACTS_GOLD, help="annotated call facts by manifest id")
    parser.add_argument("--facts-group", choices=("tune", "check", "all"), default="all",
                        help="which annotated call pages score the facts: tune (rule work), check (never tuned on)")
    parser.add_argument("--misses", action="store_true", help="also list each page's call-fact misses")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--card", action="store_true", help="write the tables into the model card's section for this split")
    parser.add_argument("--ablation", action="store_true",
                        help="refit the shipped model's params without each feature block and score them on this split")
    args = parser.parse_args(argv)

    rows = load_manifest(args.manifest, args.split)
    if args.texts is not None:
        texts, missing = read_texts(args.texts, rows)
        if missing:
            print(f"warning: {len(missing)} text(s) missing in {args.texts}: {', '.join(missing)}", file=sys.stderr)
        predicted = predict(texts) if texts else {}
    else:
        with tempfile.TemporaryDirectory() as tmp:
            predicted = predict_by_ingest(rows, Path(tmp) / "data")
    result = score(rows, predicted, load_facts_gold(args.facts_gold, args.facts_group))
    result["facts_group"] = args.facts_group
    result["split"] = args.split
    print(markdown(result, args.split))
    if args.misses:
        for kind in FACT_KINDS:
            for miss in (result["facts"].get(kind) or {}).get("misses", []):
                print(f"- {kind}: {miss}")
    if args.card:
        from models.model_card import write_section
        from models.train import CARD_PATH

        write_section(CARD_PATH, f"real-world-{args.split}", markdown(result, args.split))
    if args.ablation and args.texts is not None:
        table = ablation_table([r for r in rows if r["id"] in texts], texts, args.split)
        print(table)
        if args.card:
            from models.model_card import write_section
            from models.train import CARD_PATH

            write_section(CARD_PATH, f"ablation-{args.split}", table)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if result["n_scored"] else 1


if __name__ == "__main__":
    sys.exit(main())
