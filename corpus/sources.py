"""Inputs named on the command line: files and folders turned into a list of items to ingest."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from corpus.store import StoreIndex

HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class InputItem:
    """One input file: `source` as the user named it, `path` where to read it."""

    source: str
    path: str


@dataclass(frozen=True)
class Refused:
    """An input that is not read, with the reason (it still gets an `errors` row)."""

    source: str
    error_type: str
    message: str


@dataclass(frozen=True)
class PlannedItem:
    """An input whose bytes were hashed: `doc_id` is their SHA-256."""

    source: str
    path: str
    doc_id: str
    size_bytes: int
    fetch: dict | None = None  # for a web input: http_status, etag, last_modified, fetched_at, final_url


def discover(paths: list[str]) -> tuple[list[InputItem], list[Refused]]:
    """Expand files and folders (recursively, hidden entries skipped) into input items."""
    items: list[InputItem] = []
    refused: list[Refused] = []
    seen: set[str] = set()
    for given in paths:
        root = Path(given)
        if root.is_symlink() and not root.exists():
            refused.append(Refused(given, "not_found", f"{given}: broken symbolic link"))
        elif root.is_file():
            _add(items, seen, InputItem(given, str(root)))
        elif root.is_dir():
            _walk(root, given, items, refused, seen)
        else:
            refused.append(Refused(given, "not_found", f"{given}: no such file or folder"))
    return items, refused


def _walk(root: Path, given: str, items: list[InputItem], refused: list[Refused], seen: set[str]) -> None:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            if (base / name).is_symlink():
                source = _source_name(given, root, base / name)
                refused.append(Refused(source, "refused_path", f"{source}: symbolic link to a folder is not followed"))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = base / name
            source = _source_name(given, root, path)
            if path.is_symlink():
                refused.append(Refused(source, "refused_path", f"{source}: symbolic link is not followed"))
                continue
            if path.is_file():
                _add(items, seen, InputItem(source, str(path)))


def _source_name(given: str, root: Path, path: Path) -> str:
    rel = path.relative_to(root).as_posix()
    return given.rstrip("/") + "/" + rel


def _add(items: list[InputItem], seen: set[str], item: InputItem) -> None:
    if item.source not in seen:
        seen.add(item.source)
        items.append(item)


def hash_file(path: str) -> tuple[str, int]:
    """SHA-256 hex digest and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass
class Plan:
    """Which inputs need work, which the store already holds, and which cannot be read."""

    todo: list[PlannedItem]
    unchanged: list[PlannedItem]
    skipped_failed: list[PlannedItem]  # failed for a permanent reason before, bytes unchanged
    unreadable: list[Refused]


def plan(items: list[InputItem], index: StoreIndex) -> Plan:
    """Hash each input and compare it with the store: only new bytes or new names need work."""
    hashed, unreadable = [], []
    for item in items:
        try:
            doc_id, size = hash_file(item.path)
        except OSError as exc:
            unreadable.append(Refused(item.source, "read_error", f"{item.source}: cannot read: {exc.strerror or exc}"))
            continue
        hashed.append(PlannedItem(item.source, item.path, doc_id, size))
    result = sort_planned(hashed, index)
    result.unreadable.extend(unreadable)
    return result


def sort_planned(items: list[PlannedItem], index: StoreIndex) -> Plan:
    """Split hashed inputs into work to do, unchanged, and failed-before-and-unchanged."""
    result = Plan([], [], [], [])
    for planned in items:
        if index.latest_by_source.get(planned.source) == planned.doc_id:
            result.unchanged.append(planned)
        elif (planned.source, planned.doc_id) in index.permanent_errors:
            result.skipped_failed.append(planned)
        else:
            result.todo.append(planned)
    return result


def discover_selected(root: str, keep: Callable[[str], bool]) -> tuple[list[InputItem], list[Refused]]:
    """Like `discover` for one path, keeping only files whose path below it `keep` accepts."""
    items, refused = discover([root])
    prefix = root.rstrip("/") + "/"
    chosen = [i for i in items if keep(i.source[len(prefix):] if i.source.startswith(prefix) else Path(i.source).name)]
    return chosen, refused
