r"""Average predictions and average slopes of a proportional-odds logit, with exact Jacobians.

The ordinal counterpart of :mod:`logitstats.inference.counterfactual` (same contract: the caller
builds ``X`` and ``dX``; the estimate is one value per level and its Jacobian is with respect
to the flat ``(beta, theta)`` vector). With :math:`\gamma_{ij} = F(\theta_j - \eta_i)`,
:math:`f_{ij} = \gamma_{ij}(1 - \gamma_{ij})`, :math:`h_{ij} = \partial f_{ij} / \partial
\eta_i = -f_{ij}(1 - 2\gamma_{ij})` and the conventions :math:`f_{i,-1} = f_{i,J-1} = 0`
(likewise :math:`h`), the probability of level :math:`k` is :math:`p_{ik} = \gamma_{ik} -
\gamma_{i,k-1}` and

.. math::
    g_{ik} = \partial p_{ik} / \partial \eta_i = f_{i,k-1} - f_{ik}, \qquad
    \partial p_{ik} / \partial \theta_j = f_{ij}(\delta_{jk} - \delta_{j,k-1}).

The average slope along ``dX`` is :math:`\bar s_k = \sum_i w_i g_{ik} d_i / \sum w` with
:math:`d_i = \dot x_i'\beta`; its derivatives are
:math:`\partial / \partial \beta = \sum_i w_i [(h_{i,k-1} - h_{ik}) d_i x_i + g_{ik} \dot x_i]
/ \sum w` and :math:`\partial / \partial \theta_j = \sum_i w_i d_i h_{ij}(\delta_{jk} -
\delta_{j,k-1}) / \sum w`.
"""

from __future__ import annotations

import numpy as np

from logitstats.numerics.softmax import sigmoid

__all__ = ["ordinal_average", "ordinal_average_slope"]


def _parts(X: np.ndarray, params: np.ndarray, n_slopes: int, off: np.ndarray | None):
    beta, theta = params[:n_slopes], params[n_slopes:]
    eta = X @ beta if off is None else X @ beta + off
    gamma = sigmoid(theta[None, :] - eta[:, None])  # (n, J - 1)
    n = X.shape[0]
    zero = np.zeros((n, 1))
    cum = np.concatenate([zero, gamma, zero + 1.0], axis=1)
    f = gamma * (1.0 - gamma)
    fe = np.concatenate([zero, f, zero], axis=1)  # f_{-1} .. f_{J-1}
    return beta, cum[:, 1:] - cum[:, :-1], f, fe, gamma


def _weights(w: np.ndarray | None, n: int) -> np.ndarray:
    w = np.ones(n) if w is None else np.asarray(w, dtype=float)
    return w / w.sum()


def _theta_jac(wn: np.ndarray, v: np.ndarray, n_levels: int) -> np.ndarray:
    """``(K, J - 1)``: ``sum_i wn_i v_ij (delta_jk - delta_{j,k-1})``."""
    s = wn @ v  # (J - 1,)
    out = np.zeros((n_levels, s.size))
    idx = np.arange(s.size)
    out[idx, idx] += s
    out[idx + 1, idx] -= s
    return out


def ordinal_average(
    X: np.ndarray,
    params: np.ndarray,
    n_slopes: int,
    off: np.ndarray | None = None,
    w: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Average probability of every level: estimate ``(K,)``, Jacobian ``(K, P + K - 1)``.

    Examples
    --------
    >>> X = np.zeros((2, 1))
    >>> est, jac = ordinal_average(X, np.array([0.3, 0.0, 1.0]), 1)
    >>> round(float(est.sum()), 12), jac.shape
    (1.0, (3, 3))
    """
    _, prob, f, fe, _ = _parts(X, params, n_slopes, off)
    wn = _weights(w, X.shape[0])
    g = fe[:, :-1] - fe[:, 1:]  # (n, K)
    jac_beta = (wn[:, None] * g).T @ X
    return wn @ prob, np.hstack([jac_beta, _theta_jac(wn, f, prob.shape[1])])


def ordinal_average_slope(
    X: np.ndarray,
    dX: np.ndarray,
    params: np.ndarray,
    n_slopes: int,
    off: np.ndarray | None = None,
    w: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Average ``dP_k/dv`` of every level given ``dX``: estimate ``(K,)``, Jacobian
    ``(K, P + K - 1)``."""
    beta, prob, f, fe, gamma = _parts(X, params, n_slopes, off)
    wn = _weights(w, X.shape[0])
    d = dX @ beta
    g = fe[:, :-1] - fe[:, 1:]
    h = -f * (1.0 - 2.0 * gamma)
    n = X.shape[0]
    he = np.concatenate([np.zeros((n, 1)), h, np.zeros((n, 1))], axis=1)
    dg = he[:, :-1] - he[:, 1:]
    jac_beta = (wn[:, None] * dg * d[:, None]).T @ X + (wn[:, None] * g).T @ dX
    jac_theta = _theta_jac(wn, h * d[:, None], prob.shape[1])
    return (wn * d) @ g, np.hstack([jac_beta, jac_theta])
