"""`make eval-ml`: countries, TRL and funding mode per language on the multilingual test split (issue 14).

Each `corpus/labelled/test_multilingual/<lang>.jsonl` document goes through what ingest runs:
its detected language picks the spaCy pipeline, and the shipped classifier reads the same
records (text, mentions, evidence). This is a test split: report the figures, never tune on them.

Usage: python -m flows.evaluate_multilingual [--dir DIR] [--out FILE.json]
(`--dir corpus/labelled/dev_multilingual` scores the development split, which rule work may use.)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from flows.evaluate_real import Predicted, classification_scores, predict_texts, set_scores

REPO = Path(__file__).resolve().parents[1]
TEST_DIR = REPO / "corpus" / "labelled" / "test_multilingual"
TARGETS = {"countries": 0.97, "trl": 0.95, "mode": 0.85}  # per language (issue 14, "Measured")


def load_split(folder: Path = TEST_DIR) -> dict[str, list[dict[str, Any]]]:
    """Records by language, one `<lang>.jsonl` file each; a record must name its file's language."""
    out: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")):
        records = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            record = json.loads(line)
            where = f"{path}:{n} ({record.get('id')})"
            if record.get("language") != path.stem:
                raise ValueError(f"{where}: language {record.get('language')!r} in a file named {path.stem}")
            if record["id"] in seen:
                raise ValueError(f"{where}: duplicate id")
            seen.add(record["id"])
            records.append(record)
        if records:
            out[path.stem] = records
    return out


def score_language(records: Sequence[Mapping[str, Any]], predicted: Mapping[str, Predicted],
                   detected: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One language's figures over its records that have a prediction.

    Countries and TRL: micro P/R/F1 over documents of the document's set (gold countries, gold
    "min-max" values with repeats dropped). TRL F1 is None when neither side has any TRL.
    Mode: macro-F1 of the top label. `detected` (id -> code) adds the share detected correctly.
    """
    scored = [r for r in records if r["id"] in predicted]
    countries = set_scores([r["countries"] for r in scored], [predicted[r["id"]].countries for r in scored])
    trl = set_scores([r["trl"] for r in scored], [predicted[r["id"]].trl for r in scored])
    if trl["tp"] + trl["fp"] + trl["fn"] == 0:
        trl = {**trl, "precision": None, "recall": None, "f1": None}
    mode = classification_scores([r["label"] for r in scored], [predicted[r["id"]].mode for r in scored])
    out = {"n": len(records), "n_scored": len(scored), "countries": countries, "trl": trl,
           "mode": {"macro_f1": mode["macro_f1"], "accuracy": mode["accuracy"], "confusion": mode["confusion"]}}
    if detected is not None:
        out["detected_share"] = (sum(detected.get(r["id"]) == r["language"] for r in records) / len(records)
                                 if records else None)
    out["met"] = {name: (None if figure is None else figure >= TARGETS[name])
                  for name, figure in (("countries", countries["f1"]), ("trl", trl["f1"]),
                                       ("mode", mode["macro_f1"] if scored else None))}
    return out


def score(by_language: Mapping[str, Sequence[Mapping[str, Any]]], predicted: Mapping[str, Predicted],
          detected: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every language's figures, with the targets they are held to."""
    return {"targets": dict(TARGETS),
            "languages": {lang: score_language(records, predicted, detected)
                          for lang, records in sorted(by_language.items())}}


def _cell(figure: float | None, met: bool | None) -> str:
    if figure is None:
        return "n/a"
    return f"{figure:.3f} {'✓' if met else '✗'}"


def table(result: Mapping[str, Any], title: str = "Multilingual test split (report only; never tune on it)") -> str:
    """The per-language figures as a Markdown table, each target marked ✓ (met) or ✗."""
    t = result["targets"]
    lines = [title, "",
             f"| lang | docs | detected | countries P | countries R | countries F1 (≥{t['countries']}) "
             f"| TRL P | TRL R | TRL F1 (≥{t['trl']}) | mode macro-F1 (≥{t['mode']}) | mode acc |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for lang, s in result["languages"].items():
        c, r, m, met = s["countries"], s["trl"], s["mode"], s["met"]
        detected = "" if s.get("detected_share") is None else f"{s['detected_share']:.2f}"
        trl_p = "n/a" if r["precision"] is None else f"{r['precision']:.3f}"
        trl_r = "n/a" if r["recall"] is None else f"{r['recall']:.3f}"
        lines.append(f"| {lang} | {s['n_scored']}/{s['n']} | {detected} | {c['precision']:.3f} | {c['recall']:.3f} "
                     f"| {_cell(c['f1'], met['countries'])} | {trl_p} | {trl_r} | {_cell(r['f1'], met['trl'])} "
                     f"| {_cell(m['macro_f1'] if s['n_scored'] else None, met['mode'])} | {m['accuracy']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None,
         predict: Callable[[Mapping[str, str]], dict[str, Predicted]] = predict_texts,
         detect: Callable[[str], str] | None = None) -> int:
    """Score every language file of the split, print the table, optionally write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=TEST_DIR, help="folder of <lang>.jsonl test files")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    by_language = load_split(args.dir)
    if not by_language:
        print(f"no <lang>.jsonl files in {args.dir}", file=sys.stderr)
        return 1
    if detect is None:
        from corpus.language import detect_language as detect
    texts = {r["id"]: r["text"] for records in by_language.values() for r in records}
    detected = {i: detect(text) for i, text in texts.items()}
    result = score(by_language, predict(texts), detected)
    print(table(result) if args.dir.resolve() == TEST_DIR.resolve()
          else table(result, f"Multilingual files in {args.dir} (not the test split)"))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
