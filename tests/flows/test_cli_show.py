"""`fundscope show` writes an HTML page with every stored mention highlighted by label."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from typer.testing import CliRunner

from corpus.store import Batch, Store
from flows.cli import app

TEXT = "JST and the Research Council of Lithuania fund projects at TRL 4–6 through a joint call."
AT = datetime(2026, 2, 1, tzinfo=timezone.utc)


def mention(label: str, value: str, text: str, agency_country: str | None = None) -> dict:
    start = TEXT.index(text)
    return {"doc_id": "abc123", "label": label, "value": value, "text": text, "start": start,
            "end": start + len(text), "sentence": TEXT, "trl_min": 4 if label == "trl" else None,
            "trl_max": 6 if label == "trl" else None, "agency_country": agency_country, "page": 1}


def test_show_highlights_each_mention_with_its_label(tmp_path: Path) -> None:
    Store(tmp_path).commit(Batch(
        documents=[{"doc_id": "abc123", "source": "call.txt", "title": "A joint call", "kind": "text", "text": TEXT,
                    "n_pages": 1, "page_starts": [0], "size_bytes": 90, "encoding": "utf-8", "ingested_at": AT,
                    "run_id": "r"}],
        mentions=[mention("agency", "JST", "JST", "JPN"), mention("country", "LTU", "Lithuania"),
                  mention("trl", "4-6", "TRL 4–6"), mention("scheme", "joint_call", "joint call")],
    ), "r")
    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["show", "abc", "--data", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    html = out.read_text(encoding="utf-8")
    for label in ("AGENCY", "COUNTRY", "TRL", "SCHEME"):
        assert label in html.upper()
    for value in ("LTU", "4-6", "joint_call"):
        assert value in html
    assert "A joint call" in html


def test_show_names_an_unknown_document(tmp_path: Path) -> None:
    Store(tmp_path).ensure()
    result = CliRunner().invoke(app, ["show", "nope", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "nope" in result.output
