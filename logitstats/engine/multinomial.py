r"""Baseline-category (multinomial) logit: log-likelihood, score and information on ndarrays.

The outcome of row i is a code ``y_i`` in ``0 .. K-1`` (an index into the outcome levels); the
reference level ``r`` has its linear predictor fixed at 0 and the ``J = K - 1`` other levels, in
level order, have coefficient columns ``B = [b_1, ..., b_J]`` (a ``(p, J)`` matrix). With
frequency weight ``w_i``::

    eta_i  = (x_i' b_1, ..., x_i' b_J) with 0 inserted at position r,   p_i = softmax(eta_i)
    loglik = sum_i w_i log p_{i, y_i}                   (log_softmax, never log(softmax))
    score_j = X' (w * (1[y = j] - p_j))                 (column j of a (p, J) matrix)
    info_jl = X' diag(w p_j (delta_jl - p_l)) X         (block (j, l), p x p)

The information is formed with BLAS-3 symmetric rank-k updates per chunk of rows (one for all the
off-diagonal blocks, one per diagonal block), never with a loop over rows. The per-chunk
statistics (:func:`chunk_stats`) are a pure function of one block of rows in matrix form;
:func:`loglik_score_info` adds them up over row chunks (shared out over the cores) and converts
them to the flat (outcome-major) order with the :class:`ParamLayout`, the one owner of that
order. Probabilities come from :mod:`logitstats.numerics.softmax`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg.blas import dsyrk

from logitstats.engine.layout import ParamLayout
from logitstats.engine.newton import FitState, NewtonOptions, newton, newton_chord
from logitstats.numerics.parallel import chunk_slices, map_chunks, rows_for, warm_start_rows
from logitstats.numerics.softmax import _log_softmax_rows, _softmax_rows

__all__ = [
    "ChunkStats",
    "chunk_stats",
    "loglik_score_info",
    "loglik_score",
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


def _accumulate(
    X: np.ndarray,
    y_codes: np.ndarray,
    params_matrix: np.ndarray,
    weights: np.ndarray | None,
    reference: int,
    acc: dict,
) -> float:
    """Add one chunk's statistics to the accumulators in ``acc``; returns its log-likelihood.

    ``acc`` holds ``score`` (p, J), ``cross`` (Jp, Jp; Fortran order, upper triangle: the
    products ``X' diag(w p_j p_l) X`` in blocks (j, l), outcome-major), ``diag`` (J Fortran
    (p, p) arrays, upper triangles of ``X' diag(w p_j (1 - p_j)) X``) and work buffers ``q``, ``d``.
    """
    m, p = X.shape
    n_out = params_matrix.shape[1]
    nonref = _nonref(n_out + 1, reference)
    eta = linear_predictor(X, params_matrix, reference)
    log_p = _log_softmax_rows(eta)
    ll_i = log_p[np.arange(m), y_codes]
    prob_all = np.exp(log_p)
    prob = prob_all[:, nonref]
    resid = (y_codes[:, None] == nonref[None, :]).astype(np.float64) - prob
    sw = None
    if weights is not None:
        ll_i = ll_i * weights
        resid *= weights[:, None]
        sw = np.sqrt(weights)
    acc["score"] += X.T @ resid
    if p == 0 or acc["cross"] is None:  # log-likelihood and score only
        return float(ll_i.sum())
    q = acc["q"][:m]
    # off-diagonal blocks: Q = [X sqrt(w) p_1, ..., X sqrt(w) p_J]; Q'Q block (j, l) is
    # X' diag(w p_j p_l) X; one symmetric rank-k update for all of them
    scale = prob if sw is None else prob * sw[:, None]
    for j in range(n_out):
        np.multiply(X, scale[:, j : j + 1], out=q[:, j * p : (j + 1) * p])
    dsyrk(1.0, q.T, beta=1.0, c=acc["cross"], trans=0, lower=0, overwrite_c=1)
    # diagonal blocks, without cancellation: 1 - p_j is the sum of the other probabilities
    total = prob_all.sum(axis=1)
    d = acc["d"][:m]
    for j, level in enumerate(nonref):
        rest = total - prob_all[:, level] if n_out == 1 else _others(prob_all, level)
        v = prob[:, j] * rest
        if weights is not None:
            v *= weights
        np.multiply(X, np.sqrt(v)[:, None], out=d)
        dsyrk(1.0, d.T, beta=1.0, c=acc["diag"][j], trans=0, lower=0, overwrite_c=1)
    return float(ll_i.sum())


def _others(prob_all: np.ndarray, level: int) -> np.ndarray:
    """Row sums of the probabilities of every level but ``level`` (no ``1 - p`` cancellation)."""
    cols = [c for c in range(prob_all.shape[1]) if c != level]
    return prob_all[:, cols].sum(axis=1)


def _new_accumulators(p: int, n_out: int, rows: int, with_info: bool = True) -> dict:
    if not with_info:
        return {"score": np.zeros((p, n_out)), "cross": None}
    return {
        "score": np.zeros((p, n_out)),
        "cross": np.zeros((n_out * p, n_out * p), order="F"),
        "diag": [np.zeros((p, p), order="F") for _ in range(n_out)],
        "q": np.empty((rows, n_out * p)),
        "d": np.empty((rows, p)),
    }


def _information4(acc: dict, p: int, n_out: int) -> np.ndarray:
    """``(p, J, p, J)`` information from the accumulators (blocks ``(j, l)``)."""
    cross = acc["cross"]
    cross = -(np.triu(cross) + np.triu(cross, 1).T)
    info4 = np.ascontiguousarray(cross.reshape(n_out, p, n_out, p).transpose(1, 0, 3, 2))
    for j in range(n_out):
        dj = acc["diag"][j]
        info4[:, j, :, j] = np.triu(dj) + np.triu(dj, 1).T
    return info4


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

    Notes
    -----
    Block ``(j, l)`` of the information is ``X' diag(w p_j (delta_jl - p_l)) X``. The blocks
    off the diagonal come from one symmetric rank-k update (BLAS ``dsyrk``) of
    ``Q = [X sqrt(w) p_1, ..., X sqrt(w) p_J]``, whose Gram matrix has blocks
    ``X' diag(w p_j p_l) X``; the diagonal blocks are computed directly with the weights
    ``w p_j (1 - p_j)``, ``1 - p_j`` taken as the sum of the other probabilities, so nothing is
    lost to cancellation when ``p_j`` is near 1.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    p, n_out = params_matrix.shape
    acc = _new_accumulators(p, n_out, X.shape[0])
    ll = _accumulate(X, np.asarray(y_codes, np.intp), params_matrix, weights, reference, acc)
    return ChunkStats(ll, acc["score"], _information4(acc, p, n_out))


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
    chunk_rows: int | None = None,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Sum of :func:`chunk_stats` over row chunks, as (loglik, flat score, flat information).

    The chunks (default: about 2 MiB of the stacked matrix ``Q`` each) are shared out over the
    cores (:func:`logitstats.numerics.parallel.map_chunks`).
    """
    ll, acc = _sums(X, y_codes, params, layout, reference, weights, chunk_rows, with_info=True)
    p, n_out = layout.n_terms, layout.n_outcomes
    flat_info = _flat_information(layout, _information4(acc, p, n_out))
    return ll, layout.to_flat(acc["score"]), (flat_info + flat_info.T) / 2.0


def loglik_score(
    X: np.ndarray,
    y_codes: np.ndarray,
    params: np.ndarray,
    layout: ParamLayout,
    reference: int,
    weights: np.ndarray | None = None,
    chunk_rows: int | None = None,
) -> tuple[float, np.ndarray]:
    """Log-likelihood and flat score only: :func:`loglik_score_info` less the information."""
    ll, acc = _sums(X, y_codes, params, layout, reference, weights, chunk_rows, with_info=False)
    return ll, layout.to_flat(acc["score"])


def _sums(
    X: np.ndarray,
    y_codes: np.ndarray,
    params: np.ndarray,
    layout: ParamLayout,
    reference: int,
    weights: np.ndarray | None,
    chunk_rows: int | None,
    *,
    with_info: bool,
) -> tuple[float, dict]:
    n, p = X.shape
    B = layout.to_matrix(params)
    n_out = B.shape[1]
    rows = rows_for(n_out * max(p, 1)) if chunk_rows is None else max(1, int(chunk_rows))
    if not X.flags.c_contiguous and n > rows:
        X = np.ascontiguousarray(X, dtype=np.float64)
    y_codes = np.asarray(y_codes, dtype=np.intp)

    def work(slices: list[slice]) -> tuple[float, dict]:
        acc = _new_accumulators(p, n_out, min(rows, n), with_info)
        ll = 0.0
        for sl in slices:
            w = None if weights is None else weights[sl]
            ll += _accumulate(X[sl], y_codes[sl], B, w, reference, acc)
        return ll, acc

    parts = map_chunks(work, chunk_slices(n, rows))
    ll, acc = parts[0]
    for part_ll, part in parts[1:]:
        ll += part_ll
        acc["score"] += part["score"]
        if with_info:
            acc["cross"] += part["cross"]
            for j in range(n_out):
                acc["diag"][j] += part["diag"][j]
    return ll, acc


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
        # large data: refine the start on a systematic subsample (kept only if it converges)
        # (an intercept-only model starts at its exact estimate: nothing to refine)
        rows = warm_start_rows(X.shape[0], layout.size) if X.shape[1] > 1 else None
        if rows is not None:
            Xs, ys = np.ascontiguousarray(X[rows]), y_codes[rows]
            ws = None if weights is None else weights[rows]
            sub = newton(
                lambda b: loglik_score_info(Xs, ys, b, layout, reference, ws),
                start,
                NewtonOptions(tol=1e-8, max_iter=options.max_iter),
            )
            del Xs
            if sub.converged and np.all(np.isfinite(sub.params)):
                start = sub.params
                # the subsample's information, scaled to the full data, serves the first steps
                total = X.shape[0] if weights is None else float(weights.sum())
                part = ys.shape[0] if ws is None else float(ws.sum())
                state = newton_chord(
                    lambda b: loglik_score_info(X, y_codes, b, layout, reference, weights),
                    lambda b: loglik_score(X, y_codes, b, layout, reference, weights),
                    start,
                    sub.information * (total / part),
                    options,
                )
                if state is not None:
                    return state
    return newton(
        lambda b: loglik_score_info(X, y_codes, b, layout, reference, weights), start, options
    )
