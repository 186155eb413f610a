r"""Ordinal (cumulative) logit with proportional odds: statistics, start values and fit on ndarrays.

The outcome of row i is a code ``y_i`` in ``0 .. J-1`` (an index into the ordered levels). The
model, with the sign convention of R's ``MASS::polr`` and ``ordinal::clm``::

    logit P(Y_i <= j | x_i) = theta_j - eta_i,    eta_i = x_i' beta + o_i,    j = 0 .. J-2

(``theta`` 0-based here; R's ``theta_1 .. theta_{J-1}``). ``X`` has **no** intercept column: the
cut-points play its part. The flat parameter vector is ``(beta, theta)``: the ``P`` slopes first,
then the ``J - 1`` cut-points in level order (the order of ``vcov(polr)``).

Newton runs on an unconstrained parametrisation of the cut-points, ``tau = (theta_0,
log(theta_1 - theta_0), ..., log(theta_{J-2} - theta_{J-3}))`` (statsmodels' ``OrderedModel``
threshold parametrisation), so that every step keeps them strictly increasing;
:func:`theta_from_tau`, :func:`tau_from_theta` and :func:`tau_jacobian` convert. The fit is
returned in the ``theta`` parametrisation with the exact observed information of ``(beta,
theta)``; at the MLE its inverse equals the delta-method covariance ``J I_tau^{-1} J'``
(:func:`theta_covariance`).

Numerics (in :mod:`logitstats.engine.ordinal_kernels`): with ``u = theta_{y} - eta`` and
``l = theta_{y-1} - eta`` (``+inf`` / ``-inf`` at the ends)
the logistic identity ``F(u) - F(l) = F(u) (1 - F(l)) (1 - exp(-(u - l)))`` gives::

    log P(Y = y) = log_sigmoid(u) + log_sigmoid(-l) + log1mexp(u - l)

three terms without cancellation for any ``u > l``, however far in the tails. ``log_sigmoid`` is
``min(x, 0) - log1p(exp(-|x|))`` (one ``exp`` per row and end, as in
:mod:`logitstats.numerics.softmax`),
and ``log1mexp(d) = log(-expm1(-d))`` for ``d <= log 2``, ``log1p(-exp(-d))`` above (Maechler
2012). Category probabilities (:func:`probabilities`) use the same product formula with
:func:`logitstats.numerics.softmax.sigmoid`'s engine kernel.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from logitstats.engine.newton import WARM_START_TOL, FitState, NewtonOptions, newton
from logitstats.engine.ordinal_kernels import (
    DEFAULT_CHUNK_ROWS,
    ChunkStats,
    check_codes,
    chunk_stats,
    loglik_score_info,
    score_obs,
)
from logitstats.errors import DataError
from logitstats.numerics.parallel import warm_start_rows
from logitstats.numerics.softmax import _sigmoid_fast

__all__ = [
    "ChunkStats",
    "chunk_stats",
    "loglik_score_info",
    "score_obs",
    "start_values",
    "null_loglik",
    "probabilities",
    "cumulative_probabilities",
    "theta_from_tau",
    "tau_from_theta",
    "tau_jacobian",
    "tau_stats",
    "theta_covariance",
    "fit",
    "DEFAULT_CHUNK_ROWS",
]

# the per-row kernels and block statistics: logitstats.engine.ordinal_kernels
_check_codes = check_codes

# --------------------------------------------------------------------------------------------
# the cut-point parametrisation
# --------------------------------------------------------------------------------------------


def theta_from_tau(tau: np.ndarray) -> np.ndarray:
    """Cut-points ``theta_j = tau_0 + sum_{m=1..j} exp(tau_m)`` (strictly increasing)."""
    tau = np.asarray(tau, dtype=np.float64)
    if tau.size == 0:
        return tau.copy()
    return np.concatenate([tau[:1], tau[0] + np.cumsum(np.exp(tau[1:]))])


def tau_from_theta(theta: np.ndarray) -> np.ndarray:
    """``tau = (theta_0, log(diff(theta)))``; ``theta`` must be strictly increasing.

    Raises
    ------
    DataError
        If the cut-points are not strictly increasing.
    """
    theta = np.asarray(theta, dtype=np.float64)
    steps = np.diff(theta)
    if np.any(~(steps > 0.0)):
        raise DataError(
            "theta (the cut-points) must be strictly increasing; got differences "
            f"{steps.tolist()}. Pass cut-points in level order, e.g. from start_values"
        )
    return np.concatenate([theta[:1], np.log(steps)])


def tau_jacobian(tau: np.ndarray) -> np.ndarray:
    """``d theta / d tau``, lower triangular: column 0 is ones, column m >= 1 is ``exp(tau_m)``
    in rows ``j >= m``."""
    tau = np.asarray(tau, dtype=np.float64)
    k = tau.size
    scale = np.concatenate([[1.0], np.exp(tau[1:])]) if k else tau
    return np.tril(np.ones((k, k))) * scale[None, :]


def tau_stats(stats: ChunkStats, tau: np.ndarray) -> ChunkStats:
    """The statistics of :func:`chunk_stats` re-expressed in the ``(beta, tau)`` parametrisation.

    Exact (chain rule to second order)::

        score_tau = J' score_theta
        info_tau  = J' info_theta J - diag(c)
        c_m       = exp(tau_m) sum_{j >= m} score_theta_j   (m >= 1; c_0 = 0)

    with ``J = d theta / d tau`` (:func:`tau_jacobian`) acting on the cut-point block; the slope
    block is unchanged. Linear in ``stats`` for fixed ``tau``, so still additive over blocks.
    """
    tau = np.asarray(tau, dtype=np.float64)
    n_cut = tau.size
    size = stats.score.size
    full = np.eye(size)
    full[size - n_cut :, size - n_cut :] = tau_jacobian(tau)
    score = full.T @ stats.score
    info = full.T @ stats.information @ full
    g_theta = stats.score[size - n_cut :]
    tail = np.cumsum(g_theta[::-1])[::-1]  # sum_{j >= m} g_j
    curv = np.exp(tau[1:]) * tail[1:]
    idx = np.arange(size - n_cut + 1, size)
    info[idx, idx] -= curv
    return ChunkStats(stats.loglik, score, info)


def theta_covariance(cov_tau: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """Delta method: the covariance of ``(beta, theta)`` from that of ``(beta, tau)``,
    ``J_full cov_tau J_full'``."""
    tau = np.asarray(tau, dtype=np.float64)
    size = cov_tau.shape[0]
    full = np.eye(size)
    full[size - tau.size :, size - tau.size :] = tau_jacobian(tau)
    return full @ cov_tau @ full.T


# --------------------------------------------------------------------------------------------
# start values, null model, probabilities
# --------------------------------------------------------------------------------------------


def _level_totals(y: np.ndarray, n_levels: int, weights: np.ndarray | None) -> np.ndarray:
    codes = _check_codes(y, n_levels)
    totals = np.bincount(codes, weights=weights, minlength=n_levels).astype(np.float64)
    empty = np.flatnonzero(~(totals > 0.0))
    if empty.size:
        raise DataError(
            f"y: level code {int(empty[0])} has no observations (total weight 0); expected "
            f"every level 0 .. {n_levels - 1} to occur, otherwise its cut-points are not "
            "identified. Drop the empty level or merge it with a neighbouring one"
        )
    return totals


def start_values(
    y: np.ndarray,
    n_levels: int,
    weights: np.ndarray | None = None,
    *,
    n_features: int = 0,
) -> np.ndarray:
    """``(beta, theta) = (0, logit of the cumulative proportions)``: the null-model MLE.

    Returns a vector of length ``n_features + n_levels - 1``.

    Raises
    ------
    DataError
        If a level has no observations.
    """
    totals = _level_totals(y, n_levels, weights)
    cum = np.cumsum(totals)[:-1] / totals.sum()
    theta = np.log(cum) - np.log1p(-cum)
    return np.concatenate([np.zeros(int(n_features)), theta])


def null_loglik(y: np.ndarray, n_levels: int, weights: np.ndarray | None = None) -> float:
    """Closed-form log-likelihood of the thresholds-only model: ``sum_j n_j log(n_j / n)``.

    Its MLE is :func:`start_values` (the model is saturated for the marginal distribution).
    Without an offset only; with one, fit ``X`` with zero columns.
    """
    totals = _level_totals(y, n_levels, weights)
    return float(np.sum(totals * (np.log(totals) - np.log(totals.sum()))))


def cumulative_probabilities(
    X: np.ndarray, beta: np.ndarray, theta: np.ndarray, offset: np.ndarray | None = None
) -> np.ndarray:
    """``P(Y <= j | x) = sigmoid(theta_j - eta)``, shape ``(n, J - 1)``."""
    X = np.asarray(X, dtype=np.float64)
    eta = X @ np.asarray(beta, dtype=np.float64) if X.shape[1] else np.zeros(X.shape[0])
    if offset is not None:
        eta = eta + offset
    return _sigmoid_fast(np.asarray(theta, dtype=np.float64)[None, :] - eta[:, None])


def probabilities(
    X: np.ndarray, beta: np.ndarray, theta: np.ndarray, offset: np.ndarray | None = None
) -> np.ndarray:
    """Category probabilities, shape ``(n, J)``; rows sum to 1.

    ``P(Y = j) = F(u) S(l) (1 - exp(-(theta_j - theta_{j-1})))`` with ``u = theta_j - eta``,
    ``l = theta_{j-1} - eta``: a product of positive factors, so small probabilities keep full
    relative accuracy (no difference of cumulative probabilities).
    """
    X = np.asarray(X, dtype=np.float64)
    theta = np.asarray(theta, dtype=np.float64)
    eta = X @ np.asarray(beta, dtype=np.float64) if X.shape[1] else np.zeros(X.shape[0])
    if offset is not None:
        eta = eta + offset
    ext = np.concatenate([[-np.inf], theta, [np.inf]])
    upper = ext[None, 1:] - eta[:, None]
    lower = ext[None, :-1] - eta[:, None]
    with np.errstate(invalid="ignore"):
        gap = -np.expm1(-(ext[1:] - ext[:-1]))
    gap[np.isnan(gap)] = 1.0  # a single level (J = 1) has an infinite gap
    return _sigmoid_fast(upper) * _sigmoid_fast(-lower) * gap[None, :]


# --------------------------------------------------------------------------------------------
# fit
# --------------------------------------------------------------------------------------------


def fit(
    X: np.ndarray,
    y: np.ndarray,
    n_levels: int,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    options: NewtonOptions | None = None,
    *,
    start: np.ndarray | None = None,
) -> FitState:
    """Maximum-likelihood proportional-odds logit by Newton–Raphson with step-halving.

    Parameters
    ----------
    X : ndarray (n, P)
        Design matrix **without** an intercept column (may have ``P = 0``).
    y : ndarray (n,)
        Level codes ``0 .. n_levels - 1``; every level must occur.
    n_levels : int
    weights, offset : ndarray (n,), optional
    options : NewtonOptions, optional
        The stopping rule of :func:`logitstats.engine.newton.newton` (relative change of the
        deviance, then one polishing step unless the Newton decrement is negligible).
    start : ndarray, optional
        ``(beta, theta)`` to start from. Default: :func:`start_values`, refined on large data
        (:func:`~logitstats.numerics.parallel.warm_start_rows`) by a fit on a systematic subsample
        of the rows, kept only if it converges; ``n_iter`` counts the full-data iterations.

    Returns
    -------
    FitState
        In the ``(beta, theta)`` parametrisation: ``params``, ``loglik``, the score and the exact
        observed information of ``(beta, theta)`` at the estimate, whose inverse is the
        covariance (equal to the delta-method covariance from ``tau`` at the MLE).

    Notes
    -----
    The iterations run on ``(beta, tau)`` (:func:`theta_from_tau`), so every trial point has
    strictly increasing cut-points. The step uses ``J' I_theta J``, which differs from the
    exact ``tau`` information (:func:`tau_stats`) by a diagonal term proportional to the score:
    it is positive definite everywhere and Newton still converges quadratically.
    """
    codes = _check_codes(y, n_levels)
    X = np.asarray(X, dtype=np.float64)
    options = options or NewtonOptions()
    if start is None:
        start = start_values(codes, n_levels, weights, n_features=X.shape[1])
        rows = warm_start_rows(*X.shape) if X.shape[1] else None
        if rows is not None:
            sub_codes = codes[rows]
            sub_w = None if weights is None else weights[rows]
            present = np.bincount(sub_codes, weights=sub_w, minlength=n_levels) > 0
            if present.all():
                sub = _fit_tau(
                    np.ascontiguousarray(X[rows]),
                    sub_codes,
                    n_levels,
                    sub_w,
                    None if offset is None else offset[rows],
                    start,
                    NewtonOptions(tol=WARM_START_TOL, max_iter=options.max_iter),
                )
                if sub.converged and np.all(np.isfinite(sub.params)):
                    start = sub.params
    return _fit_tau(X, codes, n_levels, weights, offset, np.asarray(start, float), options)


def _fit_tau(X, codes, n_levels, weights, offset, start, options) -> FitState:
    """Newton on ``(beta, tau)`` from ``start = (beta, theta)``; the result in ``theta``."""
    k = X.shape[1]
    size = k + n_levels - 1
    start_tau = np.concatenate([start[:k], tau_from_theta(start[k:])])

    def to_theta(p: np.ndarray) -> np.ndarray:
        return np.concatenate([p[:k], theta_from_tau(p[k:])])

    def objective(p: np.ndarray):
        ll, g, info = loglik_score_info(X, codes, to_theta(p), n_levels, weights, offset)
        assert info is not None  # loglik_score_info always returns it
        full = np.eye(size)
        full[k:, k:] = tau_jacobian(p[k:])
        return ll, full.T @ g, full.T @ info @ full

    state = newton(objective, start_tau, options)
    # back to theta without another pass: the step information is exactly J' I_theta J
    full = np.eye(size)
    full[k:, k:] = tau_jacobian(state.params[k:])
    inv = scipy.linalg.solve_triangular(full, np.eye(size), lower=True)
    g = inv.T @ state.score
    info = inv.T @ state.information @ inv
    info = (info + info.T) / 2.0
    params = to_theta(state.params)
    return FitState(params, state.loglik, g, info, state.n_iter, state.converged, state.message)
