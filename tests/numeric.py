"""Comparing computed numbers across machines: floats within a stated tolerance, everything else exactly."""

from __future__ import annotations

import math
from typing import Any


def assert_close_tree(actual: Any, expected: Any, *, abs_tol: float, where: str = "") -> None:
    """Walk two JSON-like trees together; floats may differ by `abs_tol`, ints, strings and keys may not."""
    here = where or "value"
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{here}: expected a mapping, got {type(actual).__name__}"
        assert sorted(actual) == sorted(expected), f"{here}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            assert_close_tree(actual[key], expected[key], abs_tol=abs_tol, where=f"{here}.{key}")
    elif isinstance(expected, (list, tuple)):
        assert isinstance(actual, (list, tuple)), f"{here}: expected a sequence, got {type(actual).__name__}"
        assert len(actual) == len(expected), f"{here}: length {len(actual)} != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close_tree(a, e, abs_tol=abs_tol, where=f"{here}[{i}]")
    elif isinstance(expected, float) or isinstance(actual, float):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{here}: {actual!r} is not a number"
        assert math.isclose(actual, expected, rel_tol=0.0, abs_tol=abs_tol), (
            f"{here}: {actual!r} differs from {expected!r} by more than {abs_tol}"
        )
    else:
        assert actual == expected, f"{here}: {actual!r} != {expected!r}"
