"""Mentions rows, the shared pipeline, serialisation of each component, config overrides and the HTML view."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import spacy

from extractors import pipeline
from extractors.display import COLOURS, render_html
from extractors.mentions import Mention, doc_mentions

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / ".." / "shared" / "seeds" / "japan-bold-approach.txt"
ALT = REPO / "tests" / "data" / "extractors"
SAMPLE = "Japan's JST opened a joint call. Projects need at least TRL 5. UKRI funds UK teams under matching funds."


def test_doc_mentions_rows_in_reading_order(nlp):
    rows = doc_mentions(nlp(SAMPLE))
    assert [(m.label, m.value, m.text, m.start, m.end) for m in rows] == [
        ("country", "JPN", "Japan", 0, 5),
        ("agency", "JST", "JST", 8, 11),
        ("scheme", "joint_call", "joint call", 21, 31),
        ("trl", "5-9", "at least TRL 5", 47, 61),
        ("agency", "UKRI", "UKRI", 63, 67),
        ("country", "GBR", "UK", 74, 76),
        ("scheme", "matching_fund", "matching funds", 89, 103),
    ]
    trl = rows[3]
    assert (trl.trl_min, trl.trl_max, trl.sentence) == (5, 9, "Projects need at least TRL 5.")
    assert rows[0].sentence == "Japan's JST opened a joint call."
    assert rows[1].attrs == {"agency_country": "JPN"}
    assert rows[0].attrs == {} and rows[0].trl_min is None


def test_offsets_round_trip_on_the_seed_letter(nlp):
    text = SEED.read_text(encoding="utf-8")
    rows = doc_mentions(nlp(text))
    assert all(text[m.start:m.end] == m.text for m in rows)
    assert all(m.text in m.sentence for m in rows)
    labels = {(m.label, m.value) for m in rows}
    assert {("country", "JPN"), ("country", "GBR"), ("country", "FRA"), ("country", "DEU"),
            ("agency", "JST"), ("agency", "JSPS"),
            ("trl", "1-3"), ("trl", "4-6"), ("trl", "7-9"),
            ("scheme", "matching_fund"), ("scheme", "direct_fund")} == labels
    assert not any(m.text in {"London", "Shinjuku", "Waseda"} for m in rows)


def test_mention_is_a_plain_dataclass():
    m = Mention("trl", "4-6", "TRL 4-6", 3, 10, "A TRL 4-6 call.", 4, 6)
    assert (m.attrs, m.trl_min, m.trl_max) == ({}, 4, 6)


def test_get_nlp_builds_once_under_threads(monkeypatch):
    monkeypatch.setattr(pipeline, "_shared", None)
    results: list[object] = []
    start = threading.Barrier(6)

    def worker() -> None:
        start.wait()
        results.append(pipeline.get_nlp())

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6 and len({id(r) for r in results}) == 1
    shared = results[0]
    with_facts = ["facts"] if pipeline.facts is not None else []  # facts is left out when its libraries are missing
    assert shared.pipe_names == ["sentencizer", "paragraphs", "country", "agency", "trl", "scheme", "funding_evidence", *with_facts]
    doc = shared("TRL 4 in Japan")
    assert [s.text for s in doc.spans["trl"]] == ["TRL 4"]


def test_unknown_override_is_refused():
    with pytest.raises(ValueError):
        pipeline.build_nlp(countries={"patterns_path": "x"})


@pytest.mark.parametrize("name", ["country", "agency", "trl", "scheme"])
def test_component_to_disk_from_disk_round_trip(nlp, tmp_path, name):
    original = nlp.get_pipe(name)
    original.to_disk(tmp_path / name)
    fresh_nlp = spacy.blank("en")
    fresh_nlp.add_pipe("sentencizer")
    for other, factory in pipeline.COMPONENTS.items():
        fresh_nlp.add_pipe(factory, name=other)
    fresh = fresh_nlp.get_pipe(name)
    assert fresh.patterns == []
    fresh.from_disk(tmp_path / name)
    assert fresh.patterns == original.patterns
    if name == "scheme":  # the scheme context check reads country spans
        fresh_nlp.get_pipe("country").from_disk(_dump(nlp, "country", tmp_path))
    a, b = nlp(SAMPLE), fresh_nlp(SAMPLE)
    assert [(s.start_char, s.end_char, s._.value) for s in b.spans[name]] == [
        (s.start_char, s.end_char, s._.value) for s in a.spans[name]
    ]
    assert len(a.spans[name]) >= 1


def _dump(nlp, name: str, tmp_path: Path) -> Path:
    target = tmp_path / f"{name}-dump"
    nlp.get_pipe(name).to_disk(target)
    return target


def test_whole_pipeline_saves_and_loads(nlp, tmp_path):
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    rows = [(m.label, m.value, m.start, m.end) for m in doc_mentions(loaded(SAMPLE))]
    assert rows == [(m.label, m.value, m.start, m.end) for m in doc_mentions(nlp(SAMPLE))]


def test_config_paths_change_what_is_found():
    alt = pipeline.build_nlp(
        country={"patterns_path": str(ALT / "country_alt.jsonl"), "use_pycountry": False},
        agency={"patterns_path": str(ALT / "agency_alt.jsonl")},
        trl={"patterns_path": str(ALT / "trl_alt.jsonl")},
        scheme={"patterns_path": str(ALT / "scheme_alt.jsonl")},
    )
    doc = alt("Ruritanian firms and ACME in Japan join the twinning call, not a joint call, at least TRL 5.")
    assert [(s.text, s.start_char, s._.value) for s in doc.spans["country"]] == [("Ruritanian", 0, "RUR")]
    assert [(s.text, s.start_char, s._.agency_country) for s in doc.spans["agency"]] == [("ACME", 21, "RUR")]
    assert [(s.text, s.start_char, s._.value) for s in doc.spans["scheme"]] == [("twinning call", 44, "joint_call")]
    # the reduced TRL rules know no "at least": the level is read as exact
    assert [(s.text, s.start_char, s._.value) for s in doc.spans["trl"]] == [("TRL 5", 86, "5-5")]


def test_render_html_marks_each_mention(nlp):
    rows = doc_mentions(nlp(SAMPLE))
    html = render_html(SAMPLE, rows, title="Sample call")
    assert "Sample call" in html
    for label in ("country", "agency", "scheme", "trl"):
        assert label.upper() in html.upper()
        assert COLOURS[label] in html
    for value in ("JPN", "JST", "joint_call", "5-9", "matching_fund"):
        assert value in html
    assert len(set(COLOURS.values())) == len(COLOURS)


def test_a_blank_line_ends_a_sentence():
    doc = pipeline.get_nlp()("Taiwan to fund partners directly\n\nTAIPEI, 8 June 2026\n \nNSTC will pay. Next one.\nSame line")
    assert [s.text.strip() for s in doc.sents] == ["Taiwan to fund partners directly", "TAIPEI, 8 June 2026",
                                                   "NSTC will pay.", "Next one.", "Same line"]
