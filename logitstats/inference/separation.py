"""Detection of complete and quasi-complete separation by linear programming (numpy/scipy only).

For a binary logit with design rows ``x_i`` and outcomes ``y_i`` let ``xbar_i = (2 y_i - 1) x_i``.
The maximum-likelihood estimate is finite if and only if there is no direction ``b != 0`` with
``xbar_i' b >= 0`` for every row (Albert & Anderson 1984): along such a direction the
log-likelihood increases without bound, so some estimates are infinite. Konis (2007, the method of
R's ``detectseparation``) decides this with a linear program. By Stiemke's theorem of the
alternative a row ``i`` is *not* separated iff some ``lam >= 0`` with ``Xbar' lam = 0`` has
``lam_i > 0``, so the program solved here (on the distinct rows, ``c_i`` their counts) is

    maximise   sum_i c_i t_i
    subject to Xbar' (t + u) = 0,   0 <= t_i <= 1,   u_i >= 0.

It has only ``p`` equality constraints, which keeps the simplex fast for many rows. The feasible
``lam = t + u`` form a convex cone, so the optimum sets ``t_i = 1`` on exactly the rows that are not
separated; the others (``t_i = 0``) are the *separated* rows ``S``, those that some separating
direction ``b`` puts strictly on their own side. Separation is *complete* when ``S`` holds every
row, *quasi-complete* when it holds some, and absent when it is empty. Adding rows only shrinks
the separating cone, so when a random subset of rows of full column rank shows no separation,
neither does the whole data: for many distinct rows subsets of 4000, 16000 and 64000 rows are
tried before the full program.

Which estimates are infinite: every direction of the separating cone ``C = {b : Xbar b >= 0}``
has ``x_i' b = 0`` on the rows ``T`` outside ``S``, and a direction with ``xbar_i' b > 0`` on all
of ``S`` exists, so the linear span of ``C`` is the null space of ``X_T``. A coefficient is
infinite exactly when that null space has a non-zero component on it (with no separated rows
``T`` is every row and, X having full column rank, the null space is ``{0}``).

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

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import scipy.linalg

__all__ = [
    "SeparationStatus",
    "SeparationInfo",
    "detect_separation",
    "detect_separation_multinomial",
    "screen_no_separation",
    "screen_no_separation_multinomial",
    "certify_no_separation",
    "NOT_CHECKED",
    "LP_METHOD",
    "SCREEN_METHOD",
    "SCREEN_METHOD_MULTINOMIAL",
    "SCREEN_METHOD_FIRTH",
]

LP_METHOD = "linear program (Konis 2007), scipy.optimize.linprog (HiGHS)"
SCREEN_METHOD = "Stiemke certificate at the maximum-likelihood estimate (no LP needed)"
SCREEN_METHOD_MULTINOMIAL = (
    "Stiemke certificate per outcome against the reference, at the estimate (no LP needed)"
)
SCREEN_METHOD_FIRTH = "Stiemke certificate at the Firth estimate (no LP needed)"
_SCREEN_BOUND = 0.5
# singular values below _NULL_TOL * the largest span the null space of the non-separated rows
_NULL_TOL = 1e-7
# a column whose share of that null space (the norm of its loadings) exceeds this is infinite
_INFINITE_COLUMN_TOL = 1e-6
_ETA_MAX = 18.0
_SUBSAMPLE_SIZES = (4000, 16000, 64000)
MAX_LP_ROWS = 100_000


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
    """Boolean mask of the rows of ``xbar`` that some separating direction puts strictly > 0.

    Solved through the dual cone ``K = {lam >= 0 : Xbar' lam = 0}`` (Stiemke): a row is *not*
    separated iff some ``lam`` in ``K`` has ``lam_i > 0``. The LP

        maximise sum_i c_i t_i  s.t.  Xbar' (t + u) = 0,  0 <= t_i <= 1,  u_i >= 0

    has only ``p`` equality constraints (fast for many rows); since ``K`` is a convex cone its
    optimum sets ``t_i = 1`` on exactly the rows that are not separated and ``t_i = 0`` on the
    separated ones.
    """
    m, p = xbar.shape
    if p == 0:
        return np.zeros(m, dtype=bool)
    a_eq = np.hstack([xbar.T, xbar.T])
    c = np.concatenate([-counts / counts.max(), np.zeros(m)])
    bounds = [(0.0, 1.0)] * m + [(0.0, None)] * m
    from scipy.optimize import linprog  # here, not at import: scipy.optimize is ~0.4 s

    res = linprog(c, A_eq=a_eq, b_eq=np.zeros(p), bounds=bounds, method="highs")
    if res.status != 0:  # pragma: no cover - the LP is always feasible (0) and bounded
        raise RuntimeError(f"separation LP failed: {res.message}")
    return np.asarray(res.x)[:m] < 0.5


def _subsample_proves_none(
    rows_of: Callable[[np.ndarray], np.ndarray], counts: np.ndarray, p: int
) -> bool:
    """True when the LP on a random subset of the rows proves there is no separation.

    ``rows_of(idx)`` gives the rows ``idx`` of the (scaled, signed) design; ``counts`` their
    weights. Adding rows only shrinks the separating cone ``C``, so if a subset of rows of full
    column rank has no separated row (``C_subset = {0}``), neither has the whole data. Subsets of
    4000, 16000 and 64000 rows are tried (fixed seed) before the full LP.
    """
    m = counts.shape[0]
    rng = np.random.default_rng(20070101)
    order = None
    for size in _SUBSAMPLE_SIZES:
        if size >= m:
            return False
        if order is None:
            order = rng.permutation(m)
        idx = np.sort(order[:size])
        sub = rows_of(idx)
        if np.linalg.matrix_rank(sub) < p:
            continue
        if not _separated_rows(sub, counts[idx]).any():
            return True
    return False


def _infinite_columns(x_rest: np.ndarray, p: int) -> np.ndarray:
    """Columns on which the null space of ``x_rest`` has a non-zero component."""
    if x_rest.shape[0] == 0:
        return np.ones(p, dtype=bool)
    if x_rest.shape[0] < p:  # zero rows leave the null space unchanged; V' comes out p x p
        x_rest = np.vstack([x_rest, np.zeros((p - x_rest.shape[0], p))])
    _, sv, vt = scipy.linalg.svd(x_rest, full_matrices=False, check_finite=False)
    tol = _NULL_TOL * (sv[0] if sv.size else 1.0)
    rank = int((sv > tol).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return np.zeros(p, dtype=bool)
    return np.sqrt((null**2).sum(axis=0)) > _INFINITE_COLUMN_TOL


def detect_separation(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    column_names: tuple[str, ...] | None = None,
    priority: np.ndarray | None = None,
    max_rows: int | None = None,
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
    priority : ndarray of bool (n,), optional
        Rows to keep when the LP has to be cut down to ``max_rows`` rows (e.g. rows that a fit
        puts at fitted probabilities within 3e-7 of their outcome).
    max_rows : int, optional
        Largest number of rows for the exact LP (default ``MAX_LP_ROWS`` = 100000:
        HiGHS needs about 1.5 kB per row and column pair). Beyond it the LP runs on the
        ``priority`` rows plus a random subset of the others, and ``method`` says the answer is
        approximate: a separation found there may not hold on all rows.

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
    x_use, y_use = (X, y) if use.all() else (X[use], y[use])  # no copy when all rows count
    # max |x| per column, without an n x p temporary
    scale = np.maximum(x_use.max(axis=0), -x_use.min(axis=0)) if use.any() else np.ones(p)
    scale[scale == 0] = 1.0
    sign = 2.0 * y_use - 1.0

    def xbar_rows(rows: slice | np.ndarray) -> np.ndarray:
        """Rows of ``diag(2y - 1) X / scale``, built only where needed."""
        return (x_use[rows] / scale) * sign[rows, None]

    # a subsample of the rows (repeats allowed: still a subset) usually proves "none" at once;
    # only otherwise is the whole xbar built and its distinct rows found (a sort of all n rows)
    if _subsample_proves_none(xbar_rows, w[use], p):
        return SeparationInfo(SeparationStatus.NONE, method=LP_METHOD + ", on a subsample")
    xbar = xbar_rows(slice(None))
    limit = MAX_LP_ROWS if max_rows is None else int(max_rows)
    method = LP_METHOD
    if xbar.shape[0] > limit:  # cut down before sorting all rows for duplicates
        keep = np.zeros(xbar.shape[0], dtype=bool)
        if priority is not None:
            keep[np.flatnonzero(np.asarray(priority)[use])[:limit]] = True
        rest = np.flatnonzero(~keep)
        n_more = max(limit - int(keep.sum()), 0)
        keep[np.random.default_rng(20070102).choice(rest, n_more, replace=False)] = True
        method = (
            f"{LP_METHOD}, on {limit} of {xbar.shape[0]} rows (approximate: too many rows for "
            "the exact LP; a separation found there may not hold on all rows)"
        )
        xbar, w = xbar[keep], w[use][keep]
        use = np.ones(xbar.shape[0], dtype=bool)
    uniq, counts = _unique_rows(xbar, w[use])
    sep = _separated_rows(uniq, counts)
    if not sep.any():
        return SeparationInfo(SeparationStatus.NONE, method=method)
    status = SeparationStatus.COMPLETE if sep.all() else SeparationStatus.QUASI
    inf_cols = _infinite_columns(uniq[~sep], p)
    terms = tuple(names[j] for j in range(p) if inf_cols[j])
    return SeparationInfo(status, terms, (), int(round(counts[sep].sum())), method)


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
