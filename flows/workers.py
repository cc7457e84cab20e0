"""Per-process singletons: the spaCy pipelines (one per language) and the classifier are loaded once per worker, the store once per run."""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_model: Any = None


def get_nlp() -> Any:
    """The process's spaCy pipeline (built once by `extractors.pipeline`)."""
    from extractors.pipeline import get_nlp as build_once

    return build_once()


def get_nlp_for(language: str) -> Any:
    """The process's spaCy pipeline for `language` (ISO 639-1), each built once; English for a language without one."""
    from extractors.languages import get_nlp_for as build_once  # it keeps one pipeline per language

    return build_once(language)


def get_model() -> Any:
    """The shipped funding-mode model, loaded once per process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from models.funding_mode import FundingModeModel

                _model = FundingModeModel.load()
    return _model


_store_key: tuple[str, str] | None = None
_store: Any = None


def run_store(data_dir: str, run_id: str) -> Any:
    """The store of `data_dir` for run `run_id`, kept between that run's batches in this process.

    Its index then only reads the commits made since the last batch, not the whole store again.
    A new run gets a fresh one, so nothing cached outlives the run that read it.
    """
    global _store_key, _store
    with _lock:
        if _store_key != (data_dir, run_id):
            from corpus.store import Store

            _store_key, _store = (data_dir, run_id), Store(data_dir)
        return _store
