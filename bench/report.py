"""Issue 13: `fundscope report` over a 5,000-document synthetic store: build time, size, opening time.

The store is written straight through the store's commit API (no ingest): synthetic text from
bench/synthetic.py's phrase tables and rows for every table the report reads, so the figures
measure the report alone. Opening time is the page's own clock, from navigation start to the
last chart drawn, in headless Chromium (skipped, saying so, when Chromium is not installed).

    python bench/report.py               # 5,000 documents
    python bench/report.py --docs 500
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402
from corpus.store import Batch, Store  # noqa: E402
from flows.report import build_report  # noqa: E402

TARGETS = {"build_s": 10.0, "mb": 5.0, "open_s": 3.0}  # issue 13's budgets for 5,000 documents
HOSTS = [f"www.agency{k}.example" for k in range(8)] + ["portal.example.eu"]
ISO3 = {"Germany": "DEU", "France": "FRA", "Japan": "JPN", "Netherlands": "NLD", "Finland": "FIN", "Korea": "KOR",
        "Canada": "CAN", "Brazil": "BRA", "Sweden": "SWE", "Spain": "ESP", "Italy": "ITA", "Norway": "NOR"}
CURRENCIES = ["EUR", "EUR", "EUR", "JPY", "USD", "GBP", "KRW", "CHF", "SEK", "CAD"]
PARTIES = [(None, None), ("JPN", "academia"), (None, "company"), (None, "sme"), ("DEU", None), (None, "project")]
AT = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _iso3(country: str, rng: random.Random) -> str:
    return ISO3.get(country) or rng.choice(list(ISO3.values()))


def synthetic_rows(n_docs: int, seed: int = 7) -> Batch:
    """Rows of every table for `n_docs` synthetic documents."""
    batch = Batch()
    for i in range(n_docs):
        rng = random.Random(f"report:{seed}:{i}")
        spec = synthetic.spec_for(seed, i)
        writer = synthetic._Writer(rng, i)
        text = "\n\n".join(f"{h}\n{p}" for h, p in writer.sections(spec.mode, 250))
        doc_id = f"{i:08d}{rng.getrandbits(96):024x}"
        day = AT + timedelta(days=rng.randint(0, 540))
        batch.documents.append({
            "doc_id": doc_id, "source": f"https://{rng.choice(HOSTS)}/calls/{writer.slots['ref']}.html",
            "title": writer.title(), "kind": "html", "text": text, "n_pages": 1, "page_starts": [0],
            "size_bytes": len(text.encode()), "encoding": "utf-8", "ingested_at": day, "run_id": "bench"})
        mode = {"matching": "matching_fund", "direct": "direct_fund", "neither": "neither"}[spec.mode]
        p = [rng.random() * 0.3 for _ in range(3)]
        p[["matching_fund", "direct_fund", "neither"].index(mode)] += 1
        total = sum(p)
        batch.classifications.append({"doc_id": doc_id, "funding_mode": mode, "p_matching_fund": p[0] / total,
                                      "p_direct_fund": p[1] / total, "p_neither": p[2] / total,
                                      "model_version": "bench", "classified_at": day})
        funder, other = _iso3(writer.slots["country"], rng), _iso3(writer.slots["country2"], rng)
        agency = writer.slots["agency"].removeprefix("the ")
        span = (0, min(len(text), 120))
        batch.mentions.append({"doc_id": doc_id, "label": "agency", "value": agency, "text": agency, "start": 0,
                               "end": 10, "sentence": None, "trl_min": None, "trl_max": None,
                               "agency_country": funder, "page": 1})
        party = rng.choice(PARTIES)
        batch.mentions.append({"doc_id": doc_id, "label": "trl", "value": f"{writer.slots['lo']}-{writer.slots['hi']}",
                               "text": "TRL", "start": 20, "end": 30, "sentence": None,
                               "trl_min": writer.slots["lo"], "trl_max": writer.slots["hi"], "agency_country": None,
                               "page": 1, "party_country": party[0], "party_kind": party[1]})
        if mode != "neither":
            pairs = [(funder, funder, "matching_fund"), (other, other, "matching_fund")] if mode == "matching_fund" \
                else [(funder, rng.choice([other, "*"]), "direct_fund")]
            for fc, rc, m in pairs:
                batch.flows.append({"doc_id": doc_id, "funder": agency if fc == funder else fc, "funder_country": fc,
                                    "recipient_country": rc, "mode": m, "evidence_start": span[0],
                                    "evidence_end": span[1]})
                batch.evidence.append({"doc_id": doc_id, "kind": "own" if fc == rc else "foreign", "funder": agency,
                                       "funder_country": fc, "recipient_country": rc, "negated": False,
                                       "modality": "stated", "text": text[span[0]:span[1]], "start": span[0],
                                       "end": span[1], "sentence": None})
        deadline = day.date() + timedelta(days=rng.randint(30, 200))
        fact = {"doc_id": doc_id, "text": "x", "start": 40, "end": 45, "sentence": None, "date": None,
                "amount": None, "currency": None, "per": None, "months": None}
        batch.facts.append({**fact, "fact": "deadline", "date": deadline})
        batch.facts.append({**fact, "fact": "published", "date": day.date() - timedelta(days=rng.randint(0, 30))})
        if rng.random() < 0.7:
            cur = rng.choice(CURRENCIES)
            scale = {"JPY": 150, "KRW": 1400}.get(cur, 1)
            batch.facts.append({**fact, "fact": "budget", "amount": float(rng.randint(1, 50) * 100_000 * scale),
                                "currency": cur, "per": rng.choice(["project", "call", "year", None])})
        batch.facts.append({**fact, "fact": "duration", "months": float(rng.choice([24, 36, 48]))})
    return batch


def open_seconds(page: Path, runs: int = 3) -> list[float] | None:
    """Seconds from navigation to the last chart drawn, per run; None without Chromium."""
    from tests.flows.cdp import Browser, chromium_path

    exe = chromium_path()
    if exe is None:
        return None
    browser = Browser(exe)
    try:
        out = []
        for _ in range(runs):
            browser.open(page.as_uri())
            browser.wait_for("document.body.dataset.ready", timeout=60)
            out.append(int(browser.evaluate("document.body.dataset.readyMs")) / 1000)
        return out
    finally:
        browser.close()


def main(n_docs: int = 5000) -> None:
    """Print the report section of the benchmarks."""
    with tempfile.TemporaryDirectory(prefix="fundscope-report-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        Store(root / "data").commit(synthetic_rows(n_docs), "bench")
        made = time.perf_counter() - t0
        result = build_report(Store(root / "data"), root / "out" / "report.html")
        opened = open_seconds(result.path)
        mb = result.bytes / 1e6
        print(f"\n## report ({n_docs:,} synthetic documents)\n")
        print(f"store written in {made:.1f} s (not part of the report). Targets: built < {TARGETS['build_s']:.0f} s, "
              f"< {TARGETS['mb']:.0f} MB, opens < {TARGETS['open_s']:.0f} s.\n")
        print("| what | figure | target met |\n|---|---|---|")
        print(f"| build time (incl. {result.show_pages} document pages) | {result.seconds:.2f} s | "
              f"{'yes' if result.seconds < TARGETS['build_s'] else 'no'} |")
        print(f"| report.html size | {mb:.2f} MB | {'yes' if mb < TARGETS['mb'] else 'no'} |")
        if opened is None:
            print("| opens in Chromium | not measured: Chromium not installed | - |")
        else:
            med = statistics.median(opened)
            print(f"| opens in Chromium (median of {len(opened)}: {', '.join(f'{s:.2f}' for s in opened)}) | "
                  f"{med:.2f} s | {'yes' if med < TARGETS['open_s'] else 'no'} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    main(parser.parse_args().docs)
