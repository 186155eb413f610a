"""The one engine interface: ModelArrays, the Family protocol, fit_family, null and fixed states.

Expected values come from the families' own array functions (sums over blocks, ordinal.fit,
closed-form null log-likelihoods) or from identities of the models (weights = duplication,
an offset constant moves the intercepts only).
"""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.engine import binary, ordinal
from logitstats.engine.binary import BinaryFamily
from logitstats.engine.family import Family, ModelArrays
from logitstats.engine.layout import ParamLayout
from logitstats.engine.multinomial import MultinomialFamily
from logitstats.engine.newton import NewtonOptions, fit_family, fixed_state, null_state
from logitstats.engine.ordinal_family import OrdinalFamily
from logitstats.numerics.softmax import log_sigmoid
from tests.tolerances import (
    ATOL_NUMDIFF,
    ATOL_PROPERTY,
    ATOL_SUM_TO_ZERO,
    RTOL_EXACT,
    RTOL_NUMDIFF,
    RTOL_PROPERTY,
)


def _binary_problem(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, 2))])
    off = rng.normal(0.0, 0.3, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ [0.2, 0.8, -0.5] + off)))).astype(float)
    w = rng.integers(1, 4, n).astype(float)
    return ModelArrays(X, y, w, off), BinaryFamily(ParamLayout(("Intercept", "a", "b")), 0)


def _multinomial_problem(n=600, seed=1):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, 2))])
    off = rng.normal(0.0, 0.3, n)
    eta = np.column_stack([np.zeros(n), X @ [0.3, 0.5, -0.2] + off, X @ [-0.2, -0.4, 0.6] + off])
    p = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    y = (rng.random(n)[:, None] > p.cumsum(axis=1)).sum(axis=1).astype(np.intp)
    w = rng.integers(1, 4, n).astype(float)
    layout = ParamLayout(("Intercept", "a", "b"), outcomes=("B", "C"))
    return ModelArrays(X, y, w, off), MultinomialFamily(layout, 0, 0)


def _ordinal_problem(n=500, seed=2):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    off = rng.normal(0.0, 0.3, n)
    cum = 1 / (
        1 + np.exp(-(np.array([-0.7, 0.4, 1.3])[None, :] - (X @ [0.6, -0.4] + off)[:, None]))
    )
    y = (rng.random(n)[:, None] > cum).sum(axis=1).astype(np.intp)
    w = rng.integers(1, 4, n).astype(float)
    return ModelArrays(X, y, w, off), OrdinalFamily.for_columns(("a", "b"), 4)


PROBLEMS = {
    "binary": _binary_problem,
    "multinomial": _multinomial_problem,
    "ordinal": _ordinal_problem,
}


def test_model_arrays_checks_shapes():
    with pytest.raises(ValueError, match=r"offset must have shape \(3,\).*got \(2,\)"):
        ModelArrays(np.ones((3, 2)), np.zeros(3), offset=np.zeros(2))
    with pytest.raises(ValueError, match=r"X must be 2-D.*got shape \(3,\)"):
        ModelArrays(np.ones(3), np.zeros(3))


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_every_family_implements_the_protocol(kind):
    _, family = PROBLEMS[kind]()
    assert isinstance(family, Family)


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_block_statistics_add_up_to_the_whole(kind):
    arrays, family = PROBLEMS[kind]()
    params = family.start(arrays) + 0.1
    ll, score, info = family.loglik_score_info(arrays, params)
    blocks = [
        family.block_stats(arrays.rows(s), params)
        for s in (slice(0, 101), slice(101, 350), slice(350, None))
    ]
    np.testing.assert_allclose(sum(b.loglik for b in blocks), ll, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        sum(b.score for b in blocks), score, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY
    )
    np.testing.assert_allclose(
        sum(b.information for b in blocks), info, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY
    )
    ll2, score2 = family.loglik_score(arrays, params)
    np.testing.assert_allclose(ll2, ll, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(score2, score, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    # the per-row scores, weighted, sum to the score
    np.testing.assert_allclose(
        arrays.weights @ family.score_obs(arrays, params),
        score,
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )
    assert (
        family.block_stats(arrays.rows(slice(0, 50)), params, with_info=False).information is None
    )


def test_fit_family_reproduces_the_ordinal_engine_fit():
    arrays, family = _ordinal_problem()
    a = arrays
    own = ordinal.fit(a.X, a.y, 4, a.weights, a.offset)
    via = fit_family(family, arrays)
    assert own.converged and via.converged and via.n_iter == own.n_iter
    np.testing.assert_allclose(via.params, own.params, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    np.testing.assert_allclose(via.loglik, own.loglik, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(via.information, own.information, rtol=RTOL_PROPERTY)


def test_ordinal_null_state_is_the_closed_form_thresholds_only_fit():
    arrays, family = _ordinal_problem()
    no_offset = ModelArrays(arrays.X, arrays.y, arrays.weights)
    null = null_state(family, no_offset)
    assert null.converged and null.params.size == 3  # the cut-points only
    expected = ordinal.null_loglik(arrays.y, 4, arrays.weights)
    np.testing.assert_allclose(null.loglik, expected, rtol=RTOL_PROPERTY)


def test_binary_null_without_intercept_is_the_fixed_offset_state():
    arrays, family = _binary_problem()
    family = family.subset([1, 2])  # no intercept column
    null = null_state(family, arrays)
    assert null.converged and null.n_iter == 0 and null.message == "no free parameters"
    a = arrays
    expected = float(a.weights @ (a.y * a.offset + log_sigmoid(-a.offset)))
    np.testing.assert_allclose(null.loglik, expected, rtol=RTOL_PROPERTY)
    empty = family.subset([])
    again = fixed_state(lambda b: empty.loglik_score_info(arrays.columns([]), b), np.zeros(0))
    assert again.loglik == null.loglik


def test_binary_fit_wrapper_equals_fit_family():
    arrays, family = _binary_problem()
    a = arrays
    via = fit_family(family, arrays)
    own = binary.fit(a.X, a.y, a.weights, a.offset, intercept_col=0)
    np.testing.assert_array_equal(via.params, own.params)


def test_multinomial_offset_constant_moves_the_non_reference_intercepts_only():
    arrays, family = _multinomial_problem()
    base = ModelArrays(arrays.X, arrays.y, arrays.weights)
    shifted = ModelArrays(arrays.X, arrays.y, arrays.weights, np.full(arrays.n_rows, 0.7))
    opts = NewtonOptions(tol=1e-12)
    b0 = family.layout.to_matrix(fit_family(family, base, opts).params)
    b1 = family.layout.to_matrix(fit_family(family, shifted, opts).params)
    np.testing.assert_allclose(b1[0], b0[0] - 0.7, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    np.testing.assert_allclose(b1[1:], b0[1:], rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)


def test_multinomial_offset_weights_equal_row_duplication():
    arrays, family = _multinomial_problem(n=200)
    reps = arrays.weights.astype(int)
    rows = np.repeat(np.arange(arrays.n_rows), reps)
    a = arrays
    expanded = ModelArrays(a.X[rows], a.y[rows], None, a.offset[rows])
    opts = NewtonOptions(tol=1e-12)
    weighted, dup = fit_family(family, arrays, opts), fit_family(family, expanded, opts)
    np.testing.assert_allclose(weighted.params, dup.params, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    np.testing.assert_allclose(weighted.loglik, dup.loglik, rtol=RTOL_PROPERTY)


def _numeric_dprob(family, X, params, column, offset, h=1e-6):
    """Central differences of prob_table in design column ``column`` (error ~h**2)."""
    up, down = X.copy(), X.copy()
    up[:, column] += h
    down[:, column] -= h
    return (family.prob_table(up, params, offset) - family.prob_table(down, params, offset)) / (
        2 * h
    )


def test_probability_derivatives_of_the_binary_family_equal_central_differences():
    from logitstats.engine.family import ProbabilityDerivatives

    arrays, family = _binary_problem()
    params = np.array([0.2, 0.8, -0.5])
    assert isinstance(family, ProbabilityDerivatives)
    prob = family.prob_table(arrays.X, params, arrays.offset)
    assert prob.shape == (arrays.n_rows, 1)
    for column in (1, 2):
        got = family.dprob(arrays.X, params, column, arrays.offset)
        want = _numeric_dprob(family, arrays.X, params, column, arrays.offset)
        np.testing.assert_allclose(got, want, rtol=RTOL_NUMDIFF, atol=ATOL_NUMDIFF)
        np.testing.assert_array_equal(
            family.dprob(arrays.X, params, column, arrays.offset, prob=prob), got
        )


def test_probability_derivatives_of_the_multinomial_family_equal_central_differences():
    arrays, family = _multinomial_problem()
    X, off = arrays.X, arrays.offset
    params = np.linspace(-0.6, 0.7, family.n_params)
    prob = family.prob_table(X, params, off)
    assert prob.shape == (X.shape[0], family.layout.n_outcomes + 1)
    for column in (1, 2):
        got = family.dprob(X, params, column, off, prob=prob)
        want = _numeric_dprob(family, X, params, column, off)
        np.testing.assert_allclose(got, want, rtol=RTOL_NUMDIFF, atol=ATOL_NUMDIFF)
        np.testing.assert_allclose(got.sum(axis=1), 0.0, atol=ATOL_SUM_TO_ZERO)  # sum P_k = 1


@pytest.mark.parametrize("kind", ["binary", "multinomial"])
def test_index_model_reproduces_the_familys_probabilities(kind):
    # softmax(X B + offset) over the index model's K levels is the family's probability table
    # (binary: its event column)
    from logitstats.numerics.softmax import softmax

    arrays, family = PROBLEMS[kind]()
    params = np.linspace(-0.6, 0.7, family.n_params)
    model = family.index_model(params, arrays.offset)
    eta = arrays.X @ model.coef + (0.0 if model.offset is None else model.offset)
    prob = softmax(eta, axis=1)
    outputs = slice(None) if model.outputs is None else model.outputs
    np.testing.assert_allclose(
        prob[:, outputs], family.prob_table(arrays.X, params, arrays.offset), rtol=RTOL_EXACT
    )
    free = model.free[model.free >= 0]
    np.testing.assert_array_equal(np.sort(free), np.arange(family.n_params))
    np.testing.assert_array_equal(model.coef[model.free < 0], 0.0)


def test_the_traits_each_family_declares():
    # (outcome column, reference level, residual kinds) per family: what results and reports
    # ask instead of the kind
    want = {
        "binary": (False, False, True),
        "multinomial": (True, True, False),
        "ordinal": (True, False, False),
    }
    for kind, traits in want.items():
        _, family = PROBLEMS[kind]()
        got = (family.outcome_column, family.has_reference_level, family.defines_residuals)
        assert got == traits, kind
