"""The report's DuckDB aggregations over the fixture store, against counts worked out by hand.

Fixture (tests/flows/report_fixtures.py): d1 (JST and ANR fund their own sides, published 2025-02,
matching_fund), d2 (NWO pays Dutch and any partners, 2025-03, direct_fund), d3 (DFG agency mention
only, 2025-04, neither), d4 (SNSF evidence, a negated Italian and a hypothetical Norwegian one, 2025-04, unclassified), d5 (nothing,
2025-05, neither); d1old is a superseded version of d1's source and must count nowhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.query import connect
from flows import report_data
from flows.report_data import FxTable, all_charts, load_fx
from tests.flows.report_fixtures import build_store, has_new_tables

pytestmark = pytest.mark.skipif(not has_new_tables(), reason="corpus/schema.py lacks evidence/flows/facts")

TOL = 1e-6  # relative tolerance on EUR sums
JPY, GBP = 163.06, 0.82918  # the shipped table's units per EUR (flows/data/fx_rates_2025-01-01.json)


@pytest.fixture(scope="module")
def charts(tmp_path_factory) -> dict[str, report_data.Chart]:
    con = connect(build_store(tmp_path_factory.mktemp("store")))
    try:
        return {c.key: c for c in all_charts(con)}
    finally:
        con.close()


def _rows(chart: report_data.Chart, *columns: str) -> set[tuple]:
    idx = [chart.columns.index(c) for c in columns]
    return {tuple(r[i] for i in idx) for r in chart.rows}


def test_modes_per_funder_country_take_the_best_source_per_document(charts) -> None:
    # d1: flows JPN and FRA; d2: flows NLD; d3: agency DEU; d4: evidence CHE (negated ITA, hypothetical NOR
    # ignored); d5: none
    assert _rows(charts["modes"], "origin", "month", "funder_country", "mode", "documents") == {
        ("calls.example.org", "2025-02", "FRA", "matching_fund", 1),
        ("calls.example.org", "2025-02", "JPN", "matching_fund", 1),
        ("calls.example.org", "2025-03", "NLD", "direct_fund", 1),
        ("local", "2025-04", "DEU", "neither", 1),
        ("local", "2025-04", "CHE", "unclassified", 1),
        ("other.example.net", "2025-05", "unknown", "neither", 1),
    }
    assert all("d1old" not in r[-1] for r in charts["modes"].rows)


def test_flows_group_by_funder_recipient_and_mode(charts) -> None:
    assert _rows(charts["flows"], "funder_country", "recipient_country", "mode", "documents") == {
        ("JPN", "JPN", "matching_fund", 1), ("FRA", "FRA", "matching_fund", 1),
        ("NLD", "NLD", "matching_fund", 1), ("NLD", "*", "direct_fund", 1),
    }
    nld = [r for r in charts["flows"].rows if r[2] == "NLD"]
    assert all(r[5] == ["NWO"] and r[7] == ["d2"] for r in nld)


def test_trl_ranges_count_at_every_level(charts) -> None:
    # d1: 3-5 and 7 (matching), d2: 4-6 (direct), d4: 2 (unclassified)
    assert _rows(charts["trl_mode"], "level", "mode", "documents") == {
        (3, "matching_fund", 1), (4, "matching_fund", 1), (5, "matching_fund", 1), (7, "matching_fund", 1),
        (4, "direct_fund", 1), (5, "direct_fund", 1), (6, "direct_fund", 1), (2, "unclassified", 1),
    }
    assert _rows(charts["trl_party"], "level", "party") == {
        (3, "JPN academia"), (4, "JPN academia"), (5, "JPN academia"), (7, "company"),
        (4, "unattributed"), (5, "unattributed"), (6, "unattributed"), (2, "unattributed"),
    }


def test_budgets_are_converted_at_the_shipped_rates(charts) -> None:
    # d1: JPY 6 and 100 million per project -> the larger, counted under each funder country (JPN, FRA)
    # d2: EUR 1.5 million per project and GBP 600,000 per call; d3: XYZ has no rate
    got = {(r[2], r[3]): r[5] for r in charts["budgets"].rows}
    want = {("JPN", "project"): 100e6 / JPY, ("FRA", "project"): 100e6 / JPY,
            ("NLD", "project"): 1.5e6, ("NLD", "call"): 600e3 / GBP}
    assert set(got) == set(want)
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=TOL)
    assert "XYZ (1)" in charts["budgets"].note


def test_timeline_places_deadlines_and_budgets_by_month(charts) -> None:
    rows = {(r[2], r[1]): (r[3], r[4]) for r in charts["timeline"].rows}
    assert set(rows) == {("deadline", "2025-06"), ("budget", "2025-06")}
    assert rows[("deadline", "2025-06")] == (2, None)
    n, eur = rows[("budget", "2025-06")]
    # each document's largest EUR figure: d1 100e6 JPY, d2 EUR 1.5 million (larger than the GBP call budget)
    assert n == 2 and eur == pytest.approx(100e6 / JPY + 1.5e6, rel=TOL)


def test_a_store_without_the_new_tables_gives_empty_charts_with_notes(tmp_path: Path) -> None:
    con = connect(build_store(tmp_path))
    try:
        for view in ("flows", "facts", "evidence"):
            con.execute(f"drop view {view}")
        con.execute("create or replace view mentions as select * exclude (party_country, party_kind) "
                    "from mentions_all where doc_id in (select doc_id from documents)")
        charts = {c.key: c for c in all_charts(con)}
    finally:
        con.close()
    for key in ("flows", "trl_party", "timeline", "budgets"):
        assert charts[key].rows == [], key
    assert "no `flows` table" in charts["flows"].note
    assert "party_country" in charts["trl_party"].note
    assert "no `facts` table" in charts["timeline"].note
    # modes fall back to agency mentions: d1 has JST (JPN) and ANR (FRA), d4 none any more
    assert _rows(charts["modes"], "funder_country", "mode") == {
        ("FRA", "matching_fund"), ("JPN", "matching_fund"), ("NLD", "direct_fund"), ("DEU", "neither"),
        ("unknown", "unclassified"), ("unknown", "neither")}
    assert len(charts["trl_mode"].rows) == 8  # mentions alone still give the TRL levels


def test_rate_table_is_dated_sourced_and_complete() -> None:
    fx = load_fx()
    assert fx.date == "2025-01-01" and "European Central Bank" in fx.source
    assert fx.rates["EUR"] == 1.0 and len(fx.rates) >= 15
    assert all(rate > 0 for rate in fx.rates.values())


def test_a_different_rate_table_changes_the_figures(tmp_path: Path) -> None:
    con = connect(build_store(tmp_path))
    try:
        fx = FxTable("2000-01-01", "test", {"EUR": 1.0, "JPY": 100.0, "GBP": 0.5})
        budgets = {c.key: c for c in all_charts(con, fx)}["budgets"]
    finally:
        con.close()
    got = {(r[2], r[3]): r[5] for r in budgets.rows}
    assert got[("JPN", "project")] == pytest.approx(1e6, rel=TOL)
    assert got[("NLD", "call")] == pytest.approx(1.2e6, rel=TOL)
