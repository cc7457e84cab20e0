"""One document's page: its funding mode, evidence, flows and facts on top, then its text highlighted.

Rows are read for many documents in one query per table, so the report can write its capped set
of pages in one pass; `fundscope show` uses the same code for one document.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from extractors.display import Highlight, highlight_text, legend_html, mentions_table, page
from extractors.mentions import Mention
from flows.report_data import columns_of

_OPTIONAL = {  # per table: the columns the page shows, in order
    "evidence": ["kind", "funder", "funder_country", "recipient_country", "negated", "modality", "text", "start",
                 "end", "sentence"],
    "flows": ["funder", "funder_country", "recipient_country", "mode", "evidence_start", "evidence_end"],
    "facts": ["fact", "text", "start", "end", "date", "amount", "currency", "per", "months"],
}
_LATER = {"flows": ["basis"]}  # columns added after the table existed: shown where the store has them
_MENTION_COLS = ["label", "value", "text", "start", "end", "trl_min", "trl_max", "agency_country", "party_country",
                 "party_kind"]


@dataclass
class DocPage:
    """Everything one document's page shows."""

    doc_id: str
    title: str | None
    source: str
    text: str
    page_starts: list[int]
    classification: dict[str, Any] | None = None
    mentions: list[Mention] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # tables the store lacks, named on the page


def page_file(doc_id: str) -> str:
    """The file name of a document's page (doc ids are hashes; anything else is made file-safe)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", doc_id) + ".html"


def load_pages(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, DocPage]:
    """The pages of `doc_ids` (any stored version), read with one query per table."""
    cols = columns_of(con)
    con.register("_show_ids", pa.table({"doc_id": pa.array(list(doc_ids), pa.string())}))
    pages: dict[str, DocPage] = {}
    for doc_id, title, source, text, starts in con.execute(
            """select doc_id, title, source, text, page_starts from documents_all
               where doc_id in (select doc_id from _show_ids)
               qualify row_number() over (partition by doc_id order by ingested_at desc) = 1""").fetchall():
        pages[doc_id] = DocPage(doc_id, title, source, text, list(starts or [0]))
    # stores written before the review columns existed show the label without its reasons
    review = [c for c in ("evidence_spans", "needs_review", "review_reason") if c in cols.get("classifications_all", set())]
    extra = "".join(f", {c}" for c in review)
    for row in con.execute(
            f"""select doc_id, funding_mode, p_matching_fund, p_direct_fund, p_neither, model_version{extra}
               from classifications_all where doc_id in (select doc_id from _show_ids)
               qualify row_number() over (partition by doc_id order by classified_at desc, model_version desc) = 1"""
    ).fetchall():
        if row[0] in pages:
            pages[row[0]].classification = dict(zip(["mode", "matching_fund", "direct_fund", "neither", "model",
                                                     *review], row[1:]))
    have = [c for c in _MENTION_COLS if c in cols.get("mentions_all", set())]
    for r in _rows(con, "mentions_all", have, "start, \"end\""):
        page_ = pages.get(r["doc_id"])
        if page_ is not None:
            attrs = {k: r.get(k) for k in ("agency_country", "party_country", "party_kind") if r.get(k)}
            page_.mentions.append(Mention(label=r["label"], value=r["value"], text=r["text"], start=r["start"],
                                          end=r["end"], sentence="", trl_min=r["trl_min"], trl_max=r["trl_max"],
                                          attrs=attrs))
    for table, wanted in _OPTIONAL.items():
        have = set(cols.get(f"{table}_all", set()))
        if not set(wanted) <= have:
            for p in pages.values():
                p.missing.append(table)
            continue
        order = "evidence_start" if table == "flows" else "start"
        wanted = wanted + [c for c in _LATER.get(table, []) if c in have]
        for r in _rows(con, f"{table}_all", wanted, order):
            if table == "evidence":
                r["sentence"] = r["sentence"] or r["text"]
            if r["doc_id"] in pages:
                pages[r["doc_id"]].tables.setdefault(table, []).append(r)
    return pages


def _rows(con: duckdb.DuckDBPyConnection, view: str, columns: list[str], order: str) -> list[dict[str, Any]]:
    names = ["doc_id", *columns]
    quoted = ", ".join(f'"{c}"' for c in names)
    cur = con.execute(f"select {quoted} from {view} where doc_id in (select doc_id from _show_ids) "
                      f"order by doc_id, {order}")
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"
    return html.escape(str(value))


def _table(prefix: str, rows: list[dict[str, Any]], columns: list[str], text_link: bool = True) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ["#", *columns]) + ("<th></th>" if text_link else "")
    body = []
    for i, r in enumerate(rows):
        link = f'<td><a href="#t-{prefix}-{i}">in text</a></td>' if text_link else ""
        body.append(f'<tr id="{prefix}-{i}"><td>{prefix.upper()}{i + 1}</td>'
                    + "".join(f"<td>{_cell(r.get(c))}</td>" for c in columns) + link + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _mode_html(c: dict[str, Any] | None, p: "DocPage | None" = None) -> str:
    if not c:
        return '<p class="note">This document has not been classified.</p>'
    probs = "".join(f"<tr><td>{m}</td><td>{c[m]:.3f}</td></tr>" for m in ("matching_fund", "direct_fund", "neither"))
    review = ""
    if c.get("needs_review"):
        review = f'<p id="review"><strong>Needs review</strong>: {html.escape(str(c.get("review_reason") or ""))}</p>'
    return (f'<p>Funding mode: <strong id="mode">{html.escape(c["mode"])}</strong> '
            f'<span class="note">(model {html.escape(str(c["model"]))})</span></p>'
            f"<table><tr><th>mode</th><th>probability</th></tr>{probs}</table>{review}{_why_html(c, p)}")


def _why_html(c: dict[str, Any], p: "DocPage | None") -> str:
    """The spans the classification names as its reasons, each linked to its highlight in the text."""
    spans = c.get("evidence_spans") or []
    if not spans or p is None:
        return ""
    anchors = {(e["start"], e["end"]): f"t-ev-{i}" for i, e in enumerate(p.tables.get("evidence", []))}
    anchors.update({(m.start, m.end): f"t-m-{i}" for i, m in enumerate(p.mentions)})
    items = []
    for span in spans:
        start, end = int(span["start"]), int(span["end"])
        quoted = html.escape(p.text[start:end])
        target = anchors.get((start, end))
        items.append(f'<li><a href="#{target}">{quoted}</a></li>' if target else f"<li>{quoted}</li>")
    return f'<p>Why (the spans backing this label):</p><ol id="why">{"".join(items)}</ol>'



def _section(title: str, table: str, p: DocPage, columns: list[str], prefix: str) -> str:
    if table in p.missing:
        return f'<h2>{title}</h2><p class="note">The store has no `{table}` table (written before it existed).</p>'
    rows = p.tables.get(table, [])
    if not rows:
        return f'<h2>{title}</h2><p class="note">none found</p>'
    return f"<h2>{title}</h2>" + _table(prefix, rows, columns)


def highlights_of(p: DocPage) -> list[Highlight]:
    """Every highlight of the page: mentions, facts, evidence and the sentences flows were read from."""
    out = [Highlight(m.start, m.end, m.label if m.label in ("scheme", "country", "agency", "trl") else "scheme",
                     f"m-{i}", f"{m.label}: {m.value}") for i, m in enumerate(p.mentions)]
    for i, f in enumerate(p.tables.get("facts", [])):
        value = f.get("date") or " ".join(str(f[k]) for k in ("amount", "currency", "per", "months") if f.get(k))
        out.append(Highlight(f["start"], f["end"], "fact", f"fa-{i}", f"{f['fact']}: {value}"))
    for i, e in enumerate(p.tables.get("evidence", [])):
        tip = f"{e['kind']}: {e['funder'] or '?'} → {e['recipient_country']}" + (" (negated)" if e["negated"] else "")
        out.append(Highlight(e["start"], e["end"], "evidence", f"ev-{i}", tip, ref=f"EV{i + 1}"))
    for i, f in enumerate(p.tables.get("flows", [])):
        tip = f"{f['funder']} ({f['funder_country']}) → {f['recipient_country']}: {f['mode']}"
        if f.get("basis") == "label":
            tip += " (implied by the funding mode; the funder's first mention)"
        out.append(Highlight(f["evidence_start"], f["evidence_end"], "flow", f"fl-{i}", tip, ref=f"FL{i + 1}"))
    return out


def render_page(p: DocPage, report_href: str | None = None) -> str:
    """The document's standalone HTML page."""
    title = p.title or p.doc_id
    source = html.escape(p.source)
    if re.match(r"https?://", p.source):
        source = f'<a href="{source}">{source}</a>'
    back = f'<p><a href="{html.escape(report_href)}">← report</a></p>' if report_href else ""
    meta = (f'<p class="meta">source {source} · doc_id <code>{html.escape(p.doc_id)}</code> · '
            f"{len(p.page_starts)} page{'s' if len(p.page_starts) != 1 else ''} · {len(p.text):,} characters</p>")
    body = "".join([
        back, f"<h1>{html.escape(title)}</h1>", meta, _mode_html(p.classification, p),
        _section("Funding evidence", "evidence", p, ["kind", "funder", "funder_country", "recipient_country",
                                                     "negated", "modality", "sentence"], "ev"),
        _section("Flows (who funds whom)", "flows", p, ["funder", "funder_country", "recipient_country", "mode", "basis"],
                 "fl"),
        _section("Facts", "facts", p, ["fact", "text", "date", "amount", "currency", "per", "months"], "fa"),
        "<h2>Text</h2>", legend_html(), highlight_text(p.text, highlights_of(p), p.page_starts),
        "<h2>Mentions</h2>", mentions_table(p.mentions),
    ])
    return page(f"{title} · fundscope", body)
