"""Hypothesis fuzzing: random well-posed datasets agree with statsmodels; separation found by the
LP is always flagged by the fit (and only then)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import logitstats as ls
from logitstats.errors import SeparationWarning
from tests.tolerances import ATOL_FUZZ_SCALE, RTOL_FUZZ

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def datasets(draw):
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(25, 160))
    k_num = draw(st.integers(1, 3))
    n_levels = draw(st.integers(2, 4))
    weighted = draw(st.booleans())
    twist = draw(st.sampled_from(["none", "none", "quasi_level", "complete"]))
    scale = draw(st.sampled_from([1.0, 1e-3, 1e3]))
    x = rng.normal(size=(n, k_num)) * scale
    g = rng.choice([f"L{i}" for i in range(n_levels)], n)
    coef = rng.normal(scale=0.8, size=k_num) / scale
    eta = 0.3 + x @ coef + (g == "L1") * 0.5
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(int)
    if twist == "quasi_level":
        y[g == "L0"] = 1
    elif twist == "complete":
        y = (x[:, 0] > np.median(x[:, 0])).astype(int)
    data = pd.DataFrame({f"x{j}": x[:, j] for j in range(k_num)})
    data["g"] = g
    data["y"] = y
    data["w"] = rng.integers(1, 4, n) if weighted else 1
    formula = "y ~ " + " + ".join([*(f"x{j}" for j in range(k_num)), "g"])
    return data, formula, weighted


def _fit(data, formula, weighted):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = ls.logit(formula, data=data, weights="w" if weighted else None)
    return fit, [w.category for w in caught]


@SETTINGS
@given(datasets())
def test_agrees_with_statsmodels_or_flags_separation(case):
    data, formula, weighted = case
    if data["y"].nunique() < 2 or data["g"].nunique() < 2:
        return
    lp = ls.check_separation(formula, data, weights="w" if weighted else None)
    fit, kinds = _fit(data, formula, weighted)
    # the fit's verdict (screen, then LP) equals the LP's; one warning exactly when separated
    assert fit.separation.status == lp.status
    assert fit.separation.terms == lp.terms
    event(f"separation: {lp.status.value}")
    if lp.separated:
        assert kinds.count(SeparationWarning) == 1
        assert lp.terms, "a separated fit names the terms with infinite estimates"
        return
    assert SeparationWarning not in kinds and fit.converged
    X = pd.DataFrame(fit.design.X, columns=list(fit.design.column_names))
    glm = sm.GLM(
        fit.design.y, X, family=sm.families.Binomial(), freq_weights=fit.design.weights
    ).fit(tol=1e-13, maxiter=300)
    event(f"statsmodels converged: {glm.converged}")
    if not glm.converged:
        return
    np.testing.assert_allclose(
        fit.params.to_numpy(),
        glm.params.to_numpy(),
        rtol=RTOL_FUZZ,
        atol=ATOL_FUZZ_SCALE * float(np.abs(glm.params).max()),
    )
    np.testing.assert_allclose(fit.bse.to_numpy(), glm.bse.to_numpy(), rtol=RTOL_FUZZ)
    np.testing.assert_allclose(fit.llf, glm.llf, rtol=RTOL_FUZZ)


@SETTINGS
@given(datasets())
def test_forced_level_separation_is_named(case):
    data, formula, weighted = case
    data = data.copy()
    data.loc[data["g"] == "L0", "y"] = 1  # the reference level never shows y = 0
    if data["y"].nunique() < 2 or data["g"].nunique() < 2 or (data["g"] == "L0").sum() == 0:
        return
    info = ls.check_separation(formula, data, weights="w" if weighted else None)
    assert info.separated
    # with L0 as the reference level, the intercept and every g dummy are infinite
    assert "Intercept" in info.terms and all(t in info.terms for t in info.terms if "g[" in t)
    fit, kinds = _fit(data, formula, weighted)
    assert kinds.count(SeparationWarning) == 1 and fit.separation.separated
