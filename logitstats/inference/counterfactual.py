r"""Average predictions and average slopes with their exact parameter Jacobians (arrays only).

These are the kernels behind ``slopes``, ``comparisons`` and ``predictions``: the caller builds
the design matrix ``X`` of a (counterfactual) copy of the data and, for a slope, the derivative
``dX`` of that matrix with respect to one data column; the functions here average over rows with
weights ``w`` and return the estimate and its Jacobian with respect to the flat parameter vector,
both exact given ``X`` and ``dX``.

Binary, :math:`p_i = \sigma(x_i'b + o_i)`:

- average prediction :math:`\bar p = \sum_i w_i p_i / \sum_i w_i`,
  :math:`\partial \bar p / \partial b = \sum_i w_i p_i (1 - p_i) x_i / \sum w`;
- average slope :math:`\bar s = \sum_i w_i p_i (1 - p_i) d_i / \sum w` with
  :math:`d_i = \dot x_i' b` (:math:`\dot x_i` the derivative of the row of X),
  :math:`\partial \bar s / \partial b = \sum_i w_i [p_i(1-p_i)(1-2p_i) d_i x_i
  + p_i(1-p_i) \dot x_i] / \sum w`.

Multinomial (levels :math:`k = 1..K`, reference column of zeros), :math:`P_{ik}` the softmax of
:math:`\eta_i = x_i' B`, :math:`D_{ik} = \dot x_i' B_k`, :math:`\bar D_i = \sum_k P_{ik} D_{ik}`:
the slope is :math:`S_{ik} = P_{ik}(D_{ik} - \bar D_i)` and, for a non-reference column ``j``,

.. math::
    \partial P_{ik} / \partial B_{tj} = P_{ik}(\delta_{kj} - P_{ij}) x_{it}, \qquad
    \partial S_{ik} / \partial B_{tj} = A_{ikj} x_{it} + P_{ik}(\delta_{kj} - P_{ij}) \dot x_{it},

with :math:`A_{ikj} = P_{ik}(\delta_{kj} - P_{ij})(D_{ik} - \bar D_i) - P_{ik} P_{ij}
(D_{ij} - \bar D_i)`. The flat parameter vector is outcome-major (all terms of the first
non-reference outcome, then the next), as :class:`logitstats.engine.layout.ParamLayout`.
"""

from __future__ import annotations

import numpy as np

from logitstats.numerics.softmax import sigmoid, softmax

__all__ = ["binary_average", "binary_average_slope", "mnl_average", "mnl_average_slope"]


def _weights(w: np.ndarray | None, n: int) -> np.ndarray:
    w = np.ones(n) if w is None else np.asarray(w, dtype=float)
    return w / w.sum()


def _eta(X: np.ndarray, b: np.ndarray, off: np.ndarray | None) -> np.ndarray:
    eta = X @ b
    return eta if off is None else eta + off


def binary_average(
    X: np.ndarray, b: np.ndarray, off: np.ndarray | None = None, w: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Average P(event): estimate ``(1,)`` and Jacobian ``(1, k)``.

    Examples
    --------
    >>> X = np.column_stack([np.ones(2), [0.0, 1.0]])
    >>> est, jac = binary_average(X, np.array([0.0, 0.0]))
    >>> float(est[0]), jac.tolist()
    (0.5, [[0.25, 0.125]])
    """
    p = sigmoid(_eta(X, b, off))
    wn = _weights(w, X.shape[0])
    return np.array([wn @ p]), ((wn * p * (1.0 - p)) @ X)[None, :]


def binary_average_slope(
    X: np.ndarray,
    dX: np.ndarray,
    b: np.ndarray,
    off: np.ndarray | None = None,
    w: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Average dP/dv given ``dX = dX/dv``: estimate ``(1,)`` and Jacobian ``(1, k)``."""
    p = sigmoid(_eta(X, b, off))
    wn = _weights(w, X.shape[0])
    v = p * (1.0 - p)
    d = dX @ b
    est = wn @ (v * d)
    jac = (wn * v * (1.0 - 2.0 * p) * d) @ X + (wn * v) @ dX
    return np.array([est]), jac[None, :]


def _full(B: np.ndarray, ref: int) -> np.ndarray:
    return np.insert(B, ref, 0.0, axis=1)


def _nonref(K: int, ref: int) -> np.ndarray:
    return np.array([k for k in range(K) if k != ref], dtype=int)


def _mnl_eta(X: np.ndarray, Bf: np.ndarray, ref: int, off: np.ndarray | None) -> np.ndarray:
    """``(n, K)`` linear predictors: ``X @ Bf``, ``off`` added to every non-reference level."""
    eta = X @ Bf
    if off is not None:
        eta = eta + np.asarray(off, dtype=np.float64)[:, None]
        eta[:, ref] = 0.0
    return eta


def _flat(jac_ktj: np.ndarray) -> np.ndarray:
    """``(K, p, J)`` -> ``(K, J * p)``, outcome-major."""
    return np.ascontiguousarray(jac_ktj.transpose(0, 2, 1)).reshape(jac_ktj.shape[0], -1)


def mnl_average(
    X: np.ndarray,
    B: np.ndarray,
    ref: int,
    w: np.ndarray | None = None,
    off: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Average probability of every level: estimate ``(K,)``, Jacobian ``(K, J * p)``.

    ``B`` is the ``(p, J)`` parameter matrix of the non-reference levels, ``ref`` the
    reference's position among the ``K = J + 1`` levels, ``off`` the offset ``(n,)`` added to
    every non-reference linear predictor (a constant: the Jacobian's form is unchanged).
    """
    P = softmax(_mnl_eta(X, _full(B, ref), ref, off), axis=1)
    wn = _weights(w, X.shape[0])
    K = P.shape[1]
    nr = _nonref(K, ref)
    G = P[:, :, None] * (np.eye(K)[None, :, nr] - P[:, None, nr])  # (n, K, J)
    jac = np.einsum("i,ikj,it->ktj", wn, G, X)
    return wn @ P, _flat(jac)


def mnl_average_slope(
    X: np.ndarray,
    dX: np.ndarray,
    B: np.ndarray,
    ref: int,
    w: np.ndarray | None = None,
    off: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Average dP_k/dv of every level given ``dX``: estimate ``(K,)``, Jacobian ``(K, J*p)``
    (``off`` as :func:`mnl_average`)."""
    Bf = _full(B, ref)
    P = softmax(_mnl_eta(X, Bf, ref, off), axis=1)
    D = dX @ Bf
    dbar = np.sum(P * D, axis=1)
    Dc = D - dbar[:, None]
    S = P * Dc
    wn = _weights(w, X.shape[0])
    K = P.shape[1]
    nr = _nonref(K, ref)
    G = P[:, :, None] * (np.eye(K)[None, :, nr] - P[:, None, nr])  # (n, K, J)
    A = G * Dc[:, :, None] - P[:, :, None] * (P[:, nr] * Dc[:, nr])[:, None, :]
    jac = np.einsum("i,ikj,it->ktj", wn, A, X) + np.einsum("i,ikj,it->ktj", wn, G, dX)
    return wn @ S, _flat(jac)
