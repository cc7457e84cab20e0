"""A small store for the report tests, written through the store's own commit API.

Five current documents and one superseded version; the tests work out their counts by hand
from the rows below (see tests/flows/test_report_data.py).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from corpus.schema import TABLES
from corpus.store import Batch, Store

D1_TEXT = ("Joint call JST–ANR 2025\n\nJST funds the Japanese teams and ANR funds the French teams.\n"
           "Japanese teams work at TRL 3-5, companies at TRL 7.\fPage two: deadline 30 June 2025, "
           "budget JPY 6-100 million per project. <script>alert(1)</script> 東京 ÄÖ")
D2_TEXT = ("NWO open call\n\nNWO pays the Dutch partners and also foreign partners of Dutch consortia.\n"
           "Budget: EUR 1.5 million per project; £600k for the call. Deadline 15 June 2025. TRL 4-6.")


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def _doc(doc_id: str, source: str, day: str, text: str, title: str | None = None,
         page_starts: list[int] | None = None) -> dict[str, Any]:
    starts = page_starts or [0]
    return {"doc_id": doc_id, "source": source, "title": title, "kind": "text", "text": text,
            "n_pages": len(starts), "page_starts": starts, "size_bytes": len(text.encode()), "encoding": "utf-8",
            "ingested_at": _at(day), "run_id": "r1"}


def _cls(doc_id: str, mode: str, p: tuple[float, float, float]) -> dict[str, Any]:
    return {"doc_id": doc_id, "funding_mode": mode, "p_matching_fund": p[0], "p_direct_fund": p[1],
            "p_neither": p[2], "model_version": "m1", "classified_at": _at("2025-05-01")}


def _mention(doc_id: str, text: str, doc_text: str, label: str, value: str, **extra: Any) -> dict[str, Any]:
    start = doc_text.index(text)
    row = {"doc_id": doc_id, "label": label, "value": value, "text": text, "start": start, "end": start + len(text),
           "sentence": None, "trl_min": None, "trl_max": None, "agency_country": None, "page": 1}
    row.update(extra)
    return row


def _fact(doc_id: str, fact: str, text: str, doc_text: str, **values: Any) -> dict[str, Any]:
    start = doc_text.index(text)
    row = {"doc_id": doc_id, "fact": fact, "text": text, "start": start, "end": start + len(text), "sentence": None,
           "date": None, "amount": None, "currency": None, "per": None, "months": None}
    row.update(values)
    return row


def _evidence(doc_id: str, funder: str | None, country: str | None, recipient: str, kind: str, negated: bool,
              text: str, doc_text: str, modality: str = "stated") -> dict[str, Any]:
    start = doc_text.index(text)
    return {"doc_id": doc_id, "kind": kind, "funder": funder, "funder_country": country,
            "recipient_country": recipient, "negated": negated, "modality": modality, "text": text,
            "start": start, "end": start + len(text), "sentence": text}


def _flow(doc_id: str, funder: str, country: str, recipient: str, mode: str, text: str, doc_text: str) -> dict:
    start = doc_text.index(text)
    return {"doc_id": doc_id, "funder": funder, "funder_country": country, "recipient_country": recipient,
            "mode": mode, "evidence_start": start, "evidence_end": start + len(text)}


def has_new_tables() -> bool:
    """True once corpus/schema.py defines the evidence, flows and facts tables and the TRL party columns."""
    return {"evidence", "flows", "facts"} <= set(TABLES) and "party_kind" in TABLES["mentions"].names


def build_store(root: Path, new_tables: bool = True) -> Store:
    """The fixture store at `root`; `new_tables=False` writes only the four original tables' columns."""
    d1_page2 = D1_TEXT.index("\f") + 1
    docs = [
        _doc("d1old", "https://calls.example.org/jst-anr.html", "2025-01-05", "an older version", "old"),
        _doc("d1", "https://calls.example.org/jst-anr.html", "2025-03-10", D1_TEXT, "JST–ANR <joint> call",
             page_starts=[0, d1_page2]),
        _doc("d2", "https://calls.example.org/nwo.html", "2025-03-10", D2_TEXT, "NWO open call"),
        _doc("d3", "/in/local/call3.txt", "2025-04-02", "DFG call. Budget XYZ 5.", None),
        _doc("d4", "/in/local/call4.txt", "2025-04-05", "SNSF pays Swiss teams; Italy does not pay. TRL 2.", None),
        _doc("d5", "https://other.example.net/x", "2025-05-01", "Nothing to see.", "Empty"),
    ]
    t4 = docs[4]["text"]
    mentions = [
        _mention("d1", "JST", D1_TEXT, "agency", "JST", agency_country="JPN"),
        _mention("d1", "ANR", D1_TEXT, "agency", "ANR", agency_country="FRA"),
        _mention("d1", "TRL 3-5", D1_TEXT, "trl", "3-5", trl_min=3, trl_max=5,
                 party_country="JPN", party_kind="academia"),
        _mention("d1", "TRL 7", D1_TEXT, "trl", "7-7", trl_min=7, trl_max=7, party_kind="company"),
        _mention("d1", "Japanese", D1_TEXT, "country", "JPN"),
        _mention("d2", "NWO", D2_TEXT, "agency", "NWO", agency_country="NLD"),
        _mention("d2", "TRL 4-6", D2_TEXT, "trl", "4-6", trl_min=4, trl_max=6),
        _mention("d3", "DFG", "DFG call. Budget XYZ 5.", "agency", "DFG", agency_country="DEU"),
        _mention("d4", "TRL 2", t4, "trl", "2-2", trl_min=2, trl_max=2),
    ]
    classifications = [_cls("d1", "matching_fund", (0.8, 0.15, 0.05)), _cls("d2", "direct_fund", (0.1, 0.7, 0.2)),
                       _cls("d3", "neither", (0.1, 0.1, 0.8)), _cls("d5", "neither", (0.2, 0.2, 0.6))]
    jst = D1_TEXT.index("JST funds the Japanese teams")
    classifications[0].update(evidence_spans=[{"start": jst, "end": jst + len("JST funds the Japanese teams")}],
                              needs_review=False, review_reason=None)
    classifications[2].update(evidence_spans=[], needs_review=True, review_reason="evidence points to direct_fund")
    batch = Batch(documents=docs, mentions=mentions, classifications=classifications)
    if not new_tables:
        for row in mentions:
            row.pop("party_country", None)
            row.pop("party_kind", None)
        for row in classifications:
            for key in ("evidence_spans", "needs_review", "review_reason"):
                row.pop(key, None)
        return _commit(root, batch)
    batch.evidence = [
        _evidence("d1", "JST", "JPN", "JPN", "own", False, "JST funds the Japanese teams", D1_TEXT),
        _evidence("d1", "ANR", "FRA", "FRA", "own", False, "ANR funds the French teams", D1_TEXT),
        _evidence("d4", "SNSF", "CHE", "CHE", "own", False, "SNSF pays Swiss teams", t4),
        _evidence("d4", None, "ITA", "ITA", "own", True, "Italy does not pay", t4),
        _evidence("d4", None, "NOR", "*", "any", False, "Italy does not pay", t4, modality="hypothetical"),
    ]
    batch.flows = [
        _flow("d1", "JST", "JPN", "JPN", "matching_fund", "JST funds the Japanese teams", D1_TEXT),
        _flow("d1", "ANR", "FRA", "FRA", "matching_fund", "ANR funds the French teams", D1_TEXT),
        _flow("d2", "NWO", "NLD", "NLD", "matching_fund", "NWO pays the Dutch partners", D2_TEXT),
        _flow("d2", "NWO", "NLD", "*", "direct_fund", "foreign partners of Dutch consortia", D2_TEXT),
    ]
    batch.facts = [
        _fact("d1", "deadline", "30 June 2025", D1_TEXT, date=date(2025, 6, 30)),
        _fact("d1", "budget", "JPY 6", D1_TEXT, amount=6e6, currency="JPY", per="project"),
        _fact("d1", "budget", "100 million", D1_TEXT, amount=100e6, currency="JPY", per="project"),
        _fact("d1", "published", "2025", D1_TEXT, date=date(2025, 2, 1)),
        _fact("d2", "budget", "EUR 1.5 million", D2_TEXT, amount=1.5e6, currency="EUR", per="project"),
        _fact("d2", "budget", "£600k", D2_TEXT, amount=600e3, currency="GBP", per="call"),
        _fact("d2", "deadline", "15 June 2025", D2_TEXT, date=date(2025, 6, 15)),
        _fact("d3", "budget", "XYZ 5", "DFG call. Budget XYZ 5.", amount=5.0, currency="XYZ", per=None),
    ]
    return _commit(root, batch)


def _commit(root: Path, batch: Batch) -> Store:
    store = Store(root)
    store.commit(batch, "r1")
    return store
