"""The analytic Jacobian of the marginal effects against central differences of the effects.

``index_effects_with_cov`` returns ``J V J'``; with ``V`` a random positive-definite matrix the
same product from a Jacobian by central differences (step 1e-6, error ~1e-10) must agree at
``RTOL_NUMDIFF``.
"""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.inference.margins import EffectSpec, index_effects_with_cov
from tests.tolerances import RTOL_NUMDIFF

SPECS = [
    EffectSpec((1,)),
    EffectSpec((2,)),
    # a three-level factor in columns 3, 4 (treatment coding): level 2 and level 1 vs reference
    EffectSpec((3, 4), np.array([0.0, 1.0]), np.array([0.0, 0.0])),
    EffectSpec((3, 4), np.array([1.0, 0.0]), np.array([0.0, 0.0])),
]


def _problem(n_levels: int, seed: int):
    rng = np.random.default_rng(seed)
    n, p = 300, 5
    level = rng.integers(0, 3, n)
    X = np.column_stack(
        [np.ones(n), rng.standard_normal(n), rng.uniform(0.5, 2, n), level == 1, level == 2]
    ).astype(float)
    coef = rng.standard_normal((p, n_levels)) * 0.5
    coef[:, 0] = 0.0  # reference column
    free = np.full((p, n_levels), -1)
    free[:, 1:] = np.arange(p * (n_levels - 1)).reshape(n_levels - 1, p).T  # outcome-major
    k = p * (n_levels - 1)
    a = rng.standard_normal((k, k))
    return X, coef, free, a @ a.T + np.eye(k), rng


def _numeric_jvj(X, coef, free, cov, weights, method, at, offset, outputs):
    def est(c):
        e, _ = index_effects_with_cov(
            c, free, cov, X, weights, SPECS, method, at, offset=offset, outputs=outputs
        )
        return e.ravel()

    jac = np.empty((est(coef).size, cov.shape[0]))
    for (j, col), f in np.ndenumerate(free):
        if f < 0:
            continue
        h = 1e-6 * max(1.0, abs(coef[j, col]))
        up, dn = coef.copy(), coef.copy()
        up[j, col] += h
        dn[j, col] -= h
        jac[:, f] = (est(up) - est(dn)) / (2 * h)
    return jac @ cov @ jac.T


@pytest.mark.parametrize("method", ["dydx", "eyex", "dyex", "eydx"])
@pytest.mark.parametrize("at", ["overall", "mean"])
@pytest.mark.parametrize("n_levels", [2, 4])
def test_analytic_jacobian_equals_central_differences(method, at, n_levels):
    X, coef, free, cov, rng = _problem(n_levels, seed=n_levels)
    weights = rng.integers(1, 4, X.shape[0]).astype(float)
    offset, outputs = None, None
    if n_levels == 2:  # the binary case: the event column only, with an offset
        offset = np.column_stack([np.zeros(X.shape[0]), rng.standard_normal(X.shape[0]) * 0.3])
        outputs = [1]
    X_before = X.copy()
    _, got = index_effects_with_cov(
        coef, free, cov, X, weights, SPECS, method, at, offset=offset, outputs=outputs
    )
    want = _numeric_jvj(X, coef, free, cov, weights, method, at, offset, outputs)
    # relative to the product of the two SEs (a correlation scale), so one tolerance serves all
    scale = np.sqrt(np.outer(np.diag(want), np.diag(want)))
    np.testing.assert_allclose(got / scale, want / scale, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF)
    np.testing.assert_array_equal(X, X_before)  # the design is not modified
