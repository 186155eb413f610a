"""Aliased (perfectly collinear) design columns, found as R's ``lm``/``glm`` find them.

R's QR (LINPACK ``dqrdc2`` with ``tol = 1e-7``) walks the columns in order and moves a column to
the end when the norm of what is left of it, after projecting out the columns kept before it, is
below ``tol`` times its original norm. The first of a set of collinear columns is therefore kept and
the later ones are aliased (coefficient ``NA``). :func:`aliased_columns` applies the same rule:

1. Screen: the Gram matrix ``G = X' W X`` scaled to unit diagonal has Cholesky pivots
   ``L_jj^2`` equal to the squared relative residual norms of the columns in order. When all
   exceed ``1e-8`` (residual norms above 1e-4, far above both ``tol`` and the rounding error of
   the Gram matrix, ~``p * 2.2e-16``), X has full column rank and nothing is aliased: one pass over
   the data, no QR.
2. Otherwise the R factor of a QR decomposition of ``W^{1/2} X`` (``scipy.linalg.qr``) is
   computed once; since ``X[:, S] = Q R[:, S]`` for any column subset ``S``, the column-order
   residual norms are computed on the small ``R`` instead of the data.

Rows are weighted by ``sqrt(w)`` (frequency weights count each row ``w`` times; rows of weight 0
do not count), as on the row-expanded data.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from logitstats.numerics.parallel import chunk_slices, map_chunks, rows_for

__all__ = ["aliased_columns", "aliased_from_gram", "ALIAS_TOL"]

ALIAS_TOL = 1e-7
_SCREEN_MIN_PIVOT = 1e-8


def _gram(X: np.ndarray, sw: np.ndarray | None, chunk_rows: int | None = None) -> np.ndarray:
    p = X.shape[1]
    rows = rows_for(p) if chunk_rows is None else chunk_rows

    def work(slices: list[slice]) -> np.ndarray:  # chunks shared out over the cores
        g = np.zeros((p, p))
        for sl in slices:
            xc = X[sl]
            if sw is not None:
                xc = xc * sw[sl, None]
            g += xc.T @ xc
        return g

    parts = map_chunks(work, chunk_slices(X.shape[0], rows))
    return sum(parts[1:], parts[0])


def _full_rank_screen(g: np.ndarray) -> bool:
    d = np.diag(g)
    if not np.all(d > 0) or not np.all(np.isfinite(g)):
        return False
    s = 1.0 / np.sqrt(d)
    c = g * s[:, None] * s[None, :]
    try:
        chol = np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        return False
    return bool(np.all(np.diag(chol) ** 2 > _SCREEN_MIN_PIVOT))


def aliased_columns(
    X: np.ndarray, weights: np.ndarray | None = None, *, tol: float = ALIAS_TOL
) -> tuple[list[int], dict[int, list[tuple[int, float]]]]:
    """Indices of aliased columns (in column order) and the combination each one is.

    Parameters
    ----------
    X : ndarray (n, p)
    weights : ndarray (n,), optional
        Frequency weights (rows with weight 0 are ignored).
    tol : float
        R's ``tol``: a column is aliased when its residual norm, after projecting out the kept
        columns before it, is below ``tol`` times its norm.

    Returns
    -------
    aliased : list of int
    combination : dict
        For each aliased column ``j``: ``[(k, c_k), ...]`` with ``x_j ~ sum_k c_k x_k`` over the
        kept columns (coefficients below 1e-8 in absolute value omitted).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(5.0)
    >>> aliased_columns(np.column_stack([np.ones(5), x, 2 * x]))
    ([2], {2: [(1, 2.0)]})
    """
    X = np.asarray(X, dtype=np.float64)
    n, p = X.shape
    sw = None
    if weights is not None:
        w = np.asarray(weights, dtype=np.float64)
        if np.any(w <= 0):
            X = X[w > 0]
            w = w[w > 0]
        sw = np.sqrt(w)
    if p == 0:
        return [], {}
    if X.shape[0] >= p and _full_rank_screen(_gram(X, sw)):
        return [], {}
    xs = X if sw is None else X * sw[:, None]
    r = scipy.linalg.qr(xs, mode="r", check_finite=False)[0]
    norms = np.sqrt((r**2).sum(axis=0))
    kept: list[int] = []
    aliased: list[int] = []
    combination: dict[int, list[tuple[int, float]]] = {}
    for j in range(p):
        col = r[:, j]
        if norms[j] == 0.0:
            aliased.append(j)
            combination[j] = []
            continue
        if kept:
            rk = r[:, kept]
            coef, *_ = scipy.linalg.lstsq(rk, col, check_finite=False)
            resid = col - rk @ coef
        else:
            coef, resid = np.zeros(0), col
        if np.sqrt(resid @ resid) < tol * norms[j]:
            aliased.append(j)
            combination[j] = [
                (k, float(np.round(c, 10))) for k, c in zip(kept, coef) if abs(c) > 1e-8
            ]
        else:
            kept.append(j)
    return aliased, combination


def aliased_from_gram(
    gram: np.ndarray, *, tol: float = ALIAS_TOL
) -> tuple[list[int], dict[int, list[tuple[int, float]]]]:
    """:func:`aliased_columns` from a Gram matrix ``G = X' W X`` summed over blocks of rows.

    The same rule in column order: column ``j`` is aliased when its residual norm after
    projecting out the kept columns before it, ``sqrt(G_jj - G_jK G_KK^{-1} G_Kj)``, is below
    ``tol`` times its norm ``sqrt(G_jj)``. For data that never sit in one place (the distributed
    fit): the Gram matrix is additive over partitions. Its rounding is relative ~``p * eps`` on
    squared norms, so exactly collinear columns (residual ~1e-8 of the norm or less) are found
    as the QR finds them; a column within a factor 10 of ``tol`` may be judged differently.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(5.0)
    >>> X = np.column_stack([np.ones(5), x, 2 * x])
    >>> aliased_from_gram(X.T @ X)
    ([2], {2: [(1, 2.0)]})
    """
    g = np.asarray(gram, dtype=np.float64)
    p = g.shape[0]
    kept: list[int] = []
    aliased: list[int] = []
    combination: dict[int, list[tuple[int, float]]] = {}
    for j in range(p):
        norm2 = g[j, j]
        if not norm2 > 0.0:
            aliased.append(j)
            combination[j] = []
            continue
        coef: np.ndarray = np.zeros(0)
        resid2 = norm2
        if kept:
            gkk = g[np.ix_(kept, kept)]
            gkj = g[kept, j]
            coef = scipy.linalg.solve(gkk, gkj, assume_a="pos", check_finite=False)
            resid2 = norm2 - float(gkj @ coef)
        if resid2 < (tol**2) * norm2:
            aliased.append(j)
            combination[j] = [
                (k, float(np.round(c, 10)))
                for k, c in zip(kept, coef, strict=True)
                if abs(c) > 1e-8
            ]
        else:
            kept.append(j)
    return aliased, combination
