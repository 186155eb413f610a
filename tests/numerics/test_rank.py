"""The aliasing rule (logitstats.numerics.rank.aliased_columns) against R's pivoted QR.

References: ``tests/reference/rank.json``, written by ``tests/reference/rank.R`` (R's ``qr`` with
LINPACK ``dqrdc2`` and ``tol = 1e-7``, the QR of ``lm``/``glm``; the matrices are stored in the
file), and numpy's rank (``matrix_rank``, SVD) on products ``A @ B`` of known rank.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from logitstats.numerics.rank import ALIAS_TOL, aliased_columns
from tests.tolerances import ATOL_ALIAS_COMBINATION

REF = json.loads((Path(__file__).parent.parent / "reference" / "rank.json").read_text())
CASES = sorted(k for k in REF if k != "meta")


@pytest.mark.parametrize("name", CASES)
def test_aliased_columns_match_r_qr(name):
    case = REF[name]
    X = np.array(case["X"], dtype=float)
    w = np.array(case["weights"], dtype=float)  # all 1 unless the case is weighted
    aliased, combination = aliased_columns(X, w)
    assert aliased == case["aliased"]
    assert X.shape[1] - len(aliased) == case["rank"]
    for j, r_coef in case["combination"].items():
        ours = dict(combination[int(j)])
        # ours lists the kept columns with |coefficient| > 1e-8, rounded to 10 decimals
        expected = {k: c for k, c in zip(case["kept"], r_coef) if abs(c) > 1e-8}
        assert sorted(ours) == sorted(expected)
        for k, c in expected.items():
            assert ours[k] == pytest.approx(c, abs=ATOL_ALIAS_COMBINATION)


def test_r_tol_is_the_default():
    assert ALIAS_TOL == 1e-7  # R's qr(tol = 1e-7), used by lm.fit and glm.fit


@pytest.mark.parametrize(("n", "p", "r", "seed"), [(40, 6, 3, 0), (30, 8, 5, 1), (4, 6, 4, 2)])
def test_number_aliased_is_p_minus_numpy_rank(n, p, r, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, r)) @ rng.standard_normal((r, p))
    assert np.linalg.matrix_rank(X) == r
    aliased, _ = aliased_columns(X)
    kept = [j for j in range(p) if j not in aliased]
    assert len(aliased) == p - r
    assert np.linalg.matrix_rank(X[:, kept]) == r
    # generic columns: the first r in order are independent, so exactly the later ones go
    assert aliased == list(range(r, p))


def test_weights_are_row_duplication():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((10, 2))
    X = np.column_stack([np.ones(10), x, x[:, 0] - x[:, 1]])
    w = rng.integers(1, 4, 10)
    assert aliased_columns(X, w.astype(float)) == aliased_columns(np.repeat(X, w, axis=0))


def test_zero_weight_rows_do_not_count():
    x = np.arange(1.0, 7.0)
    x2 = x.copy()
    x2[-1] = 50.0  # differs from x only on the row of weight 0
    X = np.column_stack([np.ones(6), x, x2])
    assert aliased_columns(X)[0] == []
    assert aliased_columns(X, np.array([1.0, 1, 1, 1, 1, 0]))[0] == [2]


def test_no_columns_and_input_not_mutated():
    assert aliased_columns(np.zeros((5, 0))) == ([], {})
    X = np.column_stack([np.ones(4), np.arange(4.0), 2 * np.arange(4.0)])
    before = X.copy()
    w = np.array([1.0, 0.0, 2.0, 1.0])
    aliased_columns(X, w)
    np.testing.assert_array_equal(X, before)
    np.testing.assert_array_equal(w, [1.0, 0.0, 2.0, 1.0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_aliased_from_gram_equals_the_qr_rule(seed):
    """The Gram form (summed over partitions) finds the same columns and combinations as
    aliased_columns on the rows (reference: the QR rule above)."""
    from logitstats.numerics.rank import aliased_from_gram

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((200, 3))
    d = (rng.random(200) < 0.5).astype(float)
    X = np.column_stack([np.ones(200), x, 2 * x[:, 0] - x[:, 2], d, 1 - d, np.zeros(200)])
    w = rng.integers(0, 3, 200).astype(float)
    want = aliased_columns(X, w)
    got = aliased_from_gram(X.T @ (X * w[:, None]))
    assert got[0] == want[0] == [4, 6, 7]
    for j in want[0]:
        assert [k for k, _ in got[1][j]] == [k for k, _ in want[1][j]]
        np.testing.assert_allclose(
            [c for _, c in got[1][j]], [c for _, c in want[1][j]], atol=ATOL_ALIAS_COMBINATION
        )
