"""numerics/distributions.py against scipy.stats over grids that include the far tails and the
edges (support bounds, q in {0, 1}, outside [0, 1], NaN, invalid degrees of freedom).

scipy.stats computes these with the same scipy.special kernels, so the reference is scipy.stats
itself; the tolerance is RTOL_FEW_ULPS (1e-15 relative), with atol 0 so that tiny tails count.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose

from logitstats.numerics import distributions as dist
from tests.tolerances import RTOL_FEW_ULPS

X = np.concatenate(
    [
        -np.logspace(-8, np.log10(40.0), 60),
        [0.0, -0.0, np.inf, -np.inf, np.nan],
        np.logspace(-8, np.log10(40.0), 60),
    ]
)
X_POS = np.concatenate([[0.0, -1.0, -1e-300, np.inf, np.nan], np.logspace(-10, 3.5, 80)])
Q = np.concatenate(
    [
        [0.0, 1.0, -0.1, 1.1, np.nan, 0.5],
        np.logspace(-300, -1, 40),
        1.0 - np.logspace(-15, -1, 30),
        np.linspace(0.01, 0.99, 25),
    ]
)
DF = [-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 7.5, 30.0, 1e3]


def _close(actual: object, expected: object) -> None:
    assert_allclose(
        np.asarray(actual, dtype=float),
        np.asarray(expected, dtype=float),
        rtol=RTOL_FEW_ULPS,
        atol=0.0,
        equal_nan=True,
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (dist.norm_cdf, scipy.stats.norm.cdf),
        (dist.norm_sf, scipy.stats.norm.sf),
    ],
)
def test_normal_tails_equal_scipy_stats(ours, theirs) -> None:
    _close(ours(X), theirs(X))
    _close(ours(-38.5), theirs(-38.5))  # the far tail ~1e-324 region


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(dist.norm_ppf, scipy.stats.norm.ppf), (dist.norm_isf, scipy.stats.norm.isf)],
)
def test_normal_quantiles_equal_scipy_stats(ours, theirs) -> None:
    _close(ours(Q), theirs(Q))


@pytest.mark.parametrize("df", DF)
def test_chi2_equals_scipy_stats(df: float) -> None:
    _close(dist.chi2_sf(X_POS, df), scipy.stats.chi2.sf(X_POS, df))
    _close(dist.chi2_ppf(Q, df), scipy.stats.chi2.ppf(Q, df))
    _close(dist.chi2_isf(Q, df), scipy.stats.chi2.isf(Q, df))


@pytest.mark.parametrize("df", DF)
def test_t_equals_scipy_stats(df: float) -> None:
    _close(dist.t_sf(X, df), scipy.stats.t.sf(X, df))
    _close(dist.t_ppf(Q, df), scipy.stats.t.ppf(Q, df))


@pytest.mark.parametrize("dfn", [-1.0, 0.0, 1.0, 3.0, 12.5])
@pytest.mark.parametrize("dfd", [0.0, 1.0, 4.0, 60.0, 1e4])
def test_f_sf_equals_scipy_stats(dfn: float, dfd: float) -> None:
    _close(dist.f_sf(X_POS, dfn, dfd), scipy.stats.f.sf(X_POS, dfn, dfd))


def test_broadcasting_and_scalar_results_as_scipy_stats() -> None:
    x = np.array([[0.5], [3.0]])
    df = np.array([1.0, 2.0, 5.0])
    _close(dist.chi2_sf(x, df), scipy.stats.chi2.sf(x, df))
    assert dist.chi2_sf(x, df).shape == (2, 3)
    for value in (dist.norm_sf(1.0), dist.norm_ppf(0.975), dist.chi2_sf(2.0, 1)):
        assert isinstance(value, np.floating)
    assert dist.norm_sf([1.0]).shape == (1,)
