"""Detection of complete and quasi-complete separation by linear programming (numpy/scipy only).

For a binary logit with design rows ``x_i`` and outcomes ``y_i`` let ``xbar_i = (2 y_i - 1) x_i``.
The maximum-likelihood estimate is finite if and only if there is no direction ``b != 0`` with
``xbar_i' b >= 0`` for every row (Albert & Anderson 1984): along such a direction the
log-likelihood increases without bound, so some estimates are infinite. Konis (2007, the method of
R's ``detectseparation``) decides this with a linear program; the one solved here is

    maximise   sum_i c_i s_i
    subject to s_i <= xbar_i' b,   0 <= s_i <= 1,   b free,

with ``c_i`` the number of copies of the distinct row ``xbar_i``. Feasibility forces ``b`` into
the separating cone ``C = {b : Xbar b >= 0}``; because ``C`` is a convex cone, the optimum sets
``s_i = 1`` for exactly the rows that some direction of ``C`` puts strictly on their side (the
*separated* rows ``S``). Separation is *complete* when ``S`` holds every row, *quasi-complete* when
it holds some, and absent when it is empty.

Which estimates are infinite: every direction of ``C`` has ``x_i' b = 0`` on the rows ``T`` outside
``S``, and a direction with ``xbar_i' b > 0`` on all of ``S`` exists, so the linear span of ``C`` is
the null space of ``X_T``. A coefficient is infinite exactly when that null space has a non-zero
component on it (with no separated rows ``T`` is every row and, X having full column rank, the
null space is ``{0}``).

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

References
----------
Albert, A. and Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
logistic regression models. Biometrika 71, 1-10.
Konis, K. (2007). Linear programming algorithms for detecting separated data in binary logistic
regression models. DPhil thesis, University of Oxford.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import scipy.linalg
from scipy.optimize import linprog

__all__ = [
    "SeparationStatus",
    "SeparationInfo",
    "detect_separation",
    "detect_separation_multinomial",
    "screen_no_separation",
    "NOT_CHECKED",
    "LP_METHOD",
    "SCREEN_METHOD",
]

LP_METHOD = "linear program (Konis 2007), scipy.optimize.linprog (HiGHS)"
SCREEN_METHOD = "Stiemke certificate at the maximum-likelihood estimate (no LP needed)"
_NULL_TOL = 1e-7
_ETA_MAX = 18.0


class SeparationStatus(StrEnum):
    """Kind of separation found."""

    NONE = "none"
    QUASI = "quasi"
    COMPLETE = "complete"


@dataclass(frozen=True)
class SeparationInfo:
    """The outcome of a separation check.

    Attributes
    ----------
    status : {"none", "quasi", "complete"}
        ``"quasi"`` is quasi-complete separation.
    terms : tuple of str
        Design columns whose maximum-likelihood estimates are infinite (binary models).
        Multinomial models: the union over outcomes.
    outcomes : tuple of (outcome, tuple of str)
        Multinomial models: for each non-reference outcome separated from the reference, the
        columns with infinite estimates in that outcome's equation. Empty for binary models.
    n_separated : int
        Number of rows (distinct design rows counted with multiplicity) that a separating
        direction puts strictly on their own side.
    method : str
        How the status was established.
    """

    status: SeparationStatus
    terms: tuple[str, ...] = ()
    outcomes: tuple[tuple[object, tuple[str, ...]], ...] = ()
    n_separated: int = 0
    method: str = LP_METHOD

    @property
    def separated(self) -> bool:
        """True for complete or quasi-complete separation."""
        return self.status is not SeparationStatus.NONE

    def describe(self) -> str:
        """One line for summaries: ``'quasi-complete: infinite estimates for NV'``."""
        if not self.separated:
            return "none detected"
        kind = "complete" if self.status is SeparationStatus.COMPLETE else "quasi-complete"
        if self.outcomes:
            parts = "; ".join(f"outcome {o}: {', '.join(t)}" for o, t in self.outcomes)
            return f"{kind}: infinite maximum-likelihood estimates for {parts}"
        return f"{kind}: infinite maximum-likelihood estimates for {', '.join(self.terms)}"


NOT_CHECKED = "not checked"


def _unique_rows(xbar: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of ``xbar`` and their total counts (identical rows give identical LP rows)."""
    if xbar.shape[0] <= 1:
        return xbar, counts
    uniq, inverse = np.unique(xbar, axis=0, return_inverse=True)
    if uniq.shape[0] == xbar.shape[0]:
        return xbar, counts
    summed = np.bincount(inverse.ravel(), weights=counts, minlength=uniq.shape[0])
    return uniq, summed


def _separated_rows(xbar: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``xbar`` that some separating direction puts strictly > 0."""
    m, p = xbar.shape
    if p == 0:
        return np.zeros(m, dtype=bool)
    # variables: b (p, free), s (m, in [0, 1]); constraint s_i - xbar_i' b <= 0
    c = np.concatenate([np.zeros(p), -counts / counts.max()])
    a_ub = np.hstack([-xbar, np.eye(m)]) if m <= 2000 else None
    if a_ub is None:
        from scipy.sparse import csr_matrix, hstack, identity

        a_ub = hstack([csr_matrix(-xbar), identity(m, format="csr")], format="csr")
    bounds = [(None, None)] * p + [(0.0, 1.0)] * m
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(m), bounds=bounds, method="highs")
    if res.status != 0:  # pragma: no cover - the LP is always feasible (b = 0) and bounded
        raise RuntimeError(f"separation LP failed: {res.message}")
    return res.x[p:] > 0.5


def _infinite_columns(x_rest: np.ndarray, p: int) -> np.ndarray:
    """Columns on which the null space of ``x_rest`` has a non-zero component."""
    if x_rest.shape[0] == 0:
        return np.ones(p, dtype=bool)
    _, sv, vt = scipy.linalg.svd(x_rest, full_matrices=True, check_finite=False)
    tol = _NULL_TOL * (sv[0] if sv.size else 1.0)
    rank = int((sv > tol).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return np.zeros(p, dtype=bool)
    return np.sqrt((null**2).sum(axis=0)) > 1e-6


def detect_separation(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    column_names: tuple[str, ...] | None = None,
) -> SeparationInfo:
    """Decide whether a binary outcome is separated, and which estimates are infinite.

    Parameters
    ----------
    X : ndarray (n, p)
        Design matrix of full column rank (aliased columns already removed).
    y : ndarray (n,)
        0/1 outcome.
    weights : ndarray (n,), optional
        Frequency weights; rows with weight 0 are ignored.
    column_names : tuple of str, optional
        Names of the columns of X (default ``x0, x1, ...``).

    Returns
    -------
    SeparationInfo

    Notes
    -----
    Solves the linear program of the module docstring on the distinct rows of
    ``diag(2y - 1) X`` with columns scaled to unit maximum (the cone is unchanged by scaling).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(6), [1.0, 2, 3, 4, 5, 6]])
    >>> detect_separation(X, np.array([0.0, 0, 0, 1, 1, 1]), column_names=("a", "x")).status
    <SeparationStatus.COMPLETE: 'complete'>
    >>> detect_separation(X, np.array([0.0, 1, 0, 1, 0, 1])).separated
    False
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, p = X.shape
    names = column_names or tuple(f"x{j}" for j in range(p))
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    use = w > 0
    scale = np.abs(X[use]).max(axis=0) if use.any() else np.ones(p)
    scale[scale == 0] = 1.0
    xbar = (X[use] / scale) * (2.0 * y[use] - 1.0)[:, None]
    uniq, counts = _unique_rows(xbar, w[use])
    sep = _separated_rows(uniq, counts)
    if not sep.any():
        return SeparationInfo(SeparationStatus.NONE)
    status = SeparationStatus.COMPLETE if sep.all() else SeparationStatus.QUASI
    inf_cols = _infinite_columns(uniq[~sep], p)
    terms = tuple(names[j] for j in range(p) if inf_cols[j])
    return SeparationInfo(status, terms, (), int(round(counts[sep].sum())))


def detect_separation_multinomial(
    X: np.ndarray,
    codes: np.ndarray,
    n_levels: int,
    reference: int,
    weights: np.ndarray | None = None,
    *,
    column_names: tuple[str, ...] | None = None,
    outcome_labels: tuple[object, ...] | None = None,
) -> SeparationInfo:
    """Separation check of a baseline-category multinomial logit, per outcome vs the reference.

    For each non-reference level k the rows with outcome k or the reference form a binary problem
    (k coded 1) checked by :func:`detect_separation`; the status is the worst found, ``terms`` the
    union of the columns with infinite estimates, ``outcomes`` the per-outcome detail.

    Parameters
    ----------
    X : ndarray (n, p)
    codes : ndarray (n,) of int
        Outcome level codes ``0 .. n_levels - 1``.
    n_levels, reference : int
    weights : ndarray, optional
    column_names, outcome_labels : optional
        Labels of the columns and of all outcome levels (by code).
    """
    codes = np.asarray(codes)
    labels = outcome_labels or tuple(range(n_levels))
    per: list[tuple[object, tuple[str, ...]]] = []
    worst = SeparationStatus.NONE
    n_sep = 0
    terms: list[str] = []
    for k in range(n_levels):
        if k == reference:
            continue
        rows = (codes == k) | (codes == reference)
        if not (codes == k).any():
            continue
        info = detect_separation(
            X[rows],
            (codes[rows] == k).astype(np.float64),
            None if weights is None else np.asarray(weights)[rows],
            column_names=column_names,
        )
        if info.separated:
            per.append((labels[k], info.terms))
            n_sep += info.n_separated
            terms.extend(t for t in info.terms if t not in terms)
            if worst is not SeparationStatus.COMPLETE:
                worst = info.status
    if worst is SeparationStatus.NONE:
        return SeparationInfo(SeparationStatus.NONE)
    return SeparationInfo(worst, tuple(terms), tuple(per), n_sep)


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
