r"""Kernels of the baseline-category (multinomial) logit on one block of rows.

Linear predictors, probabilities and the additive statistics of a block in matrix form
(:func:`chunk_stats`: log-likelihood, ``(p, J)`` score, ``(p, J, p, J)`` information), the pure
functions of a block of rows that :mod:`logitstats.engine.multinomial` sums over row chunks and
turns into the flat order of its :class:`~logitstats.engine.layout.ParamLayout`. The formulas are
in that module's docstring. Probabilities come from :mod:`logitstats.numerics.softmax`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg.blas import dsyrk

from logitstats.numerics.softmax import _softmax_columns_at, _softmax_rows

__all__ = ["ChunkStats", "chunk_stats", "linear_predictor", "probabilities"]


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


def linear_predictor(
    X: np.ndarray,
    params_matrix: np.ndarray,
    reference: int,
    offset: np.ndarray | None = None,
) -> np.ndarray:
    """``(n, K)`` linear predictors: ``X @ B (+ offset)`` with a zero column inserted at
    ``reference``.

    The offset (one value per row) is added to every non-reference linear predictor: the model
    is ``log(P(Y = j) / P(Y = r)) = x' b_j + o`` for each ``j != r``, so a constant offset ``c``
    shifts every non-reference intercept by ``-c`` and leaves the slopes alone.
    """
    n, n_out = X.shape[0], params_matrix.shape[1]
    eta = np.zeros((n, n_out + 1))
    xb = X @ params_matrix
    if offset is not None:
        xb += offset[:, None]
    eta[:, _nonref(n_out + 1, reference)] = xb
    return eta


def probabilities(
    X: np.ndarray,
    params_matrix: np.ndarray,
    reference: int,
    offset: np.ndarray | None = None,
) -> np.ndarray:
    """``(n, K)`` fitted probabilities, ``softmax`` of each row of the linear predictors."""
    return _softmax_rows(linear_predictor(X, params_matrix, reference, offset))


def _accumulate(
    X: np.ndarray,
    y_codes: np.ndarray,
    params_matrix: np.ndarray,
    weights: np.ndarray | None,
    reference: int,
    acc: dict,
    offset: np.ndarray | None = None,
) -> float:
    """Add one chunk's statistics to the accumulators in ``acc``; returns its log-likelihood.

    ``acc`` holds ``score`` (p, J), ``cross`` (Jp, Jp; Fortran order, upper triangle: the
    products ``X' diag(w p_j p_l) X`` in blocks (j, l), outcome-major), ``diag`` (J Fortran
    (p, p) arrays, upper triangles of ``X' diag(w p_j (1 - p_j)) X``) and the work buffer
    ``q`` (``J p rows`` floats).

    Everything per row is held transposed, one row per outcome level and one column per data
    row (``(K, m)``, ``(J, p, m)``), so every elementwise pass runs over contiguous rows of length
    ``m``; the scaled copies ``Q_j = diag(sqrt(w) p_j) X`` are stacked in ``q`` and passed to
    BLAS without a copy (``q`` viewed as ``(m, Jp)`` in Fortran order).
    """
    m, p = X.shape
    n_out = params_matrix.shape[1]
    n_levels = n_out + 1
    nonref = _nonref(n_levels, reference)
    Xt = X.T  # (p, m), no copy
    eta = np.zeros((n_levels, m))
    xb = params_matrix.T @ Xt
    if offset is not None:
        xb += offset[None, :]
    eta[nonref] = xb
    ll_i = _softmax_columns_at(eta, y_codes)  # log p_{i, y_i}; eta now holds p (log-sum-exp)
    prob_all = eta
    prob = prob_all[nonref]  # (J, m)
    resid = (y_codes[None, :] == nonref[:, None]).astype(np.float64)
    resid -= prob
    sw = None
    if weights is not None:
        ll_i *= weights
        resid *= weights
        sw = np.sqrt(weights)
    acc["score"] += Xt @ resid.T
    if p == 0 or acc["cross"] is None:  # log-likelihood and score only
        return float(ll_i.sum())
    q = acc["q"][: n_out * p * m].reshape(n_out, p, m)
    # off-diagonal blocks: Q = [diag(sqrt(w) p_1) X, ..., diag(sqrt(w) p_J) X] (m, Jp); block
    # (j, l) of Q'Q is X' diag(w p_j p_l) X; one symmetric rank-k update for all of them
    scale = prob if sw is None else prob * sw
    np.multiply(Xt[None, :, :], scale[:, None, :], out=q)
    dsyrk(1.0, q.reshape(n_out * p, m).T, beta=1.0, c=acc["cross"], trans=1, overwrite_c=1)
    # diagonal blocks, without cancellation: 1 - p_j is the sum of the other probabilities,
    # taken from running sums from either end (additions of positive numbers only)
    rest = _sum_of_others(prob_all, nonref)
    rest *= prob
    if weights is not None:
        rest *= weights
    np.sqrt(rest, out=rest)
    np.multiply(Xt[None, :, :], rest[:, None, :], out=q)  # the buffer of Q, reused
    for j in range(n_out):
        dsyrk(1.0, q[j].T, beta=1.0, c=acc["diag"][j], trans=1, overwrite_c=1)
    return float(ll_i.sum())


def _sum_of_others(prob_all: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """``(len(levels), m)``: for each level, the column sums of the other rows of ``prob_all``.

    Running sums from the top and from the bottom (additions of positive numbers only), so
    ``1 - p_j`` keeps its relative accuracy when ``p_j`` is near 1.
    """
    n_levels, m = prob_all.shape
    before = np.zeros((n_levels, m))  # before[l] = sum of rows < l
    after = np.zeros((n_levels, m))  # after[l] = sum of rows > l
    for level in range(1, n_levels):
        np.add(before[level - 1], prob_all[level - 1], out=before[level])
    for level in range(n_levels - 2, -1, -1):
        np.add(after[level + 1], prob_all[level + 1], out=after[level])
    return before[levels] + after[levels]


def _new_accumulators(p: int, n_out: int, rows: int, with_info: bool = True) -> dict:
    if not with_info:
        return {"score": np.zeros((p, n_out)), "cross": None}
    return {
        "score": np.zeros((p, n_out)),
        "cross": np.zeros((n_out * p, n_out * p), order="F"),
        "diag": [np.zeros((p, p), order="F") for _ in range(n_out)],
        "q": np.empty(rows * n_out * p),
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
    offset: np.ndarray | None = None,
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
    offset : ndarray (n,), optional
        Added to every non-reference linear predictor.

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
    codes = np.asarray(y_codes, np.intp)
    ll = _accumulate(X, codes, params_matrix, weights, reference, acc, offset)
    return ChunkStats(ll, acc["score"], _information4(acc, p, n_out))
