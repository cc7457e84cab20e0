"""Loading web pages: decode, keep only the main content with trafilatura, one paragraph per block."""

from __future__ import annotations

import re
from configparser import ConfigParser

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import use_config

from corpus.document import LoadError
from corpus.loaders.decoding import bom_encoding, decode_bytes
from corpus.loaders.extracted import Extracted
from corpus.loaders.limits import Limits, check_decoded_size
from corpus.loaders.whitespace import collapse_spaces

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# A DOCTYPE, with any internal subset: the HTML parser would show "]>" and entity text as content.
_DOCTYPE = re.compile(r"<!doctype[^\[>]*(\[.*?\]\s*)?>", re.I | re.S)
# trafilatura's output elements that are blocks of their own; everything else is inline.
_CONTAINERS = {"list", "table", "row", "quote", "div", "body"}
_BLOCKS = {"p", "head", "item", "cell", "code"}
# trafilatura replaces a main-content result shorter than 250 characters with a whole-page
# fallback that keeps navigation; short calls and Japanese pages need a lower bar.
MIN_MAIN_CONTENT_CHARS = 40
# Page furniture removed before extraction, so that trafilatura's whole-page fallback cannot
# return a menu or footer as if it were content.
_FURNITURE = ["//nav", "//footer", "//aside"]


def _extraction_config() -> ConfigParser:
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_MAIN_CONTENT_CHARS))
    return config


_CONFIG = _extraction_config()


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first 4 KB."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _inline_text(element: etree._Element) -> str:
    """Text of `element` without its nested block children; <lb/> counts as a space."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in _BLOCKS or child.tag in _CONTAINERS or child.tag == "lb":
            parts.append(" ")
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return collapse_spaces("".join(parts))


def _blocks(element: etree._Element, out: list[str]) -> None:
    """Append the paragraphs under `element` to `out`, in document order."""
    if element.tag == "row":
        cells = [_inline_text(cell) for cell in element if cell.tag == "cell"]
        line = " | ".join(c for c in cells if c)
        if line:
            out.append(line)
        return
    if element.tag not in _CONTAINERS:
        text = _inline_text(element)
        if text:
            out.append(text)
    elif element.text and element.text.strip():
        out.append(collapse_spaces(element.text))
    for child in element:
        if child.tag in _BLOCKS or child.tag in _CONTAINERS:
            _blocks(child, out)
        if element.tag in _CONTAINERS and child.tail and child.tail.strip():
            out.append(collapse_spaces(child.tail))


def _page_title(markup: str) -> str | None:
    match = _TITLE.search(markup)
    if not match:
        return None
    return collapse_spaces(re.sub(r"<[^>]+>", " ", match.group(1))) or None


def load_html(data: bytes, limits: Limits | None = None) -> Extracted:
    """Decode `data` as HTML and keep its main content as '\\n\\n'-separated paragraphs."""
    declared = None if bom_encoding(data) else declared_charset(data)
    decoded = decode_bytes(data, declared)
    check_decoded_size(len(decoded.text), limits or Limits())
    # lxml refuses str input that still carries an XML encoding declaration.
    markup = _XML_DECLARATION.sub("", decoded.text.lstrip("\ufeff"), count=1)
    markup = _DOCTYPE.sub("", markup, count=1)
    result = bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        config=_CONFIG,
        prune_xpath=_FURNITURE,
    )
    paragraphs: list[str] = []
    if result is not None and result.body is not None:
        _blocks(result.body, paragraphs)
    if not paragraphs:
        raise LoadError("empty", "no main content found in the HTML page (only navigation, boilerplate or nothing)")
    title = collapse_spaces(result.title) if result.title else None
    text = "\n\n".join(paragraphs).replace("\u00ad", "")
    return Extracted(text=text, title=title or _page_title(markup), encoding=decoded.encoding)
