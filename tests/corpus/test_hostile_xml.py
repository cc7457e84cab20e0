"""parse_xml_safely: feeds parse, entity tricks and malformed XML become typed LoadErrors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from corpus.loaders import LoadError, load_bytes
from corpus.loaders.xml_safety import parse_xml_safely

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"


def _error(data: bytes, **kwargs: int) -> LoadError:
    with pytest.raises(LoadError) as caught:
        parse_xml_safely(data, **kwargs)
    return caught.value


def test_feed_with_public_doctype_parses() -> None:
    # RSS 0.91 feeds carry an external DTD reference; it is neither fetched nor refused
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b'<rss version="0.91"><channel><title>Calls</title>'
        b"<item><title>Joint call with Chile</title><link>https://example.org/c</link></item>"
        b"</channel></rss>"
    )
    root = parse_xml_safely(data)
    assert root.tag == "rss"
    assert [item.findtext("title") for item in root.iter("item")] == ["Joint call with Chile"]


def test_atom_namespace_is_kept() -> None:
    root = parse_xml_safely(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title></entry></feed>')
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"


def test_billion_laughs_is_refused_without_expanding() -> None:
    started = time.monotonic()
    error = _error((HOSTILE / "billion_laughs.rss").read_bytes())
    # expanding it would take minutes and gigabytes; refusing takes milliseconds. 10 s only guards
    # against expansion, and leaves room for a loaded CI machine.
    assert time.monotonic() - started < 10.0
    assert error.error_type == "unsafe_xml" and "'lol0'" in error.message


def test_quadratic_blowup_is_refused() -> None:
    # one 50 kB entity referenced 50,000 times would make 2.5 GB of text
    entity = b"a" * 50_000
    data = b'<!DOCTYPE r [<!ENTITY big "' + entity + b'">]><r>' + b"&big;" * 50_000 + b"</r>"
    assert _error(data).error_type == "unsafe_xml"


def test_external_and_parameter_entities_are_refused() -> None:
    assert _error((HOSTILE / "external_entity.xml").read_bytes()).error_type == "unsafe_xml"
    remote = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]><r/>'
    assert _error(remote).error_type == "unsafe_xml"


@pytest.mark.parametrize(
    "data",
    [b"<rss><channel></rss>", b"<r>&undefined;</r>", b"plain words, not markup", b"<a></a><b></b>"],
)
def test_malformed_xml_is_corrupt(data: bytes) -> None:
    assert _error(data).error_type == "corrupt_xml"


def test_empty_and_oversized() -> None:
    assert _error(b"  \n").error_type == "empty"
    error = _error(b"<r>" + b"x" * 100 + b"</r>", max_bytes=50)
    assert error.error_type == "too_large" and "107 bytes" in error.message


def test_loader_refuses_xml_inputs_after_a_safe_parse() -> None:
    with pytest.raises(LoadError) as caught:
        load_bytes(b'<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>', "s.xml")
    assert caught.value.error_type == "unsupported_type" and "<urlset>" in caught.value.message


def test_xhtml_with_entity_declarations_is_read_as_html_without_expansion() -> None:
    page = (
        b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<html><head><title>Call</title></head><body><main><p>Each agency funds its own teams. &b;</p>"
        b"</main></body></html>"
    )
    doc = load_bytes(page, "call.xhtml")
    assert doc.kind == "html" and "aaaaaaaaaa" not in doc.text
    assert doc.text.startswith("Each agency funds its own teams.")
