"""The `fundscope` command line: ingest documents, query the tables, inspect one document."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from flows.prefect_env import configure_environment

app = typer.Typer(
    help="fundscope: find funding schemes, countries and TRLs in R&D funding documents, "
    "classify each document as matching-fund, direct-fund or neither, and query the "
    "results with SQL.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)

DATA_HELP = ("Data directory holding the Delta tables (created if missing), or an object-store URL, "
             "e.g. s3://bucket/prefix (see README, 'Object stores').")


def _data_option() -> Any:
    # a str, not a Path: Path would fold the // of s3://bucket into s3:/bucket
    return typer.Option("data", "--data", envvar="FUNDSCOPE_DATA", help=DATA_HELP, show_default=True)


def _shown(data: str) -> str:
    """`--data` for messages: a path, or an object-store URL without credentials or options."""
    from corpus.storage import display, is_remote, normalize

    return display(data) if is_remote(data) else normalize(data)


def _open_store(data: str, must_exist: bool = False, hint: str = "", as_of: Any = None) -> Any:
    """The Store `--data` names; exits with status 2 and a message when it cannot be opened, is absent or old."""
    from corpus.delta import LegacyStoreError
    from corpus.storage import normalize
    from corpus.store import Store

    shown = _shown(data)
    try:
        store = Store(normalize(data), as_of=as_of)
        present = store.exists()
        if present:
            store.check_layout()
    except LegacyStoreError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    except (OSError, ValueError) as exc:  # pyarrow: unknown scheme, unreachable endpoint, missing bucket
        console.print(f"[red]{shown}: cannot open the data location: {exc}[/red]")
        raise typer.Exit(2)
    if must_exist and not present:
        console.print(f"[red]{shown}: no such data directory[/red]{hint}")
        raise typer.Exit(2)
    try:
        store.as_of_time()
    except ValueError as exc:  # an --as-of version the store never had
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    return store


def _as_of(value: str | None) -> int | datetime | None:
    """`--as-of` as a store version (an integer) or a time (ISO 8601; UTC when no zone is given)."""
    if value is None:
        return None
    if value.strip().isdigit():
        return int(value)
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        console.print(f"[red]--as-of takes a store version (0, 1, ...) or an ISO time such as "
                      f"2026-12-07T10:00:00Z, not {value!r}[/red]")
        raise typer.Exit(2)
    from datetime import timezone

    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class PdfEngine(str, Enum):
    pdfium = "pdfium"
    pdfplumber = "pdfplumber"


class RichProgress:
    """Progress bar for an ingest run: documents and pages done, rate and ETA."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.pages = 0
        self.started = time.perf_counter()
        self.progress = Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
            TextColumn("docs · {task.fields[pages]} pages · {task.fields[rate]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, disable=not enabled, transient=False,
        )
        self.task = None

    def start(self, total_docs: int, already_done: int) -> None:
        self.started = time.perf_counter()
        self.progress.start()
        self.task = self.progress.add_task("ingest", total=total_docs, pages=0, rate="")

    def advance(self, docs: int, pages: int) -> None:
        self.pages += pages
        done = self.progress.tasks[0].completed + docs if self.task is not None else docs
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        if self.task is not None:
            self.progress.update(self.task, advance=docs, pages=self.pages, rate=f"{rate:.1f} docs/s")

    def stop(self) -> None:
        self.progress.stop()


@app.command()
def ingest(
    paths: Optional[list[str]] = typer.Argument(None, help="Files, folders (read recursively; hidden files skipped) and http(s) URLs to ingest."),
    data: str = _data_option(),
    source: Optional[list[str]] = typer.Option(None, "--source", "-s", help="A named source from the sources file (repeatable)."),
    config: Path = typer.Option(Path("fundscope.toml"), "--config", help="The sources file naming the sources (see fundscope.example.toml)."),
    batch_size: int = typer.Option(100, min=1, help="Documents per Prefect task; one task per batch keeps orchestration cheap."),
    max_bytes: int = typer.Option(100_000_000, min=1, help="Inputs larger than this many bytes are refused as too_large."),
    max_pages: int = typer.Option(2000, min=1, help="PDFs with more pages than this are refused as too_large."),
    max_seconds: float = typer.Option(60.0, min=0.1, help="Time budget per document: a document still loading after this is stopped and reported as timeout (retried next run)."),
    max_decompressed_bytes: int = typer.Option(256 * 1024 * 1024, min=1, help="PDF streams inflating, or text decoding, past this many bytes are refused as too_large."),
    pdf_engine: PdfEngine = typer.Option(PdfEngine.pdfium, "--pdf-engine", help="Library reading PDF text: pdfium (pypdfium2, fast; pdfplumber takes over a file it cannot read) or pdfplumber."),
    workers: int = typer.Option(0, "--workers", "-w", min=0, help="Worker processes for loading, spaCy and classification (0: one per core). Fewer are used only when the estimated work (bytes, PDF pages) would not pay for their start-up of several seconds; the summary then says so."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address", help="Run the batches on an existing Dask cluster, e.g. tcp://127.0.0.1:8786 (--data must be reachable by every worker)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 if any input failed."),
    local_server: bool = typer.Option(True, "--local-server/--no-local-server", help="Without PREFECT_API_URL, report to a Prefect server running on 127.0.0.1:4200 if one answers (saves the temporary server's start-up); --no-local-server also starts no background server."),
    auto_server: bool = typer.Option(True, "--auto-server/--no-auto-server", help="Without a configured or running server, start a background Prefect server that later commands reuse and that stops after FUNDSCOPE_SERVER_IDLE_MINUTES (30) idle minutes; FUNDSCOPE_AUTO_SERVER=0 also turns this off (each run then starts Prefect's temporary server)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    force_flow_run: bool = typer.Option(False, "--force-flow-run", help="Start a Prefect flow run even when every input is unchanged (by default such a re-run is answered from the store, in well under a second, without one)."),
    language: Optional[str] = typer.Option(None, "--language", help="ISO 639-1 code (ja, de, fr, nl, es, ko, en, ...) to use for every new document instead of detecting each one's language."),
) -> None:
    """Ingest documents (PDF, HTML, text, Markdown) into the store, as one Prefect flow run.

    Re-running over the same inputs adds nothing: each input's bytes are hashed and
    documents already stored are reported as unchanged; when every input is unchanged the
    store answers alone and no flow run starts. A changed file is stored as a
    new version. Inputs that cannot be read are listed at the end and kept in the
    `errors` table; they never stop the run.
    """
    configure_environment()
    from flows.prefect_env import run_settings

    paths, source = list(paths or []), list(source or [])
    if language is not None:
        language = language.strip().lower()
        if len(language) != 2 or not language.isascii() or not language.isalpha():
            console.print(f"[red]--language takes an ISO 639-1 code such as ja or de, not {language!r}[/red]")
            raise typer.Exit(2)
    if not paths and not source:
        console.print("[red]name at least one path or URL, or a --source[/red]")
        raise typer.Exit(2)
    if source:
        from corpus.config import ConfigError, load_sources

        try:
            known = load_sources(config)
            for name in source:
                known.source(name)
        except (ConfigError, KeyError) as exc:
            console.print(f"[red]{exc.args[0] if isinstance(exc, KeyError) else exc}[/red]")
            raise typer.Exit(2)
    from corpus.storage import WEB_NEEDS_LOCAL, display, is_remote

    from flows.unchanged import is_local_listing

    if is_remote(data) and (any(p.startswith(("http://", "https://")) or is_local_listing(p) for p in paths)
                            or any(known.source(n).kind != "path" for n in source)):
        console.print(f"[red]{display(data)}: {WEB_NEEDS_LOCAL}[/red]")
        raise typer.Exit(2)
    t0 = time.perf_counter()
    store = _open_store(data)  # an old-layout store is named here, before any work
    if not force_flow_run and not source:
        from flows.unchanged import unchanged_plan

        try:
            done = unchanged_plan(paths, store)
        except OSError as exc:  # an object store that does not answer
            console.print(f"[red]{_shown(data)}: cannot read the data location: {exc}[/red]")
            raise typer.Exit(2)
        if done is not None:
            _print_unchanged(done, time.perf_counter() - t0)
            return
    api = _api_announced(local_server, auto_server)
    from corpus.sources import discover
    from flows import progress
    from flows.ingest import ingest as ingest_flow
    from flows.runners import choose_workers, default_workers, task_runner
    from corpus.storage import normalize
    from corpus.store import StoreLockTimeout
    from models.errors import ModelFormatError, ModelNotFoundError, ModelVersionError

    choice = choose_workers(workers or default_workers(), [i.path for i in discover(list(paths))[0]],
                            pdf_engine.value)
    n_workers = choice.used
    runner = task_runner(n_workers, dask_address)
    bar = RichProgress(enabled=not quiet and sys.stderr.isatty())
    progress.install(bar)
    try:
        with run_settings(api, share_with_workers=n_workers > 1 or dask_address is not None):
            summary = ingest_flow.with_options(task_runner=runner)(
                paths=list(paths), data_dir=normalize(data), batch_size=batch_size,
                limits={"max_bytes": max_bytes, "max_pages": max_pages, "max_seconds": max_seconds,
                        "max_decompressed_bytes": max_decompressed_bytes, "pdf_engine": pdf_engine.value},
                sources=source, config=str(config) if source or config.exists() else None,
                workers=1 if dask_address is None and n_workers == 1 else max(n_workers, 2),
                # the reason is news only to someone who asked for processes; the default (one per core) stays quiet
                workers_note=None if dask_address or not workers else choice.note, language=language)
    except (ModelNotFoundError, ModelVersionError, ModelFormatError, StoreLockTimeout) as exc:
        bar.stop()
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    finally:
        bar.stop()
        progress.install(None)
    _print_summary(summary, time.perf_counter() - t0, api)
    if strict and summary.failed:
        raise typer.Exit(1)


def _api_announced(local_server: bool, auto_server: bool) -> str | None:
    """The API for this command; prints the one line saying a background server was started, or a temporary one is."""
    from flows.prefect_env import api_for_command

    api, started = api_for_command(local_server, auto_server)
    if started:
        console.print(f"[dim]{started}[/dim]")
    elif api is None:
        console.print("[dim]No Prefect server configured: starting Prefect's temporary server "
                      "(see README, 'Prefect server', to skip this).[/dim]")
    return api


def _print_unchanged(plan: Any, wall: float) -> None:
    """The summary of a re-run answered from the store: every input already stored."""
    table = Table(title="fundscope ingest · nothing changed", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("documents new", "0")
    table.add_row("documents unchanged", str(len(plan.unchanged)))
    if plan.skipped_failed:
        table.add_row("failed before, unchanged (skipped)", str(len(plan.skipped_failed)))
    table.add_row("time (hashing and store check)", f"{wall:.2f} s")
    console.print(table)
    console.print("[dim]Every input's bytes match the store: no flow run was started "
                  "(--force-flow-run starts one anyway).[/dim]")


def _print_summary(summary: Any, wall: float, api: str | None) -> None:
    from flows.summary import summary_rows

    table = Table(title=f"fundscope ingest · run {summary.run_id}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for k, v in summary_rows(summary):
        if k != "processes":  # a sentence: printed below the table, unfolded
            table.add_row(k, v)
    table.add_row("wall time incl. start-up", f"{wall:.1f} s")
    console.print(table)
    if summary.workers_note:
        console.print(f"processes: {summary.workers_note}", soft_wrap=True)
    if summary.errors:
        err = Table(title="Inputs that could not be ingested", show_lines=False)
        for col in ("source", "stage", "error type", "message"):
            err.add_column(col, overflow="fold")
        for row in summary.errors:
            err.add_row(*row)
        console.print(err)
    if summary.warning:
        console.print(f"[yellow]warning: {summary.warning}[/yellow]")
    if api:
        console.print(f"[dim]Flow run reported to {api}[/dim]")


@app.command()
def query(
    sql: Optional[str] = typer.Argument(None, help="SQL over the views documents, mentions, classifications, errors (latest version of each source) and their *_all history views."),
    data: str = _data_option(),
    file: Optional[Path] = typer.Option(None, "--file", help="Read the SQL from this file instead of the argument."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table for people; csv: header line then rows; json: one array of row objects."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Read the store as it was: a store version (the documents table's Delta version; each batch ends with one) or an ISO time."),
) -> None:
    """Run SQL (DuckDB dialect) against the stored tables and print the result."""
    from corpus.query import run_query

    if (sql is None) == (file is None):
        console.print("[red]give the SQL either as the argument or with --file, not both[/red]")
        raise typer.Exit(2)
    if file is not None:
        try:
            sql = file.read_text(encoding="utf-8")
        except OSError as exc:
            console.print(f"[red]{file}: cannot read: {exc.strerror or exc}[/red]")
            raise typer.Exit(2)
    store = _open_store(data, must_exist=True, hint=f" (run `fundscope ingest PATH --data {data}` first)",
                        as_of=_as_of(as_of))
    import duckdb

    try:
        columns, rows = run_query(store, sql)
    except duckdb.Error as exc:
        console.print(f"[red]query failed:[/red] {exc}")
        raise typer.Exit(2)
    out = sys.stdout
    if format is Format.json:
        out.write(json.dumps([dict(zip(columns, r)) for r in rows], default=_json_default, ensure_ascii=False))
        out.write("\n")
    elif format is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(v) for v in r] for r in rows])
    else:
        table = Table(show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*[_table_cell(v) for v in r])
        Console().print(table)
        console.print(f"[dim]{len(rows)} row{'s' if len(rows) != 1 else ''}[/dim]")


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=_json_default, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _table_cell(value: Any, limit: int = 200) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@app.command()
def show(
    doc_id: str = typer.Argument(..., help="A doc_id, or a unique prefix of one (as printed by `fundscope query`)."),
    data: str = _data_option(),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write the HTML page (default: DATA/show/<doc_id>.html; ./show/<doc_id>.html when --data is an object-store URL)."),
) -> None:
    """Write one document's HTML page (its funding mode, evidence, flows, facts, and its text highlighted); print its path."""
    from corpus.query import connect
    from flows.report_show import load_pages, page_file, render_page

    store = _open_store(data)
    con = connect(store)
    try:
        docs = [r[0] for r in con.execute("select distinct doc_id from documents_all where starts_with(doc_id, ?)",
                                          [doc_id]).fetchall()]
        if len(docs) != 1:
            console.print(f"[red]{doc_id}: {'no' if not docs else len(docs)} matching documents in {data}[/red]")
            raise typer.Exit(2)
        page = load_pages(con, docs)[docs[0]]
    finally:
        con.close()
    target = out or (Path("show") if store.remote else store.root / "show") / page_file(docs[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_page(page), encoding="utf-8")
    print(target)


@app.command()
def report(
    data: str = _data_option(),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write the report (default: DATA/report.html; ./report.html when --data is an object-store URL). Document pages go to show/ beside it."),
    show_cap: int = typer.Option(500, "--show-pages", min=0, help="At most this many document pages are written beside the report (the documents its tables name); any other: `fundscope show DOC_ID`."),
) -> None:
    """Write one self-contained, offline HTML report: funding modes, who funds whom, TRLs, deadlines and budgets."""
    from flows.report import build_report

    store = _open_store(data, must_exist=True, hint=f" (run `fundscope ingest PATH --data {data}` first)")
    target = out or (Path("report.html") if store.remote else store.root / "report.html")
    result = build_report(store, target, show_cap=show_cap)
    console.print(f"[dim]{result.documents} documents, {result.show_pages} document pages, "
                  f"{result.bytes / 1e6:.1f} MB, {result.seconds:.1f} s[/dim]")
    print(result.path)


@app.command()
def train(
    seed: int = typer.Option(7, help="Random seed for cross-validation folds and the model; the same seed gives the same model."),
) -> None:
    """Retrain the funding-mode classifier from corpus/labelled as a Prefect flow run.

    Selects hyper-parameters by cross-validation on the training split, fits, scores the
    held-out test split once, and rewrites models/funding_mode.joblib and the model card
    models/funding_mode.md (with the new model_version).
    """
    configure_environment()
    from flows.prefect_env import choose_api, run_settings
    from flows.train import train as train_flow

    with run_settings(choose_api(True)):
        summary = train_flow(seed=seed)
    table = Table(title="fundscope train", show_header=False)
    table.add_row("model_version", summary["model_version"])
    table.add_row("cross-validation macro-F1 (train split)", f"{summary['cv']['macro_f1']:.4f}")
    table.add_row("test split macro-F1", f"{summary['test']['macro_f1']:.4f}")
    if summary.get("seed_letter"):
        table.add_row("seed letter", summary["seed_letter"]["funding_mode"])
    console.print(table)
    console.print("wrote models/funding_mode.joblib and models/funding_mode.md")


@app.command()
def reclassify(
    data: str = _data_option(),
    local_server: bool = typer.Option(True, "--local-server/--no-local-server", help="Report to a Prefect server on 127.0.0.1:4200 if one answers."),
    auto_server: bool = typer.Option(True, "--auto-server/--no-auto-server", help="Without a configured or running server, start a background Prefect server that later commands reuse and that stops after FUNDSCOPE_SERVER_IDLE_MINUTES (30) idle minutes; FUNDSCOPE_AUTO_SERVER=0 also turns this off (each run then starts Prefect's temporary server)."),
) -> None:
    """Re-label stored documents with the current model (after `fundscope train`).

    Uses the mentions already stored, so nothing is re-read or re-extracted. Earlier rows
    stay in `classifications_all` with their model_version; `classifications` shows the newest.
    """
    configure_environment()
    from flows.prefect_env import run_settings
    from flows.reclassify import reclassify as reclassify_flow

    from corpus.storage import normalize

    _open_store(data, must_exist=True)
    with run_settings(_api_announced(local_server, auto_server)):
        result = reclassify_flow(data_dir=normalize(data))
    modes = ", ".join(f"{k} {v}" for k, v in sorted(result["modes"].items())) or "nothing to do"
    console.print(f"model {result['model_version']}: {result['reclassified']} documents re-labelled ({modes})")


@app.command()
def migrate(data: str = _data_option()) -> None:
    """Convert a store in the old layout (parquet files listed by commits/) to Delta tables, in place.

    All or nothing: an interrupted conversion leaves the old store as it was, or is finished by
    running the command again. Refused on a store that is already Delta tables.
    """
    from corpus.migrate import MigrationRefused, migrate as migrate_store
    from corpus.storage import normalize

    try:
        result = migrate_store(normalize(data))
    except MigrationRefused as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    rows = ", ".join(f"{t} {n}" for t, n in result.rows.items())
    console.print(f"{_shown(data)}: converted to Delta tables ({rows} rows)")


@app.command()
def compact(
    data: str = _data_option(),
    retention_hours: int = typer.Option(168, "--retention-hours", min=0, help="Files a commit replaced are deleted once older than this; time travel (`query --as-of`) reaches back this far."),
) -> None:
    """Merge the tables' small files (Delta optimize) and delete files no version within the retention needs (vacuum)."""
    store = _open_store(data, must_exist=True, hint=f" (run `fundscope ingest PATH --data {data}` first)")
    report = store.compact(retention_hours=retention_hours)
    table = Table(title=f"fundscope compact (history kept {retention_hours} h)")
    for col in ("table", "files before", "files after", "files deleted"):
        table.add_column(col)
    for name, r in report.items():
        table.add_row(name, str(r["files_before"]), str(r["files_after"]), str(r["deleted"]))
    Console().print(table)


@app.command()
def serve(
    config: Path = typer.Option(Path("fundscope.toml"), "--config", help="The sources file (see fundscope.example.toml)."),
    data: str = _data_option(),
) -> None:
    """Serve every source of the sources file as a Prefect deployment `ingest/<source>`.

    Scheduled sources run on their cron schedule; any source can be started by hand from the
    Prefect UI or with `prefect deployment run 'ingest/<source>'`. Needs a running Prefect
    server (`fundscope server start`, or PREFECT_API_URL). Stop with Ctrl-C.
    """
    configure_environment()
    from flows.prefect_env import choose_api

    api = choose_api(True)
    if api is None:
        console.print("[red]serve needs a running Prefect server: start one with `fundscope server start` "
                      "(or `prefect server start`) or set PREFECT_API_URL[/red]")
        raise typer.Exit(2)
    from corpus.config import ConfigError
    from flows.serve import serve as serve_sources

    from corpus.storage import is_remote, normalize

    if is_remote(data):
        console.print("[red]serve takes a local or shared --data directory only: its deployments "
                      "store the directory's absolute path[/red]")
        raise typer.Exit(2)
    try:
        serve_sources(config, Path(normalize(data)))
    except ConfigError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)


server_app = typer.Typer(help="Run a Prefect server in the background so ingest runs skip the temporary server's start-up (about 10 s each).", no_args_is_help=True)
app.add_typer(server_app, name="server")


@server_app.command("start")
def server_start(port: int = typer.Option(4200, help="Port on 127.0.0.1; fundscope finds a server on 4200 by itself.")) -> None:
    """Start `prefect server start` in the background (UI at http://127.0.0.1:PORT)."""
    configure_environment()
    from flows.prefect_env import start_local_server

    try:
        pid, seconds = start_local_server(port)
    except RuntimeError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1)
    console.print(f"Prefect server running (pid {pid}, ready in {seconds:.1f} s): UI at http://127.0.0.1:{port}")
    if port != 4200:
        console.print(f"Set PREFECT_API_URL=http://127.0.0.1:{port}/api for fundscope to use it.")


@server_app.command("stop")
def server_stop() -> None:
    """Stop the server started by `fundscope server start` or by an ingest in the background."""
    configure_environment()
    from flows.prefect_env import stop_local_server

    pid = stop_local_server()
    console.print("no server started by fundscope is recorded" if pid is None else f"stopped Prefect server (pid {pid})")


@server_app.command("status")
def server_status() -> None:
    """Say which Prefect API ingest runs would report to."""
    configure_environment()
    from flows.prefect_env import choose_api

    api = choose_api(True)
    console.print(f"runs report to {api}" if api else "no Prefect server found: each run starts a temporary one")
    if not api:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    configure_environment()
    app()


if __name__ == "__main__":
    main()
