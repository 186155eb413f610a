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

from logitstats.engine.family import BlockStats, IndexModel, ModelArrays
from logitstats.engine.layout import ParamLayout
from logitstats.engine.multinomial_kernels import (
    ChunkStats,
    _accumulate,
    _information4,
    _new_accumulators,
    _nonref,
    chunk_stats,
    linear_predictor,
    probabilities,
)
from logitstats.engine.newton import FitState, NewtonOptions, fit_family
from logitstats.numerics.parallel import chunk_slices, map_chunks, rows_for

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
