"""PDF loader pages/s with the pypdfium2 engine against the pdfplumber engine, on the same files.

Two corpora: the real PDFs under ../shared/pdfs, and the dense synthetic PDFs of
`bench/synthetic.py`. Each file goes through `load_pdf` exactly as ingest calls it (layout,
margins, reflow included), in this process; failures are timed but add no pages.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402
from corpus.document import LoadError  # noqa: E402
from corpus.loaders.limits import PDF_ENGINES, Limits  # noqa: E402
from corpus.loaders.pdf import load_pdf  # noqa: E402

REAL_PDFS = REPO / ".." / "shared" / "pdfs"
SYNTHETIC_DOCS = 150  # documents of the synthetic corpus; about 60% of them are PDFs
TARGET_RATIO = 5.0


def _inputs(folder: Path, pattern: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.glob(pattern))]


def measure(files: list[bytes], engine: str) -> dict[str, float]:
    """Seconds, pages loaded and failures for one engine over `files`."""
    limits = Limits(pdf_engine=engine)
    pages = failures = 0
    started = time.perf_counter()
    for data in files:
        try:
            pages += load_pdf(data, limits).n_pages
        except LoadError:
            failures += 1
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "pages": pages, "failures": failures, "pages_per_s": pages / max(seconds, 1e-9)}


def main(argv: list[str] | None = None) -> None:
    """Print one table row per corpus and engine, and the pdfium / pdfplumber ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic-docs", type=int, default=SYNTHETIC_DOCS)
    args = parser.parse_args(argv if argv is not None else [])
    corpora = {"synthetic": _inputs(synthetic.corpus(args.synthetic_docs), "*.pdf")}
    if REAL_PDFS.is_dir():
        corpora = {"real (../shared/pdfs)": _inputs(REAL_PDFS, "*/*.pdf"), **corpora}
    warm = corpora["synthetic"][:1]
    for engine in PDF_ENGINES:
        measure(warm, engine)  # imports and first-call set-up are not the engines' speed
    print("\n## PDF engines: loader pages/s, same files, one process\n")
    print("| corpus | files | engine | pages | failures | seconds | pages/s |\n|---|---:|---|---:|---:|---:|---:|")
    ratios = {}
    for name, files in corpora.items():
        results = {engine: measure(files, engine) for engine in PDF_ENGINES}
        for engine, r in results.items():
            print(f"| {name} | {len(files)} | {engine} | {r['pages']} | {r['failures']} | "
                  f"{r['seconds']:.2f} | {r['pages_per_s']:.1f} |")
        ratios[name] = results["pdfium"]["pages_per_s"] / results["pdfplumber"]["pages_per_s"]
    for name, ratio in ratios.items():
        print(f"\n- {name}: pypdfium2 engine / pdfplumber engine pages/s = {ratio:.1f}x (target ≥ {TARGET_RATIO:.0f}x)")


if __name__ == "__main__":
    main(sys.argv[1:])
