"""Ordinal average predictions and slopes: estimates and exact Jacobians against central
differences (step 1e-6, error ~1e-10: ``RTOL_NUMDIFF``) and identities that hold exactly."""

from __future__ import annotations

import numpy as np

from logitstats.engine import ordinal
from logitstats.inference.ordinal_counterfactual import ordinal_average, ordinal_average_slope
from tests.tolerances import ATOL_SUM_TO_ZERO, RTOL_NUMDIFF, RTOL_PROPERTY

H = 1e-6


def _problem(seed=3, n=50, k=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, k))
    dX = rng.normal(size=(n, k))
    params = np.array([0.7, -0.4, -1.0, 0.2, 1.5])
    w = rng.integers(1, 4, size=n).astype(float)
    off = rng.normal(scale=0.1, size=n)
    return X, dX, params, w, off


def _numjac(fun, p):
    cols = []
    for j in range(p.size):
        e = np.zeros_like(p)
        e[j] = H
        cols.append((fun(p + e) - fun(p - e)) / (2 * H))
    return np.stack(cols, axis=1)


def test_average_probabilities_and_jacobian():
    X, _, params, w, off = _problem()
    est, jac = ordinal_average(X, params, 2, off, w)
    prob = ordinal.probabilities(X, params[:2], params[2:], off)
    np.testing.assert_allclose(est, (w / w.sum()) @ prob, rtol=RTOL_PROPERTY)
    num = _numjac(lambda p: ordinal_average(X, p, 2, off, w)[0], params)
    np.testing.assert_allclose(jac, num, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF)
    np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=ATOL_SUM_TO_ZERO)


def test_average_slope_is_the_derivative_along_dx_and_its_jacobian_is_exact():
    X, dX, params, w, off = _problem()
    est, jac = ordinal_average_slope(X, dX, params, 2, off, w)
    along = (
        ordinal_average(X + H * dX, params, 2, off, w)[0]
        - ordinal_average(X - H * dX, params, 2, off, w)[0]
    ) / (2 * H)
    np.testing.assert_allclose(est, along, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF)
    num = _numjac(lambda p: ordinal_average_slope(X, dX, p, 2, off, w)[0], params)
    np.testing.assert_allclose(jac, num, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF)
    np.testing.assert_allclose(est.sum(), 0.0, atol=ATOL_SUM_TO_ZERO)
