"""Issue 7: how `fundscope ingest` scales with corpus size and cores, where the time goes, and memory.

For each corpus size it runs the real command line as a subprocess against a Prefect server
the bench starts itself: once with one worker, once with every core, and again unchanged
after each. It prints markdown tables with throughput, scaling efficiency, peak RSS per
process, the re-run's share of the first run, stage shares, and the pipeline's pages/s as a
ratio of pdfplumber's own `extract_text` on the same PDFs.

    python bench/scaling.py                  # sizes 200, 1000, 5000
    python bench/scaling.py --sizes 200,1000
    python bench/scaling.py --quick          # smoke run on small corpora
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_SIZES = (200, 1000, 5000)
QUICK_SIZES = (50, 120)
SAMPLE_EVERY = 0.2  # seconds between /proc samples of the ingest's process tree
RAW_PDF_SAMPLE = 400  # PDFs timed with plain pdfplumber per size (the first ones by name)
MB = 1024 * 1024


@dataclass
class RunResult:
    """One `fundscope ingest` subprocess: wall seconds and the peak RSS (bytes) of its processes."""

    wall: float
    main_peak: int = 0
    worker_peaks: dict[int, int] = field(default_factory=dict)
    loader_peaks: dict[int, int] = field(default_factory=dict)  # the loader guard's forked children

    @property
    def max_worker_peak(self) -> int:
        return max(self.worker_peaks.values(), default=0)

    @property
    def workers_used(self) -> int:
        """Process-pool workers seen; 1 when the batches ran in the main process."""
        return max(1, len(self.worker_peaks))

    @property
    def per_worker_peak(self) -> int:
        """Peak RSS of the process that ran the batches: the largest worker, or the main process."""
        return self.max_worker_peak or self.main_peak


@dataclass
class SizeResult:
    """All measurements at one corpus size."""

    n_docs: int
    docs_stored: int
    pages: int
    pdf_pages: int
    errors: int
    one: RunResult
    one_rerun: RunResult
    many: RunResult
    many_rerun: RunResult
    raw_pdf_pages_per_s: float


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli() -> list[str]:
    """The `fundscope` command: the installed script, or the module when only the source tree is there."""
    script = BIN / "fundscope"
    return [str(script)] if script.exists() else [sys.executable, "-m", "flows.cli"]


def _proc_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) for every process we can read."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read().decode(errors="replace")
            with open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name in (...) may hold spaces
        table[int(entry.name)] = (ppid, cmd)
    return table


def _peak_rss(pid: int) -> int:
    """VmHWM of `pid` in bytes: the kernel's own peak, so samples cannot miss a short spike."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_monitored(cmd: list[str], env: dict[str, str]) -> RunResult:
    """Run `cmd`, sampling the peak RSS of it and of every worker process it spawns."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    result = RunResult(wall=0.0)
    while proc.poll() is None:
        table = _proc_table()
        tree = {proc.pid}
        grew = True
        while grew:
            grew = False
            for pid, (ppid, _) in table.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        for pid in tree:
            peak = _peak_rss(pid)
            if pid == proc.pid:
                result.main_peak = max(result.main_peak, peak)
            elif "spawn_main" in table.get(pid, (0, ""))[1]:  # a process-pool worker
                result.worker_peaks[pid] = max(result.worker_peaks.get(pid, 0), peak)
            elif "forkserver" in table.get(pid, (0, ""))[1]:  # corpus.guard's loader processes
                result.loader_peaks[pid] = max(result.loader_peaks.get(pid, 0), peak)
        time.sleep(SAMPLE_EVERY)
    out, err = proc.communicate()
    result.wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{err.decode()[-3000:]}")
    return result


def ingest_cmd(folder: Path, data: Path, workers: int) -> list[str]:
    return [*cli(), "ingest", str(folder), "--data", str(data), "--workers", str(workers), "-q"]


def raw_pdfplumber_pages_per_s(folder: Path, limit: int = RAW_PDF_SAMPLE) -> float:
    """Pages/s of plain pdfplumber `extract_text` (x_tolerance 1.5, page.close()) on the folder's PDFs."""
    import pdfplumber

    pdfs = sorted(folder.glob("*.pdf"))[:limit]
    pages = 0
    t0 = time.perf_counter()
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text(x_tolerance=1.5)
                page.close()
                pages += 1
    return pages / (time.perf_counter() - t0)


def store_counts(data: Path) -> tuple[int, int, int, int]:
    """(documents, pages, PDF pages, errors) in the store at `data`."""
    from corpus.query import run_query
    from corpus.store import Store

    _, rows = run_query(Store(data), "select count(*), coalesce(sum(n_pages), 0), "
                                     "coalesce(sum(case when kind = 'pdf' then n_pages end), 0) from documents")
    _, err = run_query(Store(data), "select count(*) from errors")
    docs, pages, pdf_pages = rows[0]
    return int(docs), int(pages), int(pdf_pages), int(err[0][0])


def measure_size(n_docs: int, cores: int, env: dict[str, str], work: Path) -> SizeResult:
    """Both worker settings, their unchanged re-runs, and the raw pdfplumber rate at one size."""
    folder = synthetic.corpus(n_docs)
    one_data, many_data = work / f"one-{n_docs}", work / f"many-{n_docs}"
    one = run_monitored(ingest_cmd(folder, one_data, 1), env)
    one_rerun = run_monitored(ingest_cmd(folder, one_data, 1), env)
    many = run_monitored(ingest_cmd(folder, many_data, cores), env)
    many_rerun = run_monitored(ingest_cmd(folder, many_data, cores), env)
    docs, pages, pdf_pages, errors = store_counts(one_data)
    return SizeResult(n_docs, docs, pages, pdf_pages, errors, one, one_rerun, many, many_rerun,
                      raw_pdfplumber_pages_per_s(folder))


def stage_seconds(n_docs: int, batch_size: int = 100) -> tuple[Counter, int, int]:
    """Seconds per stage, documents and PDF pages for the corpus of `n_docs`, in this process as the flow's batches run.

    Load time is split by file kind from the per-document progress callback of `process_batch`.
    """
    from corpus.loaders import Limits
    from corpus.sources import discover, plan
    from corpus.store import Store
    from flows.batch import process_batch
    from flows.workers import get_model, get_nlp

    folder = synthetic.corpus(n_docs)
    nlp, model = get_nlp(), get_model()  # built before the clock starts, as a warm worker has them
    seconds: Counter = Counter()
    pdf_pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        t0 = time.perf_counter()
        items, _ = discover([str(folder)])
        todo = plan(items, store.index()).todo
        seconds["fetch/read (discover, hash)"] += time.perf_counter() - t0
        for start in range(0, len(todo), batch_size):
            chunk = todo[start:start + batch_size]
            stamps: list[tuple[float, int]] = []
            t_start = time.perf_counter()
            batch, stats = process_batch(chunk, index=store.index(), nlp=nlp, model=model, limits=Limits(),
                                         run_id="bench",
                                         on_document=lambda d, p: stamps.append((time.perf_counter(), p)))
            ends = [t for t, _ in stamps]
            for item, begin, end, (_, n_pages) in zip(chunk, [t_start, *ends], ends, stamps):
                pdf = item.path.endswith(".pdf")
                seconds["PDF text" if pdf else "HTML/text load"] += end - begin
                pdf_pages += n_pages if pdf else 0
            seconds["spaCy + mentions"] += stats.seconds["spacy"]
            seconds["classify"] += stats.seconds["classify"]
            t0 = time.perf_counter()
            store.commit(batch, "bench")
            seconds["write (Delta commits)"] += time.perf_counter() - t0
    return seconds, len(todo), pdf_pages


def start_server(work: Path, base_env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """`prefect server start` on a free 127.0.0.1 port with its own home; returns it and its API URL."""
    from bench.overhead import _wait_health

    port = _free_port()
    env = dict(base_env, PREFECT_HOME=str(work / "home-server"))
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api"
    try:
        _wait_health(api)
    except Exception:
        server.terminate()
        raise
    return server, api


def machine() -> str:
    """CPU model, core count, memory and Python version, for quoting the figures with their machine."""
    import platform

    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), model)
        with open("/proc/meminfo", encoding="utf-8") as fh:
            mem_gb = int(fh.readline().split()[1]) / 1024 / 1024
    except OSError:
        mem_gb = 0.0
    return (f"{model}, {os.cpu_count()} CPUs, {mem_gb:.0f} GB RAM, {platform.machine()}, "
            f"Python {platform.python_version()}")


def _mb(n: int) -> str:
    return f"{n / MB:.0f}"


def report(results: list[SizeResult], cores: int, stages: Counter, stage_docs: int, stage_pdf_pages: int,
           stage_wall: float, elapsed: float) -> None:
    """Print every table and the targets of issue 7."""
    print(f"\n## Scaling of `fundscope ingest` on synthetic corpora ({cores} cores, {os.cpu_count()} CPUs seen)\n")
    print(f"Machine: {machine()}.\n")
    print("Corpus: our own generated text, ~60% PDF (1–40 pages, most 1–3), ~30% HTML, ~10% text.\n")
    print("Efficiency = speed-up / workers asked for; the CLI starts fewer below 50 documents per worker.\n")
    print("| documents | stored | pages | PDF pages | workers asked | used | wall s | docs/s | pages/s | speed-up "
          "| efficiency |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        for workers, run in ((1, r.one), (cores, r.many)):
            speed = r.one.wall / run.wall
            print(f"| {r.n_docs} | {r.docs_stored} | {r.pages} | {r.pdf_pages} | {workers} | {run.workers_used} | "
                  f"{run.wall:.1f} | {r.docs_stored / run.wall:.2f} | {r.pages / run.wall:.1f} | {speed:.2f} | "
                  f"{speed / workers:.2f} |")
    print("\n## Unchanged re-run (same folder, same data dir) as a share of the first run\n")
    print("| documents | workers | first s | re-run s | share |\n|---:|---:|---:|---:|---:|")
    for r in results:
        for workers, first, again in ((1, r.one, r.one_rerun), (cores, r.many, r.many_rerun)):
            print(f"| {r.n_docs} | {workers} | {first.wall:.1f} | {again.wall:.1f} | {again.wall / first.wall:.1%} |")
    print("\n## Peak RSS (MB, VmHWM) per process\n")
    print("Loader = the largest of the PDF/HTML loader processes `corpus.guard` forks (and its forkserver).\n")
    print("| documents | 1 worker: the process | 1 worker: loader | all cores: main process "
          "| all cores: largest worker | all cores: loader | worker processes |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        worker = _mb(r.many.max_worker_peak) if r.many.worker_peaks else "— (ran in main)"
        print(f"| {r.n_docs} | {_mb(r.one.main_peak)} | {_mb(max(r.one.loader_peaks.values(), default=0))} | "
              f"{_mb(r.many.main_peak)} | {worker} | {_mb(max(r.many.loader_peaks.values(), default=0))} | "
              f"{len(r.many.worker_peaks)} |")
    total = sum(stages.values())
    orchestration = stage_wall - total
    print(f"\n## Share of time per stage ({stage_docs} documents, one process; orchestration = "
          f"1-worker CLI wall {stage_wall:.1f} s − in-process stages)\n")
    print("| stage | seconds | share |\n|---|---:|---:|")
    for name, secs in list(stages.items()) + [("orchestration + start-up", orchestration)]:
        print(f"| {name} | {secs:.2f} | {secs / stage_wall:.1%} |")
    print(f"| CLI wall | {stage_wall:.2f} | 100% |")
    print("\n## Pipeline (1 worker, whole command) vs plain pdfplumber `extract_text` on the same PDFs\n")
    print("Pipeline pages/s counts PDF pages only, over the whole command's wall time (HTML and text "
          "documents, start-up and writing included), so the ratio is a floor.\n")
    print("| documents | pdfplumber pages/s | pipeline PDF pages/s | ratio |\n|---:|---:|---:|---:|")
    for r in results:
        pipe = r.pdf_pages / r.one.wall
        print(f"| {r.n_docs} | {r.raw_pdf_pages_per_s:.1f} | {pipe:.1f} | {pipe / r.raw_pdf_pages_per_s:.2f} |")
    loader = stage_pdf_pages / max(stages["PDF text"], 1e-9)
    print(f"\nThe PDF loader alone (in-process, {stage_docs} documents, {stage_pdf_pages} PDF pages): "
          f"{loader:.1f} pages/s, {loader / results[0].raw_pdf_pages_per_s:.2f} × pdfplumber's `extract_text` "
          f"({results[0].raw_pdf_pages_per_s:.1f} pages/s on the same corpus).")
    _targets(results, cores)
    print(f"\nscaling benchmark took {elapsed / 60:.1f} min")


def _targets(results: list[SizeResult], cores: int) -> None:
    """One line per target of issue 7, with the measured value."""
    big, small = results[-1], results[0]
    eff = big.one.wall / big.many.wall / cores
    ratio = big.pdf_pages / big.one.wall / big.raw_pdf_pages_per_s
    rerun = max(r.many_rerun.wall / r.many.wall for r in results)
    rss_small = max(small.one.main_peak, small.many.per_worker_peak)
    rss_big = max(big.one.main_peak, big.many.per_worker_peak)
    print("\n## Targets (issue 7)\n")
    print("| target | measured | met |\n|---|---:|:---:|")
    rows = [
        (f"scaling efficiency ≥ 0.8 on {cores} cores ({big.n_docs} docs; smaller sizes in the first table)",
         f"{eff:.2f}", eff >= 0.8),
        (f"1 worker ≥ 0.75 × pdfplumber pages/s ({big.n_docs} docs)", f"{ratio:.2f}", ratio >= 0.75),
        ("unchanged re-run ≤ 3% of first run (worst size, all cores)", f"{rerun:.1%}", rerun <= 0.03),
        (f"peak RSS per worker at {big.n_docs} within 10% of {small.n_docs}", f"{rss_big / max(rss_small, 1):.2f}×",
         rss_big <= 1.1 * rss_small),
    ]
    for name, value, ok in rows:
        print(f"| {name} | {value} | {'yes' if ok else 'no'} |")


def main(argv: list[str] | None = None) -> None:
    """Generate (or reuse) the corpora, run every measurement, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated corpus sizes (default 200,1000,5000)")
    parser.add_argument("--quick", action="store_true", help=f"smoke run at sizes {QUICK_SIZES}")
    parser.add_argument("--workers", type=int, default=0, help="workers for the parallel runs (default: all cores)")
    args = parser.parse_args(argv if argv is not None else [])
    sizes = sorted(int(s) for s in args.sizes.split(",")) if args.sizes else (
        list(QUICK_SIZES) if args.quick else list(DEFAULT_SIZES))
    from flows.runners import default_workers

    cores = args.workers or default_workers()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fundscope-scaling-") as tmp:
        work = Path(tmp)
        base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        base.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH=str(REPO))
        for n in sizes:
            synthetic.corpus(n)  # generate before the server starts: generation is not measured
        server, api = start_server(work, base)
        try:
            env = dict(base, PREFECT_HOME=str(work / "home-client"), PREFECT_API_URL=api)
            results = [measure_size(n, cores, env, work) for n in sizes]
        finally:
            server.terminate()
            server.wait(30)
    stages, stage_docs, stage_pdf_pages = stage_seconds(sizes[0])
    report(results, cores, stages, stage_docs, stage_pdf_pages, results[0].one.wall, time.perf_counter() - started)


if __name__ == "__main__":
    main(sys.argv[1:])
