"""The functions a distributed fit runs on each partition (pass 0) or on each partition's
block of rows (every later pass): pure functions returning typed partials that
:class:`~logitstats.backends.dask.DaskRunner` merges (see :mod:`logitstats.fit.distributed`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from logitstats.backends.dask import KeyedSum, Max
from logitstats.design import partitions as parts
from logitstats.engine.family import Family, ModelArrays
from logitstats.inference.covariance import CovType

__all__ = ["scan_partition", "learn_partition", "gram_block", "stats_block", "post_block"]


# --------------------------------------------------------------------------- per partition


def scan_partition(frame: pd.DataFrame, req: parts.Request) -> dict[str, Any]:
    fr = parts.front(frame, req)
    extra = tuple(c for c in (req.weights, req.groups, fr.offset_column) if c)
    return {
        "n_rows": int(frame.shape[0]),
        "na": KeyedSum(fr.na_counts),
        "sample": [parts.representatives(frame, fr, extra)],
    }


def learn_partition(frame: pd.DataFrame, req: parts.Request, spec: Any) -> dict[int, list]:
    return parts.transform_partials(frame, req, spec)


def _arrays(b: parts.Block, cols: np.ndarray | None) -> ModelArrays:
    X = b.X if cols is None else np.ascontiguousarray(b.X[:, cols])
    return ModelArrays(X, b.y, b.weights, b.offset)


def gram_block(b: parts.Block, n_levels: int) -> dict[str, Any]:
    w = np.ones(b.y.shape[0]) if b.weights is None else b.weights
    xw = b.X * np.sqrt(w)[:, None]
    big = np.abs(b.X).max(axis=0) if b.X.shape[0] else np.zeros(b.X.shape[1])
    # a column too large for X'WX overflows here; the client refuses it from ``max_abs``
    with np.errstate(over="ignore", invalid="ignore"):
        gram = xw.T @ xw
    return {
        "n_used": int(b.y.shape[0]),
        "n_positive": int(np.count_nonzero(w > 0)),
        "nonfinite": KeyedSum(b.nonfinite),
        "gram": gram,
        "max_abs": Max(big),
        "counts": np.bincount(b.y.astype(np.intp), weights=w, minlength=n_levels),
    }


def stats_block(
    b: parts.Block, family: Family, cols: Any, params: Any, post: tuple[Any, ...] | None = None
) -> dict[str, Any]:
    """``(loglik, score, information)`` of the block at ``params``; with ``post`` (the other
    arguments of :func:`post_block`), its post-fit sums at the same point too (so the last
    Newton evaluation, at the estimate, serves as the post-fit pass)."""
    a = _arrays(b, cols)
    k = family.n_params
    if a.n_rows == 0:
        out: dict[str, Any] = {"ll": 0.0, "score": np.zeros(k), "info": np.zeros((k, k))}
    else:
        s = family.block_stats(a, params, True)
        out = {"ll": s.loglik, "score": s.score, "info": s.information}
    if post is not None:
        out["post"] = post_block(b, family, cols, params, *post)
    return out


def post_block(
    b: parts.Block, family: Family, cols: Any, params: Any, cov_type: CovType, n_levels: int
) -> dict[str, Any]:
    """Robust meat or cluster score sums, Pearson chi-square, and the table of weighted sums
    of the fitted probabilities by outcome value (rows) and probability column (Tjur)."""
    a = _arrays(b, cols)
    w = np.ones(a.n_rows) if a.weights is None else a.weights
    out: dict[str, Any] = {}
    k = family.n_params
    if cov_type in (CovType.HC0, CovType.HC1):
        s = family.score_obs(a, params) if a.n_rows else np.zeros((0, k))
        out["meat"] = s.T @ (s * w[:, None])
    elif cov_type is CovType.CLUSTER:
        s = family.score_obs(a, params) if a.n_rows else np.zeros((0, k))
        sums = pd.DataFrame(s * w[:, None]).groupby(pd.Series(b.groups).to_numpy(), sort=False)
        out["clusters"] = KeyedSum({key: row.to_numpy() for key, row in sums.sum().iterrows()})
    mu = family.probabilities(a.X, params, a.offset)
    mu = mu[:, None] if mu.ndim == 1 else mu
    if mu.shape[1] == n_levels - 1:  # P(y = 1) only (binary): the table has both columns
        mu = np.column_stack([1.0 - mu.sum(axis=1), mu])
    onehot = np.zeros_like(mu)
    onehot[np.arange(a.n_rows), a.y.astype(np.intp)] = 1.0
    out["pearson"] = float((w * ((onehot - mu) ** 2 / mu).sum(axis=1)).sum())
    out["by_outcome"] = onehot.T @ (mu * w[:, None])
    return out
