r"""Delta-method inference and multiplicity adjustment on arrays.

For estimates :math:`\hat\theta = g(\hat b)` with Jacobian :math:`J = \partial g/\partial b`,
:math:`\widehat{\mathrm{Var}}(\hat\theta) = J V J'`; Wald :math:`z = \hat\theta / se`, two-sided
normal p-values, and ``estimate -/+ z_{1-\alpha/2} se`` intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from logitstats.numerics.distributions import norm_ppf, norm_sf

__all__ = ["DeltaTable", "delta_table", "adjust_pvalues", "numeric_jacobian"]


@dataclass(frozen=True)
class DeltaTable:
    """Estimates with delta-method standard errors, z, p and a Wald interval (all ``(m,)``)."""

    estimate: np.ndarray
    std_error: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    conf_low: np.ndarray
    conf_high: np.ndarray
    cov: np.ndarray


def delta_table(
    est: np.ndarray, jac: np.ndarray, cov: np.ndarray, level: float, null: float = 0.0
) -> DeltaTable:
    """Delta-method table of ``est`` ``(m,)`` with Jacobian ``jac`` ``(m, k)`` and ``cov``.

    Examples
    --------
    >>> t = delta_table(np.array([1.0]), np.array([[2.0]]), np.array([[0.25]]), 0.95)
    >>> float(t.std_error[0]), round(float(t.conf_high[0]), 4)
    (1.0, 2.96)
    """
    est = np.asarray(est, dtype=float).ravel()
    V = jac @ cov @ jac.T
    se = np.sqrt(np.clip(np.diag(V), 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (est - null) / se
    p = 2.0 * norm_sf(np.abs(z))
    q = norm_ppf(0.5 + level / 2.0)
    return DeltaTable(est, se, z, p, est - q * se, est + q * se, V)


def adjust_pvalues(
    p: np.ndarray, method: str, z: np.ndarray | None = None, n_means: int = 0
) -> np.ndarray:
    r"""Adjusted p-values: ``"none"``, ``"bonferroni"``, ``"holm"`` (as R's ``p.adjust``), or
    ``"tukey"`` (``emmeans``' Tukey HSD for ``n_means`` means with infinite df:
    :math:`P(Q_{n, \infty} > \sqrt 2 |z|)`; needs ``z``).

    Examples
    --------
    >>> adjust_pvalues(np.array([0.01, 0.04, 0.03]), "holm").round(4).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p, dtype=float)
    m = p.size
    if method == "none":
        return p.copy()
    if method == "bonferroni":
        return np.minimum(1.0, p * m)
    if method == "holm":
        order = np.argsort(p, kind="stable")
        adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
        out = np.empty(m)
        out[order] = np.minimum(1.0, adj)
        return out
    if method == "tukey":
        assert z is not None
        from scipy import stats  # only here: scipy.stats costs ~0.7 s to import

        return stats.studentized_range.sf(np.sqrt(2.0) * np.abs(z), n_means, np.inf)
    raise ValueError(f"unknown adjustment {method!r}")  # callers validate via options.py


def numeric_jacobian(fn, x: np.ndarray, rel_step: float = 1e-6) -> np.ndarray:  # noqa: ANN001
    """Central-difference Jacobian of ``fn: (k,) -> (m,)`` at ``x``, step ``rel_step *
    max(1, |x_i|)`` (truncation error ``O(step^2)``); for nonlinear hypotheses."""
    x = np.asarray(x, dtype=float)
    f0 = np.atleast_1d(np.asarray(fn(x), dtype=float))
    jac = np.empty((f0.size, x.size))
    for i in range(x.size):
        h = rel_step * max(1.0, abs(x[i]))
        up, dn = x.copy(), x.copy()
        up[i] += h
        dn[i] -= h
        jac[:, i] = (np.atleast_1d(fn(up)) - np.atleast_1d(fn(dn))) / (2.0 * h)
    return jac
