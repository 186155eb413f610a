"""Engine-level tests of the Firth penalized objective (logitstats.engine.firth).

Reference: the textbook formulas on the whole data with the explicit n x n hat matrix
``H = W^{1/2} X I^{-1} X' W^{1/2}`` (Firth 1993; ``logistf``'s modified score)::

    l* = l + 0.5 log det I,   U* = X' (w (y - p) + h (1/2 - p)),   h = diag(H)
"""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.engine import firth
from tests.tolerances import RTOL_EXACT


def _direct(X, y, b, w, off):
    eta = X @ b + off
    p = 1.0 / (1.0 + np.exp(-eta))
    var = w * p * (1.0 - p)
    info = X.T @ (var[:, None] * X)
    ll = float(np.sum(w * (y * eta - np.log1p(np.exp(eta)))))
    sqrt_w = np.sqrt(var)[:, None] * X
    hat = sqrt_w @ np.linalg.solve(info, sqrt_w.T)  # n x n
    h = np.diag(hat)
    score = X.T @ (w * (y - p) + h * (0.5 - p))
    return ll + 0.5 * np.linalg.slogdet(info)[1], ll, score, info


@pytest.mark.parametrize(("n", "weighted"), [(200, False), (5000, True)])
def test_penalized_objective_matches_hat_matrix_formulas(n, weighted):
    """5000 rows: several row chunks, summed over the thread pool."""
    rng = np.random.default_rng(n)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, 3)), rng.integers(0, 2, n)])
    b = rng.normal(0.0, 0.5, X.shape[1])
    y = (rng.random(n) < 0.3).astype(float)
    w = rng.integers(1, 4, n).astype(float) if weighted else np.ones(n)
    off = rng.normal(0.0, 0.3, n) if weighted else np.zeros(n)
    got = firth.penalized_objective(X, y, b, w if weighted else None, off if weighted else None)
    expected = _direct(X, y, b, w, off)
    np.testing.assert_allclose(got[0], expected[0], rtol=RTOL_EXACT)
    np.testing.assert_allclose(got[1], expected[1], rtol=RTOL_EXACT)
    np.testing.assert_allclose(got[2], expected[2], rtol=RTOL_EXACT, atol=RTOL_EXACT * n)
    np.testing.assert_allclose(got[3], expected[3], rtol=RTOL_EXACT)


def test_penalized_objective_singular_information():
    X = np.column_stack([np.ones(4), np.ones(4)])
    pll, ll, score, _ = firth.penalized_objective(X, np.array([0.0, 1, 0, 1]), np.zeros(2))
    assert pll == -np.inf
    assert np.isfinite(ll)
    assert np.isnan(score).all()
