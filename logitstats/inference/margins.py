r"""Marginal effects with delta-method standard errors, on ndarrays (no pandas, no patsy).

A model supplies ``prob(b, X) -> (n, m)`` (binary: ``m = 1``, P(event); multinomial: every
outcome level) and ``dprob(b, X, k) -> (n, m)``, the derivative of the probabilities with respect
to column ``k`` of ``X``. For a continuous column ``k`` the per-row effect is

- ``dydx``: :math:`\partial p / \partial x_k`;
- ``eyex``: :math:`\partial p / \partial x_k \cdot x_k / p` (elasticity);
- ``dyex``: :math:`\partial p / \partial x_k \cdot x_k`;
- ``eydx``: :math:`\partial p / \partial x_k / p`,

and for a discrete change (a level of a factor against its reference level) it is
:math:`p(x \text{ with the level's coding}) - p(x \text{ with the reference coding})` whatever
the method. ``at="overall"`` averages the per-row effects (frequency-weighted): the average
marginal effect, as ``statsmodels``' ``get_margeff(at="overall")`` and
``marginaleffects::avg_slopes``; ``at="mean"`` evaluates them once at the (weighted) column
means, as ``get_margeff(at="mean")``. The standard errors are :math:`\sqrt{\mathrm{diag}(J V J')}`
with ``J`` the Jacobian of the effects with respect to the coefficients, by central differences
(step :math:`10^{-6} \max(1, |b_i|)`; truncation error :math:`O(10^{-12})`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from logitstats.options import MarginsAt, MarginsMethod, parse_option

__all__ = ["EffectSpec", "METHODS", "AT", "effects", "effects_with_cov"]

METHODS = tuple(m.value for m in MarginsMethod)
AT = tuple(a.value for a in MarginsAt)

ProbFn = Callable[[np.ndarray, np.ndarray], np.ndarray]
DProbFn = Callable[[np.ndarray, np.ndarray, int], np.ndarray]


@dataclass(frozen=True)
class EffectSpec:
    """One effect: a continuous column (``columns == (k,)``, ``level is None``) or a discrete
    change of the term's ``columns`` from ``reference_coding`` to ``level_coding``."""

    columns: tuple[int, ...]
    level_coding: np.ndarray | None = None
    reference_coding: np.ndarray | None = None

    @property
    def discrete(self) -> bool:
        return self.level_coding is not None


def _check(method: str, at: str) -> tuple[str, str]:
    m = parse_option(MarginsMethod, method, "method")
    a = parse_option(MarginsAt, at, "at")
    return m.value, a.value


def effects(
    prob: ProbFn,
    dprob: DProbFn,
    params: np.ndarray,
    X: np.ndarray,
    weights: np.ndarray | None,
    specs: Sequence[EffectSpec],
    method: str = "dydx",
    at: str = "overall",
) -> np.ndarray:
    """Effects, shape ``(len(specs), m)``; see the module docstring for the definitions."""
    method, at = _check(method, at)
    w = np.ones(X.shape[0]) if weights is None else weights
    if at == "mean":
        X = np.average(X, axis=0, weights=w)[None, :]
        w = np.ones(1)
    p = None
    out = []
    for spec in specs:
        if spec.discrete:
            cols = list(spec.columns)
            X1, X0 = X.copy(), X.copy()
            X1[:, cols] = spec.level_coding
            X0[:, cols] = spec.reference_coding
            e = prob(params, X1) - prob(params, X0)
        else:
            k = spec.columns[0]
            e = dprob(params, X, k)
            if "ex" in method[2:]:
                e = e * X[:, [k]]
            if method.startswith("ey"):
                if p is None:
                    p = prob(params, X)
                e = e / p
        out.append(np.average(e, axis=0, weights=w))
    return np.array(out).reshape(len(specs), -1)


def effects_with_cov(
    prob: ProbFn,
    dprob: DProbFn,
    params: np.ndarray,
    cov: np.ndarray,
    X: np.ndarray,
    weights: np.ndarray | None,
    specs: Sequence[EffectSpec],
    method: str = "dydx",
    at: str = "overall",
) -> tuple[np.ndarray, np.ndarray]:
    """Effects ``(s, m)`` and their covariance ``(s*m, s*m)`` (row-major over ``(s, m)``).

    Examples
    --------
    >>> import numpy as np
    >>> from logitstats.numerics.softmax import sigmoid
    >>> X = np.column_stack([np.ones(4), [0.0, 1, 2, 3]]); b = np.array([-1.0, 0.5])
    >>> prob = lambda b, X: sigmoid(X @ b)[:, None]
    >>> dprob = lambda b, X, k: (sigmoid(X @ b) * (1 - sigmoid(X @ b)) * b[k])[:, None]
    >>> est, cov = effects_with_cov(prob, dprob, b, np.eye(2), X, None, [EffectSpec((1,))])
    >>> round(float(est[0, 0]), 6)
    0.114577
    """
    est = effects(prob, dprob, params, X, weights, specs, method, at)
    k = params.shape[0]
    jac = np.empty((est.size, k))
    for i in range(k):
        h = 1e-6 * max(1.0, abs(params[i]))
        up, dn = params.copy(), params.copy()
        up[i] += h
        dn[i] -= h
        e_up = effects(prob, dprob, up, X, weights, specs, method, at)
        e_dn = effects(prob, dprob, dn, X, weights, specs, method, at)
        jac[:, i] = (e_up - e_dn).ravel() / (2.0 * h)
    return est, jac @ cov @ jac.T
