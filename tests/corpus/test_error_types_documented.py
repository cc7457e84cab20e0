"""Every error type the loaders and the flow can write is documented in the README's table."""

from __future__ import annotations

import re
from pathlib import Path

from corpus.document import ERROR_TYPES

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_lists_exactly_the_error_types() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## What happens to bad input", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M))
    assert documented == set(ERROR_TYPES)
