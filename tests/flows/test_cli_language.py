"""`fundscope ingest --language`: the forced code reaches `documents.language`; a malformed one is refused."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from corpus.query import run_query
from corpus.store import Store
from flows.cli import app

GERMAN = "Partnerländer sind Kanada, die Tschechische Republik, Frankreich und die Niederlande.\n"
JAPANESE = "日本側の研究者はJSTが、相手国の研究者は相手国の機関が支援する。英国と韓国の研究者が参加する。\n"


def test_a_malformed_language_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GERMAN, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--data", str(tmp_path / "d"),
                                      "--language", "german"], terminal_width=200)
    assert result.exit_code == 2
    assert "ISO 639-1" in result.output


def test_detected_and_forced_languages_are_stored(prefect_api: str, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "de.txt").write_text(GERMAN, encoding="utf-8")
    (src / "ja.txt").write_text(JAPANESE, encoding="utf-8")
    runner, env = CliRunner(), {"PREFECT_API_URL": prefect_api}
    detected = runner.invoke(app, ["ingest", str(src), "--data", str(tmp_path / "a"), "-q", "-w", "1"], env=env)
    assert detected.exit_code == 0, detected.output
    rows = run_query(Store(tmp_path / "a"), "select source, language from documents order by source")[1]
    assert [(Path(s).name, lang) for s, lang in rows] == [("de.txt", "de"), ("ja.txt", "ja")]
    _, found = run_query(Store(tmp_path / "a"), "select distinct m.value from mentions m join documents d "
                                                "using (doc_id) where d.language = 'ja' and m.label = 'country' order by 1")
    assert [v for (v,) in found] == ["GBR", "JPN", "KOR"]

    forced = runner.invoke(app, ["ingest", str(src), "--data", str(tmp_path / "b"), "-q", "-w", "1",
                                 "--language", "DE"], env=env)
    assert forced.exit_code == 0, forced.output
    assert {lang for _, lang in run_query(Store(tmp_path / "b"), "select source, language from documents")[1]} == {"de"}
