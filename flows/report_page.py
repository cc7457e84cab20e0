"""The report's single HTML file: the template, the aggregated rows as JSON and plotly.js, all inline."""

from __future__ import annotations

import base64
import gzip
import html
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flows.report_data import Chart, FxTable

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def plotly_gzip_b64() -> str:
    """plotly.js from the installed plotly package, gzipped and base64-encoded (about 2 MB instead of 4.8)."""
    from plotly.offline import get_plotlyjs

    return base64.b64encode(gzip.compress(get_plotlyjs().encode("utf-8"), 6, mtime=0)).decode("ascii")


def _json_for_script(value: Any) -> str:
    # inside <script>, "</script" or "<!--" would change how HTML reads the element; "<" only occurs in strings
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).replace("<", "\\u003c")


def _interned(charts: list[Chart]) -> dict[str, Any]:
    """The charts with origins and example doc ids replaced by indexes into two lists (the page restores them)."""
    origins: dict[str, int] = {}
    docs: dict[str, int] = {}
    out = []
    for chart in charts:
        c = chart.as_dict()
        io, ie = chart.columns.index("origin"), chart.columns.index("examples")
        rows = []
        for row in chart.rows:
            row = list(row)
            row[io] = origins.setdefault(row[io], len(origins))
            row[ie] = [docs.setdefault(d, len(docs)) for d in row[ie] or []]
            rows.append(row)
        c["rows"] = rows
        out.append(c)
    return {"charts": out, "origins": list(origins), "docs": list(docs)}


def fx_html(fx: FxTable) -> str:
    """The rate table the budgets were converted at, with its date and source."""
    rows = "".join(f"<tr><td>{html.escape(c)}</td><td class=\"num\">{r:g}</td></tr>" for c, r in sorted(fx.rates.items()))
    return (f'<section id="fx"><h2>Exchange rates used ({html.escape(fx.date)})</h2>'
            f'<p class="note">Units of each currency per euro on {html.escape(fx.date)}. {html.escape(fx.source)}</p>'
            f'<div class="tablewrap"><table><tr><th>currency</th><th>per EUR</th></tr>{rows}</table></div></section>')


def render_report(charts: list[Chart], fx: FxTable, shown: dict[str, tuple[str, str | None]], meta: str,
                  show_cap: int, title: str = "fundscope report") -> str:
    """The whole page; `shown` maps the doc ids with a written page to (link, title)."""
    data = {**_interned(charts), "shown": shown, "show_cap": show_cap}
    page = (TEMPLATES / "report.html").read_text(encoding="utf-8")
    app = (TEMPLATES / "report.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    parts = {"@@TITLE@@": html.escape(title), "@@META@@": html.escape(meta), "@@FX@@": fx_html(fx),
             "@@DATA@@": _json_for_script(data), "@@PLOTLY@@": plotly_gzip_b64(), "@@APP@@": app}
    for marker in ("@@TITLE@@", "@@META@@", "@@FX@@"):  # small parts first: data may contain the markers
        page = page.replace(marker, parts[marker])
    head, _, tail = page.partition("@@DATA@@")
    tail = tail.replace("@@PLOTLY@@", parts["@@PLOTLY@@"], 1).replace("@@APP@@", parts["@@APP@@"], 1)
    return head + parts["@@DATA@@"] + tail
