"""Aliased (perfectly collinear) columns: found before fitting, dropped as R does, shown as NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import logitstats as ls
from logitstats.errors import CollinearityWarning
from logitstats.numerics.rank import aliased_columns
from tests.tolerances import ATOL_SM, RTOL_PROPERTY, RTOL_SM


@pytest.fixture(scope="module")
def spector2(spector):
    return spector.assign(GPA2=2.0 * spector["GPA"], const=3.0, zero=0.0)


def test_duplicate_and_constant_columns_dropped_like_r(spector2):
    with pytest.warns(
        CollinearityWarning,
        match=r"2 design column\(s\).*GPA2 = 2 \* GPA; const is constant \(= 3 \* Intercept\)",
    ):
        fit = ls.logit("GRADE ~ GPA + TUCE + GPA2 + PSI + const", data=spector2)
    assert fit.aliased == ("GPA2", "const")
    assert list(fit.params.index) == ["Intercept", "GPA", "TUCE", "GPA2", "PSI", "const"]
    assert fit.params[["GPA2", "const"]].isna().all() and fit.bse[["GPA2", "const"]].isna().all()
    ref = ls.logit("GRADE ~ GPA + TUCE + PSI", data=spector2)
    kept = ["Intercept", "GPA", "TUCE", "PSI"]
    np.testing.assert_allclose(fit.params[kept], ref.params, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(fit.bse[kept], ref.bse, rtol=RTOL_PROPERTY)
    # only estimated parameters count
    assert fit.k_params == 4 and fit.df_model == 3
    np.testing.assert_allclose(fit.aic, ref.aic, rtol=RTOL_PROPERTY)
    # statsmodels on the reduced matrix
    sm_fit = sm.Logit(spector2["GRADE"], sm.add_constant(spector2[kept[1:]])).fit(
        method="newton", disp=False, tol=1e-12
    )
    np.testing.assert_allclose(fit.params[kept], sm_fit.params, rtol=RTOL_SM, atol=ATOL_SM)
    tidy = fit.tidy()
    assert tidy.loc[tidy.term.isin(["GPA2", "const"])].drop(columns="term").isna().all().all()
    ci = fit.conf_int()
    assert ci.loc[["GPA2", "const"]].isna().all().all() and ci.loc[kept].notna().all().all()
    text = fit.summary()
    assert "aliased (perfectly collinear) columns dropped, shown as NA: GPA2 = 2 * GPA" in text
    assert any(line.startswith("GPA2") and "NA" in line for line in text.splitlines())
    # predictions use the estimated columns only
    np.testing.assert_allclose(fit.predict(spector2.head()), ref.predict(spector2.head()))


def test_first_column_in_order_is_kept(spector2):
    with pytest.warns(CollinearityWarning, match=r"GPA = 0\.5 \* GPA2"):
        fit = ls.logit("GRADE ~ GPA2 + GPA + PSI", data=spector2)
    assert fit.aliased == ("GPA",)


def test_all_zero_column(spector2):
    with pytest.warns(CollinearityWarning, match="zero is all zero"):
        fit = ls.logit("GRADE ~ GPA + zero", data=spector2)
    assert fit.aliased == ("zero",)


def test_dummy_trap():
    rng = np.random.default_rng(2)
    g = rng.choice(["a", "b", "c"], 200)
    data = pd.DataFrame(
        {
            "y": rng.integers(0, 2, 200),
            "g": g,
            "is_b": (g == "b").astype(float),
            "x": rng.normal(size=200),
        }
    )
    with pytest.warns(CollinearityWarning, match=r"is_b = g\[T\.b\]"):
        fit = ls.logit("y ~ g + x + is_b", data=data)
    assert fit.aliased == ("is_b",)
    assert np.isfinite(fit.params.drop("is_b")).all()


def test_weights_zero_rows_ignored_for_rank():
    # x2 equals x1 on every row of positive weight
    data = pd.DataFrame(
        {
            "y": [0, 1, 0, 1, 1, 0, 1, 0],
            "x1": [1.0, 2, 3, 4, 5, 6, 7, 8],
            "x2": [1.0, 2, 3, 4, 5, 6, 7, 100],
            "w": [1, 1, 1, 1, 1, 1, 1, 0],
        }
    )
    with pytest.warns(CollinearityWarning, match="x2 = x1"):
        fit = ls.logit("y ~ x1 + x2", data=data, weights="w")
    assert fit.aliased == ("x2",)


def test_multinomial_aliased_rows_per_outcome(anes96):
    data = anes96.assign(age2=anes96["age"] * 1.0)
    with pytest.warns(CollinearityWarning, match="age2 = age"):
        fit = ls.mlogit("party ~ age + educ + age2", data=data)
    assert fit.aliased == ("age2",)
    assert fit.params.loc["age2"].isna().all() and fit.params.drop("age2").notna().all().all()
    ref = ls.mlogit("party ~ age + educ", data=data)
    np.testing.assert_allclose(
        fit.params.drop("age2").to_numpy(), ref.params.to_numpy(), rtol=RTOL_PROPERTY
    )
    tidy = fit.tidy()
    assert tidy.loc[tidy.term == "age2", "estimate"].isna().all()


def test_aliased_columns_array_function():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 3))
    small = rng.normal(size=50) * 1e-3  # small scale, but not collinear: kept
    X = np.column_stack([np.ones(50), x, x[:, 0] + x[:, 1], small])
    aliased, comb = aliased_columns(X)
    assert aliased == [4]
    assert sorted(k for k, _ in comb[4]) == [1, 2]
    assert aliased_columns(np.column_stack([np.ones(50), x]))[0] == []
