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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.linalg.blas import dsyrk

from logitstats.engine.family import BlockStats, IndexModel, ModelArrays
from logitstats.engine.layout import ParamLayout
from logitstats.engine.newton import FitState, NewtonOptions, fit_family
from logitstats.numerics.parallel import chunk_slices, map_chunks, rows_for
from logitstats.numerics.softmax import _softmax_columns_at, _softmax_rows

__all__ = [
    "MultinomialFamily",
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
# Outcome shares in the start values are floored at MIN_SHARE: a level with no rows still gets a
# finite starting intercept (log(1e-8) = -18.4).
MIN_SHARE = 1e-8


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
    offset: np.ndarray | None = None,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Sum of :func:`chunk_stats` over row chunks, as (loglik, flat score, flat information).

    The chunks (default: about 2 MiB of the stacked matrix ``Q`` each) are shared out over the
    cores (:func:`logitstats.numerics.parallel.map_chunks`).
    """
    ll, acc = _sums(
        X, y_codes, params, layout, reference, weights, offset, chunk_rows, with_info=True
    )
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
    offset: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """Log-likelihood and flat score only: :func:`loglik_score_info` less the information."""
    ll, acc = _sums(
        X, y_codes, params, layout, reference, weights, offset, chunk_rows, with_info=False
    )
    return ll, layout.to_flat(acc["score"])


def _sums(
    X: np.ndarray,
    y_codes: np.ndarray,
    params: np.ndarray,
    layout: ParamLayout,
    reference: int,
    weights: np.ndarray | None,
    offset: np.ndarray | None,
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
            o = None if offset is None else offset[sl]
            ll += _accumulate(X[sl], y_codes[sl], B, w, reference, acc, o)
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
    X: np.ndarray,
    y_codes: np.ndarray,
    params: np.ndarray,
    layout: ParamLayout,
    reference: int,
    offset: np.ndarray | None = None,
) -> np.ndarray:
    """Unweighted per-row score contributions ``x_i (1[y_i = j] - p_ij)``, shape (n, size).

    Columns are in the layout's flat order, as the robust covariances expect.
    """
    B = layout.to_matrix(params)
    n_out = B.shape[1]
    nonref = _nonref(n_out + 1, reference)
    prob = probabilities(X, B, reference, offset)[:, nonref]
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
        shares = np.maximum(shares / shares.sum(), MIN_SHARE)
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
    offset: np.ndarray | None = None,
) -> FitState:
    """Maximum-likelihood multinomial logit by Newton–Raphson on the full Hessian:
    :func:`~logitstats.engine.newton.fit_family` with a :class:`MultinomialFamily`."""
    family = MultinomialFamily(layout, reference, intercept_col)
    arrays = ModelArrays(X, np.asarray(y_codes, dtype=np.intp), weights, offset)
    return fit_family(family, arrays, options, start)


@dataclass(frozen=True)
class MultinomialFamily:
    """The baseline-category logit as a :class:`~logitstats.engine.family.Family`.

    Attributes
    ----------
    layout : ParamLayout
        Terms x non-reference outcomes; the flat order is outcome-major.
    reference : int
        Code of the reference level (``y`` holds codes ``0 .. K-1``).
    intercept_col : int or None
        The intercept column (start values, null model).
    """

    layout: ParamLayout
    reference: int
    intercept_col: int | None = None

    @property
    def n_params(self) -> int:
        return self.layout.size

    outcome_column: ClassVar[bool] = True
    has_reference_level: ClassVar[bool] = True
    defines_residuals: ClassVar[bool] = False

    @property
    def reparametrisation(self) -> None:
        return None

    def block_stats(
        self, block: ModelArrays, params: np.ndarray, with_info: bool = True
    ) -> BlockStats:
        """:func:`chunk_stats` of the block in the flat order (``with_info=False``: none)."""
        if not with_info:
            ll, score = self.loglik_score(block, params)
            return BlockStats(ll, score, None)
        st = chunk_stats(
            block.X,
            block.y,
            self.layout.to_matrix(params),
            block.weights,
            reference=self.reference,
            offset=block.offset,
        )
        info = _flat_information(self.layout, st.information)
        return BlockStats(st.loglik, self.layout.to_flat(st.score), (info + info.T) / 2.0)

    def loglik_score_info(
        self, arrays: ModelArrays, params: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray]:
        a = arrays
        return loglik_score_info(
            a.X, a.y, params, self.layout, self.reference, a.weights, offset=a.offset
        )

    def loglik_score(self, arrays: ModelArrays, params: np.ndarray) -> tuple[float, np.ndarray]:
        a = arrays
        return loglik_score(
            a.X, a.y, params, self.layout, self.reference, a.weights, offset=a.offset
        )

    def score_obs(self, arrays: ModelArrays, params: np.ndarray) -> np.ndarray:
        a = arrays
        return score_obs(a.X, a.y, params, self.layout, self.reference, a.offset)

    def start(self, arrays: ModelArrays) -> np.ndarray:
        codes = np.asarray(arrays.y, dtype=np.intp)
        return start_values(codes, arrays.weights, self.layout, self.reference, self.intercept_col)

    def linear_predictor(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """``(n, K)`` linear predictors, 0 in the reference column."""
        return linear_predictor(X, self.layout.to_matrix(params), self.reference, offset)

    def probabilities(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """``(n, K)`` probabilities in level order."""
        return probabilities(X, self.layout.to_matrix(params), self.reference, offset)

    def prob_table(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """``(n, K)`` probabilities in level order (the columns marginal effects report)."""
        return self.probabilities(X, params, offset)

    def dprob(
        self,
        X: np.ndarray,
        params: np.ndarray,
        column: int,
        offset: np.ndarray | None = None,
        prob: np.ndarray | None = None,
    ) -> np.ndarray:
        r"""``dP_k/dx_c = P_k (b_{ck} - \sum_l P_l b_{cl})`` with ``b_{c,ref} = 0``, shape (n, K)
        (``prob``: :meth:`prob_table` at the same point)."""
        P = self.prob_table(X, params, offset) if prob is None else prob
        beta = np.insert(self.layout.to_matrix(params)[column], self.reference, 0.0)  # (K,)
        return P * (beta[None, :] - (P @ beta)[:, None])

    def index_model(self, params: np.ndarray, offset: np.ndarray | None = None) -> IndexModel:
        """Every level, the reference's coefficients fixed at 0 and no offset on it."""
        ref, layout = self.reference, self.layout
        coef = np.insert(layout.to_matrix(np.asarray(params, dtype=np.float64)), ref, 0.0, axis=1)
        free = np.insert(layout.to_matrix(np.arange(layout.size)), ref, -1, axis=1)
        off = None
        if offset is not None:
            off = np.repeat(np.asarray(offset, dtype=np.float64)[:, None], coef.shape[1], axis=1)
            off[:, ref] = 0.0
        return IndexModel(coef, free, off, None)

    def subset(self, columns: Sequence[int]) -> MultinomialFamily:
        cols = [int(c) for c in columns]
        icol = cols.index(self.intercept_col) if self.intercept_col in cols else None
        terms = tuple(self.layout.terms[c] for c in cols)
        return MultinomialFamily(ParamLayout(terms, self.layout.outcomes), self.reference, icol)

    def column_positions(self, columns: Sequence[int]) -> np.ndarray:
        return self.layout.term_positions(list(columns))

    def null_columns(self) -> list[int]:
        return [] if self.intercept_col is None else [self.intercept_col]
