"""Answering an unchanged re-run from the store alone, before Prefect, spaCy or the model load.

Hashing the inputs and reading the store's index is all an unchanged corpus needs; starting a
flow run (importing Prefect, talking to its server) would cost more than that whole check for
any corpus of a few hundred documents.
"""

from __future__ import annotations

import os

from corpus.sources import Plan, discover, plan
from corpus.store import Store


def unchanged_plan(paths: list[str], store: Store) -> Plan | None:
    """The plan when every named input is already stored or failed before unchanged; None when there is work.

    URLs and local feed or sitemap files need a fetch to know whether they (or their items)
    changed, and unreadable inputs need their error rows, so any of them sends the run through
    the flow.
    """
    if not paths or any(p.startswith(("http://", "https://")) or is_local_listing(p) for p in paths):
        return None
    items, refused = discover(paths)
    if refused or not items or not store.exists():
        return None
    result = plan(items, store.index())
    if result.todo or result.unreadable:
        return None
    return result


def is_local_listing(path: str) -> bool:
    """Whether a named local file is a feed or sitemap; the XML sniffer is imported only for XML-looking files.

    Importing the sniffer pulls in the loaders (trafilatura, pdfplumber), which an unchanged
    re-run must not pay for.
    """
    try:
        if not os.path.isfile(path):
            return False
        with open(path, "rb") as fh:
            head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    if not (head.startswith(b"\x1f\x8b") or head.startswith(b"<")) or head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return False
    from corpus.web import is_listing_file

    return is_listing_file(path)
