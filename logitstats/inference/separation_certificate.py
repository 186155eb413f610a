"""Exact screens that certify "no separation" without the linear program (numpy/scipy only).

The notation is that of :mod:`logitstats.inference.separation_lp`: ``xbar_i = (2 y_i - 1) x_i``,
and a row is not separated iff some ``lam >= 0`` with ``Xbar' lam = 0`` has ``lam_i > 0``.

Cheap exact screen after a maximum-likelihood fit (:func:`screen_no_separation`): by Stiemke's
theorem of the alternative, no separating direction exists iff there is a strictly positive
``lam`` with ``Xbar' lam = 0``. At any finite ``b`` with probabilities ``p_i``, put
``lam_i = w_i (1 - p_i)`` for events and ``w_i p_i`` for non-events: then ``Xbar' lam`` is the score
``g``. With the information ``A = X' diag(w p (1 - p)) X``, the Newton step ``v = A^{-1} g`` and
``lam'_i = lam_i - w_i p_i (1 - p_i) xbar_i' v`` satisfy ``Xbar' lam' = g - A v = 0`` and
``lam'_i > 0`` whenever ``|x_i' v| < 1`` for every row. So ``max_i |x_i' v| < 1`` certifies that
there is no separation (the check uses ``1/2`` to leave room for rounding in ``g``). At a converged
fit of well-posed data the Newton step is ~1e-8 or smaller, so the screen costs one
matrix-vector product; under separation the Newton step along the diverging direction stays of
order one and the screen cannot decide, so the linear program runs.

Any point certifies, not only the estimate: ``lam`` above is strictly positive for *any* finite
linear predictor ``eta`` (any probabilities in (0, 1)), and the argument uses nothing else, so the
certificate is a property of ``(X, y)`` that may be read off at any convenient point
(:func:`certify_no_separation`): at the Firth estimate, at a multinomial estimate, or a few
maximum-likelihood Newton steps ``eta <- eta + X v`` further on. Where the screen passes, the
exact linear program would have found no separated row; where it declines, the LP decides. It
never certifies separated data: a strictly positive ``lam'`` with ``Xbar' lam' = 0`` cannot
exist then (Stiemke).

The multinomial check (:func:`detect_separation_multinomial`) asks, for each non-reference
outcome ``k``, whether the rows with outcome ``k`` or the reference are separated (a binary
problem with ``k`` coded 1). On those rows ``P(y = k | y in {k, r}) = sigmoid(eta_k - eta_r)``,
so the differences of the multinomial linear predictors are a point close to that binary
problem's maximum-likelihood estimate, and the binary certificate is applied there, pair by pair
(:func:`screen_no_separation_multinomial`). The multinomial score and information themselves
cannot be used: the multinomial score is ``sum_i w_i sum_{l != y_i} p_il x_i (e_{y_i} - e_l)'``,
a Stiemke certificate for the *joint* overlap condition of Albert & Anderson (no ``B != 0`` with
``x_i' (b_{y_i} - b_l) >= 0`` for all ``i, l``), which holds on data where an outcome is
separated from the reference on their own rows but not in the joint model (rows of a third
outcome spanning the separating hyperplane); certifying from it would change the pairwise
verdicts.

References
----------
Albert, A. and Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
logistic regression models. Biometrika 71, 1-10.
Konis, K. (2007). Linear programming algorithms for detecting separated data in binary logistic
regression models. DPhil thesis, University of Oxford.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

__all__ = [
    "screen_no_separation",
    "certify_no_separation",
    "screen_no_separation_multinomial",
]

_SCREEN_BOUND = 0.5
_ETA_MAX = 18.0


def screen_no_separation(
    X: np.ndarray,
    eta: np.ndarray,
    score: np.ndarray,
    information: np.ndarray,
    *,
    chunk_rows: int = 65536,
) -> bool:
    """True when a maximum-likelihood fit certifies that there is no separation (module notes).

    Parameters
    ----------
    X : ndarray (n, p)
        Design matrix.
    eta : ndarray (n,)
        Linear predictors at the estimate.
    score, information : ndarray
        The score and the information ``X' diag(w p (1-p)) X`` at the estimate.

    Returns
    -------
    bool
        True: no separating direction exists (Stiemke certificate). False: the screen cannot
        decide; run :func:`detect_separation`.

    Notes
    -----
    The certificate needs ``max_i |x_i' v| < 1`` for the Newton step ``v = A^{-1} g``; 1/2 is
    required. It also needs the score and information to be resolved above rounding error on
    every row, so the screen declines when some ``|eta_i| > 18`` (fitted probability within
    ``1.5e-8`` of 0 or 1, where the row's terms ``p (1 - p) ~ e^{-|eta|}`` approach the rounding
    error of the sums for very large n); under separation the fitted ``|eta|`` of the separated
    rows grows with every iteration, so a separated fit is always declined.
    """
    if information.size == 0:
        return True
    if eta.size and float(np.abs(eta).max()) > _ETA_MAX:
        return False
    try:
        factor = scipy.linalg.cho_factor(information, check_finite=False)
        v = scipy.linalg.cho_solve(factor, score, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return False
    if not np.all(np.isfinite(v)):
        return False
    n = X.shape[0]
    worst = 0.0
    for start in range(0, n, chunk_rows):
        worst = max(worst, float(np.abs(X[start : start + chunk_rows] @ v).max(initial=0.0)))
        if worst >= 0.5:
            return False
    return True


def _binary_stats(
    X: np.ndarray,
    rows: np.ndarray | None,
    y: np.ndarray,
    w: np.ndarray,
    eta: np.ndarray,
    chunk_rows: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Score ``X' w (y - p)`` and information ``X' diag(w p (1 - p)) X`` at ``eta`` (chunked)."""
    p = X.shape[1]
    g, a = np.zeros(p), np.zeros((p, p))
    m = y.shape[0]
    for start in range(0, m, chunk_rows):
        sl = slice(start, start + chunk_rows)
        xc = X[sl] if rows is None else X[rows[sl]]
        e = eta[sl]
        prob = 1.0 / (1.0 + np.exp(-e))
        g += xc.T @ (w[sl] * (y[sl] - prob))
        s = w[sl] * prob / (1.0 + np.exp(e))  # w p (1 - p), without cancellation
        a += (xc * s[:, None]).T @ xc
    return g, a


def _max_abs_step(
    X: np.ndarray, rows: np.ndarray | None, v: np.ndarray, m: int, chunk_rows: int
) -> tuple[float, np.ndarray]:
    """``max_i |x_i' v|`` over the rows and the vector ``X v`` itself."""
    out = np.empty(m)
    for start in range(0, m, chunk_rows):
        sl = slice(start, start + chunk_rows)
        xc = X[sl] if rows is None else X[rows[sl]]
        out[sl] = xc @ v
    return (float(np.abs(out).max(initial=0.0)), out)


def certify_no_separation(
    X: np.ndarray,
    y: np.ndarray,
    eta: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    rows: np.ndarray | None = None,
    max_steps: int = 4,
    chunk_rows: int = 65536,
) -> bool:
    """True when the Stiemke certificate at ``eta`` (or a few Newton steps on) proves no separation.

    Parameters
    ----------
    X : ndarray (n, p)
        Design matrix.
    y : ndarray
        0/1 outcome of the rows checked (``rows`` of ``X``, or all rows).
    eta : ndarray
        Any finite linear predictor of those rows (e.g. at the maximum-likelihood or Firth
        estimate, or the difference of two multinomial linear predictors).
    weights : ndarray, optional
        Frequency weights of those rows; rows of weight 0 do not count (as in the LP).
    rows : ndarray of int, optional
        The rows of ``X`` that form the problem (default: every row). Not copied as a whole: the
        rows are gathered one chunk at a time.
    max_steps : int
        Maximum-likelihood Newton steps ``eta <- eta + X v`` tried after the first check.
    chunk_rows : int
        Rows per chunk.

    Returns
    -------
    bool
        True: no separating direction exists (the linear program of
        :func:`detect_separation` would find no separated row). False: the screen cannot
        decide (run the LP).

    Notes
    -----
    At the point ``eta`` (probabilities ``p = sigmoid(eta)``) the score ``g = X' w (y - p)``
    equals ``Xbar' lam`` with ``lam_i = w_i (1 - p_i) > 0`` for events and ``w_i p_i > 0``
    otherwise, whatever ``eta`` is. With ``A = X' diag(w p (1 - p)) X`` and ``A v = g``,
    ``lam'_i = lam_i - w_i p_i (1 - p_i) xbar_i' v`` is ``w_i (1 - p_i)(1 - p_i x_i' v)`` for an
    event and ``w_i p_i (1 + (1 - p_i) x_i' v)`` otherwise: strictly positive when
    ``|x_i' v| < 1``, and ``Xbar' lam' = g - A v = 0``. By Stiemke's theorem no ``b`` has
    ``Xbar b >= 0, != 0``: no separation. The check requires ``|x_i' v| < 1/2`` (room for
    rounding) and declines when some ``|eta_i| > 18`` (the row's ``p (1 - p)`` near the rounding
    of the sums) or ``A`` is not positive definite once columns that are zero on every row are
    set aside (such columns touch no row, so they do not change the cone). If the bound fails,
    the Newton step is taken (``eta + X v`` is again a valid point) and the check repeated, at
    most ``max_steps`` times; each step costs two passes over the rows. Separated data are
    never certified: under separation no strictly positive ``lam'`` exists, and the Newton
    steps only push the separated rows' ``|eta|`` past 18.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(6), [1.0, 2, 3, 4, 5, 6]])
    >>> certify_no_separation(X, np.array([0.0, 1, 0, 1, 0, 1]), np.zeros(6))
    True
    >>> certify_no_separation(X, np.array([0.0, 0, 0, 1, 1, 1]), np.zeros(6))
    False
    """
    y = np.asarray(y, dtype=np.float64)
    eta = np.array(eta, dtype=np.float64)  # a copy: the Newton steps update it
    w = np.ones(y.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    if not np.all(w > 0):
        keep = np.flatnonzero(w > 0)
        rows = keep if rows is None else np.asarray(rows)[keep]
        y, eta, w = y[keep], eta[keep], w[keep]
    m = y.shape[0]
    if m == 0 or X.shape[1] == 0:
        return m > 0
    if not (np.all(np.isfinite(eta)) and (y == 1).any() and (y == 0).any()):
        return False
    for _ in range(max_steps + 1):
        if float(np.abs(eta).max()) > _ETA_MAX:
            return False
        g, a = _binary_stats(X, rows, y, w, eta, chunk_rows)
        live = np.diag(a) > 0  # columns that are zero on every row touch no row
        v = np.zeros(X.shape[1])
        try:
            factor = scipy.linalg.cho_factor(a[np.ix_(live, live)], check_finite=False)
            v[live] = scipy.linalg.cho_solve(factor, g[live], check_finite=False)
        except (np.linalg.LinAlgError, ValueError):
            return False
        if not np.all(np.isfinite(v)):
            return False
        worst, step = _max_abs_step(X, rows, v, m, chunk_rows)
        if worst < _SCREEN_BOUND:
            return True
        eta += step
    return False


def screen_no_separation_multinomial(
    X: np.ndarray,
    eta: np.ndarray,
    codes: np.ndarray,
    reference: int,
    weights: np.ndarray | None = None,
    *,
    max_steps: int = 4,
    chunk_rows: int = 65536,
) -> bool:
    """True when a multinomial fit certifies that no outcome is separated from the reference.

    Parameters
    ----------
    X : ndarray (n, p)
        Design matrix.
    eta : ndarray (n, K)
        Linear predictors of every outcome level at the estimate (the reference column is
        usually 0; only differences to it are used).
    codes : ndarray (n,) of int
        Outcome level codes ``0 .. K-1``.
    reference : int
        Code of the reference level.
    weights : ndarray (n,), optional
        Frequency weights; rows of weight 0 do not count.
    max_steps, chunk_rows : int
        As for :func:`certify_no_separation`.

    Returns
    -------
    bool
        True: :func:`detect_separation_multinomial` would report no separation. False: the
        screen cannot decide; run it.

    Notes
    -----
    :func:`detect_separation_multinomial` solves, for each non-reference level ``k`` present in
    the data, the binary LP on the rows with outcome ``k`` or the reference (``k`` coded 1). On
    those rows the multinomial model gives ``P(y = k | y in {k, r}) = sigmoid(eta_k - eta_r)``,
    a binary logit with coefficients ``b_k - b_r``; the multinomial estimate is therefore close
    to that binary problem's maximum-likelihood estimate, and :func:`certify_no_separation` is
    applied at ``eta_k - eta_r`` on those rows (with at most ``max_steps`` binary Newton steps
    when the first bound fails). The certificate holds at any point (module notes), so the
    screen never certifies a pair the LP would find separated; it returns True only when every
    pair is certified. Why the multinomial score and information themselves are not used: see
    the module notes (they certify the joint overlap condition, a weaker one).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(9), [1.0, 2, 3, 4, 5, 6, 7, 8, 9]])
    >>> codes = np.array([0, 1, 2, 1, 0, 2, 0, 2, 1])
    >>> screen_no_separation_multinomial(X, np.zeros((9, 3)), codes, 0)
    True
    >>> screen_no_separation_multinomial(X, np.zeros((9, 3)), np.repeat([0, 1, 2], 3), 0)
    False
    """
    codes = np.asarray(codes)
    eta = np.asarray(eta, dtype=np.float64)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    for k in range(eta.shape[1]):
        if k == reference:
            continue
        is_k = codes == k
        if not is_k.any():
            continue  # as detect_separation_multinomial: an absent level is not checked
        rows = np.flatnonzero(is_k | (codes == reference))
        if not certify_no_separation(
            X,
            is_k[rows].astype(np.float64),
            eta[rows, k] - eta[rows, reference],
            None if w is None else w[rows],
            rows=rows,
            max_steps=max_steps,
            chunk_rows=chunk_rows,
        ):
            return False
    return True
