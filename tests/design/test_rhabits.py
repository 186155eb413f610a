"""R habits read from the formula text: ``y ~ .`` and ``offset(z)`` (design/rhabits.py)."""

from __future__ import annotations

import pytest

from logitstats.design.rhabits import expand_dot, offset_term
from logitstats.errors import FormulaError


def test_dot_is_every_other_column_in_column_order():
    cols = ["y", "a", "b c", "w"]
    assert expand_dot("y ~ .", cols, exclude={"w"}) == "y ~ (a + Q('b c'))"
    assert expand_dot("y ~ . - a", cols, exclude=set()) == "y ~ (a + Q('b c') + w) - a"
    assert expand_dot("y ~ np.log(a)", cols, exclude=set()) == "y ~ np.log(a)"  # no '.' term


def test_dot_without_other_columns_is_refused():
    with pytest.raises(FormulaError, match=r"stands for every other column of data, but there is"):
        expand_dot("y ~ .", ["y"], exclude=set())


@pytest.mark.parametrize(
    ("code", "column"),
    [("offset(z)", "z"), ("offset(Q('log z'))", "log z"), ("np.log(z)", None), ("offset(", None)],
)
def test_offset_term_reads_one_column(code, column):
    assert offset_term(code) == column
