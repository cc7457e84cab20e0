"""Where `--data` points: a local (or shared) directory, or an object store pyarrow can open.

A value with a URI scheme other than `file://` (s3://, gs://, hdfs://, ...) is remote and
opened with `pyarrow.fs.FileSystem.from_uri`; anything else is a local path. Object stores
have no rename, so `ObjectStore.write` puts the final name directly: a PUT is atomic.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyarrow.fs as pafs

WEB_NEEDS_LOCAL = ("fetching web pages needs a local or shared --data directory: "
                   "fetched pages are cached there for the workers")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class RemoteDataError(ValueError):
    """An input or option that needs a local data directory met an object-store --data."""


def is_remote(data: str | Path) -> bool:
    """True when `data` is a URI for an object store or remote file system (not file://)."""
    if isinstance(data, Path):
        return False
    match = _SCHEME.match(data)
    return bool(match) and match.group(1).lower() != "file"


def local_path(data: str | Path) -> Path:
    """The directory a local `data` value names (a plain path or a file:// URI)."""
    if isinstance(data, str) and _SCHEME.match(data):
        return Path(unquote(urlsplit(data).path))
    return Path(data)


def normalize(data: str | Path) -> str:
    """`data` as the flows take it: URIs kept byte for byte, file:// and paths as a plain path."""
    return data if is_remote(data) else str(local_path(data))


def display(uri: str) -> str:
    """`uri` for messages: scheme, bucket and prefix, without credentials or query options."""
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


@dataclass
class ObjectStore:
    """A prefix in a pyarrow file system, addressed by paths relative to that prefix."""

    uri: str
    fs: pafs.FileSystem
    base: str

    @classmethod
    def open(cls, uri: str) -> "ObjectStore":
        """Open `uri` with pyarrow (credentials come from the file system's usual sources)."""
        fs, base = pafs.FileSystem.from_uri(uri)
        return cls(uri, fs, base.rstrip("/"))

    def path(self, rel: str) -> str:
        """The file system path of `rel`."""
        return f"{self.base}/{rel}" if rel else self.base

    def read(self, rel: str) -> bytes:
        """The bytes of object `rel` (FileNotFoundError when there is none)."""
        with self.fs.open_input_stream(self.path(rel)) as stream:
            return stream.read()

    def write(self, rel: str, data: bytes) -> None:
        """Put `data` at `rel` in one step: readers see the old object or the whole new one."""
        with self.fs.open_output_stream(self.path(rel)) as stream:
            stream.write(data)

    def list(self, rel_dir: str) -> list[tuple[str, datetime | None]]:
        """(name, modification time) of the objects directly under `rel_dir`, sorted by name."""
        infos = self.fs.get_file_info(pafs.FileSelector(self.path(rel_dir), allow_not_found=True))
        return sorted((i.base_name, i.mtime) for i in infos if i.type == pafs.FileType.File)

    def delete(self, rel: str) -> None:
        """Remove object `rel`; one already gone is fine."""
        try:
            self.fs.delete_file(self.path(rel))
        except FileNotFoundError:
            pass

    def exists(self) -> bool:
        """True when anything is stored under the prefix."""
        return bool(self.fs.get_file_info(pafs.FileSelector(self.base, allow_not_found=True)))


def fsync_path(path: Path) -> None:
    """Flush a file's or a directory's entry to disk, so a rename before it survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
