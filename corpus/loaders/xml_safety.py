"""Parsing XML (feeds, sitemaps) with entity declarations and external references refused."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from corpus.document import LoadError

DEFAULT_MAX_XML_BYTES = 50 * 1024 * 1024


def _what(exc: DefusedXmlException) -> str:
    name = getattr(exc, "name", None)
    return f"{type(exc).__name__} '{name}'" if name else type(exc).__name__


def parse_xml_safely(data: bytes, max_bytes: int = DEFAULT_MAX_XML_BYTES) -> Element:
    """The root element of `data`; raises LoadError 'unsafe_xml', 'corrupt_xml', 'empty' or 'too_large'.

    Entity declarations (billion laughs, quadratic blow-up) and external entities or DTDs are
    refused outright rather than expanded; a DOCTYPE with neither is allowed, as RSS 0.91 has one.
    """
    if not data.strip():
        raise LoadError("empty", "the XML document has no content")
    if len(data) > max_bytes:
        raise LoadError("too_large", f"the XML document is {len(data):,} bytes, more than the limit of {max_bytes:,}")
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise LoadError(
            "unsafe_xml",
            f"the XML declares an entity or external reference ({_what(exc)}), refused so that entity "
            "expansion (billion laughs) or external fetches (XXE) cannot run; ask the publisher for plain XML",
        ) from exc
    except (ParseError, ValueError) as exc:
        raise LoadError("corrupt_xml", f"the XML is not well-formed ({exc})") from exc
