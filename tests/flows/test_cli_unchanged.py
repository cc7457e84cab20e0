"""An unchanged re-run is answered from the store: no flow run, nothing loaded, parsed or classified."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from corpus.query import run_query
from corpus.store import Store
from flows.cli import app

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"
NAMES = ["india-norway-agreement-news.txt", "jst-ukri-quantum-sensing-call.pdf"]

# Runs the CLI in a fresh interpreter and reports which heavy packages the run imported.
PROBE = """
import json, sys
from flows.cli import app
try:
    app(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
heavy = sorted(m for m in ("prefect", "spacy", "sklearn", "pdfplumber", "trafilatura") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}))
"""


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in NAMES:
        shutil.copy(SAMPLES / name, src / name)
    return src


def _probe(args: list[str]) -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_unchanged_rerun_imports_neither_prefect_nor_spacy_nor_the_model(prefect_api: str, tmp_path: Path) -> None:
    src, data = _folder(tmp_path), tmp_path / "data"
    first = CliRunner().invoke(app, ["ingest", str(src), "--data", str(data), "-q"],
                               env={"PREFECT_API_URL": prefect_api}, terminal_width=200)
    assert first.exit_code == 0, first.output
    result, stderr = _probe(["ingest", str(src), "--data", str(data), "-q"])
    assert result == {"code": 0, "heavy": []}, stderr
    assert "documents unchanged" in stderr and " 2 " in stderr
    assert "no flow run" in stderr


def test_a_changed_file_or_force_flow_run_goes_through_the_flow(prefect_api: str, tmp_path: Path) -> None:
    src, data = _folder(tmp_path), tmp_path / "data"
    env = {"PREFECT_API_URL": prefect_api}
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(src), "--data", str(data), "-q"], env=env).exit_code == 0
    forced = runner.invoke(app, ["ingest", str(src), "--data", str(data), "-q", "--force-flow-run"], env=env,
                           terminal_width=200)
    assert forced.exit_code == 0, forced.output
    assert "fundscope ingest · run" in forced.output and "no flow run" not in forced.output
    (src / NAMES[0]).write_text("Norway and India pay for their own teams at TRL 4.\n", encoding="utf-8")
    changed = runner.invoke(app, ["ingest", str(src), "--data", str(data), "-q"], env=env, terminal_width=200)
    assert changed.exit_code == 0, changed.output
    rows = dict(line.strip("│ ").split("│")[0:2] for line in changed.output.splitlines()
                if line.count("│") == 3 and "documents" in line)
    assert {k.strip(): v.strip() for k, v in rows.items()} == {
        "documents new": "1", "documents unchanged": "1", "documents failed": "0"}


def test_an_unreadable_input_is_not_answered_from_the_store(prefect_api: str, tmp_path: Path) -> None:
    src, data = _folder(tmp_path), tmp_path / "data"
    env = {"PREFECT_API_URL": prefect_api}
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(src), "--data", str(data), "-q"], env=env).exit_code == 0
    again = runner.invoke(app, ["ingest", str(src), str(tmp_path / "missing.pdf"), "--data", str(data), "-q"],
                          env=env, terminal_width=200)
    assert again.exit_code == 0, again.output
    # the error table wraps long temporary paths at any width, so the path is read from the store
    assert "not_found" in again.output
    _, rows = run_query(Store(data), "select source, error_type from errors")
    assert [(Path(source).name, kind) for source, kind in rows] == [("missing.pdf", "not_found")]


def test_an_object_store_that_does_not_answer_is_a_clear_usage_error(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    url = "s3://nowhere/data?endpoint_override=127.0.0.1:1&scheme=http&region=us-east-1"
    result = CliRunner().invoke(app, ["ingest", str(src), "--data", url, "-q"], terminal_width=200,
                                env={"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"})
    assert result.exit_code == 2, result.output
    assert "s3://nowhere/data: cannot" in result.output
    assert "endpoint_override" not in result.output  # options and credentials stay out of messages
