"""Penalized-likelihood inference for Firth fits, as R's ``logistf`` reports it (ndarrays only).

With ``l*`` the penalized log-likelihood of :mod:`logitstats.engine.firth` (whose penalty always
uses the information of the *full* design, also when coordinates are held fixed):

- profile penalized-likelihood interval of ``b_j``: ``{t : 2 (l*(b_hat) - max_{b: b_j = t} l*(b))
  <= chi2_{1, level}}``; the bounds are found by
  :func:`logitstats.inference.profile.profile_intervals` (the root-finder of the
  maximum-likelihood profile intervals) on ``l*`` with its exact Hessian;
- penalized likelihood-ratio test of ``b_j = 0``: ``chi2 = 2 (l*(b_hat) - max_{b: b_j = 0} l*(b))``
  on 1 df; of a set ``S`` of coefficients (a term), ``b_S = 0`` jointly on ``|S|`` df, as
  ``logistf``'s ``drop1``/``anova`` with the penalty of the full design.

Unlike Wald intervals these are finite and keep their coverage under separation (Heinze &
Schemper 2002).

References
----------
Heinze, G. and Schemper, M. (2002). A solution to the problem of separation in logistic
regression. Statistics in Medicine 21, 2409-2419.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from logitstats.engine.firth import penalized_objective_newton
from logitstats.engine.newton import NewtonOptions, newton
from logitstats.inference.profile import constrained_fit, profile_intervals
from logitstats.numerics.distributions import chi2_sf

__all__ = ["PenalizedLRTests", "penalized_profile_ci", "penalized_lr_tests", "penalized_set_tests"]

_OPTIONS = NewtonOptions(tol=1e-13, max_iter=100)


def _objective(X: np.ndarray, y: np.ndarray, w: np.ndarray | None, offset: np.ndarray | None):
    return lambda b: penalized_objective_newton(X, y, b, w, offset)


def penalized_profile_ci(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None,
    offset: np.ndarray | None,
    params: np.ndarray,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Profile penalized-likelihood confidence intervals of every coefficient.

    Parameters
    ----------
    X, y, weights, offset : ndarray
        The design of the Firth fit.
    params : ndarray
        The Firth estimate.
    level : float

    Returns
    -------
    lower, upper : ndarray
    """
    obj = _objective(X, y, weights, offset)
    pll, _, neg_hess = obj(params)
    ci = profile_intervals(obj, params, pll, neg_hess, level, options=_OPTIONS)
    return ci.lower, ci.upper


@dataclass(frozen=True)
class PenalizedLRTests:
    """Per-coefficient penalized likelihood-ratio tests of ``b_j = 0`` (1 df each)."""

    statistic: np.ndarray
    p_value: np.ndarray


def penalized_lr_tests(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None,
    offset: np.ndarray | None,
    params: np.ndarray,
) -> PenalizedLRTests:
    """``chi2_j = 2 (l*(b_hat) - max_{b_j = 0} l*)`` and its upper ``chi2_1`` tail probability."""
    obj = _objective(X, y, weights, offset)
    pll = obj(params)[0]
    k = params.shape[0]
    chi2 = np.empty(k)
    for j in range(k):
        start = params.copy()
        start[j] = 0.0
        state, _, _ = constrained_fit(obj, j, 0.0, start, _OPTIONS)
        chi2[j] = max(2.0 * (pll - state.loglik), 0.0)
    return PenalizedLRTests(chi2, chi2_sf(chi2, 1))


def penalized_set_tests(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None,
    offset: np.ndarray | None,
    params: np.ndarray,
    sets: list[np.ndarray],
) -> PenalizedLRTests:
    """Joint penalized LR tests of ``b_S = 0`` for each index set ``S`` in ``sets``.

    ``chi2_S = 2 (l*(b_hat) - max_{b: b_S = 0} l*(b))`` on ``|S|`` df (the penalty keeps the full
    design, as ``logistf``'s ``drop1``). A one-element set gives :func:`penalized_lr_tests`.
    """
    obj = _objective(X, y, weights, offset)
    pll = obj(params)[0]
    k = params.shape[0]
    chi2 = np.empty(len(sets))
    df = np.empty(len(sets))
    for i, idx in enumerate(sets):
        keep = np.ones(k, dtype=bool)
        keep[np.asarray(idx, dtype=int)] = False

        def sub(bm: np.ndarray, keep: np.ndarray = keep) -> tuple[float, np.ndarray, np.ndarray]:
            b = np.zeros(k)
            b[keep] = bm
            ll, g, info = obj(b)
            return ll, g[keep], info[np.ix_(keep, keep)]

        if keep.any():
            state = newton(sub, params[keep], _OPTIONS)
            ll0 = state.loglik
        else:
            ll0 = obj(np.zeros(k))[0]
        chi2[i] = max(2.0 * (pll - ll0), 0.0)
        df[i] = k - int(keep.sum())
    return PenalizedLRTests(chi2, np.asarray(chi2_sf(chi2, df)))
