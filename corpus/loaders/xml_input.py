"""XML inputs that are not web pages (feeds, sitemaps): checked safely, then refused with a reason."""

from __future__ import annotations

from typing import NoReturn

from corpus.document import LoadError
from corpus.loaders.limits import Limits
from corpus.loaders.xml_safety import parse_xml_safely


def refuse_xml(data: bytes, limits: Limits) -> NoReturn:
    """Raise the LoadError for an XML input: unsafe, malformed, or a well-formed but unsupported kind."""
    root = parse_xml_safely(data, max_bytes=limits.max_bytes)
    tag = root.tag.rsplit("}", 1)[-1]
    raise LoadError(
        "unsupported_type",
        f"content is an XML document with root <{tag}> (a feed, sitemap or data file), not PDF, HTML or text; "
        "give feeds and sitemaps to the fetcher, which follows their links",
    )
