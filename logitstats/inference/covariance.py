"""Covariance estimators of the maximum-likelihood estimate.

With ``A`` the observed information, ``s_i`` the score contribution of row i, ``w_i`` its frequency
weight, ``n = sum(w)`` and ``k`` the number of parameters:

- ``nonrobust``: ``A^{-1}``;
- ``HC0``: ``A^{-1} B A^{-1}`` with ``B = sum_i w_i s_i s_i'`` (``sandwich::sandwich``);
- ``HC1``: HC0 times ``n / (n - k)`` (``sandwich::vcovHC(type = "HC1")``);
- ``cluster``: ``B = sum_g u_g u_g'``, ``u_g = sum_{i in g} w_i s_i``, times
  ``G / (G - 1) * (n - 1) / (n - k)`` (``sandwich::vcovCL(type = "HC1")``).

Frequency weights count each row ``w_i`` times, so every estimator equals the one computed on
the row-expanded data.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from logitstats.errors import DataError, LogitstatsError
from logitstats.options import CovType, parse_option

__all__ = ["CovType", "parse_cov_type", "covariance", "inverse_information"]


def parse_cov_type(value: object, groups: object = None) -> CovType:
    """Case-insensitive lookup of a covariance type, checking that ``groups`` fits it."""
    ct = parse_option(CovType, value, "cov_type")
    if ct is CovType.CLUSTER and groups is None:
        raise LogitstatsError(
            "cov_type='cluster' needs groups=<column name or array of cluster ids>; got groups=None"
        )
    if ct is not CovType.CLUSTER and groups is not None:
        raise LogitstatsError(
            f"groups= is only used with cov_type='cluster'; got cov_type={ct.value!r}"
        )
    return ct


def inverse_information(information: np.ndarray) -> np.ndarray:
    """``A^{-1}`` via Cholesky (symmetric result); NaN if ``A`` is not positive definite."""
    k = information.shape[0]
    if k == 0:
        return np.zeros((0, 0))
    try:
        c = scipy.linalg.cho_factor(information, check_finite=False)
        inv = scipy.linalg.cho_solve(c, np.eye(k), check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return np.full((k, k), np.nan)
    return (inv + inv.T) / 2.0


def _codes(groups: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer cluster codes ``0..G-1`` and ``G``; ids are compared as values, so ``1`` and
    ``"1"`` are different clusters (object arrays are not converted to text).

    Raises
    ------
    DataError
        Fewer than two clusters (the cluster covariance needs ``G >= 2``).
    """
    groups = np.asarray(groups)
    if groups.dtype == object:
        lookup: dict[object, int] = {}
        codes = np.fromiter(
            (lookup.setdefault(v, len(lookup)) for v in groups.tolist()),
            dtype=np.intp,
            count=groups.shape[0],
        )
        n_groups = len(lookup)
    else:
        _, codes = np.unique(groups, return_inverse=True)
        codes = codes.ravel()
        n_groups = int(codes.max()) + 1 if codes.size else 0
    if n_groups < 2:
        raise DataError(
            "groups must hold at least two distinct cluster ids for cov_type='cluster' (the "
            f"cluster covariance has the factor G / (G - 1)); got {n_groups} cluster(s) among "
            f"{groups.shape[0]} rows. Give more clusters, or use cov_type='HC1' or 'nonrobust'"
        )
    return codes, n_groups


def covariance(
    cov_type: CovType,
    information: np.ndarray,
    score_obs: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    groups: np.ndarray | None = None,
) -> np.ndarray:
    """Covariance matrix of the estimates.

    Parameters
    ----------
    cov_type : CovType
    information : ndarray (k, k)
        Observed information at the estimate.
    score_obs : ndarray (n, k), optional
        Unweighted per-row score contributions (needed for all but ``nonrobust``).
    weights : ndarray (n,), optional
        Frequency weights.
    groups : ndarray (n,), optional
        Cluster ids (``cluster``).
    """
    bread = inverse_information(information)
    if cov_type is CovType.NONROBUST:
        return bread
    if score_obs is None:
        raise ValueError("score_obs is needed for robust covariances")
    n_rows, k = score_obs.shape
    w = np.ones(n_rows) if weights is None else weights
    n = float(w.sum())
    if cov_type in (CovType.HC0, CovType.HC1):
        meat = score_obs.T @ (score_obs * w[:, None])
        adj = 1.0 if cov_type is CovType.HC0 else n / (n - k)
    else:
        if groups is None:
            raise ValueError("groups are needed for cluster covariances")
        codes, n_groups = _codes(np.asarray(groups))
        sums = np.zeros((n_groups, k))
        np.add.at(sums, codes, score_obs * w[:, None])
        meat = sums.T @ sums
        adj = n_groups / (n_groups - 1.0) * (n - 1.0) / (n - k)
    cov = bread @ meat @ bread * adj
    return (cov + cov.T) / 2.0
