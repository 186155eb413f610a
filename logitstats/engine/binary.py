"""Binary logit log-likelihood, score and information on ndarrays, accumulated in row chunks.

For rows i with 0/1 outcome y_i, frequency weight w_i, offset o_i and linear predictor
``eta_i = x_i' b + o_i``::

    loglik = sum_i w_i (y_i * eta_i + log(1 - p_i)),   p_i = sigmoid(eta_i)
    score  = X' (w * (y - p))
    info   = X' diag(w p (1 - p)) X

``log(1 - p_i)``, ``p_i`` and ``p_i (1 - p_i)`` all come from one ``exp(-|eta_i|)``, stable for
any eta. The rows are visited in chunks of about 2 MiB: per chunk one product ``X b``, one scaled
copy ``sqrt(w p (1 - p)) X`` (in a reused buffer) and one BLAS ``dsyrk`` update of the information,
so the memory beyond X is bounded by the chunk size. The per-chunk statistics
(:func:`chunk_stats`) are a pure function so that out-of-core backends can reuse them.
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
from logitstats.numerics.parallel import (
    CHUNK_BYTES,
    chunk_slices,
    map_chunks,
    rows_for,
)
from logitstats.numerics.softmax import sigmoid

__all__ = [
    "BinaryFamily",
    "ChunkStats",
    "chunk_stats",
    "loglik_score_info",
    "loglik_score",
    "fit",
    "linear_predictor",
    "start_values",
    "chunk_rows_for",
    "DEFAULT_CHUNK_ROWS",
    "CHUNK_BYTES",
]

DEFAULT_CHUNK_ROWS = 32768  # the most rows in one chunk
# The start's event rate is clipped to [MIN_RATE, 1 - MIN_RATE]: an all-0 or all-1 outcome
# still gets a finite starting intercept (logit(1e-8) = -18.4).
MIN_RATE = 1e-8


def chunk_rows_for(k: int) -> int:
    """Rows per chunk for a design with ``k`` columns: about ``CHUNK_BYTES`` of X, at least 256."""
    return rows_for(k, most=DEFAULT_CHUNK_ROWS)


@dataclass(frozen=True)
class ChunkStats:
    """Additive sufficient statistics of one block of rows."""

    loglik: float
    score: np.ndarray
    information: np.ndarray


def _accumulate(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None,
    offset: np.ndarray | None,
    score: np.ndarray,
    info: np.ndarray | None,
    scaled: np.ndarray | None,
) -> float:
    """Add one chunk's score to ``score`` and its information (upper triangle) to ``info``.

    With ``info=None`` only the log-likelihood and score are computed.

    ``info`` is a Fortran-ordered (k, k) array updated in place by BLAS ``dsyrk``; ``scaled`` is a
    work buffer with at least as many rows as ``X``. Returns the chunk's log-likelihood.
    """
    m, k = X.shape
    eta = X @ params
    if offset is not None:
        eta += offset
    # one exp for everything: e = exp(-|eta|), p = 1/(1+e) (eta >= 0) or e/(1+e)
    e = np.abs(eta)
    np.negative(e, out=e)
    with np.errstate(under="ignore"):
        np.exp(e, out=e)
    inv = e + 1.0
    np.divide(1.0, inv, out=inv)  # 1 / (1 + e)
    # loglik_i = y eta - log(1 + exp(eta)) = y eta - max(eta, 0) - log1p(e)
    ll_i = np.maximum(eta, 0.0)
    ll_i += np.log1p(e)
    np.subtract(y * eta, ll_i, out=ll_i)
    # var_i = p (1 - p) = e / (1 + e)^2 (no cancellation); resid_i = y - p
    var = e * inv
    resid = np.where(eta >= 0.0, inv, var)  # p
    np.subtract(y, resid, out=resid)
    var *= inv
    if weights is not None:
        ll_i *= weights
        resid *= weights
        var *= weights
    score += X.T @ resid
    if k and info is not None:
        assert scaled is not None  # allocated whenever info is (with_info=True)
        np.sqrt(var, out=var)
        buf = scaled[:m]
        np.multiply(X, var[:, None], out=buf)
        # info += buf' buf (upper triangle); buf.T is Fortran-ordered, so BLAS reads it in place
        dsyrk(1.0, buf.T, beta=1.0, c=info, trans=0, lower=0, overwrite_c=1)
    return float(ll_i.sum())


def _symmetrise(info: np.ndarray) -> np.ndarray:
    """The full symmetric matrix from its upper triangle, C-ordered."""
    upper = np.triu(info)
    return np.ascontiguousarray(upper + np.triu(info, 1).T)


def chunk_stats(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
) -> ChunkStats:
    """Log-likelihood, score and information of one block of rows.

    A pure function of its arguments, additive over blocks of rows: summing it over any
    partition of the rows gives the statistics of the whole data (out-of-core backends use it
    this way).

    Parameters
    ----------
    X : ndarray (m, k)
        Rows of the design matrix.
    y : ndarray (m,)
        0/1 outcomes.
    params : ndarray (k,)
    weights, offset : ndarray (m,), optional
        Frequency weights and offset of the rows.

    Returns
    -------
    ChunkStats

    Notes
    -----
    With ``eta = X b + o``, ``e = exp(-|eta|)`` and ``p = sigmoid(eta)``:
    ``loglik = sum w (y eta - max(eta, 0) - log1p(e))``, ``score = X' w (y - p)`` and
    ``information = X' diag(w p (1 - p)) X`` with ``p (1 - p) = e / (1 + e)^2``. The
    information is accumulated by a symmetric rank-k update of ``sqrt(w p (1 - p)) X``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    >>> st = chunk_stats(X, np.array([0.0, 1.0, 1.0]), np.zeros(2))
    >>> round(st.loglik, 6), st.score.tolist(), st.information.tolist()
    (-2.079442, [0.5, 1.5], [[0.75, 0.75], [0.75, 1.25]])
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    k = X.shape[1]
    score = np.zeros(k)
    info = np.zeros((k, k), order="F")
    ll = _accumulate(X, y, params, weights, offset, score, info, np.empty_like(X))
    return ChunkStats(ll, score, _symmetrise(info))


def loglik_score_info(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    chunk_rows: int | None = None,
) -> tuple[float, np.ndarray, np.ndarray]:
    """The sum of :func:`chunk_stats` over row chunks (default: :func:`chunk_rows_for`).

    The chunks are shared out over the cores (:func:`logitstats.numerics.parallel.map_chunks`);
    memory beyond X is one chunk per worker (its scaled copy and a few vectors of its length).
    """
    ll, score, info = _sums(X, y, params, weights, offset, chunk_rows, with_info=True)
    assert info is not None  # with_info=True always returns it
    return ll, score, _symmetrise(info)


def loglik_score(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    chunk_rows: int | None = None,
) -> tuple[float, np.ndarray]:
    """Log-likelihood and score only (no information matrix): :func:`loglik_score_info` less
    its most expensive part."""
    ll, score, _ = _sums(X, y, params, weights, offset, chunk_rows, with_info=False)
    return ll, score


def _sums(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    weights: np.ndarray | None,
    offset: np.ndarray | None,
    chunk_rows: int | None,
    *,
    with_info: bool,
) -> tuple[float, np.ndarray, np.ndarray | None]:
    n, k = X.shape
    rows = chunk_rows_for(k) if chunk_rows is None else max(1, int(chunk_rows))
    if not X.flags.c_contiguous and n > rows:
        X = np.ascontiguousarray(X, dtype=np.float64)
    params = np.asarray(params, dtype=np.float64)

    def work(slices: list[slice]) -> tuple[float, np.ndarray, np.ndarray | None]:
        ll = 0.0
        score = np.zeros(k)
        info = np.zeros((k, k), order="F") if with_info else None
        scaled = np.empty((min(rows, n), k)) if with_info else None
        for sl in slices:
            ll += _accumulate(
                X[sl],
                y[sl],
                params,
                None if weights is None else weights[sl],
                None if offset is None else offset[sl],
                score,
                info,
                scaled,
            )
        return ll, score, info

    parts = map_chunks(work, chunk_slices(n, rows))
    ll, score, info = parts[0]
    for part in parts[1:]:
        ll += part[0]
        score += part[1]
        if info is not None:
            info += part[2]
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
        ybar = min(max(ybar, MIN_RATE), 1 - MIN_RATE)
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
    """Maximum-likelihood binary logit by Newton–Raphson (an array-level convenience):
    :func:`~logitstats.engine.newton.fit_family` with a :class:`BinaryFamily` over unnamed
    columns."""
    family = BinaryFamily(ParamLayout(_column_names(X.shape[1])), intercept_col)
    return fit_family(family, ModelArrays(X, y, weights, offset), options, start)


def _column_names(k: int) -> tuple[str, ...]:
    return tuple(f"x{j}" for j in range(k))


@dataclass(frozen=True)
class BinaryFamily:
    """The binary logit as a :class:`~logitstats.engine.family.Family`.

    Attributes
    ----------
    layout : ParamLayout
        One parameter per design column.
    intercept_col : int or None
        The intercept column (start values, null model).
    """

    layout: ParamLayout
    intercept_col: int | None = None

    @property
    def n_params(self) -> int:
        return self.layout.size

    outcome_column: ClassVar[bool] = False
    has_reference_level: ClassVar[bool] = False
    defines_residuals: ClassVar[bool] = True

    @property
    def reparametrisation(self) -> None:
        return None

    def block_stats(
        self, block: ModelArrays, params: np.ndarray, with_info: bool = True
    ) -> BlockStats:
        """:func:`chunk_stats` of the block (``with_info=False``: no information)."""
        if not with_info:
            ll, score = loglik_score(block.X, block.y, params, block.weights, block.offset)
            return BlockStats(ll, score, None)
        st = chunk_stats(block.X, block.y, params, block.weights, block.offset)
        return BlockStats(st.loglik, st.score, st.information)

    def loglik_score_info(
        self, arrays: ModelArrays, params: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray]:
        a = arrays
        return loglik_score_info(a.X, a.y, params, a.weights, a.offset)

    def loglik_score(self, arrays: ModelArrays, params: np.ndarray) -> tuple[float, np.ndarray]:
        a = arrays
        return loglik_score(a.X, a.y, params, a.weights, a.offset)

    def score_obs(self, arrays: ModelArrays, params: np.ndarray) -> np.ndarray:
        """``x_i (y_i - p_i)``, unweighted, shape (n, k)."""
        eta = linear_predictor(arrays.X, params, arrays.offset)
        return arrays.X * (arrays.y - sigmoid(eta))[:, None]

    def start(self, arrays: ModelArrays) -> np.ndarray:
        return start_values(arrays.X, arrays.y, arrays.weights, self.intercept_col)

    def linear_predictor(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """``X @ params + offset``, shape (n,)."""
        return linear_predictor(X, params, offset)

    def probabilities(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """``P(event) = sigmoid(eta)``, shape (n,)."""
        return sigmoid(linear_predictor(X, params, offset))

    def prob_table(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """``P(event)`` as one column, shape (n, 1) (the columns marginal effects report)."""
        return self.probabilities(X, params, offset)[:, None]

    def dprob(
        self,
        X: np.ndarray,
        params: np.ndarray,
        column: int,
        offset: np.ndarray | None = None,
        prob: np.ndarray | None = None,
    ) -> np.ndarray:
        """``dP/dx_column = p (1 - p) b_column``, shape (n, 1) (``prob``: :meth:`prob_table`)."""
        p = self.prob_table(X, params, offset) if prob is None else prob
        return p * (1.0 - p) * params[column]

    def index_model(self, params: np.ndarray, offset: np.ndarray | None = None) -> IndexModel:
        """``K = 2`` levels: the non-event (the reference, coefficients 0) and the event; only
        the event is reported."""
        params = np.asarray(params, dtype=np.float64)
        p = params.shape[0]
        coef = np.column_stack([np.zeros(p), params])
        free = np.column_stack([np.full(p, -1), np.arange(p)])
        off = None if offset is None else np.column_stack([np.zeros(offset.shape[0]), offset])
        return IndexModel(coef, free, off, [1])

    def subset(self, columns: Sequence[int]) -> BinaryFamily:
        cols = [int(c) for c in columns]
        icol = cols.index(self.intercept_col) if self.intercept_col in cols else None
        return BinaryFamily(ParamLayout(tuple(self.layout.terms[c] for c in cols)), icol)

    def column_positions(self, columns: Sequence[int]) -> np.ndarray:
        return self.layout.term_positions(list(columns))

    def null_columns(self) -> list[int]:
        return [] if self.intercept_col is None else [self.intercept_col]
