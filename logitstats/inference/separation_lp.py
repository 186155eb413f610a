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

The multinomial check (:func:`detect_separation_multinomial`) asks, for each non-reference
outcome ``k``, whether the rows with outcome ``k`` or the reference are separated (a binary
problem with ``k`` coded 1); see :mod:`logitstats.inference.separation_certificate` for why the
multinomial score cannot certify this jointly.

References
----------
Albert, A. and Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
logistic regression models. Biometrika 71, 1-10.
Konis, K. (2007). Linear programming algorithms for detecting separated data in binary logistic
regression models. DPhil thesis, University of Oxford.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.linalg

from logitstats.inference.separation_info import LP_METHOD, SeparationInfo, SeparationStatus

__all__ = ["detect_separation", "detect_separation_multinomial", "MAX_LP_ROWS"]

# singular values below _NULL_TOL * the largest span the null space of the non-separated rows
_NULL_TOL = 1e-7
# a column whose share of that null space (the norm of its loadings) exceeds this is infinite
_INFINITE_COLUMN_TOL = 1e-6
_SUBSAMPLE_SIZES = (4000, 16000, 64000)
MAX_LP_ROWS = 100_000


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
