"""Fit invariants of the binary logit, checked with hypothesis on random data.

Each property holds exactly in exact arithmetic, so the only slack is the convergence of two
separate Newton fits (``RTOL_PROPERTY``). The data are drawn so that the MLE exists: the outcome
depends weakly on the predictors and every level of the factor holds both outcomes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import logitstats as ls
from tests.tolerances import ATOL_PROPERTY, RTOL_PROPERTY

SETTINGS = settings(max_examples=40, deadline=None)
SETTINGS_SLOW = settings(max_examples=30, deadline=None)  # six fits per example
LEVELS = ["a", "b", "c"]


def _frame(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.uniform(-2, 2, size=n)
    g = np.array(LEVELS * (n // 3 + 1))[:n]
    rng.shuffle(g)
    eta = -0.3 + 0.7 * x1 - 0.4 * x2 + np.where(g == "b", 0.5, 0.0)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int)
    # both outcomes in every level of g: no quasi-separation on the dummies
    for lv in LEVELS:
        rows = np.flatnonzero(g == lv)
        y[rows[0]], y[rows[1]] = 0, 1
    return pd.DataFrame({"y": y, "x1": x1, "x2": x2, "g": g})


FORMULA = "y ~ x1 + x2 + g"
frames = st.builds(_frame, st.integers(0, 2**32 - 1), st.integers(40, 120))


@SETTINGS_SLOW
@given(df=frames, data=st.data())
def test_frequency_weights_equal_row_duplication(df, data):
    n = len(df)
    w = 1 + np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    zeros = data.draw(st.lists(st.integers(0, n - 1), max_size=n // 10, unique=True))
    w[zeros] = 0  # rows with weight zero count as absent
    guard = [int(np.flatnonzero((df["g"] == lv).to_numpy())[k]) for lv in LEVELS for k in (0, 1)]
    w[guard] = np.maximum(w[guard], 1)  # keep both outcomes in every level of g
    weighted = ls.logit(FORMULA, df, weights=w.astype(float))
    expanded = ls.logit(FORMULA, df.loc[df.index.repeat(w)].reset_index(drop=True))
    for attr in ["params", "bse", "zvalues", "pvalues"]:
        assert_allclose(
            getattr(weighted, attr), getattr(expanded, attr), rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY
        )
    for attr in ["llf", "llnull", "aic", "bic", "deviance", "pseudo_r2_coxsnell", "pseudo_r2_tjur"]:
        assert_allclose(getattr(weighted, attr), getattr(expanded, attr), rtol=RTOL_PROPERTY)
    assert weighted.nobs == expanded.nobs == w.sum()
    assert weighted.df_resid == expanded.df_resid
    for cov_type in ["HC0", "HC1"]:
        rw = ls.logit(FORMULA, df, weights=w.astype(float), cov_type=cov_type)
        rx = ls.logit(FORMULA, df.loc[df.index.repeat(w)].reset_index(drop=True), cov_type=cov_type)
        assert_allclose(rw.bse, rx.bse, rtol=RTOL_PROPERTY)


@SETTINGS
@given(df=frames, shift=st.floats(-50, 50, allow_nan=False).filter(lambda c: abs(c) > 1e-3))
def test_shifting_a_predictor_changes_only_the_intercept(df, shift):
    base = ls.logit(FORMULA, df)
    moved = ls.logit(FORMULA, df.assign(x1=df["x1"] + shift))
    slopes = [t for t in base.params.index if t != "Intercept"]
    assert_allclose(
        moved.params[slopes], base.params[slopes], rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY
    )
    assert_allclose(moved.bse[slopes], base.bse[slopes], rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    # b0' = b0 - b1 * c, and the fit itself is unchanged
    expected = base.params["Intercept"] - base.params["x1"] * shift
    scale = abs(base.params["Intercept"]) + abs(base.params["x1"] * shift)  # cancellation
    assert_allclose(moved.params["Intercept"], expected, rtol=0, atol=RTOL_PROPERTY * scale)
    assert_allclose(moved.llf, base.llf, rtol=RTOL_PROPERTY)
    assert_allclose(moved.fitted, base.fitted, rtol=RTOL_PROPERTY)


@SETTINGS
@given(df=frames)
def test_predict_on_training_data_equals_fitted(df):
    fit = ls.logit(FORMULA, df)
    assert_allclose(fit.predict(df), fit.fitted, rtol=RTOL_PROPERTY)
    assert_allclose(fit.predict(), fit.fitted, rtol=0)
    link = fit.predict(df, kind="link")
    assert_allclose(1 / (1 + np.exp(-link)), fit.fitted, rtol=RTOL_PROPERTY)


@SETTINGS
@given(df=frames, data=st.data())
def test_predict_on_new_data_with_some_factor_levels(df, data):
    fit = ls.logit(FORMULA, df)
    keep = data.draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=2, unique=True))
    rows = df[df["g"].isin(keep)]
    rows = rows.iloc[: data.draw(st.integers(1, len(rows)))]
    pred = fit.predict(rows.drop(columns="y"), conf_level=0.9)
    assert list(pred.index) == list(rows.index)
    assert_allclose(pred["prediction"], fit.fitted.loc[rows.index], rtol=RTOL_PROPERTY)
    assert (pred["conf_low"] < pred["prediction"]).all()
    assert (pred["prediction"] < pred["conf_high"]).all()
