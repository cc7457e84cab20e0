"""Web pages: main content only, encodings from BOM, <meta> or guessing, paragraph breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.loaders import LoadError, load_bytes, load_path

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "loaders"


def test_boilerplate_dropped_and_paragraphs_separated() -> None:
    doc = load_path(FIXTURES / "boilerplate.html")
    assert doc.kind == "html"
    assert doc.text == (
        "Joint call with Korea on battery research\n\n"
        "The agency and its partner in Korea open a bilateral call. Each agency funds its own "
        "researchers, and projects must reach TRL 4 by the end of the grant.\n\n"
        "Consortia need at least one partner from each country. Up to twelve projects will be "
        "funded for three years, and each agency reviews the proposals of its own applicants "
        "before a joint panel meets.\n\n"
        "Deadline: 3 March 2025\n\n"
        "Budget: EUR 2 million per side"
    )
    assert doc.title == "Joint call with Korea on battery research"


@pytest.mark.parametrize(
    "boilerplate",
    ["Deutschland", "España", "日本", "cookies", "Norway", "Brazil", "Chile", "Offices in Germany", "About us"],
)
def test_no_navigation_banner_sidebar_or_footer_words(boilerplate: str) -> None:
    doc = load_path(FIXTURES / "boilerplate.html")
    assert boilerplate not in doc.text


def test_html_named_txt_is_read_as_html() -> None:
    doc = load_bytes((FIXTURES / "boilerplate.html").read_bytes(), "saved.txt")
    assert doc.kind == "html"
    assert doc.text.startswith("Joint call with Korea on battery research\n\nThe agency")


def test_shift_jis_page_with_meta_charset() -> None:
    doc = load_path(FIXTURES / "shift_jis.html")
    assert doc.encoding == "cp932"
    assert doc.text == (
        "日英共同公募のお知らせ\n\n"
        "日本の研究者は科学技術振興機構から資金を受け、英国の研究者は自国の機関から資金を受けます。 "
        "各機関が自国の研究者のみを支援するマッチングファンド方式です。\n\n"
        "技術成熟度はTRL 4からTRL 6を想定しています。応募の締切は六月三十日です。"
    )
    assert "ドイツ" not in doc.text and "ホーム" not in doc.text


def test_cp1252_page_without_declared_charset() -> None:
    doc = load_path(FIXTURES / "cp1252.html")
    assert doc.encoding == "cp1252"
    assert doc.text == (
        "Appel conjoint franco-allemand\n\n"
        "Chaque agence finance ses propres \u00e9quipes : l\u2019agence fran\u00e7aise paie les laboratoires "
        "en France et son homologue paie les \u00e9quipes allemandes. Le budget total atteint "
        "4 millions d\u2019\u20ac.\n\n"
        "Les projets d\u00e9butent \u00e0 un niveau de maturit\u00e9 TRL 2 et visent un "
        "d\u00e9monstrateur \u00ab r\u00e9aliste \u00bb \u00e0 la fin."
    )
    assert "Accueil" not in doc.text


def test_utf8_bom_overrides_wrong_meta_charset() -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Appel</title></head><body><article>'
        "<h1>Appel franco-japonais</h1><p>Les \u00e9quipes japonaises sont financ\u00e9es par la JST "
        "et les \u00e9quipes fran\u00e7aises par l\u2019ANR, chacune selon ses r\u00e8gles.</p>"
        "</article></body></html>"
    )
    doc = load_bytes(b"\xef\xbb\xbf" + page.encode("utf-8"), "appel.html")
    assert doc.encoding == "utf-8"
    assert doc.text == (
        "Appel franco-japonais\n\nLes \u00e9quipes japonaises sont financ\u00e9es par la JST et les "
        "\u00e9quipes fran\u00e7aises par l\u2019ANR, chacune selon ses r\u00e8gles."
    )


def test_utf8_bytes_win_over_a_stale_latin1_declaration() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
        "<body><article><h1>Appel franco-japonais</h1><p>Les \u00e9quipes fran\u00e7aises sont "
        "financ\u00e9es par l\u2019ANR et les \u00e9quipes japonaises par la JST.</p></article></body></html>"
    )
    doc = load_bytes(page.encode("utf-8"), "appel.html")
    assert doc.encoding == "utf-8"
    assert doc.text == (
        "Appel franco-japonais\n\nLes \u00e9quipes fran\u00e7aises sont financ\u00e9es par "
        "l\u2019ANR et les \u00e9quipes japonaises par la JST."
    )


def test_table_rows_become_paragraphs() -> None:
    page = (
        "<html><body><article><h1>Partner agencies of the joint call</h1>"
        "<p>The following agencies fund their own national teams in this call.</p>"
        "<table><tr><td>Japan</td><td>JST</td></tr><tr><td>Korea</td><td>NRF</td></tr></table>"
        "</article></body></html>"
    )
    doc = load_bytes(page.encode(), "t.html")
    assert doc.text == (
        "Partner agencies of the joint call\n\n"
        "The following agencies fund their own national teams in this call.\n\n"
        "Japan | JST\n\nKorea | NRF"
    )


def test_navigation_only_page_is_empty() -> None:
    with pytest.raises(LoadError) as caught:
        load_path(FIXTURES / "nav_only.html")
    assert caught.value.error_type == "empty"
    assert "main content" in caught.value.message
