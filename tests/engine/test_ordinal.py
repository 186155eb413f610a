"""Engine-level tests of the proportional-odds logit (logitstats.engine.ordinal) and of the Brant
test (logitstats.inference.brant), on arrays.

References: ``tests/reference/ordinal.json`` (``ordinal.R``: ``ordinal::clm`` exact fits of
``MASS::housing`` and ``ordinal::wine``, exact profile-CI roots, ``predict.clm`` probabilities, the
Brant formula), central differences, the binary engine, and statsmodels ``OrderedModel`` fitted
live. The data come from the JSON; X is built here by hand (treatment coding on R's level order).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.stats

from logitstats.engine import binary, ordinal
from logitstats.errors import DataError
from logitstats.inference.brant import brant_test
from tests.conftest import load_reference
from tests.tolerances import (
    ATOL_PROPERTY,
    ATOL_R,
    ATOL_SM,
    RTOL_NUMDIFF,
    RTOL_PROPERTY,
    RTOL_R,
    RTOL_SM,
    RTOL_SM_NUMERIC_HESSIAN,
)

REF = load_reference("ordinal")


def _case(name: str):
    """``(X, y, weights, n_levels, ref)`` of a reference case, X by treatment coding."""
    ref = REF[name]
    data = pd.DataFrame(ref["data_inline"])
    levels = ref["factor_levels"]
    outcome = ref["formula_r"].split("~")[0].strip()
    columns = []
    for name_py in ref["coef_names_py"]:
        var, level = name_py.split("[T.")
        columns.append((data[var] == level.rstrip("]")).to_numpy(dtype=float))
    X = np.column_stack(columns)
    y = pd.Categorical(data[outcome], categories=levels[outcome]).codes.astype(np.intp)
    w = None if ref["weights"] is None else data[ref["weights"]].to_numpy(dtype=float)
    return X, y, w, len(levels[outcome]), ref


def _problem(n=400, k=3, n_levels=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, k))
    beta = rng.normal(0.0, 0.8, k)
    theta = np.sort(rng.normal(0.0, 1.5, n_levels - 1)) + np.arange(n_levels - 1) * 0.3
    off = rng.normal(0.0, 0.3, n)
    cum = 1.0 / (1.0 + np.exp(-(theta[None, :] - (X @ beta + off)[:, None])))
    y = (rng.random(n)[:, None] > cum).sum(axis=1).astype(np.intp)
    w = rng.integers(1, 4, n).astype(float)
    return X, y, w, off, np.concatenate([beta, theta])


# ----------------------------------------------------------------------------------------------
# against R (clm at gradTol 1e-12)
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["housing", "wine"])
def test_fit_matches_r(name):
    X, y, w, J, ref = _case(name)
    state = ordinal.fit(X, y, J, w)
    assert state.converged
    k = X.shape[1]
    cov = np.linalg.inv(state.information)
    se = np.sqrt(np.diag(cov))
    np.testing.assert_allclose(state.params[:k], ref["coef"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(state.params[k:], ref["theta"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(se[:k], ref["se"], rtol=RTOL_R)
    np.testing.assert_allclose(se[k:], ref["se_theta"], rtol=RTOL_R)
    np.testing.assert_allclose(cov, np.array(ref["cov"]), rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(state.loglik, ref["llf"], rtol=RTOL_R)
    n_params = state.params.size
    assert n_params == ref["n_params"]
    np.testing.assert_allclose(-2.0 * state.loglik + 2.0 * n_params, ref["aic"], rtol=RTOL_R)
    np.testing.assert_allclose(ordinal.null_loglik(y, J, w), ref["llnull"], rtol=RTOL_R)


@pytest.mark.parametrize("name", ["housing", "wine"])
def test_probabilities_match_r(name):
    X, y, w, J, ref = _case(name)
    state = ordinal.fit(X, y, J, w)
    k = X.shape[1]
    rows = np.asarray(ref["prob_rows"]) - 1  # R rows are 1-based
    prob = ordinal.probabilities(X[rows], state.params[:k], state.params[k:])
    np.testing.assert_allclose(prob, np.array(ref["prob"]), rtol=RTOL_R, atol=ATOL_R)
    cum = ordinal.cumulative_probabilities(X[rows], state.params[:k], state.params[k:])
    np.testing.assert_allclose(cum, np.cumsum(ref["prob"], axis=1)[:, :-1], rtol=RTOL_R)


def test_profile_bounds_of_r_are_roots_of_our_profile_deviance():
    # R's exact profile-CI bounds (uniroot on clm refits): fixing beta_j at a bound through the
    # offset, our fit of the remaining parameters must lose exactly qchisq(0.95, 1) / 2 in loglik.
    X, y, w, J, ref = _case("housing")
    crit = scipy.stats.chi2.ppf(0.95, 1)
    llf = ordinal.fit(X, y, J, w).loglik
    for j in range(X.shape[1]):
        rest = np.delete(X, j, axis=1)
        for bound in (ref["ci_profile_low"][j], ref["ci_profile_high"][j]):
            prof = ordinal.fit(rest, y, J, w, offset=bound * X[:, j])
            assert prof.converged
            np.testing.assert_allclose(2.0 * (llf - prof.loglik), crit, rtol=RTOL_R)


# ----------------------------------------------------------------------------------------------
# analytic derivatives
# ----------------------------------------------------------------------------------------------


def _numdiff(fun, x, h=1e-6):
    cols = []
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        cols.append((np.asarray(fun(x + e)) - np.asarray(fun(x - e))) / (2.0 * h))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("weighted", [False, True])
def test_score_and_information_equal_central_differences(weighted):
    X, y, w, off, params = _problem()
    w = w if weighted else None
    point = params + 0.2  # away from the MLE; cut-points stay increasing
    stats = ordinal.chunk_stats(X, y, point, 4, w, off)
    grad = _numdiff(lambda p: ordinal.chunk_stats(X, y, p, 4, w, off).loglik, point)
    hess = _numdiff(lambda p: ordinal.chunk_stats(X, y, p, 4, w, off).score, point)
    scale = np.abs(stats.information).max()
    np.testing.assert_allclose(stats.score, grad, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF * scale)
    np.testing.assert_allclose(
        stats.information, -hess, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF * scale
    )
    assert np.array_equal(stats.information, stats.information.T)


def test_tau_statistics_equal_central_differences():
    X, y, w, off, params = _problem(seed=1)
    k = X.shape[1]
    point = params + 0.1
    tau = ordinal.tau_from_theta(point[k:])

    def stats_tau(p):
        theta_point = np.concatenate([p[:k], ordinal.theta_from_tau(p[k:])])
        return ordinal.tau_stats(ordinal.chunk_stats(X, y, theta_point, 4, w, off), p[k:])

    p_tau = np.concatenate([point[:k], tau])
    st = stats_tau(p_tau)
    grad = _numdiff(lambda p: stats_tau(p).loglik, p_tau)
    hess = _numdiff(lambda p: stats_tau(p).score, p_tau)
    scale = np.abs(st.information).max()
    np.testing.assert_allclose(st.score, grad, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF * scale)
    np.testing.assert_allclose(st.information, -hess, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF * scale)


def test_tau_round_trip_and_jacobian():
    theta = np.array([-1.3, 0.2, 0.21, 4.0])
    tau = ordinal.tau_from_theta(theta)
    np.testing.assert_allclose(ordinal.theta_from_tau(tau), theta, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        ordinal.tau_jacobian(tau), _numdiff(ordinal.theta_from_tau, tau), rtol=RTOL_NUMDIFF
    )


def test_delta_method_covariance_equals_inverse_theta_information_at_mle():
    X, y, w, J, _ = _case("wine")
    state = ordinal.fit(X, y, J, w)
    k = X.shape[1]
    tau = ordinal.tau_from_theta(state.params[k:])
    stats = ordinal.ChunkStats(state.loglik, state.score, state.information)
    cov_tau = np.linalg.inv(ordinal.tau_stats(stats, tau).information)
    np.testing.assert_allclose(
        ordinal.theta_covariance(cov_tau, tau),
        np.linalg.inv(state.information),
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )


def test_statistics_are_additive_over_blocks():
    X, y, w, off, params = _problem(n=1000, seed=2)
    whole = ordinal.chunk_stats(X, y, params, 4, w, off)
    parts = [
        ordinal.chunk_stats(X[s], y[s], params, 4, w[s], off[s])
        for s in (slice(0, 137), slice(137, 600), slice(600, 1000))
    ]
    np.testing.assert_allclose(sum(p.loglik for p in parts), whole.loglik, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        sum(p.score for p in parts), whole.score, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY
    )
    np.testing.assert_allclose(
        sum(p.information for p in parts), whole.information, rtol=RTOL_PROPERTY
    )
    ll, score, info = ordinal.loglik_score_info(X, y, params, 4, w, off, chunk_rows=64)
    np.testing.assert_allclose(ll, whole.loglik, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(score, whole.score, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)
    np.testing.assert_allclose(info, whole.information, rtol=RTOL_PROPERTY)


def test_score_obs_sums_to_the_score():
    X, y, w, off, params = _problem(seed=3)
    per_row = ordinal.score_obs(X, y, params, 4, off)
    assert per_row.shape == (X.shape[0], params.size)
    np.testing.assert_allclose(
        w @ per_row,
        ordinal.chunk_stats(X, y, params, 4, w, off).score,
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )


def test_log_likelihood_is_accurate_far_in_the_tails():
    # Both ends deep in the lower tail: F(x) = e^x (1 + O(e^x)), so log p = u + log(1 - e^(l-u))
    # to double precision; deep in the upper tail log p = -l + log(1 - e^(l-u)). The naive
    # log(F(u) - F(l)) is log(0) = -inf in both cases.
    X = np.zeros((2, 0))
    theta = np.array([-1.0, 0.0])
    offset = np.array([600.0, -600.0])  # (u, l) = (-600, -601) and (600, 599)
    stats = ordinal.chunk_stats(X, np.array([1, 1]), theta, 3, offset=offset)
    expected = (-600.0 + np.log1p(-np.exp(-1.0))) + (-599.0 + np.log1p(-np.exp(-1.0)))
    np.testing.assert_allclose(stats.loglik, expected, rtol=RTOL_PROPERTY)
    assert np.all(np.isfinite(stats.score)) and np.all(np.isfinite(stats.information))
    prob = ordinal.probabilities(X, np.zeros(0), theta, offset)
    assert np.all(prob[:, 1] > 0.0)
    np.testing.assert_allclose(np.log(prob[:, 1]).sum(), expected, rtol=RTOL_PROPERTY)


# ----------------------------------------------------------------------------------------------
# invariances and cross-checks
# ----------------------------------------------------------------------------------------------


def test_two_levels_equal_the_binary_logit():
    X, y, w, off, _ = _problem(n=500, n_levels=2, seed=4)
    state = ordinal.fit(X, y, 2, w, off)
    X1 = np.column_stack([np.ones(len(y)), X])
    # P(Y > 0) = sigmoid(eta - theta_0): slopes equal, intercept = -theta_0
    ref = binary.fit(X1, (y > 0).astype(float), w, off, intercept_col=0)
    flip = np.concatenate([-np.ones(1), np.ones(X.shape[1])])
    order = np.r_[np.arange(1, X.shape[1] + 1), 0]
    np.testing.assert_allclose(state.params, (ref.params * flip)[order], rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(state.loglik, ref.loglik, rtol=RTOL_PROPERTY)
    cov_bin = np.linalg.inv(ref.information) * np.outer(flip, flip)
    np.testing.assert_allclose(
        np.linalg.inv(state.information),
        cov_bin[np.ix_(order, order)],
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )


def test_frequency_weights_equal_row_duplication():
    X, y, w, J, _ = _case("housing")
    rows = np.repeat(np.arange(len(y)), w.astype(int))
    weighted = ordinal.fit(X, y, J, w)
    expanded = ordinal.fit(X[rows], y[rows], J)
    np.testing.assert_allclose(weighted.params, expanded.params, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(weighted.loglik, expanded.loglik, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(weighted.information, expanded.information, rtol=RTOL_PROPERTY)


def test_reversing_the_level_order_flips_the_signs():
    X, y, w, off, _ = _problem(seed=5)
    k = X.shape[1]
    fwd = ordinal.fit(X, y, 4, w, off)
    rev = ordinal.fit(X, 3 - y, 4, w, -off)
    np.testing.assert_allclose(rev.params[:k], -fwd.params[:k], rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(rev.params[k:], -fwd.params[k:][::-1], rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(rev.loglik, fwd.loglik, rtol=RTOL_PROPERTY)


def test_thresholds_only_fit_is_the_closed_form_null():
    X, y, w, J, _ = _case("housing")
    state = ordinal.fit(np.zeros((len(y), 0)), y, J, w)
    np.testing.assert_allclose(state.params, ordinal.start_values(y, J, w), rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(state.loglik, ordinal.null_loglik(y, J, w), rtol=RTOL_PROPERTY)


def test_statsmodels_ordered_model_agrees():
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    X, y, _, J, _ = _case("wine")
    ours = ordinal.fit(X, y, J)
    model = OrderedModel(y, X, distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' own convergence chatter at tol 1e-14
        res = model.fit(method="newton", tol=1e-14, maxiter=200, disp=0)
    k = X.shape[1]
    # statsmodels' thresholds are (theta_1, log-increments): our tau
    theta_sm = model.transform_threshold_params(res.params)[1:-1]
    np.testing.assert_allclose(ours.params[:k], res.params[:k], rtol=RTOL_SM, atol=ATOL_SM)
    np.testing.assert_allclose(ours.params[k:], theta_sm, rtol=RTOL_SM, atol=ATOL_SM)
    np.testing.assert_allclose(ours.loglik, res.llf, rtol=RTOL_SM)
    # statsmodels' covariance (in beta, tau) comes from a numerical Hessian
    tau = ordinal.tau_from_theta(ours.params[k:])
    stats = ordinal.ChunkStats(ours.loglik, ours.score, ours.information)
    cov_tau = np.linalg.inv(ordinal.tau_stats(stats, tau).information)
    np.testing.assert_allclose(np.sqrt(np.diag(cov_tau)), res.bse, rtol=RTOL_SM_NUMERIC_HESSIAN)


def test_subsample_warm_start_lands_on_the_same_estimate():
    # n = 200000 rows switch on the subsample start (chunks.warm_start_rows)
    X, y, w, off, _ = _problem(n=200_000, k=2, n_levels=3, seed=7)
    warm = ordinal.fit(X, y, 3, w, off)
    cold = ordinal.fit(X, y, 3, w, off, start=ordinal.start_values(y, 3, w, n_features=2))
    assert warm.converged and cold.converged
    assert warm.n_iter < cold.n_iter
    np.testing.assert_allclose(warm.params, cold.params, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(warm.information, cold.information, rtol=RTOL_PROPERTY)


def test_fit_does_not_mutate_its_input():
    X, y, w, off, _ = _problem(seed=6)
    copies = [a.copy() for a in (X, y, w, off)]
    ordinal.fit(X, y, 4, w, off)
    for a, b in zip((X, y, w, off), copies, strict=True):
        assert np.array_equal(a, b)


# ----------------------------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------------------------


def test_codes_out_of_range_are_rejected():
    with pytest.raises(DataError, match=r"integer level codes 0 \.\. 2.*got the code 3"):
        ordinal.fit(np.zeros((3, 0)), np.array([0, 1, 3]), 3)


def test_non_integer_codes_are_rejected():
    with pytest.raises(DataError, match=r"y must hold integer level codes.*got dtype <U1"):
        ordinal.start_values(np.array(["a", "b"]), 2)


def test_too_few_levels_are_rejected():
    with pytest.raises(DataError, match=r"n_levels must be an integer >= 2.*got n_levels=1"):
        ordinal.start_values(np.array([0, 0]), 1)


def test_an_empty_level_is_rejected_by_name():
    with pytest.raises(DataError, match=r"y: level code 1 has no observations.*merge it"):
        ordinal.fit(np.zeros((3, 0)), np.array([0, 2, 2]), 3)


def test_non_increasing_cut_points_are_rejected():
    with pytest.raises(DataError, match=r"theta \(the cut-points\) must be strictly increasing"):
        ordinal.tau_from_theta(np.array([0.0, 0.0]))


# ----------------------------------------------------------------------------------------------
# Brant test
# ----------------------------------------------------------------------------------------------


def test_brant_matches_r():
    X, y, w, J, ref = _case("housing")
    res = brant_test(X, y, J, w)
    b = ref["brant"]
    np.testing.assert_allclose(res.statistic, b["omnibus_statistic"], rtol=RTOL_R)
    assert res.df == b["omnibus_df"]
    np.testing.assert_allclose(res.pvalue, b["omnibus_p"], rtol=RTOL_R)
    np.testing.assert_allclose(res.term_statistic, b["term_statistic"], rtol=RTOL_R)
    np.testing.assert_array_equal(res.term_df, b["term_df"])
    np.testing.assert_allclose(res.term_pvalue, b["term_p"], rtol=RTOL_R)
    np.testing.assert_allclose(res.binary_coef, np.array(b["binary_coef"]), rtol=RTOL_R)
    np.testing.assert_allclose(
        res.cov_stacked, np.array(b["cov_stacked"]), rtol=RTOL_R, atol=ATOL_R
    )


def test_brant_weights_equal_row_duplication_and_terms_group_columns():
    X, y, w, J, ref = _case("housing")
    rows = np.repeat(np.arange(len(y)), w.astype(int))
    expanded = brant_test(X[rows], y[rows], J)
    np.testing.assert_allclose(
        expanded.statistic, ref["brant"]["check_expanded_omnibus_statistic"], rtol=RTOL_R
    )
    weighted = brant_test(X, y, J, w, terms=[[0, 1], [2, 3, 4], [5]])
    np.testing.assert_allclose(weighted.statistic, expanded.statistic, rtol=RTOL_PROPERTY)
    np.testing.assert_array_equal(weighted.term_df, [2, 3, 1])
    # a one-column term is the per-column statistic
    np.testing.assert_allclose(
        weighted.term_statistic[2], ref["brant"]["term_statistic"][5], rtol=RTOL_R
    )


def test_brant_reports_a_separated_split():
    # wine: no warm wine is rated 1, so the logit of 1[rating > 1] has no finite MLE
    X, y, _, J, _ = _case("wine")
    with pytest.raises(DataError, match=r"binary logit of 1\[y > 0\] is separated.*column 0"):
        brant_test(X, y, J)


def test_brant_needs_three_levels_and_valid_terms():
    X, y, w, J, _ = _case("housing")
    with pytest.raises(DataError, match=r"n_levels must be an integer >= 3.*got n_levels=2"):
        brant_test(X, np.minimum(y, 1), 2)
    with pytest.raises(DataError, match=r"terms\[0\] must list column indices in 0 \.\. 5"):
        brant_test(X, y, J, w, terms=[[6]])
