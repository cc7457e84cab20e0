"""Document pages and the `report`/`show` commands: text as written, escaped, every highlight linked."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.display import Highlight, highlight_text
from flows.artifacts import report_line
from flows.cli import app
from tests.flows.report_fixtures import D1_TEXT, build_store, has_new_tables

pytestmark = pytest.mark.skipif(not has_new_tables(), reason="corpus/schema.py lacks evidence/flows/facts")


def _plain(fragment: str) -> str:
    """The text a browser shows for `fragment`, minus page markers and evidence numbers."""
    fragment = re.sub(r'<span class="page"[^>]*>.*?</span>|<a class="ref"[^>]*>.*?</a>', "", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_highlighting_keeps_every_character_and_escapes_it() -> None:
    text = "a <b>&\n\n  東京\fpage two"
    spans = [Highlight(2, 5, "agency", "m-0", "agency: B"), Highlight(0, 12, "evidence", "ev-0", "e", ref="EV1"),
             Highlight(3, 4, "country", "m-1", "country: X")]
    out = highlight_text(text, spans, page_starts=[0, text.index("\f") + 1])
    assert _plain(out) == text
    assert re.search(r"<b[ >]", out) is None and "&lt;" in out and "&amp;" in out
    assert out.count('class="page"') == 1
    # the innermost span wins the colour and the link where two overlap
    assert '<a class="hl hl-country" href="#m-1"' in out
    for target in ("m-0", "m-1", "ev-0"):
        assert f'id="t-{target}"' in out


def test_offsets_outside_the_text_are_dropped() -> None:
    out = highlight_text("short", [Highlight(3, 50, "trl", "m-0"), Highlight(4, 2, "trl", "m-1")])
    assert "hl-trl" not in out and _plain(out) == "short"


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    build_store(tmp_path / "data")
    return tmp_path / "data"


def test_show_states_mode_evidence_flows_facts_and_links_every_highlight(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "d1.html"
    result = CliRunner().invoke(app, ["show", "d1", "--data", str(store_dir), "--out", str(out)])
    # "d1" is a prefix of d1 and d1old: ambiguous, refused
    assert result.exit_code == 2 and "2 matching" in result.output
    result = CliRunner().invoke(app, ["show", "d2", "--data", str(store_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page and "Noto Sans CJK JP" in page
    assert '<strong id="mode">direct_fund</strong>' in page and "0.700" in page
    head = page[: page.index('<div class="doctext"')]
    assert head.index("Funding evidence") < head.index("Flows") < head.index("Facts")
    assert head.count('<tr id="fl-') == 2 and head.count('<tr id="fa-') == 3 and "Legend" in head
    hrefs = set(re.findall(r'href="#([^"]+)"', page))
    ids = set(re.findall(r'id="([^"]+)"', page))
    assert hrefs and hrefs <= ids  # every highlight and "in text" link lands on something


def test_show_names_the_spans_behind_the_label_and_the_review_flag(store_dir: Path, tmp_path: Path) -> None:
    from corpus.query import connect
    from corpus.store import Store
    from flows.report_show import load_pages, render_page

    page = render_page(load_pages(connect(Store(store_dir)), ["d1"])["d1"])
    why = page[page.index('<ol id="why">'):]
    assert why.startswith('<ol id="why"><li><a href="#t-ev-0">JST funds the Japanese teams</a></li></ol>')
    assert 'id="t-ev-0"' in page and 'id="review"' not in page
    result = CliRunner().invoke(app, ["show", "d3", "--data", str(store_dir), "--out", str(tmp_path / "d3.html")])
    assert result.exit_code == 0, result.output
    d3 = (tmp_path / "d3.html").read_text(encoding="utf-8")
    assert '<p id="review"><strong>Needs review</strong>: evidence points to direct_fund</p>' in d3


def test_show_escapes_the_document(store_dir: Path, tmp_path: Path) -> None:
    from corpus.query import connect
    from corpus.store import Store
    from flows.report_show import load_pages, render_page

    con = connect(Store(store_dir))
    try:
        page = render_page(load_pages(con, ["d1"])["d1"])
    finally:
        con.close()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "JST–ANR &lt;joint&gt; call" in page  # the title too
    body = page[page.index('<div class="doctext"'):page.index("<h2>Mentions")]
    assert _plain(body) == D1_TEXT  # spacing, paragraphs and the page break all kept


def test_report_command_writes_the_page_and_capped_document_pages(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.html"
    result = CliRunner().invoke(app, ["report", "--data", str(store_dir), "--out", str(out), "--show-pages", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    page = out.read_text(encoding="utf-8")
    assert len(list((out.parent / "show").glob("*.html"))) == 2
    assert "at most 2" in page and "fundscope show DOC_ID" in page
    assert "http://" not in page.split('id="plotly-gz"')[0].replace("http://www.w3.org", "")
    assert "<script src" not in page and 'id="fx"' in page and "2025-01-01" in page


def test_report_of_an_empty_store_is_a_page_of_empty_charts(tmp_path: Path) -> None:
    from corpus.store import Store
    from flows.report import build_report

    Store(tmp_path / "data").ensure()
    result = build_report(Store(tmp_path / "data"), tmp_path / "report.html")
    assert result.documents == 0 and result.show_pages == 0
    assert not (tmp_path / "show").exists() and "0 documents" in result.path.read_text(encoding="utf-8")


def test_report_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such data directory" in " ".join(result.output.split())


def test_run_artifact_line_names_the_command_and_the_file() -> None:
    line = report_line("/srv/fundscope")
    assert "`fundscope report --data /srv/fundscope`" in line and "(/srv/fundscope/report.html)" in line


def test_ingest_table_artifact_names_the_report(monkeypatch) -> None:
    import prefect.artifacts

    from flows.artifacts import new_documents_artifact

    made: list[dict] = []
    monkeypatch.setattr(prefect.artifacts, "create_table_artifact", lambda **kw: made.append(kw))
    new_documents_artifact([], 0, data_dir="/srv/x")
    assert made == []  # nothing new, no artifact
    new_documents_artifact([{"source": "a"}], 1, data_dir="/srv/x")
    assert len(made) == 1 and "`fundscope report --data /srv/x`" in made[0]["description"]
