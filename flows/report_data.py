"""The report's aggregations, done in DuckDB so the page holds grouped rows, never one row per document.

Every chart's rows carry two filter dimensions, `origin` (a URL's host, else the source file's
folder) and `month` (YYYY-MM), so the page can filter by source and date and re-sum on its own.
A table or column the store lacks (an older store, or one written before a table existed)
gives that chart no rows and a note saying what is missing, never an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

EXAMPLES = 3  # document ids kept per aggregated row, for the links under each chart
FX_FILE = Path(__file__).resolve().parent / "data" / "fx_rates_2025-01-01.json"
UNKNOWN = "unknown"


@dataclass
class Chart:
    """One chart's aggregated rows (lists in `columns` order) and a note on what it shows or lacks."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The chart as the page's JSON needs it."""
        return {"key": self.key, "title": self.title, "columns": self.columns, "rows": self.rows, "note": self.note}


@dataclass(frozen=True)
class FxTable:
    """A dated table of units of each currency per euro."""

    date: str
    source: str
    rates: dict[str, float]


def load_fx(path: Path = FX_FILE) -> FxTable:
    """The shipped rate table (units per EUR)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return FxTable(raw["date"], raw["source"], {k.upper(): float(v) for k, v in raw["rates"].items()})


def columns_of(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Each table or view the connection has, with its column names."""
    out: dict[str, set[str]] = {}
    for table, column in con.execute("select table_name, column_name from information_schema.columns").fetchall():
        out.setdefault(table, set()).add(column)
    return out


def _has(cols: dict[str, set[str]], table: str, *needed: str) -> bool:
    return table in cols and set(needed) <= cols[table]


def _missing(cols: dict[str, set[str]], table: str, *needed: str) -> str:
    if table not in cols:
        return f"the store has no `{table}` table"
    lacking = sorted(set(needed) - cols[table])
    return f"`{table}` lacks column{'s' if len(lacking) > 1 else ''} {', '.join(lacking)}"


_ORIGIN = r"""coalesce(nullif(
    case when regexp_matches(d.source, '^[a-zA-Z][a-zA-Z0-9+.-]*://')
         then regexp_extract(d.source, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]+)', 1)
         else regexp_extract(d.source, '([^/\\]+)[/\\][^/\\]*$', 1) end, ''), '(top folder)')"""

_EX = f"list_slice(list_sort(list_distinct(list(x.doc_id))), 1, {EXAMPLES})"


def _docs_cte(cols: dict[str, set[str]]) -> str:
    """`docs`: one row per current document with its origin, month and funding mode."""
    published = ""
    date = "d.ingested_at::date"
    if _has(cols, "facts", "doc_id", "fact", "date"):
        published = ("left join (select doc_id, min(date) as pdate from facts where fact = 'published' "
                     "and date is not null group by doc_id) p on p.doc_id = d.doc_id")
        date = "coalesce(p.pdate, d.ingested_at::date)"
    return f"""docs as (
        select d.doc_id, {_ORIGIN} as origin, strftime({date}, '%Y-%m') as month,
               coalesce(c.funding_mode, 'unclassified') as mode
        from documents d left join classifications c on c.doc_id = d.doc_id {published})"""


def _funder_cte(cols: dict[str, set[str]]) -> tuple[str, str]:
    """`funders`: each document's funder countries, from the best table that names any; and a note."""
    parts, used = [], []
    if _has(cols, "flows", "doc_id", "funder_country"):
        parts.append("select doc_id, funder_country as country, 1 as prio from flows where funder_country is not null")
        used.append("flows")
    if _has(cols, "evidence", "doc_id", "funder_country", "negated", "modality"):
        parts.append("select doc_id, funder_country as country, 2 as prio from evidence "
                     "where funder_country is not null and not negated and modality = 'stated'")
        used.append("stated, non-negated evidence")
    parts.append("select doc_id, agency_country as country, 3 as prio from mentions "
                 "where label = 'agency' and agency_country is not null")
    used.append("agency mentions")
    sql = f"""funders as (
        select distinct doc_id, country from ({' union all '.join(parts)}) u
        qualify prio = min(prio) over (partition by doc_id))"""
    note = ("Funder country from " + ", else ".join(used) + "; a document counts once per funder country, "
            f"`{UNKNOWN}` when none is named.")
    return sql, note


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> list[list[Any]]:
    return [list(r) for r in con.execute(sql).fetchall()]


def modes_by_country(con: duckdb.DuckDBPyConnection, cols: dict[str, set[str]]) -> Chart:
    """Documents by funding mode per funder country."""
    funders, note = _funder_cte(cols)
    chart = Chart("modes", "Documents by funding mode per funder country",
                  ["origin", "month", "funder_country", "mode", "documents", "examples"], note=note)
    chart.rows = _query(con, f"""with {_docs_cte(cols)}, {funders}
        select x.origin, x.month, coalesce(f.country, '{UNKNOWN}') as funder_country, x.mode,
               count(distinct x.doc_id) as documents, {_EX}
        from docs x left join funders f on f.doc_id = x.doc_id
        group by all order by all""")
    return chart


def flows_sankey(con: duckdb.DuckDBPyConnection, cols: dict[str, set[str]]) -> Chart:
    """Who funds whom: documents per funder country, recipient country and mode, from `flows`."""
    chart = Chart("flows", "Who funds whom (documents per flow)",
                  ["origin", "month", "funder_country", "recipient_country", "mode", "funders", "documents",
                   "examples"],
                  note="From the `flows` table; recipient `*` means participants of any country or a pooled budget.")
    needed = ("doc_id", "funder", "funder_country", "recipient_country", "mode")
    if not _has(cols, "flows", *needed):
        chart.note = f"No flows: {_missing(cols, 'flows', *needed)}."
        return chart
    chart.rows = _query(con, f"""with {_docs_cte(cols)}
        select d.origin, d.month, x.funder_country, x.recipient_country, x.mode,
               list_slice(list_sort(list_distinct(list(x.funder))), 1, 5) as funders,
               count(distinct x.doc_id) as documents, {_EX}
        from flows x join docs d on d.doc_id = x.doc_id
        group by all order by all""")
    return chart


_TRL_LEVELS = """trl as (
        select doc_id, unnest(range(greatest(1, least(trl_min, trl_max))::int,
                                    least(9, greatest(trl_min, trl_max))::int + 1)) as level{extra}
        from mentions where label = 'trl' and trl_min is not null and trl_max is not null)"""


def trl_by_mode(con: duckdb.DuckDBPyConnection, cols: dict[str, set[str]]) -> Chart:
    """Documents per TRL level and funding mode (a range "4-6" counts at 4, 5 and 6)."""
    chart = Chart("trl_mode", "TRL distribution by funding mode",
                  ["origin", "month", "level", "mode", "documents", "examples"],
                  note="A TRL range counts at every level it spans; a document counts once per level.")
    chart.rows = _query(con, f"""with {_docs_cte(cols)}, {_TRL_LEVELS.format(extra='')}
        select d.origin, d.month, x.level, d.mode, count(distinct x.doc_id) as documents, {_EX}
        from trl x join docs d on d.doc_id = x.doc_id
        group by all order by all""")
    return chart


def trl_by_party(con: duckdb.DuckDBPyConnection, cols: dict[str, set[str]]) -> Chart:
    """Documents per TRL level and the party the sentence ties the level to."""
    chart = Chart("trl_party", "TRL distribution by party",
                  ["origin", "month", "level", "party", "documents", "examples"],
                  note="Party: the country and/or kind (academia, company, sme, project) a sentence ties a "
                       "TRL to; `unattributed` when it ties none.")
    if not _has(cols, "mentions", "party_country", "party_kind"):
        chart.note = f"No parties: {_missing(cols, 'mentions', 'party_country', 'party_kind')}."
        return chart
    party = ("coalesce(concat_ws(' ', party_country, party_kind), '') as party")
    chart.rows = _query(con, f"""with {_docs_cte(cols)}, {_TRL_LEVELS.format(extra=', ' + party)}
        select d.origin, d.month, x.level, coalesce(nullif(x.party, ''), 'unattributed') as party,
               count(distinct x.doc_id) as documents, {_EX}
        from trl x join docs d on d.doc_id = x.doc_id
        group by all order by all""")
    return chart


def _fx_relation(con: duckdb.DuckDBPyConnection, fx: FxTable) -> None:
    import pyarrow as pa

    con.register("fx", pa.table({"currency": list(fx.rates), "per_eur": list(fx.rates.values())}))


_BUDGETS = """budgets as (
        select b.doc_id, coalesce(b.per, 'unspecified') as per, max(b.amount / fx.per_eur) as eur
        from facts b join fx on fx.currency = upper(b.currency)
        where b.fact = 'budget' and b.amount is not null
        group by all)"""


def timeline(con: duckdb.DuckDBPyConnection, cols: dict[str, set[str]], fx: FxTable) -> Chart:
    """Deadlines per month, and the budgets (in EUR) of the documents whose deadline falls in that month."""
    chart = Chart("timeline", "Timeline of deadlines and budgets",
                  ["origin", "month", "series", "documents", "eur", "examples"],
                  note="Month of each deadline; a budget is placed at its document's earliest deadline "
                       "(else the document's date) and counted in EUR at the rate table below, "
                       "the larger figure of a range.")
    needed = ("doc_id", "fact", "date", "amount", "currency", "per")
    if not _has(cols, "facts", *needed):
        chart.note = f"No deadlines or budgets: {_missing(cols, 'facts', *needed)}."
        return chart
    _fx_relation(con, fx)
    chart.rows = _query(con, f"""with {_docs_cte(cols)}, {_BUDGETS},
        deadlines as (select doc_id, min(date) as first from facts where fact = 'deadline' and date is not null
                      group by doc_id),
        doc_budget as (select doc_id, max(eur) as eur from budgets group by doc_id)
        select d.origin, strftime(x.date, '%Y-%m') as month, 'deadline' as series,
               count(distinct x.doc_id) as documents, null::double as eur, {_EX}
        from facts x join docs d on d.doc_id = x.doc_id
        where x.fact = 'deadline' and x.date is not null
        group by all
        union all
        select d.origin, coalesce(strftime(dl.first, '%Y-%m'), d.month) as month, 'budget' as series,
               count(distinct x.doc_id) as documents, sum(x.eur) as eur, {_EX}
        from doc_budget x join docs d on d.doc_id = x.doc_id left join deadlines dl on dl.doc_id = x.doc_id
        group by all
        order by 2, 3, 1""")
    return chart


def budgets_eur(con: duckdb.DuckDBPyConnection, cols: dict[str, set[str]], fx: FxTable) -> Chart:
    """Budgets normalised to EUR per funder country and basis (per project, year or call)."""
    chart = Chart("budgets", f"Budgets in EUR (rates of {fx.date}) per funder country",
                  ["origin", "month", "funder_country", "per", "documents", "eur", "examples"])
    needed = ("doc_id", "fact", "amount", "currency", "per")
    if not _has(cols, "facts", *needed):
        chart.note = f"No budgets: {_missing(cols, 'facts', *needed)}."
        return chart
    _fx_relation(con, fx)
    funders, funder_note = _funder_cte(cols)
    chart.rows = _query(con, f"""with {_docs_cte(cols)}, {funders}, {_BUDGETS}
        select d.origin, d.month, coalesce(f.country, '{UNKNOWN}') as funder_country, x.per,
               count(distinct x.doc_id) as documents, sum(x.eur) as eur, {_EX}
        from budgets x join docs d on d.doc_id = x.doc_id left join funders f on f.doc_id = x.doc_id
        group by all order by all""")
    unrated = con.execute("""select upper(currency), count(*) from facts
        where fact = 'budget' and amount is not null and upper(coalesce(currency, '?')) not in (select currency from fx)
        group by 1 order by 2 desc, 1""").fetchall()
    chart.note = ("Each document's largest budget per basis, converted at the rate table below; "
                  + funder_note)
    if unrated:
        chart.note += " Not converted (no rate): " + ", ".join(f"{c or '?'} ({n})" for c, n in unrated) + "."
    return chart


def all_charts(con: duckdb.DuckDBPyConnection, fx: FxTable | None = None) -> list[Chart]:
    """Every chart of the report, in page order."""
    fx = fx or load_fx()
    cols = columns_of(con)
    return [modes_by_country(con, cols), flows_sankey(con, cols), trl_by_mode(con, cols),
            trl_by_party(con, cols), timeline(con, cols, fx), budgets_eur(con, cols, fx)]
