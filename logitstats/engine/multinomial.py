r"""Baseline-category (multinomial) logit: log-likelihood, score and information on ndarrays.

The outcome of row i is a code ``y_i`` in ``0 .. K-1`` (an index into the outcome levels); the
reference level ``r`` has its linear predictor fixed at 0 and the ``J = K - 1`` other levels, in
level order, have coefficient columns ``B = [b_1, ..., b_J]`` (a ``(p, J)`` matrix). With
frequency weight ``w_i``::

    eta_i  = (x_i' b_1, ..., x_i' b_J) with 0 inserted at position r,   p_i = softmax(eta_i)
    loglik = sum_i w_i log p_{i, y_i}                   (log_softmax, never log(softmax))
    score_j = X' (w * (1[y = j] - p_j))                 (column j of a (p, J) matrix)
    info_jl = X' diag(w p_j (delta_jl - p_l)) X         (block (j, l), p x p)

The information blocks are formed with one matrix product each (BLAS-3), ``J (J + 1) / 2`` of
them, never with a loop over rows. The per-chunk statistics (:func:`chunk_stats`) are a pure
function of one block of rows in matrix form; :func:`loglik_score_info` adds them up over row
chunks and converts them to the flat (outcome-major) order with the :class:`ParamLayout`, the one
owner of that order. Probabilities come from :mod:`logitstats.softmax`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..layout import ParamLayout
from ..softmax import _log_softmax_rows, _softmax_rows
from .newton import FitState, NewtonOptions, newton

__all__ = [
    "ChunkStats",
    "chunk_stats",
    "loglik_score_info",
    "linear_predictor",
    "probabilities",
    "score_obs",
    "start_values",
    "fit",
    "DEFAULT_CHUNK_ROWS",
]

DEFAULT_CHUNK_ROWS = 32768


@dataclass(frozen=True)
class ChunkStats:
    """Additive sufficient statistics of one block of rows, in matrix form.

    ``score`` has shape ``(p, J)``; ``information`` has shape ``(p, J, p, J)`` with
    ``information[:, j, :, l]`` the block ``(j, l)``.
    """

    loglik: float
    score: np.ndarray
    information: np.ndarray


def _nonref(n_levels: int, reference: int) -> np.ndarray:
    return np.delete(np.arange(n_levels), reference)


def linear_predictor(X: np.ndarray, params_matrix: np.ndarray, reference: int) -> np.ndarray:
    """``(n, K)`` linear predictors: ``X @ B`` with a zero column inserted at ``reference``."""
    n, n_out = X.shape[0], params_matrix.shape[1]
    eta = np.zeros((n, n_out + 1))
    eta[:, _nonref(n_out + 1, reference)] = X @ params_matrix
    return eta


def probabilities(X: np.ndarray, params_matrix: np.ndarray, reference: int) -> np.ndarray:
    """``(n, K)`` fitted probabilities, ``softmax`` of each row of the linear predictors."""
    return _softmax_rows(linear_predictor(X, params_matrix, reference))


def chunk_stats(
    X: np.ndarray,
    y_codes: np.ndarray,
    params_matrix: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    reference: int = 0,
) -> ChunkStats:
    """Log-likelihood, score and information of one block of rows (matrix form).

    Parameters
    ----------
    X : ndarray (n, p)
    y_codes : ndarray of int (n,)
        Outcome codes in ``0 .. K-1``.
    params_matrix : ndarray (p, K - 1)
        Coefficients of the non-reference levels, in level order.
    weights : ndarray (n,), optional
        Frequency weights.
    reference : int
        Code of the reference level.
    """
    p, n_out = params_matrix.shape
    eta = linear_predictor(X, params_matrix, reference)
    nonref = _nonref(n_out + 1, reference)
    rows = np.arange(X.shape[0])
    log_p = _log_softmax_rows(eta)
    prob = _softmax_rows(eta)[:, nonref]
    ll_i = log_p[rows, y_codes]
    resid = (y_codes[:, None] == nonref[None, :]).astype(np.float64) - prob
    if weights is not None:
        ll_i = ll_i * weights
        resid *= weights[:, None]
        wprob = prob * weights[:, None]
    else:
        wprob = prob
    info = np.empty((p, n_out, p, n_out))
    for j in range(n_out):
        for m in range(j, n_out):
            v = wprob[:, j] * ((1.0 if j == m else 0.0) - prob[:, m])
            block = (X * v[:, None]).T @ X
            info[:, j, :, m] = block
            if m != j:
                info[:, m, :, j] = block.T
    return ChunkStats(float(ll_i.sum()), X.T @ resid, info)


def _flat_information(layout: ParamLayout, info4: np.ndarray) -> np.ndarray:
    """``(p, J, p, J)`` blocks -> ``(pJ, pJ)`` matrix in the layout's flat order."""
    half = layout.to_flat(info4)  # (size, p, J): rows flattened
    return layout.to_flat(np.moveaxis(half, 0, -1)).T  # columns flattened


def loglik_score_info(
    X: np.ndarray,
    y_codes: np.ndarray,
    params: np.ndarray,
    layout: ParamLayout,
    reference: int,
    weights: np.ndarray | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Sum of :func:`chunk_stats` over row chunks, as (loglik, flat score, flat information)."""
    n, p = X.shape
    B = layout.to_matrix(params)
    n_out = B.shape[1]
    ll = 0.0
    score = np.zeros((p, n_out))
    info = np.zeros((p, n_out, p, n_out))
    for start in range(0, n, chunk_rows):
        sl = slice(start, min(start + chunk_rows, n))
        st = chunk_stats(
            X[sl], y_codes[sl], B, None if weights is None else weights[sl], reference=reference
        )
        ll += st.loglik
        score += st.score
        info += st.information
    flat_info = _flat_information(layout, info)
    return ll, layout.to_flat(score), (flat_info + flat_info.T) / 2.0


def score_obs(
    X: np.ndarray, y_codes: np.ndarray, params: np.ndarray, layout: ParamLayout, reference: int
) -> np.ndarray:
    """Unweighted per-row score contributions ``x_i (1[y_i = j] - p_ij)``, shape (n, size).

    Columns are in the layout's flat order, as the robust covariances expect.
    """
    B = layout.to_matrix(params)
    n_out = B.shape[1]
    nonref = _nonref(n_out + 1, reference)
    prob = probabilities(X, B, reference)[:, nonref]
    resid = (y_codes[:, None] == nonref[None, :]).astype(np.float64) - prob
    contrib = X.T[:, None, :] * resid.T[None, :, :]  # (p, J, n)
    return layout.to_flat(contrib).T


def start_values(
    y_codes: np.ndarray,
    weights: np.ndarray | None,
    layout: ParamLayout,
    reference: int,
    intercept_col: int | None,
) -> np.ndarray:
    """Zeros, with each intercept at ``log(share_j / share_ref)`` (the null-model MLE)."""
    B = np.zeros((layout.n_terms, layout.n_outcomes))
    if intercept_col is not None:
        shares = np.bincount(y_codes, weights=weights, minlength=layout.n_outcomes + 1)
        shares = np.maximum(shares / shares.sum(), 1e-8)
        nonref = _nonref(layout.n_outcomes + 1, reference)
        B[intercept_col, :] = np.log(shares[nonref] / shares[reference])
    return layout.to_flat(B)


def fit(
    X: np.ndarray,
    y_codes: np.ndarray,
    layout: ParamLayout,
    reference: int,
    weights: np.ndarray | None = None,
    *,
    start: np.ndarray | None = None,
    intercept_col: int | None = None,
    options: NewtonOptions | None = None,
) -> FitState:
    """Maximum-likelihood multinomial logit by Newton–Raphson on the full Hessian."""
    options = options or NewtonOptions()
    y_codes = np.asarray(y_codes, dtype=np.intp)
    if start is None:
        start = start_values(y_codes, weights, layout, reference, intercept_col)
    return newton(
        lambda b: loglik_score_info(X, y_codes, b, layout, reference, weights), start, options
    )
