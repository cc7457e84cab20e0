"""Answering an unchanged re-run from the store alone, before Prefect, spaCy or the model load.

Hashing the inputs and reading the store's index is all an unchanged corpus needs; starting a
flow run (importing Prefect, talking to its server) would cost more than that whole check for
any corpus of a few hundred documents.
"""

from __future__ import annotations

from corpus.sources import Plan, discover, plan
from corpus.store import Store


def unchanged_plan(paths: list[str], store: Store) -> Plan | None:
    """The plan when every named input is already stored or failed before unchanged; None when there is work.

    URLs need a fetch to know whether they changed, and unreadable inputs need their error rows,
    so either sends the run through the flow.
    """
    if not paths or any(p.startswith(("http://", "https://")) for p in paths):
        return None
    items, refused = discover(paths)
    if refused or not items or not store.exists():
        return None
    result = plan(items, store.index())
    if result.todo or result.unreadable:
        return None
    return result
