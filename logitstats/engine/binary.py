"""Binary logit log-likelihood, score and information on ndarrays, accumulated in row chunks.

For rows i with 0/1 outcome y_i, frequency weight w_i, offset o_i and linear predictor
``eta_i = x_i' b + o_i``::

    loglik = sum_i w_i (y_i * eta_i + log(1 - p_i)),   p_i = sigmoid(eta_i)
    score  = X' (w * (y - p))
    info   = X' diag(w p (1 - p)) X

``log(1 - p_i)`` is computed as ``log_sigmoid(-eta_i)``, stable for any eta.
The per-chunk statistics (:func:`chunk_stats`) are a pure function so that out-of-core backends
can reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..softmax import log_sigmoid, sigmoid
from .newton import FitState, NewtonOptions, newton

__all__ = [
    "ChunkStats",
    "chunk_stats",
    "loglik_score_info",
    "fit",
    "linear_predictor",
    "DEFAULT_CHUNK_ROWS",
]

DEFAULT_CHUNK_ROWS = 32768


@dataclass(frozen=True)
class ChunkStats:
    """Additive sufficient statistics of one block of rows."""

    loglik: float
    score: np.ndarray
    information: np.ndarray


def chunk_stats(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
) -> ChunkStats:
    """Log-likelihood, score and information of one block of rows."""
    eta = X @ params
    if offset is not None:
        eta += offset
    p = sigmoid(eta)
    ll_i = y * eta + log_sigmoid(-eta)
    resid = y - p
    var = p * (1.0 - p)
    if weights is not None:
        ll_i *= weights
        resid *= weights
        var *= weights
    xs = X * np.sqrt(var)[:, None]
    return ChunkStats(float(ll_i.sum()), X.T @ resid, xs.T @ xs)


def loglik_score_info(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Sum of :func:`chunk_stats` over row chunks of at most ``chunk_rows`` rows."""
    n, k = X.shape
    ll = 0.0
    score = np.zeros(k)
    info = np.zeros((k, k))
    for start in range(0, n, chunk_rows):
        sl = slice(start, min(start + chunk_rows, n))
        st = chunk_stats(
            X[sl],
            y[sl],
            params,
            None if weights is None else weights[sl],
            None if offset is None else offset[sl],
        )
        ll += st.loglik
        score += st.score
        info += st.information
    return ll, score, info


def linear_predictor(
    X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
) -> np.ndarray:
    """``X @ params + offset``."""
    eta = X @ params
    return eta if offset is None else eta + offset


def start_values(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray | None, intercept_col: int | None
) -> np.ndarray:
    """Zeros, with the intercept at the logit of the (weighted) event rate."""
    b = np.zeros(X.shape[1])
    if intercept_col is not None:
        ybar = float(np.average(y, weights=weights))
        ybar = min(max(ybar, 1e-8), 1 - 1e-8)
        b[intercept_col] = np.log(ybar / (1.0 - ybar))
    return b


def fit(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    *,
    start: np.ndarray | None = None,
    intercept_col: int | None = None,
    options: NewtonOptions | None = None,
) -> FitState:
    """Maximum-likelihood binary logit by Newton–Raphson."""
    options = options or NewtonOptions()
    if start is None:
        start = start_values(X, y, weights, intercept_col)
    return newton(lambda b: loglik_score_info(X, y, b, weights, offset), start, options)
