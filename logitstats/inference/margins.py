r"""Marginal effects with delta-method standard errors, on ndarrays (no pandas, no patsy).

Both models are index models: with the ``(p, K)`` coefficient matrix ``B`` (one column per outcome
level, zeros in the reference column; a binary logit is the case ``K = 2`` with the non-event as
reference) the linear predictors are ``eta_i = B' x_i (+ offset)`` and the probabilities
``P_i = softmax(eta_i)``. For a continuous column ``k`` with ``beta = B[k]`` (length ``K``) and
``bbar_i = P_i' beta`` the per-row effect on ``P_im`` is

- ``dydx``: :math:`\partial P_{im} / \partial x_k = P_{im} (\beta_m - \bar\beta_i)`;
- ``eyex``: :math:`\partial P / \partial x_k \cdot x_k / P = x_k (\beta_m - \bar\beta_i)`;
- ``dyex``: :math:`\partial P / \partial x_k \cdot x_k`;
- ``eydx``: :math:`\partial P / \partial x_k / P = \beta_m - \bar\beta_i`,

and for a discrete change (a level of a factor against its reference level) it is
:math:`P(x \text{ with the level's coding}) - P(x \text{ with the reference coding})` whatever
the method. ``at="overall"`` averages the per-row effects (frequency-weighted): the average
marginal effect, as ``statsmodels``' ``get_margeff(at="overall")`` and
``marginaleffects::avg_slopes``; ``at="mean"`` evaluates them once at the (weighted) column
means, as ``get_margeff(at="mean")``. The standard errors are :math:`\sqrt{\mathrm{diag}(J V J')}`.

The Jacobian ``J`` is analytic and exact given ``X``, by the chain rule through ``eta``: with
:math:`\partial P_{im} / \partial \eta_{il} = P_{im} (\delta_{ml} - P_{il})`,
:math:`\partial \bar\beta_i / \partial \eta_{il} = P_{il} (\beta_l - \bar\beta_i)` and
:math:`d_{im} = \beta_m - \bar\beta_i`,

- ``dy`` methods: :math:`\partial e_{im} / \partial B_{jl} = M_i x_{ij} P_{im} [(\delta_{ml} -
  P_{il}) d_{im} - P_{il} d_{il}] + \delta_{jk} M_i P_{im} (\delta_{ml} - P_{il})`;
- ``ey`` methods: :math:`\partial e_{im} / \partial B_{jl} = -M_i x_{ij} P_{il} d_{il} +
  \delta_{jk} M_i (\delta_{ml} - P_{il})`;
- a discrete change: :math:`P^1_{im} (\delta_{ml} - P^1_{il}) x^1_{ij} - (\text{same at } x^0)`,

with ``M_i = x_ik`` for the ``ex`` methods, else 1 (binary ``dydx``: the issue's
:math:`\operatorname{mean}_i [p(1-p)(1-2p) x_{ij} b_k + p (1-p) 1\{j = k\}]`). Averaging over rows
turns each into one matrix product ``T' X`` (``T`` the ``n x (m K)`` row weights). A discrete
change never copies ``X``: its linear predictor is the observed one shifted by
``(coding - x_i[cols])' B[cols]``, and in ``T' X^1`` only the term's columns differ from ``T' X``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from logitstats.numerics.parallel import single_threaded_blas
from logitstats.numerics.softmax import _softmax_rows
from logitstats.options import MarginsAt, MarginsMethod, parse_option

__all__ = ["EffectSpec", "METHODS", "AT", "index_effects_with_cov"]

METHODS = tuple(m.value for m in MarginsMethod)
AT = tuple(a.value for a in MarginsAt)


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


def _at_coding(
    X: np.ndarray,
    coef: np.ndarray,
    eta_rest: np.ndarray,
    omega: np.ndarray,
    cols: list[int],
    coding: np.ndarray,
    out: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Average probabilities ``(m,)`` with every row's term set to ``coding``, and their
    Jacobian ``(m, p, K)``; ``eta_rest`` is the linear predictor without the term's columns."""
    n_levels = coef.shape[1]
    prob = _softmax_rows(eta_rest + coding @ coef[cols])
    # T[i, m, l] = P_im (delta_ml - P_il), weighted by omega
    t = -prob[:, out, None] * prob[:, None, :]
    t[:, np.arange(out.size), out] += prob[:, out]
    t *= omega[:, None, None]
    tx = (t.reshape(t.shape[0], -1).T @ X).reshape(out.size, n_levels, -1)
    tx[:, :, cols] = t.sum(axis=0)[:, :, None] * coding[None, None, :]  # x^1 on the term
    return omega @ prob[:, out], tx.transpose(0, 2, 1)


def _continuous(
    X: np.ndarray,
    coef: np.ndarray,
    prob: np.ndarray,
    omega: np.ndarray,
    k: int,
    method: str,
    out: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Average effect of column ``k`` ``(m,)`` and its Jacobian ``(m, p, K)`` (module notes)."""
    n, n_levels = prob.shape
    beta = coef[k]
    d = beta[None, :] - (prob @ beta)[:, None]  # (n, K)
    mult = omega * X[:, k] if "ex" in method[2:] else omega  # M_i times the row weight
    delta = np.zeros((out.size, n_levels))
    delta[np.arange(out.size), out] = 1.0
    pl_dl = prob * d  # P_il d_il
    if method.startswith("ey"):
        est = mult @ d[:, out]
        t = np.broadcast_to(-(mult[:, None] * pl_dl)[:, None, :], (n, out.size, n_levels))
        direct = mult.sum() * delta - (mult @ prob)[None, :]
    else:
        pm = prob[:, out]  # (n, m)
        est = mult @ (pm * d[:, out])
        # P_im [(delta_ml - P_il) d_im - P_il d_il]
        t = pm[:, :, None] * (
            (delta[None, :, :] - prob[:, None, :]) * d[:, out, None] - pl_dl[:, None, :]
        )
        t = t * mult[:, None, None]
        direct = (mult[:, None, None] * pm[:, :, None] * (delta[None] - prob[:, None, :])).sum(0)
    jac = (np.ascontiguousarray(t).reshape(n, -1).T @ X).reshape(out.size, n_levels, -1)
    jac = jac.transpose(0, 2, 1).copy()
    jac[:, k, :] += direct
    return est, jac


def index_effects_with_cov(
    coef: np.ndarray,
    free: np.ndarray,
    cov: np.ndarray,
    X: np.ndarray,
    weights: np.ndarray | None,
    specs: Sequence[EffectSpec],
    method: str = "dydx",
    at: str = "overall",
    *,
    offset: np.ndarray | None = None,
    outputs: Sequence[int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Effects ``(s, m)`` and their covariance ``(s*m, s*m)`` (row-major over ``(s, m)``).

    Parameters
    ----------
    coef : ndarray (p, K)
        Coefficients of every outcome level (zeros in the reference column).
    free : ndarray of int (p, K)
        Position of each coefficient in the flat parameter vector that ``cov`` refers to; -1
        for the fixed (reference) ones.
    cov : ndarray (k, k)
        Covariance of the flat parameter vector.
    X : ndarray (n, p)
        Design matrix (not modified, not copied).
    weights : ndarray (n,), optional
        Frequency weights of the average.
    specs : sequence of EffectSpec
    method, at : str
        See the module notes.
    offset : ndarray (n, K), optional
        Added to the linear predictors (``at="mean"``: its weighted mean).
    outputs : sequence of int, optional
        The outcome levels whose probabilities are reported (default: all ``K``).

    Returns
    -------
    est : ndarray (s, m)
    cov : ndarray (s*m, s*m)

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(4), [0.0, 1, 2, 3]]); b = np.array([-1.0, 0.5])
    >>> coef = np.column_stack([np.zeros(2), b]); free = np.array([[-1, 0], [-1, 1]])
    >>> est, cov = index_effects_with_cov(
    ...     coef, free, np.eye(2), X, None, [EffectSpec((1,))], outputs=[1])
    >>> round(float(est[0, 0]), 6)
    0.114577
    """
    method, at = _check(method, at)
    out = np.arange(coef.shape[1]) if outputs is None else np.asarray(outputs, dtype=int)
    w = np.ones(X.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    if at == "mean":
        X = np.average(X, axis=0, weights=w)[None, :]
        if offset is not None:
            offset = np.average(offset, axis=0, weights=w)[None, :]
        w = np.ones(1)
    omega = w / w.sum()
    eta_rest: dict[tuple[int, ...], np.ndarray] = {}
    at_coding: dict[tuple[tuple[int, ...], bytes], tuple[np.ndarray, np.ndarray]] = {}

    def discrete(spec: EffectSpec, coding: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key = (spec.columns, np.asarray(coding, dtype=np.float64).tobytes())
        if key not in at_coding:  # the reference coding is shared by the term's levels
            cols = list(spec.columns)
            if spec.columns not in eta_rest:
                eta_rest[spec.columns] = eta - X[:, cols] @ coef[cols]
            at_coding[key] = _at_coding(
                X, coef, eta_rest[spec.columns], omega, cols, np.asarray(coding, float), out
            )
        return at_coding[key]

    ests, jacs = [], []
    with single_threaded_blas():  # skinny products: extra BLAS threads only contend
        eta = X @ coef
        if offset is not None:
            eta = eta + offset
        prob = _softmax_rows(eta)
        for spec in specs:
            if spec.discrete:
                assert spec.level_coding is not None and spec.reference_coding is not None
                e1, j1 = discrete(spec, spec.level_coding)
                e0, j0 = discrete(spec, spec.reference_coding)
                e, j = e1 - e0, j1 - j0
            else:
                e, j = _continuous(X, coef, prob, omega, spec.columns[0], method, out)
            ests.append(e)
            jacs.append(j)
    est = np.array(ests).reshape(len(specs), out.size)
    full = np.array(jacs).reshape(len(specs) * out.size, -1)  # columns: (j, l) row-major
    pos = free.ravel()
    jac = np.zeros((full.shape[0], cov.shape[0]))
    jac[:, pos[pos >= 0]] = full[:, pos >= 0]
    return est, jac @ cov @ jac.T
