"""Engine-level tests of the chunked binary logit statistics (logitstats.engine.binary).

References: the textbook formulas evaluated directly with numpy on the whole data (no chunks, no
BLAS rank-k update), and statsmodels ``Logit`` fitted live.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm

from logitstats.engine import binary
from logitstats.numerics import parallel as chunks
from tests.tolerances import ATOL_PROPERTY, ATOL_SM, RTOL_PROPERTY, RTOL_SM


def _problem(n: int = 3000, k: int = 6, seed: int = 0, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, k - 1))])
    beta = rng.normal(0.0, scale, k)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ beta)))).astype(float)
    w = rng.integers(1, 4, n).astype(float)
    off = rng.normal(0.0, 0.3, n)
    return X, y, w, off, beta


def _direct(X, y, b, w=None, off=None):
    """loglik, score, information straight from their definitions (logaddexp, p (1 - p))."""
    eta = X @ b + (0.0 if off is None else off)
    w = np.ones(len(y)) if w is None else w
    p = 1.0 / (1.0 + np.exp(-eta))
    ll = float(np.sum(w * (y * eta - np.logaddexp(0.0, eta))))
    score = X.T @ (w * (y - p))
    info = (X * (w * p * (1.0 - p))[:, None]).T @ X
    return ll, score, info


@pytest.mark.parametrize("weighted", [False, True])
def test_statistics_equal_their_definitions(weighted):
    X, y, w, off, beta = _problem()
    args = (w, off) if weighted else (None, None)
    ll, score, info = binary.loglik_score_info(X, y, beta * 0.7, *args)
    ll0, score0, info0 = _direct(X, y, beta * 0.7, *args)
    np.testing.assert_allclose(ll, ll0, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(score, score0, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    np.testing.assert_allclose(info, info0, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    assert np.array_equal(info, info.T)


@pytest.mark.parametrize("chunk_rows", [1, 7, 256, 2999, 3000, 10**6])
def test_chunked_equals_unchunked(chunk_rows):
    X, y, w, off, beta = _problem(seed=1)
    whole = binary.chunk_stats(X, y, beta, w, off)
    ll, score, info = binary.loglik_score_info(X, y, beta, w, off, chunk_rows=chunk_rows)
    np.testing.assert_allclose(ll, whole.loglik, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(score, whole.score, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    np.testing.assert_allclose(info, whole.information, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)


def test_chunk_stats_add_up_over_any_partition():
    X, y, w, off, beta = _problem(seed=2)
    cuts = [0, 5, 900, 901, 2500, 3000]
    parts = [
        binary.chunk_stats(X[a:b], y[a:b], beta, w[a:b], off[a:b]) for a, b in zip(cuts, cuts[1:])
    ]
    ll, score, info = binary.loglik_score_info(X, y, beta, w, off)
    np.testing.assert_allclose(sum(p.loglik for p in parts), ll, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(sum(p.score for p in parts), score, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(sum(p.information for p in parts), info, rtol=RTOL_PROPERTY)


def test_non_contiguous_and_integer_inputs():
    X, y, w, off, beta = _problem(seed=3)
    Xf = np.asfortranarray(X)
    a = binary.loglik_score_info(Xf, y, beta, chunk_rows=100)
    b = binary.loglik_score_info(X, y, beta, chunk_rows=100)
    assert a[0] == pytest.approx(b[0], rel=RTOL_PROPERTY)
    np.testing.assert_allclose(a[2], b[2], rtol=RTOL_PROPERTY)
    st = binary.chunk_stats(X[::2], y[::2], beta)
    ref = _direct(X[::2], y[::2], beta)
    np.testing.assert_allclose(st.information, ref[2], rtol=RTOL_PROPERTY)


def test_extreme_linear_predictors_stay_finite_and_exact():
    # eta = +-800: exp(800) overflows; the one-exp form must not, and must stay accurate
    X = np.array([[1.0], [1.0], [1.0], [1.0]])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    off = np.array([800.0, -800.0, 30.0, -30.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        st = binary.chunk_stats(X, y, np.zeros(1), None, off)
    # log-likelihood: log sigmoid(30) twice (the +-800 rows are fitted exactly)
    expected_ll = 2.0 * -np.log1p(np.exp(-30.0))
    assert st.loglik == pytest.approx(expected_ll, rel=RTOL_PROPERTY)
    # p (1 - p) at |eta| = 30 is e / (1 + e)^2 with e = exp(-30), not 0 by cancellation
    e = np.exp(-30.0)
    assert st.information[0, 0] == pytest.approx(2 * e / (1 + e) ** 2, rel=RTOL_PROPERTY)


def test_fit_matches_statsmodels():
    X, y, _, off, _ = _problem(n=4000, k=8, seed=4, scale=0.5)
    state = binary.fit(X, y, offset=off, intercept_col=0)
    ref = sm.Logit(y, X, offset=off).fit(method="newton", disp=0, tol=1e-14, maxiter=100)
    assert state.converged
    np.testing.assert_allclose(state.params, ref.params, rtol=RTOL_SM, atol=ATOL_SM)
    assert state.loglik == pytest.approx(ref.llf, rel=RTOL_SM)
    cov = np.linalg.inv(state.information)
    np.testing.assert_allclose(cov, ref.cov_params(), rtol=RTOL_SM)


def test_chunk_rows_for_bounds_the_work_buffer():
    assert binary.chunk_rows_for(1) == binary.DEFAULT_CHUNK_ROWS
    assert binary.chunk_rows_for(61) * 61 * 8 <= binary.CHUNK_BYTES
    assert binary.chunk_rows_for(100_000) == 256


def test_warm_start_on_a_subsample_reaches_the_same_estimate(monkeypatch):
    # above WARM_START_MIN_ROWS the start comes from a fit on a systematic subsample, whose
    # information drives the first full-data steps (newton_chord): same estimate, fewer
    # full-data information matrices
    X, y, w, off, _ = _problem(n=chunks.WARM_START_MIN_ROWS, k=5, seed=5, scale=0.5)
    assert chunks.warm_start_rows(*X.shape) is not None
    full_info_calls = []
    original = binary.loglik_score_info

    def counting(Xa, *args, **kwargs):
        if Xa.shape[0] == X.shape[0]:
            full_info_calls.append(1)
        return original(Xa, *args, **kwargs)

    monkeypatch.setattr(binary, "loglik_score_info", counting)
    warm = binary.fit(X, y, w, off, intercept_col=0)
    n_warm = len(full_info_calls)
    monkeypatch.setattr("logitstats.engine.newton.warm_start_rows", lambda n, k: None)
    cold = binary.fit(X, y, w, off, intercept_col=0)
    n_cold = len(full_info_calls) - n_warm
    assert warm.converged and cold.converged
    np.testing.assert_allclose(warm.params, cold.params, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    assert warm.loglik == pytest.approx(cold.loglik, rel=RTOL_PROPERTY)
    np.testing.assert_allclose(warm.information, cold.information, rtol=RTOL_PROPERTY)
    assert n_warm < n_cold
