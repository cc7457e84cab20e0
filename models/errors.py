"""Errors raised when the shipped funding-mode model cannot be used."""

from __future__ import annotations

RETRAIN_COMMAND = "fundscope train"


class ModelNotFoundError(FileNotFoundError):
    """The model artifact is missing: nothing to classify with until it is trained."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"No funding-mode model at {path}. Train one with `{RETRAIN_COMMAND}`."
        )
        self.path = path


class ModelVersionError(RuntimeError):
    """The artifact was pickled by another scikit-learn version, so it may not load or may predict wrongly."""

    def __init__(self, path: str, trained_with: str, installed: str) -> None:
        super().__init__(
            f"The funding-mode model at {path} was trained with scikit-learn {trained_with}, "
            f"but scikit-learn {installed} is installed. Retrain it with `{RETRAIN_COMMAND}`."
        )
        self.path = path
        self.trained_with = trained_with
        self.installed = installed


class ModelFormatError(RuntimeError):
    """The artifact exists but is not a funding-mode model this code can read."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"{path} is not a usable funding-mode model ({reason}). Retrain it with `{RETRAIN_COMMAND}`."
        )
        self.path = path
