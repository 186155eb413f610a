"""Honest dtypes (issue 12, part 5): numbers are numbers, what cannot be used honestly is refused.

Expected matrices come from the same data given as float64 (the conversion must be exact), or by
hand; every refusal is pinned by its message (it names the column, what was expected and got).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

import logitstats as ls
from logitstats.design.build import build_design
from logitstats.errors import DataError


def _X(formula: str, data) -> np.ndarray:
    return build_design(formula, data, kind="binary").X


@pytest.fixture()
def base() -> pd.DataFrame:
    rng = np.random.default_rng(20261201)
    n = 40
    return pd.DataFrame({"y": rng.integers(0, 2, n), "x": rng.integers(-50, 50, n).astype(float)})


def test_object_column_of_numbers_is_numeric(base):
    # before: one dummy per distinct value (a factor); now one column, equal to the float data
    obj = base.assign(x=base["x"].astype(object))
    X = _X("y ~ x", obj)
    assert X.shape[1] == 2
    assert_array_equal(X, _X("y ~ x", base))


def test_object_column_of_python_ints(base):
    obj = base.assign(x=[int(v) for v in base["x"]])
    obj["x"] = obj["x"].astype(object)
    assert_array_equal(_X("y ~ x", obj), _X("y ~ x", base))


def test_decimal_column_is_numeric_when_exact(base):
    dec = base.assign(x=[Decimal(repr(v)) for v in base["x"] / 4])  # quarters: exact in binary
    assert_array_equal(_X("y ~ x", dec), _X("y ~ x", base.assign(x=base["x"] / 4)))
    # SQL's NUMERIC(4, 1): '0.1' is the shortest repr of the float 0.1, so nothing is lost
    tenths = [Decimal(f"{k % 7}.{k % 10}") for k in range(len(base))]
    expected = np.array([float(f"{k % 7}.{k % 10}") for k in range(len(base))])
    assert_array_equal(_X("y ~ x", base.assign(x=tenths))[:, 1], expected)


def test_decimal_that_loses_precision_is_refused(base):
    dec = base.assign(x=[Decimal("0.1000000000000000000001")] * len(base))
    with pytest.raises(
        DataError,
        match=r"column 'x' holds Decimal\('0\.1000000000000000000001'\)"
        r", which float64 cannot hold exactly.*Round or rescale",
    ):
        _X("y ~ x", dec)


def test_python_ints_beyond_int64_are_refused(base):
    big = base.assign(x=pd.Series([2**70 + i for i in range(len(base))], dtype=object))
    with pytest.raises(
        DataError,
        match=r"column 'x' holds integers of magnitude up to \d+; "
        r"expected numbers within the int64 range",
    ):
        _X("y ~ x", big)


def test_int64_beyond_2_53_refused_as_numeric_term_but_fine_as_factor(base):
    ids = base.assign(x=(2**60 + np.arange(len(base)) % 3).astype(np.int64))
    with pytest.raises(
        DataError,
        match=r"'x' holds integers of magnitude up to \d+; expected at "
        r"most 2\*\*53 .*use C\(x\)",
    ):
        _X("y ~ x", ids)
    # as identifiers (a factor) nothing is rounded: three levels, two dummies
    assert _X("y ~ C(x)", ids).shape[1] == 3


def test_mixed_numbers_and_text_refused(base):
    mixed = base.assign(x=pd.Series([1, "a"] * (len(base) // 2), dtype=object))
    with pytest.raises(
        DataError,
        match=r"column 'x' mixes numbers and other values \(e\.g\. 1 "
        r"and 'a'\); expected one type per column",
    ):
        _X("y ~ x", mixed)


def test_complex_refused(base):
    with pytest.raises(
        DataError,
        match=r"column 'x' holds complex numbers \(complex128\); "
        r"expected real numbers",
    ):
        _X("y ~ x", base.assign(x=base["x"] + 1j))


def test_timedelta_refused_with_unit_advice(base):
    td = base.assign(x=pd.to_timedelta(base["x"].abs(), unit="h"))
    with pytest.raises(
        DataError,
        match=r"column 'x' holds durations \(timedelta64\[[nu]s\]\); "
        r"expected numbers or categories.*total_seconds\(\) / 3600",
    ):
        _X("y ~ x", td)


def test_category_with_nan_and_nullable_types_keep_working(base):
    g = pd.Categorical(np.where(base["x"] > 0, "hi", "lo"))
    cat = base.assign(g=g)
    cat.loc[cat.index[:3], "g"] = np.nan
    d = build_design("y ~ g", cat, kind="binary")
    assert d.rows.n_dropped == 3 and d.X.shape[1] == 2
    nullable = base.assign(x=base["x"].astype("Int64"))
    nullable.loc[nullable.index[0], "x"] = pd.NA
    d = build_design("y ~ x", nullable, kind="binary")
    assert d.rows.n_dropped == 1
    assert_array_equal(d.X[:, 1], base["x"].to_numpy()[1:])


def test_caller_data_not_mutated(base):
    obj = base.assign(x=base["x"].astype(object))
    before = obj.copy()
    ls.logit("y ~ x", data=obj)
    pd.testing.assert_frame_equal(obj, before)
    assert obj["x"].dtype == object


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["b", "a", None, "c", "a"], dtype=object, index=[5, 3, 1, 2, 9], name="g"),
        pd.Series(["b", "a", np.nan, "c"], dtype="string", name="g"),
        pd.Series(["z", "é", "e", "E", "z"], name="g"),
        pd.Series([(1, 2), (0, 1), (1, 2)], name="g"),
    ],
)
def test_text_factor_is_pandas_categorical_of_sorted_levels(values):
    """The text column's factor (codes from one hash pass) is the Categorical pandas builds
    from the values and their sorted distinct values (reference: pandas' own constructor)."""
    from logitstats.design.frame import normalise_column

    before = values.copy()
    cats = sorted(values.dropna().unique())
    expected = pd.Series(pd.Categorical(values, categories=cats), index=values.index, name="g")
    pd.testing.assert_series_equal(normalise_column(values, "g"), expected)
    pd.testing.assert_series_equal(values, before)  # not mutated
