"""Parsing XML (feeds, sitemaps) with entity declarations and external references refused.

Built on the standard library's expat, with every entity-declaration and external-reference
hook set to refuse, so no new dependency is needed: a "billion laughs" or quadratic blow-up
needs an entity declaration, and an XXE attack needs an external entity, so neither can run.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from corpus.document import LoadError

DEFAULT_MAX_XML_BYTES = 50 * 1024 * 1024


class _Refused(Exception):
    """Raised from inside expat when the document declares or references an entity."""


def _refuse_entity(name: str, is_parameter: int, value: str | None, base: str | None,
                   system_id: str | None, public_id: str | None, notation: str | None) -> None:
    kind = "a parameter entity" if is_parameter else "an entity"
    source = f" from {system_id}" if system_id else ""
    raise _Refused(f"{kind} '{name}'{source}")


def _refuse_unparsed(name: str, base: str | None, system_id: str | None,
                     public_id: str | None, notation: str | None) -> None:
    raise _Refused(f"an unparsed entity '{name}'")


def _refuse_external(context: str | None, base: str | None, system_id: str | None, public_id: str | None) -> int:
    raise _Refused(f"an external reference to {system_id}")


def _qualified(name: str) -> str:
    """expat's 'uri}local' as ElementTree's '{uri}local'."""
    return "{" + name if "}" in name else name


def _parser(builder: TreeBuilder) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = lambda name, attrs: builder.start(
        _qualified(name), {_qualified(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_qualified(name))
    parser.CharacterDataHandler = builder.data
    return parser


def parse_xml_safely(data: bytes, max_bytes: int = DEFAULT_MAX_XML_BYTES) -> Element:
    """The root element of `data`; raises LoadError 'unsafe_xml', 'corrupt_xml', 'empty' or 'too_large'.

    A DOCTYPE without entity declarations is allowed (RSS 0.91 feeds carry one); its external
    DTD is never fetched.
    """
    if not data.strip():
        raise LoadError("empty", "the XML document has no content")
    if len(data) > max_bytes:
        raise LoadError("too_large", f"the XML document is {len(data):,} bytes, more than the limit of {max_bytes:,}")
    builder = TreeBuilder()
    try:
        _parser(builder).Parse(data, True)
        return builder.close()
    except _Refused as exc:
        raise LoadError(
            "unsafe_xml",
            f"the XML declares {exc}, refused so that entity expansion (billion laughs) or "
            "external fetches (XXE) cannot run; ask the publisher for XML without a DTD",
        ) from exc
    except (expat.ExpatError, AssertionError) as exc:
        # TreeBuilder asserts on mismatched ends that expat already rejects; kept for safety
        raise LoadError("corrupt_xml", f"the XML is not well-formed ({exc})") from exc
