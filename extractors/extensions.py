"""The `Span._` and `Doc._` attributes our components set, registered once per process."""

from __future__ import annotations

from spacy.tokens import Doc, Span

# value: ISO3 code, agency acronym, scheme code or "min-max" for a TRL
# party_country (ISO3) / party_kind (academia|company|sme|project): whose TRL a trl span states
SPAN_EXTENSIONS = ("value", "trl_min", "trl_max", "agency_country", "party_country", "party_kind")
# funding_evidence: list of extractors.funding_evidence.Evidence; facts: list of extractors.facts.Fact
# (None before their components run)
DOC_EXTENSIONS = ("funding_evidence", "facts")


def register_extensions() -> None:
    """Register every `Span._` extension our components write (idempotent)."""
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
