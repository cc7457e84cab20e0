"""The report and a document page in real headless Chromium: charts drawn, no console errors, no requests.

Screenshots go to tests/artifacts/ (ignored by git); each test prints the path it wrote.
Chromium missing fails the test naming the fix; it is skipped instead only when FUNDSCOPE_NO_BROWSER
is set, which `make browser` sets after an install it could not do (no root, no apt).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus.store import Store
from flows.report import build_report
from tests.flows.cdp import INSTALL_HINT, Browser, chromium_path
from tests.flows.report_fixtures import build_store

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
OPEN_BUDGET_S = 3.0  # issue 13: the report opens in Chromium in under 3 s
BUSY_GUARD_S = 10.0  # on a machine busier than one runnable process per core, only this is asserted


def _open_budget() -> tuple[float, str]:
    """The 3 s target on a machine with CPU to spare; a looser guard (said so) when other work crowds it."""
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    if load < 1.0:
        return OPEN_BUDGET_S, f"target {OPEN_BUDGET_S} s"
    return BUSY_GUARD_S, f"guard {BUSY_GUARD_S} s: load {load:.1f} per core (bench/report.py measures the target)"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    exe = chromium_path()
    if exe is None:
        reason = os.environ.get("FUNDSCOPE_NO_BROWSER")
        if reason:
            pytest.skip(f"Chromium not installed and could not be installed: {reason}")
        pytest.fail(f"Chromium is not installed: {INSTALL_HINT}")
    b = Browser(exe)
    yield b
    b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    build_store(root / "data")
    return build_report(Store(root / "data"), root / "out" / "report.html").path


def _assert_quiet(b: Browser, page_url: str) -> None:
    errors = [text for kind, text in b.log.console if kind in ("error", "assert")]
    assert errors == [] and b.log.exceptions == [] and b.log.log_errors == [], (errors, b.log.exceptions,
                                                                                  b.log.log_errors)
    # data: URLs are decoded in place (Chromium's own input icons), never fetched
    others = [u for u in b.log.requests if u != page_url and not u.startswith("data:")]
    assert others == [] and page_url in b.log.requests, f"requests besides the page itself: {others}"


def test_report_renders_every_chart_offline(browser: Browser, report: Path) -> None:
    url = report.as_uri()
    loaded = browser.open(url)
    waited = browser.wait_for("document.body.dataset.ready", timeout=15)
    assert browser.evaluate("document.body.dataset.ready") == "1"
    counts = browser.evaluate("[...document.querySelectorAll('div.chart')].map(d => [d.id, "
                              "d.querySelectorAll('.main-svg').length])")
    assert [c[0] for c in counts] == ["plot-modes", "plot-flows", "plot-trl_mode", "plot-trl_party",
                                      "plot-timeline", "plot-budgets"]
    assert all(n > 0 for _, n in counts), counts
    # the modes chart draws one bar per (country, mode): 6 in the fixture (see test_report_data)
    assert browser.evaluate("document.querySelectorAll('#plot-modes .point').length") == 6
    assert browser.evaluate("document.querySelectorAll('#plot-flows .sankey-link').length") == 4
    assert browser.evaluate("document.querySelectorAll('table.rows').length") == 6
    # every example link opens a page that was written; a click on a bar lands on its table row
    links = browser.evaluate("[...document.querySelectorAll('table.rows a')].map(a => a.getAttribute('href'))")
    assert links and all((report.parent / href).is_file() for href in links), links
    browser.evaluate("document.getElementById('plot-flows').emit('plotly_click', {points: [{customdata: 1}]})")
    assert browser.evaluate("[...document.querySelectorAll('tr.hit')].map(t => t.id)") == ["row-flows-1"]
    _assert_quiet(browser, url)
    # the page's own clock, from navigation start to the last chart drawn (CDP polling adds nothing);
    # the median of three opens, as the machine may be shared
    times = [int(browser.evaluate("document.body.dataset.readyMs")) / 1000]
    for _ in range(2):
        browser.open(url)
        browser.wait_for("document.body.dataset.ready", timeout=15)
        times.append(int(browser.evaluate("document.body.dataset.readyMs")) / 1000)
    opened = sorted(times)[1]
    budget, why = _open_budget()
    assert opened < budget, f"charts drawn {times} s after navigation started ({why})"
    shot = browser.screenshot(ARTIFACTS / "report.png")
    print(f"screenshot: {shot} (charts drawn {opened:.2f} s after navigation, median of 3; {why})")


def test_filters_resum_the_rows(browser: Browser, report: Path) -> None:
    browser.open(report.as_uri())
    browser.wait_for("document.body.dataset.ready")
    total = "[...document.querySelectorAll('table[data-chart=modes] td.num')].reduce((s, td) => s + (+td.textContent), 0)"
    assert browser.evaluate(total) == 6
    browser.evaluate("(() => { const s = document.getElementById('f-origin');"
                     "[...s.options].forEach(o => o.selected = o.value === 'local');"
                     "s.dispatchEvent(new Event('change')); })()")
    assert browser.evaluate(total) == 2  # d3 (DEU) and d4 (CHE)
    browser.evaluate("(() => { const f = document.getElementById('f-from'); f.value = '2025-04';"
                     "f.dispatchEvent(new Event('change')); document.getElementById('f-reset').click();"
                     "const t = document.getElementById('f-to'); t.value = '2025-02';"
                     "t.dispatchEvent(new Event('change')); })()")
    assert browser.evaluate(total) == 2  # only d1's month: JPN and FRA
    _assert_quiet(browser, report.as_uri())


def test_show_page_keeps_text_and_links_highlights(browser: Browser, report: Path) -> None:
    page = report.parent / "show" / "d1.html"
    url = page.as_uri()
    browser.open(url)
    text = browser.evaluate("document.querySelector('.doctext').innerText")
    assert text.startswith("Joint call JST–ANR 2025\n\nEV1FL1JST funds")  # paragraph kept, evidence numbered
    assert "<script>alert(1)</script> 東京 ÄÖ" in text  # escaped, shown as written
    assert browser.evaluate("document.querySelectorAll('script').length") == 0
    assert browser.evaluate("document.querySelectorAll('.doctext .page').length") == 1
    # every highlight points at a row that exists
    missing = browser.evaluate("[...document.querySelectorAll('.doctext a')].map(a => a.getAttribute('href'))"
                               ".filter(h => !document.getElementById(h.slice(1)))")
    assert missing == []
    assert browser.evaluate("document.querySelectorAll('.doctext a.hl').length") >= 5
    assert browser.evaluate("document.getElementById('mode').textContent") == "matching_fund"
    _assert_quiet(browser, url)
    shot = browser.screenshot(ARTIFACTS / "show_d1.png")
    print(f"screenshot: {shot}")


def test_empty_store_still_draws_every_chart(browser: Browser, tmp_path: Path) -> None:
    Store(tmp_path / "data").ensure()
    page = build_report(Store(tmp_path / "data"), tmp_path / "report.html").path
    browser.open(page.as_uri())
    browser.wait_for("document.body.dataset.ready", timeout=15)
    assert browser.evaluate("document.body.dataset.ready") == "1"
    counts = browser.evaluate("[...document.querySelectorAll('div.chart')].map(d => d.querySelectorAll('.main-svg').length)")
    assert len(counts) == 6 and all(counts), counts
    assert browser.evaluate("document.querySelectorAll('#plot-modes .annotation').length") == 1  # "no data"
    _assert_quiet(browser, page.as_uri())
