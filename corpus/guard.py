"""Loading documents in a worker process that is killed when one overruns its time budget.

A pathological input (a PDF whose parser loops, a page that swallows memory) must cost one
`errors` row, not the run: `GuardedLoader` sends each document to a long-lived child process,
waits at most `Limits.max_seconds`, and on overrun kills the child and starts a fresh one for
the next document.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from corpus.document import LoadedDocument, LoadError
from corpus.loaders import load_bytes
from corpus.loaders.limits import Limits, too_large_error

try:
    import resource
except ImportError:  # Windows: no address-space cap, the time budget still holds
    resource = None  # type: ignore[assignment]

# forkserver forks each new worker from a process that has already imported the loaders,
# so replacing a killed worker costs milliseconds rather than a fresh interpreter's imports.
_START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
_PRELOAD = ["corpus.loaders"]
_STOP_WAIT_S = 2.0


def _cap_memory(max_bytes: int | None) -> None:
    """Set this process's soft address-space limit to `max_bytes`, or back to the hard limit for None."""
    if resource is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if max_bytes is None:
        soft = hard
    else:
        soft = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _load_reply(data: bytes, source: str, limits: Limits) -> tuple[str, Any]:
    """('doc', LoadedDocument) or ('error', (error_type, message, transient)) for one request."""
    try:
        _cap_memory(limits.max_memory_bytes)
        return "doc", load_bytes(data, source, limits=limits)
    except LoadError as error:
        return "error", (error.error_type, error.message, error.transient)
    except Exception as exc:  # load_bytes converts parser failures; this is a last line of defence
        return "error", ("internal", f"the loader failed unexpectedly ({type(exc).__name__}: {exc})", False)
    finally:
        _cap_memory(None)  # a small cap must not stop the worker from receiving the next input


def _serve(conn: Connection) -> None:
    """Worker loop: answer (data, source, limits) requests until told to stop or the pipe closes."""
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        conn.send(_load_reply(*request))


class GuardedLoader:
    """`load_bytes` in a reusable child process, with a per-document time budget and memory cap.

    Use as a context manager, one per thread or process; the worker starts on the first document.
    """

    def __init__(self) -> None:
        self._context = multiprocessing.get_context(_START_METHOD)
        if _START_METHOD == "forkserver":
            self._context.set_forkserver_preload(_PRELOAD)
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> GuardedLoader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def worker_pid(self) -> int | None:
        """Process id of the current worker, or None before the first document or after a kill."""
        return self._process.pid if self._process is not None else None

    def _start(self) -> Connection:
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_serve, args=(theirs,), name="fundscope-loader", daemon=True)
        # A Dask worker is a daemonic process, and multiprocessing refuses children to those.
        # Our child is itself a daemon that exits when its pipe closes, so lift the refusal.
        config = multiprocessing.current_process()._config  # type: ignore[attr-defined]
        was_daemon = config.pop("daemon", None)
        try:
            process.start()
        finally:
            if was_daemon is not None:
                config["daemon"] = was_daemon
        theirs.close()
        self._process, self._conn = process, ours
        return ours

    def _kill(self) -> int | None:
        """Stop the worker at once; its exit code, if it had one."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        if process.is_alive():
            process.kill()
        process.join(_STOP_WAIT_S)
        code = process.exitcode
        if code is not None:
            process.close()
        return code

    def _send_once(self, request: tuple[bytes, str, Limits]) -> Connection:
        conn = self._conn
        if conn is None or self._process is None or not self._process.is_alive():
            self._kill()
            conn = self._start()
        conn.send(request)
        return conn

    def _send(self, request: tuple[bytes, str, Limits]) -> Connection:
        """Hand `request` to a live worker, replacing one that has died since the last document."""
        try:
            return self._send_once(request)
        except OSError:
            self._kill()  # the worker died between documents: one fresh start
        try:
            return self._send_once(request)
        except OSError as exc:
            self._kill()
            raise LoadError(
                "internal", f"no loader worker could be started or reached ({type(exc).__name__}: {exc})"
            ) from exc

    def load(self, data: bytes, source: str, limits: Limits | None = None) -> LoadedDocument:
        """Load one input like `load_bytes`, raising LoadError('timeout') after `limits.max_seconds`."""
        limits = limits or Limits()
        if len(data) > limits.max_bytes:
            raise too_large_error(len(data), limits)  # not worth copying to the worker
        conn = self._send((data, source, limits))
        if not conn.poll(limits.max_seconds):
            self._kill()
            raise LoadError(
                "timeout",
                f"loading took longer than {limits.max_seconds:g} s (max_seconds) and was stopped; "
                "the file may be pathological, or raise max_seconds for very long documents",
                transient=True,
            )
        try:
            status, payload = conn.recv()
        except (EOFError, OSError):
            code = self._kill()
            raise LoadError(
                "internal",
                f"the loader process died while reading this input (exit code {code}); "
                "a parser crashed on it or the machine ran out of memory",
            ) from None
        if status == "doc":
            return payload
        error_type, message, transient = payload
        raise LoadError(error_type, message, transient=transient)

    def close(self) -> None:
        """Ask the worker to finish, and kill it if it does not within two seconds."""
        conn, process = self._conn, self._process
        if conn is not None and process is not None and process.is_alive():
            try:
                conn.send(None)
            except OSError:
                pass
            process.join(_STOP_WAIT_S)
        self._kill()
