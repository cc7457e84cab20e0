"""The tolerance helper itself: it must fail on real differences, or the tests that use it prove nothing."""

from __future__ import annotations

import pytest

from tests.numeric import assert_close_tree


def test_floats_within_tolerance_pass_and_beyond_fail() -> None:
    assert_close_tree({"p": [0.06338571841432292]}, {"p": [0.06338571841540432]}, abs_tol=1e-6)
    with pytest.raises(AssertionError, match=r"value\.p\[0\]"):
        assert_close_tree({"p": [0.0634]}, {"p": [0.0644]}, abs_tol=1e-6)


def test_counts_strings_and_keys_must_match_exactly() -> None:
    with pytest.raises(AssertionError):
        assert_close_tree({"n": 81}, {"n": 80}, abs_tol=1e-6)
    with pytest.raises(AssertionError):
        assert_close_tree({"label": "neither"}, {"label": "direct_fund"}, abs_tol=1.0)
    with pytest.raises(AssertionError):
        assert_close_tree({"a": 1.0}, {"b": 1.0}, abs_tol=1.0)
    with pytest.raises(AssertionError):
        assert_close_tree([1.0, 2.0], [1.0], abs_tol=1.0)
