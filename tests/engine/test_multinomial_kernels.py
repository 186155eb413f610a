"""Tests of the multinomial block kernels (logitstats.engine.multinomial_kernels).

Reference: the textbook formulas evaluated row by row with numpy on the whole data (no chunks,
no BLAS rank-k update)::

    loglik = sum_i w_i log p_{i, y_i}
    score  = sum_i w_i x_i (e_{y_i} - p_i)            (non-reference levels)
    info   = sum_i w_i (diag(p_i) - p_i p_i') (x) x_i x_i'
"""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.engine import multinomial_kernels
from tests.tolerances import RTOL_EXACT


def _problem(n: int, p: int, K: int, seed: int, scale: float = 0.5):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
    y = rng.integers(0, K, n)
    B = rng.normal(0.0, scale, (p, K - 1))
    w = rng.integers(1, 4, n).astype(float)
    off = rng.normal(0.0, 0.3, n)
    return X, y, B, w, off


def _direct(X, y, B, reference, w=None, off=None):
    """Row-by-row statistics in matrix form: score (p, J), information (p, J, p, J)."""
    n, p = X.shape
    J = B.shape[1]
    nonref = [k for k in range(J + 1) if k != reference]
    w = np.ones(n) if w is None else w
    off = np.zeros(n) if off is None else off
    ll = 0.0
    score = np.zeros((p, J))
    info = np.zeros((p, J, p, J))
    for i in range(n):
        eta = np.zeros(J + 1)
        eta[nonref] = X[i] @ B + off[i]
        logp = eta - np.logaddexp.reduce(eta)
        prob = np.exp(logp)[nonref]
        ll += w[i] * logp[y[i]]
        hit = np.array([float(y[i] == k) for k in nonref])
        score += w[i] * np.outer(X[i], hit - prob)
        weight = np.diag(prob) - np.outer(prob, prob)  # (J, J)
        info += w[i] * np.einsum("a,jl,b->ajbl", X[i], weight, X[i])
    return ll, score, info


@pytest.mark.parametrize(
    ("K", "reference", "weighted"),
    [(2, 0, False), (3, 1, True), (4, 3, False), (6, 2, True)],
)
def test_chunk_stats_match_row_by_row_formulas(K, reference, weighted):
    X, y, B, w, off = _problem(400, 5, K, seed=K)
    w_ = w if weighted else None
    off_ = off if weighted else None
    st = multinomial_kernels.chunk_stats(X, y, B, w_, reference=reference, offset=off_)
    ll, score, info = _direct(X, y, B, reference, w_, off_)
    np.testing.assert_allclose(st.loglik, ll, rtol=RTOL_EXACT)
    np.testing.assert_allclose(st.score, score, rtol=RTOL_EXACT, atol=RTOL_EXACT * 400)
    np.testing.assert_allclose(st.information, info, rtol=RTOL_EXACT, atol=RTOL_EXACT * 400)


def test_diagonal_blocks_keep_accuracy_when_one_level_dominates():
    """p_j (1 - p_j) with p_j = 1 - 1e-12: 1 - p_j comes from the other levels, not 1 - p_j."""
    X = np.ones((3, 1))
    # level 1 has eta = 30 against 0 for the reference and -30 for level 2: 1 - p_1 ~ 9.4e-14
    B = np.array([[30.0, -30.0]])
    y = np.array([1, 1, 0])
    st = multinomial_kernels.chunk_stats(X, y, B, reference=0)
    e = np.exp([0.0, 30.0, -30.0])
    prob = e / e.sum()
    rest = (e[0] + e[2]) / e.sum()  # 1 - p_1 without cancellation
    expected = 3 * prob[1] * rest
    np.testing.assert_allclose(st.information[0, 0, 0, 0], expected, rtol=RTOL_EXACT)
    np.testing.assert_allclose(
        st.information[0, 1, 0, 1], 3 * prob[2] * (e[0] + e[1]) / e.sum(), rtol=RTOL_EXACT
    )


def test_chunk_stats_do_not_modify_inputs():
    X, y, B, w, off = _problem(300, 3, 4, seed=5)
    copies = [a.copy() for a in (X, y, B, w, off)]
    multinomial_kernels.chunk_stats(X, y, B, w, reference=2, offset=off)
    for before, after in zip(copies, (X, y, B, w, off)):
        np.testing.assert_array_equal(before, after)
