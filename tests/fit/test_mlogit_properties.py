"""Hypothesis invariants of the multinomial logit that hold exactly in exact arithmetic.

- the reference level is a parametrisation: changing it leaves llf and the fitted probabilities
  unchanged and turns coefficients into differences;
- frequency weights equal row duplication;
- shifting a predictor changes only the intercepts.

Compared at ``RTOL_PROPERTY`` (two separate Newton fits).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import logitstats as ls
from tests.tolerances import ATOL_PROPERTY, RTOL_PROPERTY

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _simulate(seed: int, n: int, n_levels: int) -> pd.DataFrame:
    """Outcome drawn from a multinomial logit in two continuous predictors."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    B = rng.normal(scale=0.7, size=(3, n_levels - 1))
    eta = np.column_stack([np.zeros(n), np.column_stack([np.ones(n), x1, x2]) @ B])
    p = np.exp(eta - eta.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(n_levels, p=row) for row in p])
    labels = np.array([f"lv{k}" for k in range(n_levels)])
    counts = np.bincount(y, minlength=n_levels)
    assume(counts.min() >= 8)
    return pd.DataFrame({"y": labels[y], "x1": x1, "x2": x2})


cases = st.tuples(st.integers(0, 2**32 - 1), st.integers(80, 160), st.sampled_from([2, 3, 4]))


@SETTINGS
@given(cases, st.integers(0, 3))
def test_reference_is_a_parametrisation(case, ref_pick):
    data = _simulate(*case)
    levels = sorted(data["y"].unique())
    ref = levels[ref_pick % len(levels)]
    base = ls.mlogit("y ~ x1 + x2", data)
    other = ls.mlogit("y ~ x1 + x2", data, reference=ref)
    np.testing.assert_allclose(other.llf, base.llf, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        other.fitted.to_numpy(), base.fitted.to_numpy(), rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY
    )
    full = base.params.assign(**{levels[0]: 0.0})
    for outcome in other.params.columns:
        np.testing.assert_allclose(
            other.params[outcome],
            full[outcome] - full[ref],
            rtol=RTOL_PROPERTY,
            atol=ATOL_PROPERTY,
        )


@SETTINGS
@given(cases, st.integers(0, 2**32 - 1))
def test_weights_equal_duplication(case, wseed):
    data = _simulate(*case)
    w = np.random.default_rng(wseed).integers(1, 4, size=len(data))
    wfit = ls.mlogit("y ~ x1 + x2", data, weights=w)
    efit = ls.mlogit("y ~ x1 + x2", data.loc[data.index.repeat(w)])
    np.testing.assert_allclose(
        wfit.tidy()["estimate"], efit.tidy()["estimate"], rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY
    )
    np.testing.assert_allclose(
        wfit.tidy()["std_error"], efit.tidy()["std_error"], rtol=RTOL_PROPERTY
    )
    np.testing.assert_allclose([wfit.llf, wfit.bic], [efit.llf, efit.bic], rtol=RTOL_PROPERTY)
    assert wfit.nobs == efit.nobs


@SETTINGS
@given(cases, st.floats(-50, 50))
def test_shifting_a_predictor_changes_only_the_intercepts(case, shift):
    data = _simulate(*case)
    base = ls.mlogit("y ~ x1 + x2", data)
    moved = ls.mlogit("y ~ x1 + x2", data.assign(x1=data["x1"] + shift))
    np.testing.assert_allclose(moved.llf, base.llf, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        moved.params.loc[["x1", "x2"]].to_numpy(),
        base.params.loc[["x1", "x2"]].to_numpy(),
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )
    np.testing.assert_allclose(
        moved.params.loc["Intercept"].to_numpy(),
        (base.params.loc["Intercept"] - shift * base.params.loc["x1"]).to_numpy(),
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )
