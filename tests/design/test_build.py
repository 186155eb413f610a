"""``logitstats.design.build``: from (formula, DataFrame) to a ``Design`` and new-data matrices.

Expected design matrices are built independently with ``patsy.dmatrices`` (or by hand) on the
same data; expected fits come from statsmodels' Logit fitted live.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import patsy
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose, assert_array_equal
from pandas.testing import assert_frame_equal

import logitstats as ls
from logitstats.design.build import RowAccounting, build_design, capture_env, newdata_matrix
from logitstats.errors import DataError, FormulaError
from tests.tolerances import ATOL_PROPERTY, RTOL_PROPERTY, RTOL_SM

SM_FIT = dict(method="newton", tol=1e-12, maxiter=100, disp=False)


def _design(formula: str, data, **kwargs):
    return build_design(formula, data, kind="binary", env=capture_env(0), **kwargs)


@pytest.fixture()
def small() -> pd.DataFrame:
    rng = np.random.default_rng(20261127)
    n = 60
    return pd.DataFrame(
        {
            "y": rng.integers(0, 2, n),
            "x": rng.normal(size=n),
            "g": rng.choice(["north", "east", "west"], n),
            "flag": rng.integers(0, 2, n).astype(bool),
            "w": rng.integers(1, 4, n).astype(float),
        },
        index=pd.RangeIndex(100, 100 + n),
    )


def test_design_arrays_match_patsy(small):
    d = _design("y ~ x + g", small)
    y_ref, X_ref = patsy.dmatrices("y ~ x + g", small, return_type="dataframe")
    assert d.column_names == tuple(X_ref.columns)
    assert_array_equal(d.X, X_ref.to_numpy())
    assert_array_equal(d.y, y_ref["y"].to_numpy())
    assert d.X.dtype == np.float64 and d.X.flags["C_CONTIGUOUS"]
    assert d.y.dtype == np.float64
    assert dict(d.term_slices)["g"] == slice(1, 3)
    assert d.has_intercept and d.kind == "binary"
    assert d.levels == (0, 1) and d.event == 1 and d.reference == 0
    assert d.nobs == 60.0 and d.rows == RowAccounting(60, 60, 0, ())
    assert list(d.index) == list(small.index)
    assert d.columns_used == ("y", "x", "g")


def test_string_column_is_categorical_with_sorted_levels(small):
    d = _design("y ~ g", small)
    assert d.column_names == ("Intercept", "g[T.north]", "g[T.west]")  # 'east' is the reference
    assert_array_equal(d.X[:, 1], (small["g"] == "north").to_numpy(dtype=float))


def test_categorical_column_keeps_its_category_order(small):
    df = small.assign(g=pd.Categorical(small["g"], categories=["west", "north", "east"]))
    d = _design("y ~ g", df)
    assert d.column_names == ("Intercept", "g[T.north]", "g[T.east]")


def test_bool_and_pandas_string_dtypes(small):
    df = small.assign(g=small["g"].astype("string"))
    d = _design("y ~ g + flag", df)
    assert d.column_names == ("Intercept", "g[T.north]", "g[T.west]", "flag[T.True]")
    assert_array_equal(d.X[:, 3], small["flag"].to_numpy(dtype=float))


def test_nullable_extension_dtypes_are_dropped_like_nan(small):
    df = small.copy()
    df["xi"] = pd.array(np.round(small["x"] * 10), dtype="Int64")
    df.loc[[101, 110], "xi"] = pd.NA
    fit = ls.logit("y ~ xi + g", df)
    assert fit.n_dropped == 2
    ref = smf.logit("y ~ xi + g", df.assign(xi=df["xi"].astype(float)), missing="drop").fit(
        **SM_FIT
    )
    assert_allclose(fit.params[ref.params.index], ref.params, rtol=RTOL_SM)


def test_rows_dropped_are_counted_per_column(small):
    df = small.copy()
    df.loc[[100, 101, 102], "x"] = np.nan
    df.loc[[102, 103], "g"] = None
    df.loc[[104], "y"] = np.nan
    d = _design("y ~ x + g", df, weights="w")
    # a row missing in two columns counts under both, but is dropped once
    assert d.rows.n_dropped == 5 and d.rows.n_used == 55
    assert dict(d.rows.dropped_by_column) == {"y": 1, "x": 3, "g": 2}
    assert d.rows.describe() == "5 rows dropped: y 1, x 3, g 2"
    kept = df.index[~df.index.isin([100, 101, 102, 103, 104])]
    assert list(d.index) == list(kept)
    assert_array_equal(d.weights, df.loc[kept, "w"].to_numpy())
    assert d.nobs == df.loc[kept, "w"].sum()


def test_rows_dropped_by_a_transformation_are_counted(small):
    df = small.assign(pos=np.where(small.index % 10 == 0, -1.0, 1.0) + small["x"].abs())
    expected = int((df["pos"] <= 0).sum())
    assert expected > 0
    d = _design("y ~ np.log(pos)", df)
    assert d.rows.n_dropped == expected
    assert dict(d.rows.dropped_by_column) == {"np.log(pos)": expected}


def test_row_accounting_describe():
    assert RowAccounting(10, 10, 0).describe() == "no rows dropped"
    assert RowAccounting(10, 9, 1, (("age", 1),)).describe() == "1 row dropped: age 1"
    assert RowAccounting(10, 8, 2).describe() == "2 rows dropped"


def test_offset_and_weights_follow_the_rows_used(small):
    df = small.assign(off=np.linspace(-1, 1, 60))
    df.loc[[105], "x"] = np.nan
    d = _design("y ~ x", df, weights="w", offset="off")
    assert d.offset_column == "off"
    assert_array_equal(d.offset, df["off"].drop(105).to_numpy())
    assert_array_equal(d.weights, df["w"].drop(105).to_numpy())


def test_missing_offset_values_drop_rows(small):
    off = np.where(np.arange(60) == 7, np.nan, 0.0)
    d = _design("y ~ x", small, offset=off)
    assert d.rows.n_dropped == 1
    assert dict(d.rows.dropped_by_column) == {"offset": 1}


def test_formula_sees_explicit_functions_but_not_local_variables(small):
    factor_value = 2.5  # noqa: F841 (a local the formula must not see)

    def cube(v):
        return v**3

    fit = ls.logit("y ~ I(x * 2.5) + cube(x)", small, functions={"cube": cube})
    assert list(fit.params.index) == ["Intercept", "I(x * 2.5)", "cube(x)"]
    assert fit.design.functions == ("cube",)
    ref = smf.logit("y ~ I(x * 2.5) + cube(x)", small).fit(**SM_FIT)  # statsmodels: caller's frame
    assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=RTOL_SM)
    with pytest.raises(FormulaError, match=r"'factor_value', which is not a column of data"):
        ls.logit("y ~ I(x * factor_value)", small)
    with pytest.raises(FormulaError, match=r"calling cube\(\) is not allowed.*functions="):
        ls.logit("y ~ cube(x)", small)


@pytest.mark.parametrize(
    "formula",
    [
        "y ~ C(g)",
        "y ~ C(g, Treatment('west'))",
        "y ~ I(x ** 2)",
        "y ~ center(x)",
        "y ~ standardize(x)",
        "y ~ abs(x)",
        "y ~ round(x, 1)",
        "y ~ C(g, Sum)",
        "y ~ bs(x, df=3)",
        "y ~ np.exp(x)",
    ],
)
def test_patsy_and_python_builtins_are_not_mistaken_for_columns(small, formula):
    fit = ls.logit(formula, small)
    ref = smf.logit(formula, small).fit(**SM_FIT)
    assert list(fit.params.index) == list(ref.params.index)
    assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=RTOL_SM)


def test_q_quotes_awkward_column_names(small):
    df = small.rename(columns={"x": "my x", "y": "the outcome"})
    fit = ls.logit("Q('the outcome') ~ Q('my x')", df)
    assert fit.design.columns_used == ("the outcome", "my x")
    ref = ls.logit("y ~ x", small)
    assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=RTOL_PROPERTY)


def test_dict_of_columns_is_accepted(small):
    fit = ls.logit("y ~ x", {c: small[c].to_numpy() for c in ["y", "x"]})
    ref = ls.logit("y ~ x", small)
    assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=RTOL_PROPERTY)


def test_build_design_does_not_mutate(small):
    df = small.copy()
    df.loc[[100], "x"] = np.nan
    before = df.copy(deep=True)
    _design("y ~ x + g + flag", df, weights="w")
    assert_frame_equal(df, before, check_exact=True)


# --------------------------------------------------------------------------- new data


def test_newdata_matrix_reproduces_training_rows(small):
    d = _design("y ~ center(x) + g + flag", small)
    X, complete, index = newdata_matrix(d, small)
    assert complete.all() and list(index) == list(small.index)
    assert_allclose(X, d.X, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)


def test_newdata_matrix_reuses_stateful_transforms_and_levels(small):
    d = _design("y ~ center(x) + g", small)
    sub = small[small["g"] == "west"].head(4)
    X, _, _ = newdata_matrix(d, sub)
    # centred with the training mean, dummies of the training levels
    assert_allclose(X[:, 3], sub["x"] - small["x"].mean(), rtol=RTOL_PROPERTY)
    assert_array_equal(X[:, :3], np.tile([1.0, 0.0, 1.0], (4, 1)))


def test_newdata_matrix_incomplete_rows(small):
    d = _design("y ~ x + g", small)
    new = small.head(4).copy()
    new.loc[[101], "x"] = np.nan
    X, complete, _ = newdata_matrix(d, new)
    assert_array_equal(complete, [True, False, True, True])
    assert np.isnan(X[1]).all() and np.isfinite(X[[0, 2, 3]]).all()
    with pytest.raises(DataError, match=r"newdata has missing values in \['x'\]"):
        newdata_matrix(d, new, missing="raise")


def test_newdata_does_not_need_the_outcome(small):
    fit = ls.logit("y ~ x + g", small)
    pred = fit.predict(small.drop(columns="y").head(5))
    assert_allclose(pred.to_numpy(), fit.fitted.head(5).to_numpy(), rtol=RTOL_PROPERTY)


# --------------------------------------------------------------------------- offset magnitude
@pytest.mark.parametrize("value", [1e300, -1e4, 710.0])
def test_absurd_offsets_are_refused(value):
    # before: offset=1e300 gave converged=True with NaN standard errors
    sp = ls.datasets.load("spector")
    off = np.zeros(len(sp))
    off[3] = value
    with pytest.raises(
        DataError, match=r"offset must be log-odds of magnitude at most 709.8 .*got .* at row 3"
    ):
        ls.logit("GRADE ~ GPA", sp, offset=off)
    with pytest.raises(DataError, match=r"offset \(off\) must be log-odds .*log\(exposure\)"):
        ls.logit("GRADE ~ GPA", sp.assign(off=off), offset="off")


def test_offsets_up_to_the_limit_and_missing_offsets_are_accepted():
    sp = ls.datasets.load("spector")
    off = np.zeros(len(sp))
    off[0] = np.nan  # a missing offset drops its row, as a missing predictor does
    off[1] = -700.0  # odds exp(-700) are still a double
    fit = ls.logit("GRADE ~ GPA", sp, offset=off)
    assert fit.n_dropped == 1 and fit.converged


def test_absurd_offsets_of_new_data_are_refused():
    sp = ls.datasets.load("spector")
    fit = ls.logit("GRADE ~ GPA", sp, offset=np.zeros(len(sp)))
    with pytest.raises(DataError, match=r"offset must be log-odds of magnitude at most"):
        fit.predict(sp, offset=np.full(len(sp), 1e300))
    fit_col = ls.logit("GRADE ~ GPA", sp.assign(off=0.0), offset="off")
    with pytest.raises(DataError, match=r"offset \(off\) must be log-odds"):
        fit_col.predict(sp.assign(off=-1e4))
