"""Extraction throughput on Japanese versus English text of the same length (issue 14: ja ≥ 0.5× en).

Both texts run the whole per-document extraction of ingest: language detection, the language's
spaCy pipeline and the reduction to rows (mentions, evidence, flows, facts). The Japanese text is
built from the test fixture sentences of tests/data/extractors/multilingual/ja.jsonl, the English
from our own sentences on the same topics; each is cut into documents of DOC_CHARS characters.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.language import detect_language  # noqa: E402
from flows.batch import extract_rows_by_language, pipeline_chooser  # noqa: E402
from flows.workers import get_nlp, get_nlp_for  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
JA_FIXTURES = REPO / "tests" / "data" / "extractors" / "multilingual" / "ja.jsonl"
TOTAL_CHARS = 200_000
DOC_CHARS = 2_000
TARGET = 0.5  # Japanese chars/s over English chars/s
ENGLISH = (
    "Researchers on the Japanese side are funded by JST, and those of the partner country by their own agency.",
    "Teams from the United Kingdom, the United States and Korea take part in the joint call.",
    "The call covers technologies at TRL 4 to 6 and projects that start at TRL 3.",
    "Each funding organisation pays its national partners; no money crosses the border.",
    "Proposals are due by 1 April 2025 and the budget is up to 100 million yen per project.",
    "German and French partners join the consortium under the lead agency procedure.",
)


def documents(sentences: list[str], total: int = TOTAL_CHARS, size: int = DOC_CHARS) -> list[str]:
    """`sentences` cycled into documents of about `size` characters, `total` characters in all."""
    docs, current, done, i = [], "", 0, 0
    while done < total:
        current += sentences[i % len(sentences)] + ("\n" if i % 4 == 3 else " ")
        i += 1
        if len(current) >= size:
            docs.append(current)
            done += len(current)
            current = ""
    return docs


def japanese_sentences(path: Path = JA_FIXTURES) -> list[str]:
    """The Japanese fixture sentences."""
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def throughput(docs: list[str], repeats: int = 2) -> float:
    """Characters per second through detection, the chosen pipeline and row reduction (best of `repeats`)."""
    choose = pipeline_chooser(get_nlp(), get_nlp_for)
    chars = sum(len(d) for d in docs)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        languages = [detect_language(d) for d in docs]
        results = extract_rows_by_language(docs, languages, choose)
        best = min(best, time.perf_counter() - t0)
        failed = [r for r in results if isinstance(r, Exception)]
        if failed:
            raise RuntimeError(f"{len(failed)} documents failed: {failed[0]}")
    return chars / best


def measure() -> dict:
    """Chars/s for each language and their ratio, after building both pipelines and the detector."""
    ja, en = documents(japanese_sentences()), documents(list(ENGLISH))
    for text in (ja[0], en[0]):  # warm-up: pipelines, the detector's models
        extract_rows_by_language([text], [detect_language(text)], pipeline_chooser(get_nlp(), get_nlp_for))
    detected = {"ja": detect_language(ja[0]), "en": detect_language(en[0])}
    result = {"ja": throughput(ja), "en": throughput(en), "chars": {"ja": sum(map(len, ja)), "en": sum(map(len, en))},
              "docs": {"ja": len(ja), "en": len(en)}, "detected": detected}
    result["ratio"] = result["ja"] / result["en"]
    return result


def main() -> None:
    """Print the throughput table and whether Japanese reaches TARGET× English."""
    r = measure()
    print(f"\n## Extraction throughput by language ({r['docs']['ja']} documents of ~{DOC_CHARS} characters each)\n")
    print("| language | detected as | characters | chars/s |\n|---|---|---:|---:|")
    for lang in ("en", "ja"):
        print(f"| {lang} | {r['detected'][lang]} | {r['chars'][lang]:,} | {r[lang]:,.0f} |")
    mark = "✓" if r["ratio"] >= TARGET else "✗"
    print(f"\n- Japanese / English throughput: {r['ratio']:.2f}× (target ≥ {TARGET}×) {mark}")


if __name__ == "__main__":
    main()
