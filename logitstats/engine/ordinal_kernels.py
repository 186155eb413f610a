r"""Ordinal (cumulative) logit: the per-row kernels and the additive block statistics.

Split from :mod:`logitstats.engine.ordinal` (which holds the cut-point parametrisation, start
values, probabilities and the fit, and re-exports these names). The model and the numerics are
described there::

    logit P(Y_i <= j | x_i) = theta_j - eta_i,    eta_i = x_i' beta + o_i

With ``u = theta_y - eta`` and ``l = theta_{y-1} - eta``::

    log P(Y = y) = log_sigmoid(u) + log_sigmoid(-l) + log1mexp(u - l)

(Maechler 2012 for ``log1mexp``), without cancellation for any ``u > l``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg.blas import dsyrk

from logitstats.errors import DataError
from logitstats.numerics.parallel import chunk_slices, map_chunks, rows_for

__all__ = [
    "ChunkStats",
    "chunk_stats",
    "loglik_score_info",
    "score_obs",
    "check_codes",
    "split_params",
    "DEFAULT_CHUNK_ROWS",
]

# The most rows in one chunk. A chunk's statistics need about fifteen row-length temporaries, so
# 8192 rows (64 KiB each) keep them in cache; longer chunks measured ~10% slower per row.
DEFAULT_CHUNK_ROWS = 8192
_LOG2 = float(np.log(2.0))


@dataclass(frozen=True)
class ChunkStats:
    """Additive statistics of one block of rows in the ``(beta, theta)`` parametrisation.

    ``score`` has shape ``(P + J - 1,)`` and ``information`` (minus the Hessian of the
    log-likelihood) shape ``(P + J - 1, P + J - 1)``.
    """

    loglik: float
    score: np.ndarray
    information: np.ndarray


# --------------------------------------------------------------------------------------------
# validation (the engine's boundary: codes and the number of levels)
# --------------------------------------------------------------------------------------------


def check_codes(y: np.ndarray, n_levels: int) -> np.ndarray:
    if isinstance(n_levels, bool) or not isinstance(n_levels, (int, np.integer)) or n_levels < 2:
        raise DataError(
            f"n_levels must be an integer >= 2 (the number of ordered outcome levels); "
            f"got n_levels={n_levels!r}. An ordinal model needs at least two levels"
        )
    codes = np.asarray(y)
    if codes.dtype.kind not in "iu":
        if codes.dtype.kind == "f" and codes.size and np.all(np.isfinite(codes)):
            if np.all(codes == np.round(codes)):
                codes = codes.astype(np.intp)
        if codes.dtype.kind not in "iu":
            raise DataError(
                f"y must hold integer level codes 0 .. {n_levels - 1}; got dtype {codes.dtype}. "
                "Code the ordered outcome first, e.g. pd.Categorical(y, categories=levels).codes"
            )
    if codes.size and (codes.min() < 0 or codes.max() >= n_levels):
        bad = int(codes.min() if codes.min() < 0 else codes.max())
        raise DataError(
            f"y must hold integer level codes 0 .. {n_levels - 1} (n_levels={n_levels}); "
            f"got the code {bad}. Recode y or pass the right n_levels"
        )
    return codes.astype(np.intp, copy=False)


def split_params(params: np.ndarray, n_levels: int) -> tuple[np.ndarray, np.ndarray]:
    params = np.asarray(params, dtype=np.float64)
    n_cut = n_levels - 1
    return params[: params.size - n_cut], params[params.size - n_cut :]


# --------------------------------------------------------------------------------------------
# per-row kernels
# --------------------------------------------------------------------------------------------


def _ends(
    X: np.ndarray, codes: np.ndarray, beta: np.ndarray, theta: np.ndarray, offset
) -> tuple[np.ndarray, np.ndarray]:
    """``(u, l) = (theta_y - eta, theta_{y-1} - eta)`` with ``theta_{-1} = -inf``,
    ``theta_{J-1} = +inf``."""
    eta = X @ beta if X.shape[1] else np.zeros(X.shape[0])
    if offset is not None:
        eta = eta + offset
    ext = np.concatenate([[-np.inf], theta, [np.inf]])
    return ext[codes + 1] - eta, ext[codes] - eta


def _tail_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(S(x), f(x), log F(x))`` for the logistic cdf F from one ``e = exp(-|x|)``.

    ``S = 1 - F = e/(1+e)`` (x >= 0) or ``1/(1+e)``, ``f = F S = e / (1+e)^2`` and
    ``log F = min(x, 0) - log1p(e)``: no cancellation anywhere, exact at ``x = +inf``. For the
    lower end, ``_tail_parts(-l) = (F(l), f(l), log S(l))`` by symmetry.
    """
    with np.errstate(under="ignore", invalid="ignore"):
        e = np.abs(x)
        np.negative(e, out=e)
        np.exp(e, out=e)
        inv = e + 1.0
        np.divide(1.0, inv, out=inv)
        dens = e * inv  # e / (1 + e), = S where x >= 0
        sf = np.where(x >= 0.0, dens, inv)
        dens *= inv
        logcdf = np.minimum(x, 0.0)
        logcdf -= np.log1p(e, out=e)
    return sf, dens, logcdf


def _gap_parts(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(log1mexp(d), g, q)`` for ``d = u - l``: ``log(1 - e^{-d})``, ``g = 1/expm1(d)`` and
    ``q = g (1 + g) = e^{-d} / (1 - e^{-d})^2`` (0 at ``d = inf``; NaN/-inf for ``d <= 0``)."""
    with np.errstate(under="ignore", invalid="ignore", divide="ignore", over="ignore"):
        ed = np.exp(-d)
        om = -np.expm1(-d)  # 1 - e^{-d}, accurate for small d
        log1m = np.where(d <= _LOG2, np.log(om), np.log1p(-ed))
        g = ed / om
        q = g / om
    return log1m, g, q


def _row_parts(u: np.ndarray, low: np.ndarray) -> dict[str, np.ndarray]:
    """Everything the statistics need, per row (see :func:`chunk_stats`, Notes)."""
    Su, fu, logFu = _tail_parts(u)
    Fl, fl, logSl = _tail_parts(-low)
    log1m, g, q = _gap_parts(u - low)
    return {
        "loglik": logFu + logSl + log1m,
        "a": Su + g,  # d log p / d u
        "b": -Fl - g,  # d log p / d l
        "r": Fl - Su,  # d log p / d eta
        "fu": fu,
        "fl": fl,
        "q": q,
    }


# --------------------------------------------------------------------------------------------
# block statistics
# --------------------------------------------------------------------------------------------


def _accumulate(X, codes, beta, theta, weights, offset, with_info: bool):
    m, k = X.shape
    n_cut = theta.size
    parts = _row_parts(*_ends(X, codes, beta, theta, offset))
    w = np.ones(m) if weights is None else np.asarray(weights, dtype=np.float64)
    ll_i = parts["loglik"]
    if weights is None:
        ll = float(np.sum(ll_i))
    else:
        # a zero-weight row contributes nothing, even where its own log-probability is -inf
        with np.errstate(invalid="ignore"):
            ll = float(np.sum(np.where(w == 0.0, 0.0, w * ll_i)))
    upper = codes < n_cut  # rows whose upper end theta_y is a parameter
    lower = codes > 0  # rows whose lower end theta_{y-1} is a parameter
    score = np.empty(k + n_cut)
    score[:k] = X.T @ (w * parts["r"]) if k else 0.0
    wa = np.where(upper, w * parts["a"], 0.0)
    wb = np.where(lower, w * parts["b"], 0.0)
    score[k:] = np.bincount(codes, weights=wa, minlength=n_cut + 1)[:n_cut]
    score[k:] += np.bincount(codes, weights=wb, minlength=n_cut + 1)[1 : n_cut + 1]
    if not with_info:
        return ll, score, None
    info = np.zeros((k + n_cut, k + n_cut), order="F")
    wfu = np.where(upper, w * parts["fu"], 0.0)
    wfl = np.where(lower, w * parts["fl"], 0.0)
    if k:
        scaled = X * np.sqrt(wfu + wfl)[:, None]
        # info_bb += scaled' scaled (upper triangle) by a BLAS symmetric rank-k update
        info[:k, :k] = dsyrk(1.0, scaled.T, trans=0, lower=0)
        # info_b,theta_j = -X'(w f(u) 1[y = j]) - X'(w f(l) 1[y = j + 1])
        levels = np.arange(n_cut)
        M = (codes[:, None] == levels) * wfu[:, None]
        M += (codes[:, None] == levels + 1) * wfl[:, None]
        info[:k, k:] = -(X.T @ M)
    wq = np.where(upper & lower, w * parts["q"], 0.0)
    diag = np.bincount(codes, weights=wfu + np.where(upper, wq, 0.0), minlength=n_cut + 1)[:n_cut]
    diag += np.bincount(codes, weights=wfl + wq, minlength=n_cut + 1)[1 : n_cut + 1]
    off = np.bincount(codes, weights=wq, minlength=n_cut + 1)[1:n_cut]  # (theta_{j-1}, theta_j)
    idx = np.arange(k, k + n_cut)
    info[idx, idx] = diag
    info[idx[:-1], idx[1:]] = -off
    return ll, score, info


def _symmetrise(info: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.triu(info) + np.triu(info, 1).T)


def chunk_stats(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    n_levels: int,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
) -> ChunkStats:
    r"""Exact log-likelihood, score and observed information of one block of rows.

    A pure function of its arguments, additive over blocks of rows.

    Parameters
    ----------
    X : ndarray (m, P)
        Rows of the design matrix, without an intercept column.
    y : ndarray (m,)
        Integer level codes ``0 .. n_levels - 1``.
    params : ndarray (P + n_levels - 1,)
        ``(beta, theta)``; the cut-points ``theta`` strictly increasing for a finite result.
    n_levels : int
        The number of ordered levels ``J >= 2``.
    weights, offset : ndarray (m,), optional
        Frequency weights and offset (on the scale of ``eta``) of the rows.

    Returns
    -------
    ChunkStats
        ``loglik`` is ``-inf`` or NaN when the cut-points are not increasing.

    Raises
    ------
    DataError
        If ``y`` holds anything but codes ``0 .. n_levels - 1`` or ``n_levels < 2``.

    Notes
    -----
    Per row with code ``y``, ``u = theta_y - eta``, ``l = theta_{y-1} - eta`` (``+-inf`` at the
    ends), ``d = u - l``, ``F`` the logistic cdf, ``S = 1 - F``, ``f = F S``, ``g = 1/expm1(d)``
    and ``q = g (1 + g)``::

        log p    = log F(u) + log S(l) + log1mexp(d)
        dlogp/du = S(u) + g          dlogp/dl = -F(l) - g        dlogp/deta = F(l) - S(u)
        -d2/du2  = f(u) + q          -d2/dl2  = f(l) + q         -d2/dudl   = -q

    and ``u``, ``l`` move with ``-eta``, so (weights ``w``)::

        score_beta      = X' w (F(l) - S(u))
        score_theta_j   = sum_{y=j} w (S(u) + g) + sum_{y=j+1} w (-F(l) - g)
        info_beta       = X' diag(w (f(u) + f(l))) X              (BLAS dsyrk)
        info_beta,th_j  = -X' (w f(u) 1[y=j]) - X' (w f(l) 1[y=j+1])
        info_th_j,th_j  = sum_{y=j} w (f(u) + q) + sum_{y=j+1} w (f(l) + q)
        info_th_j,th_j+1 = -sum_{y=j+1} w q                        (tridiagonal block)

    (``q`` is 0 in the end categories). The slope block is positive semi-definite and the
    log-likelihood is concave in ``(beta, theta)`` (Pratt 1981).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> st = chunk_stats(X, np.array([0, 1, 2]), np.array([0.0, -1.0, 1.0]), 3)
    >>> F = lambda t: 1.0 / (1.0 + np.exp(-t))  # beta = 0: log F(-1) + log(F(1) - F(-1)) + log S(1)
    >>> bool(np.isclose(st.loglik, np.log(F(-1.0)) + np.log(F(1.0) - F(-1.0)) + np.log(F(-1.0))))
    True
    >>> round(st.loglik, 6)
    -3.39846
    """
    codes = check_codes(y, n_levels)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != codes.shape[0]:
        raise DataError(
            f"X must be a 2-D array with one row per outcome; got X of shape {X.shape} "
            f"and {codes.shape[0]} outcomes. Pass X as (n_rows, n_features)"
        )
    beta, theta = split_params(params, n_levels)
    ll, score, info = _accumulate(X, codes, beta, theta, weights, offset, True)
    return ChunkStats(ll, score, _symmetrise(info))


def loglik_score_info(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    n_levels: int,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    *,
    with_info: bool = True,
    chunk_rows: int | None = None,
) -> tuple[float, np.ndarray, np.ndarray | None]:
    """The sum of :func:`chunk_stats` over row chunks, shared out over the cores.

    With ``with_info=False`` the information is not formed (None).
    """
    codes = check_codes(y, n_levels)
    n, k = X.shape
    rows = rows_for(k, most=DEFAULT_CHUNK_ROWS) if chunk_rows is None else max(1, int(chunk_rows))
    beta, theta = split_params(params, n_levels)

    def work(slices: list[slice]):
        total = None
        for sl in slices:
            part = _accumulate(
                X[sl],
                codes[sl],
                beta,
                theta,
                None if weights is None else weights[sl],
                None if offset is None else offset[sl],
                with_info,
            )
            if total is None:
                total = list(part)
            else:
                total[0] += part[0]
                total[1] += part[1]
                if with_info:
                    total[2] += part[2]
        return total

    parts = map_chunks(work, chunk_slices(n, rows) or [slice(0, 0)])
    ll, score, info = parts[0]
    for part in parts[1:]:
        ll += part[0]
        score += part[1]
        if with_info:
            info += part[2]
    return ll, score, (_symmetrise(info) if with_info else None)


def score_obs(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    n_levels: int,
    offset: np.ndarray | None = None,
) -> np.ndarray:
    """Unweighted per-row scores, shape ``(n, P + J - 1)`` in the ``(beta, theta)`` order.

    Row i is ``(x_i (F(l_i) - S(u_i)), e_{y_i} (S(u_i) + g_i) + e_{y_i - 1} (-F(l_i) - g_i))``
    (see :func:`chunk_stats`); ``sum_i w_i s_i`` is the score. For sandwich covariances.
    """
    codes = check_codes(y, n_levels)
    X = np.asarray(X, dtype=np.float64)
    beta, theta = split_params(params, n_levels)
    n, k = X.shape
    n_cut = theta.size
    parts = _row_parts(*_ends(X, codes, beta, theta, offset))
    out = np.zeros((n, k + n_cut + 1))
    out[:, :k] = X * parts["r"][:, None]
    rows = np.arange(n)
    upper = codes < n_cut
    lower = codes > 0
    out[rows[upper], k + codes[upper]] += parts["a"][upper]
    out[rows[lower], k + codes[lower] - 1] += parts["b"][lower]
    return out[:, : k + n_cut]
