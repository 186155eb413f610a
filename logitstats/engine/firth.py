"""Firth's bias-reduced binary logit: Jeffreys-prior penalized likelihood on ndarrays.

With ``p_i = sigmoid(x_i' b + o_i)``, frequency weights ``w_i`` and the Fisher information
``I(b) = X' diag(w p (1 - p)) X``, the penalized log-likelihood (Firth 1993) is::

    l*(b) = l(b) + 0.5 * log det I(b)

and its gradient is the modified score::

    U*(b) = X' (w (y - p) + h (1/2 - p)),   h_i = w_i p_i (1 - p_i) x_i' I(b)^{-1} x_i

(``h`` are the hat values of the weighted fit). The estimate solves ``U*(b) = 0``: it equals
R's ``brglm2::brglm(type = "AS_mean")`` (identical to Firth's adjustment for canonical links) and
``logistf::logistf``. It is finite even under separation. Iterations are Fisher-scoring steps
``b <- b + I(b)^{-1} U*(b)`` with step-halving on ``l*`` (as ``logistf``). Some coordinates can be
held fixed (profile likelihoods and penalized likelihood-ratio tests, as in ``logistf``): the
penalty then still uses the information of the *full* design.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
from scipy.linalg.blas import dtrsm

from logitstats.engine import binary
from logitstats.engine.binary import start_values
from logitstats.engine.family import ModelArrays
from logitstats.engine.newton import ACCEPT_RTOL, FitState, NewtonOptions
from logitstats.numerics.parallel import chunk_slices, map_chunks
from logitstats.numerics.softmax import log_sigmoid, sigmoid

__all__ = ["FirthFit", "penalized_objective", "fit_firth", "STEP_TOL_FACTOR"]

# Scoring converges linearly, so the stopping rule is on the step: converged when the largest
# step is at most ``STEP_TOL_FACTOR * tol * (1 + max |start|)`` (about 1e-9 at tol = 1e-10).
STEP_TOL_FACTOR = 10.0


@dataclass(frozen=True)
class FirthFit:
    """A Firth fit: the state (ordinary log-likelihood, modified score, Fisher information at the
    estimate) and the penalized log-likelihood ``l*``."""

    state: FitState
    penalized_loglik: float


def penalized_objective(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
) -> tuple[float, float, np.ndarray, np.ndarray]:
    """``(l*, l, U*, I)`` at ``params`` (module docstring); ``l* = -inf`` if I is singular.

    Two passes over the rows, each in chunks shared out over the cores: the binary
    log-likelihood, score and information (:func:`logitstats.engine.binary.loglik_score_info`),
    then the hat values' correction of the score (:func:`_hat_correction`), with neither the
    ``n x n`` hat matrix nor a ``k x n`` copy of ``X`` formed.
    """
    ll, score, info = binary.loglik_score_info(X, y, params, weights, offset)
    k = X.shape[1]
    if k == 0:
        return ll, ll, np.zeros(0), info
    try:
        chol = scipy.linalg.cholesky(info, lower=True, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return -np.inf, ll, np.full(k, np.nan), info
    logdet = 2.0 * float(np.log(np.diag(chol)).sum())
    score = score + _hat_correction(X, params, weights, offset, chol)
    return ll + 0.5 * logdet, ll, score, info


def _hat_correction(
    X: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None,
    offset: np.ndarray | None,
    chol: np.ndarray,
) -> np.ndarray:
    """``X' (h (1/2 - p))`` with the hat values ``h_i = w_i p_i (1 - p_i) |L^{-1} x_i|^2``.

    ``I = L L'``; per chunk of rows, ``Z = X_c L^{-T}`` is one triangular solve (BLAS ``dtrsm``,
    the rows of ``Z`` are ``(L^{-1} x_i)'``), so ``|L^{-1} x_i|^2`` is a row sum of squares.
    ``p (1 - p) = e / (1 + e)^2`` with ``e = exp(-|eta|)``, as in the binary engine.
    """
    n, k = X.shape
    rows = binary.chunk_rows_for(k)
    if not X.flags.c_contiguous and n > rows:
        X = np.ascontiguousarray(X, dtype=np.float64)
    params = np.asarray(params, dtype=np.float64)

    def work(slices: list[slice]) -> np.ndarray:
        total = np.zeros(k)
        for sl in slices:
            Xc = X[sl]
            eta = Xc @ params
            if offset is not None:
                eta += offset[sl]
            e = np.abs(eta)
            np.negative(e, out=e)
            with np.errstate(under="ignore"):
                np.exp(e, out=e)
            inv = 1.0 / (1.0 + e)
            p = np.where(eta >= 0.0, inv, e * inv)
            var = e * inv * inv
            if weights is not None:
                var *= weights[sl]
            z = dtrsm(1.0, chol, Xc, side=1, lower=1, trans_a=1)
            h = var * np.einsum("ij,ij->i", z, z)
            total += Xc.T @ (h * (0.5 - p))
        return total

    parts = map_chunks(work, chunk_slices(n, rows))
    return np.sum(parts, axis=0)


def fit_firth(
    arrays: ModelArrays,
    *,
    start: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
    intercept_col: int | None = None,
    options: NewtonOptions | None = None,
) -> FirthFit:
    """Maximise the penalized log-likelihood ``l*``, optionally with some coordinates fixed.

    Parameters
    ----------
    arrays : ModelArrays
        X, 0/1 y, weights and offset, as for the binary family.
    start : ndarray, optional
        Starting values (fixed coordinates take their values from ``start``).
    fixed : ndarray of bool, optional
        Coordinates held at their ``start`` values.
    intercept_col : int, optional
        For the default start values.
    options : NewtonOptions
        Converged when the largest scoring step is at most
        ``STEP_TOL_FACTOR * tol * (1 + max |start|)`` (about 1e-9 at the default
        ``tol = 1e-10``); scoring converges linearly, so the error left is of the order of the
        last step.

    Returns
    -------
    FirthFit
        ``state.information`` is the Fisher information at the estimate; its inverse is the
        covariance that ``brglm2`` and ``logistf`` report.
    """
    options = options or NewtonOptions()
    X, y, weights, offset = arrays.X, arrays.y, arrays.weights, arrays.offset
    k = X.shape[1]
    b = start_values(X, y, weights, intercept_col) if start is None else np.array(start, float)
    free = np.ones(k, dtype=bool) if fixed is None else ~np.asarray(fixed, dtype=bool)
    pll, ll, u, info = penalized_objective(X, y, b, weights, offset)
    if not np.isfinite(pll):
        return FirthFit(FitState(b, ll, u, info, 0, False, "singular information at start"), pll)
    if not free.any():
        return FirthFit(FitState(b, ll, u, info, 0, True, "no free parameters"), pll)
    step_tol = STEP_TOL_FACTOR * options.tol * (1.0 + float(np.abs(b).max(initial=0.0)))
    for it in range(1, options.max_iter + 1):
        fi = info[np.ix_(free, free)]
        try:
            step_free = scipy.linalg.solve(fi, u[free], assume_a="pos", check_finite=False)
        except (np.linalg.LinAlgError, ValueError):
            step_free = scipy.linalg.lstsq(fi, u[free], check_finite=False)[0]
        step = np.zeros(k)
        step[free] = step_free
        factor = 1.0
        for _ in range(options.max_halvings + 1):
            cand = b + factor * step
            res = penalized_objective(X, y, cand, weights, offset)
            if np.isfinite(res[0]) and res[0] >= pll - ACCEPT_RTOL * (abs(pll) + 1.0):
                break
            factor *= 0.5
        else:
            state = FitState(b, ll, u, info, it, False, "step-halving failed to improve")
            return FirthFit(state, pll)
        b = cand
        pll, ll, u, info = res
        if np.abs(factor * step).max() <= step_tol:
            return FirthFit(FitState(b, ll, u, info, it, True, "converged"), pll)
    state = FitState(
        b, ll, u, info, options.max_iter, False, f"no convergence in {options.max_iter} iterations"
    )
    return FirthFit(state, pll)


def penalized_objective_newton(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
) -> tuple[float, np.ndarray, np.ndarray]:
    """``(l*, U*, -H*)``: the penalized log-likelihood, its gradient and its exact negative
    Hessian, the objective Newton needs (profile likelihoods, restricted fits).

    Notes
    -----
    With ``a_i = w_i p_i (1 - p_i)``, ``a'_i = a_i (1 - 2 p_i)``,
    ``a''_i = a_i (1 - 6 p_i + 6 p_i^2)`` (derivatives in ``eta``), ``M = X I^{-1} X'`` and
    ``d_i = M_ii``::

        -H* = I - 0.5 * (X' diag(d a'') X - sum_{i,k} M_ik^2 a'_i a'_k x_i x_k')

    The double sum is ``B' B`` with ``B = sum_i a'_i vec(z_i z_i') x_i'`` and ``z_i = L^{-1} x_i``
    (``I = L L'``), which costs ``O(n p^3)`` and never forms the n x n matrix ``M``.
    """
    eta = X @ params
    if offset is not None:
        eta = eta + offset
    p = sigmoid(eta)
    q = sigmoid(-eta)
    w = np.ones_like(y) if weights is None else weights
    a = w * p * q
    info = (X * a[:, None]).T @ X
    ll = float((w * (y * eta + log_sigmoid(-eta))).sum())
    k = X.shape[1]
    if k == 0:
        return ll, np.zeros(0), info
    try:
        chol = scipy.linalg.cholesky(info, lower=True, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return -np.inf, np.full(k, np.nan), info
    pll = ll + float(np.log(np.diag(chol)).sum())
    z = scipy.linalg.solve_triangular(chol, X.T, lower=True, check_finite=False)  # (k, n)
    d = (z**2).sum(axis=0)
    score = X.T @ (w * (y - p) + a * d * (0.5 - p))
    a1 = a * (1.0 - 2.0 * p)
    a2 = a * (1.0 - 6.0 * p + 6.0 * p * p)
    first = (X * (d * a2)[:, None]).T @ X
    b = np.zeros((k * k, k))
    for start in range(0, X.shape[0], 4096):
        sl = slice(start, start + 4096)
        zz = np.einsum("in,jn->nij", z[:, sl], z[:, sl]).reshape(-1, k * k)  # (rows, k*k)
        b += zz.T @ (X[sl] * a1[sl, None])
    neg_hess = info - 0.5 * (first - b.T @ b)
    return pll, score, (neg_hess + neg_hess.T) / 2.0
