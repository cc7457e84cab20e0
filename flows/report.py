"""`fundscope report`: one offline HTML file of charts and tables, plus pages for the documents it links.

The aggregation is DuckDB's (flows/report_data.py); the page (flows/report_page.py) carries only
grouped rows. Document pages are written beside the report, under `show/`, for the documents its
tables name, at most `SHOW_CAP` of them; any other document's page comes from `fundscope show`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from corpus.query import connect
from corpus.store import Store
from flows.report_data import Chart, FxTable, all_charts, load_fx
from flows.report_page import render_report
from flows.report_show import load_pages, page_file, render_page

SHOW_CAP = 500  # document pages written with a report; a 50,000-document store must not mean 50,000 files
SHOW_DIR = "show"


@dataclass
class ReportResult:
    """What a report run wrote and how long it took."""

    path: Path
    bytes: int
    documents: int
    show_pages: int
    seconds: float


def linked_documents(charts: list[Chart], cap: int) -> list[str]:
    """The example documents of the charts' rows, biggest rows first, at most `cap` distinct ids."""
    ranked: list[tuple[int, int, str]] = []
    for c, chart in enumerate(charts):
        n_col, ex_col = chart.columns.index("documents"), chart.columns.index("examples")
        for row in chart.rows:
            for doc_id in row[ex_col] or []:
                ranked.append((-int(row[n_col]), c, doc_id))
    out: dict[str, None] = {}
    for _, _, doc_id in sorted(ranked):
        if len(out) >= cap:
            break
        out.setdefault(doc_id, None)
    return list(out)


def build_report(store: Store, out: Path, show_cap: int = SHOW_CAP, fx: FxTable | None = None) -> ReportResult:
    """Write the report to `out` and the pages of its linked documents to `out`'s folder/show/."""
    t0 = time.perf_counter()
    fx = fx or load_fx()
    con = connect(store)
    try:
        charts = all_charts(con, fx)
        n_docs = con.execute("select count(*) from documents").fetchone()[0]
        linked = linked_documents(charts, show_cap)
        pages = load_pages(con, linked)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    show_dir = out.parent / SHOW_DIR
    if pages:
        show_dir.mkdir(exist_ok=True)
    shown: dict[str, tuple[str, str | None]] = {}
    for doc_id in linked:
        page = pages.get(doc_id)
        if page is None:
            continue
        (show_dir / page_file(doc_id)).write_text(render_page(page, report_href=f"../{out.name}"), encoding="utf-8")
        shown[doc_id] = (f"{SHOW_DIR}/{page_file(doc_id)}", page.title)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = (f"{n_docs:,} documents (the latest version of each source) · built {stamp} · pages written for "
            f"{len(shown):,} linked documents (at most {show_cap:,}); for any other document run "
            f"`fundscope show DOC_ID --data DIR`")
    text = render_report(charts, fx, shown, meta, show_cap)
    out.write_text(text, encoding="utf-8")
    return ReportResult(out, len(text.encode("utf-8")), n_docs, len(shown), time.perf_counter() - t0)
