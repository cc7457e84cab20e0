"""Per-process singletons: the spaCy pipeline and the classifier are loaded once per worker."""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_model: Any = None


def get_nlp() -> Any:
    """The process's spaCy pipeline (built once by `extractors.pipeline`)."""
    from extractors.pipeline import get_nlp as build_once

    return build_once()


def get_model() -> Any:
    """The shipped funding-mode model, loaded once per process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from models.funding_mode import FundingModeModel

                _model = FundingModeModel.load()
    return _model
