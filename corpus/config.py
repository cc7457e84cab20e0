"""The sources file (fundscope.toml): named sources to ingest, how to fetch them, when to run them."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from corpus.fetch import FetchSettings

DEFAULT_CONFIG = "fundscope.toml"
KINDS = ("path", "urls", "feed", "sitemap")

_COMMON_FIELDS = {"kind", "schedule", "timezone"}
_KIND_FIELDS = {
    "path": {"paths", "include", "exclude"},
    "urls": {"urls"},
    "feed": {"feed"},
    "sitemap": {"sitemap", "url_pattern"},
}
_REQUIRED = {"path": "paths", "urls": "urls", "feed": "feed", "sitemap": "sitemap"}
_FETCH_FIELDS = {
    "timeout_seconds": float,
    "total_seconds": float,
    "max_bytes": int,
    "max_redirects": int,
    "min_interval_seconds": float,
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

CRON_MACROS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
# (field name, lowest value, highest value, names standing for values from the lowest up)
_CRON_FIELDS = (
    ("minute", 0, 59, []),
    ("hour", 0, 23, []),
    ("day of month", 1, 31, []),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)
_CRON_ITEM = re.compile(r"^(?P<range>\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:/(?P<step>\d+))?$")


class ConfigError(ValueError):
    """The sources file cannot be used; the message names the file, the source and the problem."""


@dataclass(frozen=True)
class Source:
    """One named source: where its documents come from and when it runs."""

    name: str
    kind: str  # one of KINDS
    paths: tuple[str, ...] = ()  # kind "path": files or folders (relative ones resolved against the file's folder)
    urls: tuple[str, ...] = ()  # kind "urls": pages or documents
    feed: str | None = None  # kind "feed": RSS or Atom URL
    sitemap: str | None = None  # kind "sitemap": sitemap or sitemap index URL
    include: tuple[str, ...] = ()  # kind "path": globs a file must match (empty: every file)
    exclude: tuple[str, ...] = ()  # kind "path": globs that drop a file
    url_pattern: str | None = None  # kind "sitemap": regular expression a page URL must contain
    schedule: str | None = None  # cron expression, or None for "only when run by hand"
    timezone: str = "UTC"

    def selects(self, relative_path: str) -> bool:
        """Whether a file found under one of `paths` (path relative to it, "/"-separated) is kept."""
        name = relative_path.rsplit("/", 1)[-1]

        def hit(globs: tuple[str, ...]) -> bool:
            return any(fnmatch.fnmatchcase(relative_path, g) or fnmatch.fnmatchcase(name, g) for g in globs)

        return (not self.include or hit(self.include)) and not hit(self.exclude)


@dataclass(frozen=True)
class SourcesFile:
    """Everything a sources file says: the sources in file order and the fetch settings."""

    path: Path
    sources: list[Source]
    fetch: FetchSettings = field(default_factory=FetchSettings)

    def source(self, name: str) -> Source:
        """The source called `name` (KeyError naming the known ones otherwise)."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(f"{self.path}: no source named {name!r} (known: {', '.join(s.name for s in self.sources)})")


def load_sources(path: str | Path = DEFAULT_CONFIG) -> SourcesFile:
    """Read and check a sources file; every problem raises ConfigError naming file and source."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: sources file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    return parse_sources(text, path)


def parse_sources(text: str, path: str | Path) -> SourcesFile:
    """Check the TOML text of a sources file; `path` names it in errors and anchors relative paths."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    unknown = set(data) - {"sources", "fetch"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level table or key {_names(unknown)} (expected [sources.NAME] and [fetch])")
    tables = data.get("sources")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{path}: no sources defined (add a [sources.NAME] table)")
    sources = [_source(path, name, table) for name, table in tables.items()]
    return SourcesFile(path=path, sources=sources, fetch=_fetch_settings(path, data.get("fetch", {})))


def _source(path: Path, name: str, table: Any) -> Source:
    where = f"{path}: source {name!r}"
    if not _NAME.match(name):
        raise ConfigError(f"{where}: a name uses only letters, digits, '_', '.', '-' and starts with a letter or digit")
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table ([sources.{name}]), not a single value")
    kind = table.get("kind")
    if kind is None:
        raise ConfigError(f"{where}: missing field 'kind' (one of {', '.join(KINDS)})")
    if kind not in KINDS:
        raise ConfigError(f"{where}: unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    allowed = _COMMON_FIELDS | _KIND_FIELDS[kind]
    unknown = set(table) - allowed
    if unknown:
        raise ConfigError(f"{where}: unknown field {_names(unknown)} for kind {kind!r} (allowed: {_names(allowed)})")
    required = _REQUIRED[kind]
    if required not in table:
        raise ConfigError(f"{where}: missing field {required!r} for kind {kind!r}")
    values: dict[str, Any] = {"name": name, "kind": kind}
    if kind == "path":
        values["paths"] = tuple(str(_anchor(path, p)) for p in _strings(where, table, "paths"))
        values["include"] = _strings(where, table, "include", allow_empty=True)
        values["exclude"] = _strings(where, table, "exclude", allow_empty=True)
    elif kind == "urls":
        values["urls"] = tuple(_url(where, "urls", u) for u in _strings(where, table, "urls"))
    else:
        values[kind] = _url(where, kind, _string(where, table, kind))
    if "url_pattern" in table:
        values["url_pattern"] = _pattern(where, _string(where, table, "url_pattern"))
    values.update(_schedule(where, table))
    return Source(**values)


def _schedule(where: str, table: dict[str, Any]) -> dict[str, Any]:
    schedule = _string(where, table, "schedule") if "schedule" in table else None
    timezone = _string(where, table, "timezone") if "timezone" in table else "UTC"
    if schedule is None and "timezone" in table:
        raise ConfigError(f"{where}: 'timezone' is given without a 'schedule' it could apply to")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: unknown timezone {timezone!r} (use an IANA name such as 'Europe/Berlin')") from None
    if schedule is not None:
        problem = cron_problem(schedule)
        if problem:
            raise ConfigError(f"{where}: bad cron schedule {schedule!r}: {problem}")
    return {"schedule": schedule, "timezone": timezone}


def _fetch_settings(path: Path, table: Any) -> FetchSettings:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [fetch] must be a table")
    unknown = set(table) - set(_FETCH_FIELDS)
    if unknown:
        raise ConfigError(f"{path}: [fetch]: unknown field {_names(unknown)} (allowed: {_names(set(_FETCH_FIELDS))})")
    values = {}
    for key, value in table.items():
        wanted = _FETCH_FIELDS[key]
        number_ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number_ok or (wanted is int and not isinstance(value, int)):
            raise ConfigError(f"{path}: [fetch]: {key} must be {'an integer' if wanted is int else 'a number'}")
        if value < 0 or (value == 0 and key != "min_interval_seconds" and key != "max_redirects"):
            raise ConfigError(f"{path}: [fetch]: {key} must be positive, got {value}")
        values[key] = wanted(value)
    return FetchSettings(**values)


def _string(where: str, table: dict[str, Any], key: str) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _strings(where: str, table: dict[str, Any], key: str, allow_empty: bool = False) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: {key!r} must be a string or a list of non-empty strings")
    if not value and not allow_empty:
        raise ConfigError(f"{where}: {key!r} is empty")
    return tuple(v.strip() for v in value)


def _url(where: str, key: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: {key!r} entry {url!r} is not an http(s) URL")
    return url


def _pattern(where: str, pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: url_pattern {pattern!r} is not a valid regular expression ({exc})") from None
    return pattern


def _anchor(config_path: Path, given: str) -> Path:
    path = Path(given).expanduser()
    return path if path.is_absolute() else config_path.parent / path


def _names(keys: set[str]) -> str:
    return ", ".join(repr(k) for k in sorted(keys))


def cron_problem(expression: str) -> str | None:
    """Why `expression` is not a valid five-field cron schedule, or None when it is."""
    text = expression.strip()
    if text.lower() in CRON_MACROS:
        return None
    fields = text.split()
    if len(fields) != len(_CRON_FIELDS):
        return f"a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got {len(fields)}"
    for value, (name, low, high, names) in zip(fields, _CRON_FIELDS):
        for item in value.split(","):
            problem = _cron_item_problem(item, low, high, names)
            if problem:
                return f"{name} field {value!r}: {problem}"
    return _prefect_cron_problem(text)


def _cron_item_problem(item: str, low: int, high: int, names: list[str]) -> str | None:
    match = _CRON_ITEM.match(item)
    if not match:
        return f"{item!r} is not a number, name, range, list or step"
    if match["step"] is not None and int(match["step"]) == 0:
        return "a step of 0 never advances"
    if match["range"] == "*":
        return None
    bounds = []
    for part in match["range"].split("-"):
        number = int(part) if part.isdigit() else (names.index(part.upper()) + low if part.upper() in names else None)
        if number is None:
            return f"{part!r} is not a number or a known name"
        if not low <= number <= high:
            return f"{number} is outside {low}-{high}"
        bounds.append(number)
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        return f"range {item!r} runs backwards"
    return None


def _prefect_cron_problem(text: str) -> str | None:
    """Prefect's own check, so what passes here also deploys (imported late: Prefect is slow to import)."""
    try:
        from prefect.client.schemas.schedules import CronSchedule
    except ImportError:
        return None
    try:
        CronSchedule(cron=text)
    except ValueError as exc:
        return f"Prefect rejects it ({exc})"
    return None
