"""Awkward input: every case gets a documented result or a LogitstatsError naming the column,
what was expected and what was found (README: "How logitstats handles awkward input")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import CollinearityWarning, DataError, FormulaError, LogitstatsError
from tests.tolerances import RTOL_PROPERTY

N = 80


@pytest.fixture()
def base():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "y": rng.integers(0, 2, N),
            "x": rng.normal(size=N),
            "z": rng.normal(size=N),
            "g": rng.choice(["a", "b", "c"], N),
        }
    )


@pytest.fixture()
def ref(base):
    return ls.logit("y ~ x + z", data=base)


def _same(fit, ref):
    np.testing.assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=RTOL_PROPERTY)


def test_empty_dataframe(base):
    with pytest.raises(DataError, match="data has no rows"):
        ls.logit("y ~ x", data=base.iloc[:0])


def test_dict_and_structured_array_as_data(base, ref):
    _same(ls.logit("y ~ x + z", data={c: base[c].tolist() for c in base}), ref)
    _same(ls.logit("y ~ x + z", data=base.to_records(index=False)), ref)
    with pytest.raises(DataError, match="data must be a pandas DataFrame.*got list"):
        ls.logit("y ~ x", data=[1, 2, 3])


def test_duplicate_column_names(base):
    dup = pd.concat([base, base[["x"]]], axis=1)
    with pytest.raises(DataError, match=r"duplicate column names \['x'\]"):
        ls.logit("y ~ x", data=dup)


def test_spaces_and_unicode_names_through_q(base, ref):
    data = base.rename(columns={"x": "my x", "z": "größe"})
    fit = ls.logit("y ~ Q('my x') + Q('größe')", data=data)
    _same(fit, ref)
    assert list(fit.params.index) == ["Intercept", "Q('my x')", "Q('größe')"]
    with pytest.raises(FormulaError, match=r"term 'my x'.*quote .* as Q\('my x'\)"):
        ls.logit("y ~ my x", data=data)


def test_nullable_dtypes(base, ref):
    data = base.assign(
        y=base["y"].astype("Int64"), x=base["x"].astype("Float64"), z=base["z"].astype("Float64")
    )
    _same(ls.logit("y ~ x + z", data=data), ref)
    flags = base.assign(
        b=pd.array(base["x"] > 0, dtype="boolean"), s=pd.array(base["g"], dtype="string")
    )
    plain = base.assign(b=base["x"] > 0)
    _same(ls.logit("y ~ b + s + z", data=flags), ls.logit("y ~ b + g + z", data=plain))
    # a missing value in a nullable column is a missing value: the row is dropped and counted
    holes = data.assign(x=data["x"].mask(np.arange(N) < 3))
    assert ls.logit("y ~ x + z", data=holes).n_dropped == 3


def test_categorical_with_unused_levels(base):
    cat = base.assign(g=pd.Categorical(base["g"], categories=["a", "b", "c", "never"]))
    fit = ls.logit("y ~ g + x", data=cat)
    assert list(fit.params.index) == ["Intercept", "g[T.b]", "g[T.c]", "x"]
    _same(fit, ls.logit("y ~ g + x", data=base))


def test_datetime_predictor(base):
    data = base.assign(when=pd.date_range("2020-01-01", periods=N))
    with pytest.raises(DataError, match=r"column 'when' holds dates.*Convert it first"):
        ls.logit("y ~ x + when", data=data)


@pytest.mark.parametrize("stray", [0.5, 2.0])
def test_float_outcome_with_stray_values(base, ref, stray):
    _same(ls.logit("y ~ x + z", data=base.assign(y=base["y"].astype(float))), ref)
    y = np.array(base["y"], dtype=float)
    y[4] = stray
    with pytest.raises(
        DataError, match=rf"outcome 'y' must be coded 0/1; found the values {stray}"
    ):
        ls.logit("y ~ x", data=base.assign(y=y))


def test_constant_predictor(base, ref):
    with pytest.warns(CollinearityWarning, match=r"one is constant \(= 1 \* Intercept\)"):
        fit = ls.logit("y ~ x + z + one", data=base.assign(one=1.0))
    assert fit.aliased == ("one",) and np.isnan(fit.params["one"])
    _same(fit.params.drop("one").to_frame(), ref.params.to_frame())


def test_fewer_rows_than_parameters(base):
    small = base.head(3).assign(y=[0, 1, 0], g=["a", "b", "c"])
    with pytest.raises(DataError, match=r"5 parameters .* but only 3 rows"):
        ls.logit("y ~ x + z + g", data=small)


def test_values_too_large_for_the_information(base, ref):
    big = ls.logit("y ~ x + z", data=base.assign(x=base["x"] * 1e100))  # large but fine
    np.testing.assert_allclose(big.params["x"] * 1e100, ref.params["x"], rtol=RTOL_PROPERTY)
    with pytest.raises(
        DataError, match=r"column 'x' holds values as large as \d\.\d+e\+200.*Rescale"
    ):
        ls.logit("y ~ x + z", data=base.assign(x=base["x"] * 1e200))


def test_factor_with_thousands_of_levels():
    rng = np.random.default_rng(1)
    n = 3000
    data = pd.DataFrame({"y": rng.integers(0, 2, n), "id": [f"p{i}" for i in range(n)]})
    with pytest.raises(DataError, match=r"column 'id' holds 3000 distinct text values.*astype"):
        ls.logit("y ~ id", data=data)


def test_weights_with_wrong_length(base):
    with pytest.raises(DataError, match=r"weights must be .* \(80 rows\); got shape \(5,\)"):
        ls.logit("y ~ x", data=base, weights=np.ones(5))


def test_groups_with_missing_values(base):
    gr = np.where(np.arange(N) < 3, np.nan, np.arange(N) % 7)
    with pytest.raises(DataError, match=r"groups \(cl\) has 3 missing values"):
        ls.logit("y ~ x", data=base.assign(cl=gr), cov_type="cluster", groups="cl")


def test_errors_are_logitstats_errors(base):
    with pytest.raises(LogitstatsError):
        ls.logit("y ~ nosuch", data=base)


# ------------------------------------------------------------------ row accounting, predict


def test_row_accounting_per_column(base):
    data = base.assign(income=base["x"].mask(np.arange(N) % 9 == 0), age=base["z"])
    data.loc[[1, 2, 3], "age"] = np.nan
    fit = ls.logit("y ~ income + age", data=data)
    rows = fit.design.rows
    assert (rows.n_rows, rows.n_used, rows.n_dropped) == (N, N - 12, 12)
    assert fit.n_dropped == 12 and fit.nobs == N - 12
    assert "12 rows dropped: income 9, age 3" in fit.summary()
    assert fit.glance()["n_dropped"].iloc[0] == 12
    with pytest.raises(DataError, match=r"missing values .*income \(9\), age \(3\)"):
        ls.logit("y ~ income + age", data=data, missing="raise")


def test_predict_keeps_index_nan_and_unseen_levels(base):
    fit = ls.logit("y ~ x + g", data=base)
    new = pd.DataFrame(
        {"x": [0.1, np.nan, 0.3], "g": ["a", "b", "c"]}, index=pd.Index(["r1", "r2", "r3"])
    )
    pred = fit.predict(new)
    assert list(pred.index) == ["r1", "r2", "r3"]
    assert np.isnan(pred["r2"]) and pred.drop("r2").notna().all()
    with pytest.raises(DataError, match=r"newdata has missing values in \['x'\]"):
        fit.predict(new, missing="raise")
    with pytest.raises(DataError, match=r"level 'zz'.*not seen in training.*'a', 'b', 'c'"):
        fit.predict(new.assign(g=["a", "b", "zz"]))


def test_callers_data_never_mutated(base):
    data = base.assign(
        s=pd.array(base["g"], dtype="string"),
        k=pd.Categorical(base["g"], categories=["a", "b", "c", "d"]),
        w=np.arange(N) % 3 + 1.0,
        x=base["x"].mask(np.arange(N) < 2),
    )
    snapshot = data.copy(deep=True)
    ls.logit("y ~ x + s", data=data, weights="w")
    ls.logit("y ~ x + k", data=data)
    ls.logit("y ~ x + z", data=data, firth=True)
    ls.check_separation("y ~ x + s", data)
    ls.mlogit("g ~ x + z", data=data)
    pd.testing.assert_frame_equal(data, snapshot)
