"""Reading and checking the model artifact's header without importing scikit-learn.

A flow that hands its batches to worker processes checks the artifact here first, so a
missing or mismatched model stops the run at once without the parent paying for a full load.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

import joblib

from models.errors import ModelFormatError, ModelNotFoundError, ModelVersionError

ARTIFACT_FORMAT = "fundscope-funding-mode/1"
DEFAULT_PATH = Path(__file__).resolve().parent / "funding_mode.joblib"


def read_header(path: str | Path = DEFAULT_PATH) -> dict[str, Any]:
    """The artifact's header dict (its pipeline still pickled), refusing unknown formats and other sklearn versions."""
    path = Path(path)
    if not path.is_file():
        raise ModelNotFoundError(str(path))
    try:
        header = joblib.load(path)
    except Exception as exc:  # joblib raises many types on a damaged file
        raise ModelFormatError(str(path), f"cannot be read: {exc}") from exc
    if not isinstance(header, dict) or header.get("format") != ARTIFACT_FORMAT:
        raise ModelFormatError(str(path), "unknown artifact format")
    installed = version("scikit-learn")
    if header["sklearn_version"] != installed:
        raise ModelVersionError(str(path), header["sklearn_version"], installed)
    return header
