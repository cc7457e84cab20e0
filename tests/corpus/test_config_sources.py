"""The sources file: the shipped example, each kind, and the errors a user can make."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.config import ConfigError, Source, cron_problem, load_sources, parse_sources
from corpus.fetch import FetchSettings

REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_example_parses_to_what_it_says() -> None:
    config = load_sources(REPO / "fundscope.example.toml")
    assert [s.name for s in config.sources] == ["shared-drive", "jst-programmes", "agency-news", "council-calls"]
    drive = config.source("shared-drive")
    assert drive.kind == "path"
    assert drive.paths == (str(Path.home() / "funding-calls"), str(REPO / "inbox" / "letters"))
    assert drive.include == ("*.pdf", "*.html", "*.txt", "*.md")
    assert drive.exclude == ("drafts/*", "*~")
    assert (drive.schedule, drive.timezone) == (None, "UTC")
    jst = config.source("jst-programmes")
    assert jst.urls == (
        "https://www.jst.go.jp/inter/english/program/index.html",
        "https://www.jst.go.jp/inter/english/sicorp/index.html",
    )
    assert (jst.schedule, jst.timezone) == ("0 7 * * MON", "Asia/Tokyo")
    assert config.source("agency-news").feed == "https://www.example.org/news/feed.rss"
    calls = config.source("council-calls")
    assert (calls.sitemap, calls.url_pattern, calls.schedule) == (
        "https://www.example.org/sitemap.xml",
        "/(en/)?calls?/",
        "@daily",
    )
    assert config.fetch == FetchSettings()


def test_fetch_table_overrides_defaults(tmp_path: Path) -> None:
    text = '[fetch]\ntimeout_seconds = 5\nmax_redirects = 0\n\n[sources.a]\nkind = "urls"\nurls = "https://a.example.org/"\n'
    config = parse_sources(text, tmp_path / "fundscope.toml")
    assert config.fetch == FetchSettings(timeout_seconds=5.0, max_redirects=0)
    assert config.sources == [Source(name="a", kind="urls", urls=("https://a.example.org/",))]


def test_path_globs_select_files() -> None:
    source = Source(name="d", kind="path", paths=("/data",), include=("*.pdf", "*.html"), exclude=("drafts/*",))
    assert source.selects("calls/jst-2026.pdf") is True
    assert source.selects("index.html") is True
    assert source.selects("notes.txt") is False
    assert source.selects("drafts/jst-2026.pdf") is False
    assert Source(name="all", kind="path", paths=("/data",)).selects("any/thing.bin") is True


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('[sources.a]\nkind = "rss"\nfeed = "https://a.example.org/f"', "source 'a': unknown kind 'rss' (expected one of path, urls, feed, sitemap)"),
        ('[sources.a]\nfeed = "https://a.example.org/f"', "source 'a': missing field 'kind'"),
        ('[sources.a]\nkind = "feed"', "source 'a': missing field 'feed' for kind 'feed'"),
        ('[sources.a]\nkind = "urls"\nurls = []', "source 'a': 'urls' is empty"),
        ('[sources.a]\nkind = "urls"\nurls = ["ftp://a.example.org/x"]', "source 'a': 'urls' entry 'ftp://a.example.org/x' is not an http(s) URL"),
        ('[sources.a]\nkind = "feed"\nfeed = "https://a.example.org/f"\nurl_pattern = "x"', "source 'a': unknown field 'url_pattern' for kind 'feed'"),
        ('[sources.a]\nkind = "sitemap"\nsitemap = "https://a.example.org/s.xml"\nurl_pattern = "calls("', "source 'a': url_pattern 'calls(' is not a valid regular expression"),
        ('[sources.a]\nkind = "path"\npaths = ["x"]\ntimezone = "Europe/Paris"', "source 'a': 'timezone' is given without a 'schedule'"),
        ('[sources.a]\nkind = "path"\npaths = ["x"]\nschedule = "@daily"\ntimezone = "Mars/Olympus"', "source 'a': unknown timezone 'Mars/Olympus'"),
        ('[sources."a b"]\nkind = "path"\npaths = ["x"]', "source 'a b': a name uses only letters"),
        ('[source.a]\nkind = "path"\npaths = ["x"]', "unknown top-level table or key 'source'"),
        ("", "no sources defined"),
        ('[sources.a\nkind = "path"', "not valid TOML"),
        ('[fetch]\nmax_bytes = "big"\n[sources.a]\nkind = "path"\npaths = ["x"]', "[fetch]: max_bytes must be an integer"),
    ],
)
def test_errors_name_the_file_the_source_and_the_problem(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "fundscope.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)


def test_bad_cron_is_reported_with_the_field(tmp_path: Path) -> None:
    text = '[sources.weekly]\nkind = "urls"\nurls = ["https://a.example.org/"]\nschedule = "0 25 * * MON"\n'
    with pytest.raises(ConfigError) as caught:
        parse_sources(text, tmp_path / "fundscope.toml")
    assert str(caught.value) == (
        f"{tmp_path / 'fundscope.toml'}: source 'weekly': bad cron schedule '0 25 * * MON': hour field '25': 25 is outside 0-23"
    )


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nothing.toml: sources file not found"):
        load_sources(tmp_path / "nothing.toml")


@pytest.mark.parametrize(
    "expression", ["0 6 * * 1", "*/15 8-18 * * MON-FRI", "30 2 1,15 JAN,JUL *", "0 0 * * 7", "@weekly", "5 4 */2 * sun"]
)
def test_cron_accepts(expression: str) -> None:
    assert cron_problem(expression) is None


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("0 6 * *", "a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got 4"),
        ("60 * * * *", "minute field '60': 60 is outside 0-59"),
        ("0 0 0 * *", "day of month field '0': 0 is outside 1-31"),
        ("0 0 * 13 *", "month field '13': 13 is outside 1-12"),
        ("0 0 * * FUN", "day of week field 'FUN': 'FUN' is not a number or a known name"),
        ("*/0 * * * *", "minute field '*/0': a step of 0 never advances"),
        ("0 18-8 * * *", "hour field '18-8': range '18-8' runs backwards"),
        ("0 9 * * MON;", "day of week field 'MON;': 'MON;' is not a number, name, range, list or step"),
        ("@sometimes", "a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got 1"),
    ],
)
def test_cron_rejects_with_a_reason(expression: str, problem: str) -> None:
    assert cron_problem(expression) == problem
