"""The `Span._` attributes our components set, registered once per process."""

from __future__ import annotations

from spacy.tokens import Span

# value: ISO3 code, agency acronym, scheme code or "min-max" for a TRL
SPAN_EXTENSIONS = ("value", "trl_min", "trl_max", "agency_country")


def register_extensions() -> None:
    """Register every `Span._` extension our components write (idempotent)."""
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
