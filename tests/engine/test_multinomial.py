"""Engine-level tests of the chunked multinomial statistics (logitstats.engine.multinomial):
row chunks spread over the thread pool add up to the one-block statistics of the kernels
(tested against the row-by-row formulas in ``test_multinomial_kernels.py``).
"""

from __future__ import annotations

import numpy as np

from logitstats.engine import multinomial
from logitstats.engine.family import ModelArrays
from logitstats.engine.layout import ParamLayout
from tests.engine.test_multinomial_kernels import _problem
from tests.tolerances import RTOL_EXACT


def test_chunked_sum_equals_one_block():
    """Many small chunks (spread over the thread pool) add up to the one-block statistics."""
    K, p, n = 5, 4, 3001
    X, y, B, w, off = _problem(n, p, K, seed=11)
    layout = ParamLayout(tuple(f"x{i}" for i in range(p)), tuple(f"c{k}" for k in range(1, K)))
    params = layout.to_flat(B)
    family = multinomial.MultinomialFamily(layout, 0, 0)
    whole = family.block_stats(ModelArrays(X, y, w, off), params)
    ll, score, info = multinomial.loglik_score_info(
        X, y, params, layout, 0, w, chunk_rows=97, offset=off
    )
    np.testing.assert_allclose(ll, whole.loglik, rtol=RTOL_EXACT)
    np.testing.assert_allclose(score, whole.score, rtol=RTOL_EXACT, atol=RTOL_EXACT * n)
    np.testing.assert_allclose(info, whole.information, rtol=RTOL_EXACT, atol=RTOL_EXACT * n)
    ll2, score2 = multinomial.loglik_score(X, y, params, layout, 0, w, chunk_rows=97, offset=off)
    np.testing.assert_allclose(ll2, ll, rtol=RTOL_EXACT)
    np.testing.assert_allclose(score2, score, rtol=RTOL_EXACT, atol=RTOL_EXACT * n)
