r"""Brant (1990) Wald test of the proportional-odds assumption, on arrays.

For an ordinal outcome with levels ``0 .. J-1`` and a design ``X`` without an intercept, fit the
``J - 1`` binary logits of ``z_m = 1[y > m]`` (``m = 0 .. J-2``) on ``[1, X]``, with estimates
``(a_m, b_m)`` and fitted probabilities ``pi_m``. Brant's covariance of the stacked slopes
``b* = (b_0, ..., b_{J-2})`` has the blocks::

    Cov(b_m, b_l) = [(X1' W_m X1)^{-1} (X1' W_ml X1) (X1' W_l X1)^{-1}]_{-1,-1}
    W_m = diag(w pi_m (1 - pi_m)),   W_ml = diag(w (pi_l - pi_m pi_l))   (l >= m)

(``X1 = [1, X]``, the intercept row and column removed; the diagonal blocks are the usual binary
covariances). Under proportional odds all ``b_m`` are equal; with ``D`` the contrasts
``b_0 - b_m`` (``m = 1 .. J-2``) the omnibus statistic is
``(D b*)' (D V D')^{-1} (D b*)`` on ``(J - 2) P`` degrees of freedom, and the statistic of a term
(a set ``S`` of columns) uses the rows of ``D``, entries of ``b*`` and block of ``V`` that belong
to ``S`` only, on ``(J - 2) |S|`` degrees of freedom. This is R's ``brant::brant`` (with
``by.var = TRUE`` when ``terms`` groups the columns of a factor). Frequency weights ``w`` enter
every ``X1' W X1``, so a weighted test equals the test on the row-expanded data (which
``brant::brant``, ignoring weights, computes only on expanded data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from logitstats.engine import binary
from logitstats.engine.newton import NewtonOptions
from logitstats.errors import DataError
from logitstats.inference.separation import detect_separation, screen_no_separation
from logitstats.numerics.distributions import chi2_sf
from logitstats.numerics.softmax import _sigmoid_fast

__all__ = ["BrantResult", "brant_test"]


@dataclass(frozen=True)
class BrantResult:
    """The Brant test: omnibus and per term, with the stacked binary estimates behind it.

    ``binary_coef`` is ``(J - 1, P)`` (row m: slopes of ``1[y > m]``), ``binary_intercept``
    ``(J - 1,)``, and ``cov_stacked`` the ``((J - 1) P, (J - 1) P)`` Brant covariance of the
    slopes stacked level-major (``b_0``, then ``b_1``, ...).
    """

    statistic: float
    df: int
    pvalue: float
    term_statistic: np.ndarray
    term_df: np.ndarray
    term_pvalue: np.ndarray
    binary_coef: np.ndarray
    binary_intercept: np.ndarray
    cov_stacked: np.ndarray


def _wald(diff: np.ndarray, cov: np.ndarray) -> float:
    return float(diff @ scipy.linalg.solve(cov, diff, assume_a="pos"))


def brant_test(
    X: np.ndarray,
    y: np.ndarray,
    n_levels: int,
    weights: np.ndarray | None = None,
    *,
    terms: Sequence[Sequence[int]] | None = None,
    options: NewtonOptions | None = None,
) -> BrantResult:
    """Brant's Wald test that the slopes of the ``J - 1`` cumulative binary logits are equal.

    Parameters
    ----------
    X : ndarray (n, P)
        Design matrix **without** an intercept column.
    y : ndarray (n,)
        Integer level codes ``0 .. n_levels - 1``.
    n_levels : int
        The number of ordered levels, at least 3 (with two levels there is nothing to test).
    weights : ndarray (n,), optional
        Frequency weights.
    terms : sequence of sequences of int, optional
        Column indices of each term to test on its own (default: each column).
    options : NewtonOptions, optional
        For the binary fits.

    Returns
    -------
    BrantResult

    Raises
    ------
    DataError
        If ``n_levels < 3``, ``X`` has no columns, or a term names a column outside ``X``.
        Also if the binary logit of some ``1[y > m]`` is separated (checked by
        :func:`~logitstats.inference.separation.detect_separation` when the post-fit screen
        cannot exclude it) or does not converge: the test needs a finite MLE for every split.
    """
    X = np.asarray(X, dtype=np.float64)
    codes = np.asarray(y)
    if isinstance(n_levels, bool) or not isinstance(n_levels, (int, np.integer)) or n_levels < 3:
        raise DataError(
            f"n_levels must be an integer >= 3 for the Brant test; got n_levels={n_levels!r}. "
            "With two levels there is one binary logit and nothing to compare"
        )
    n, k = X.shape
    if k == 0:
        raise DataError(
            "X must have at least one column for the Brant test; got 0 columns. "
            "The test compares slopes, and a thresholds-only model has none"
        )
    if terms is None:
        terms = [[j] for j in range(k)]
    term_cols = [np.asarray(t, dtype=np.intp).ravel() for t in terms]
    for i, t in enumerate(term_cols):
        if t.size == 0 or t.min() < 0 or t.max() >= k:
            raise DataError(
                f"terms[{i}] must list column indices in 0 .. {k - 1}; got {t.tolist()}. "
                "Pass one list of column indices of X per term"
            )
    n_bin = n_levels - 1
    X1 = np.column_stack([np.ones(n), X])
    coef = np.empty((n_bin, k + 1))
    probs = np.empty((n, n_bin))
    for m in range(n_bin):
        z = (codes > m).astype(np.float64)
        state = binary.fit(X1, z, weights, intercept_col=0, options=options)
        if not state.converged or not np.all(np.isfinite(state.params)):
            raise DataError(
                f"the binary logit of 1[y > {m}] did not converge ({state.message}); expected "
                "each cumulative split to have a finite MLE. The Brant test is not available "
                "when a split is separated: merge sparse levels or drop the offending term"
            )
        eta = X1 @ state.params
        if not screen_no_separation(X1, eta, state.score, state.information):
            names = ("the intercept", *(f"column {j}" for j in range(k)))
            sep = detect_separation(X1, z, weights, column_names=names)
            if sep.status != "none":
                cols = ", ".join(sep.terms)
                raise DataError(
                    f"the binary logit of 1[y > {m}] is separated ({sep.status}; infinite "
                    f"estimates: {cols}); expected every cumulative split to "
                    "have a finite MLE. The Brant test is not available: merge sparse levels "
                    "or drop the offending term"
                )
        coef[m] = state.params
        probs[:, m] = _sigmoid_fast(eta)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    inv = [np.linalg.inv((X1 * (w * p * (1.0 - p))[:, None]).T @ X1) for p in probs.T]
    cov = np.empty((n_bin * k, n_bin * k))
    for m in range(n_bin):
        for ll in range(m, n_bin):
            wml = w * (probs[:, ll] - probs[:, m] * probs[:, ll])
            block = (inv[m] @ ((X1 * wml[:, None]).T @ X1) @ inv[ll])[1:, 1:]
            cov[m * k : (m + 1) * k, ll * k : (ll + 1) * k] = block
            cov[ll * k : (ll + 1) * k, m * k : (m + 1) * k] = block.T
    bstar = coef[:, 1:].ravel()  # level-major
    # D: rows (m - 1, j) hold b_0[j] - b_m[j], m = 1 .. J-2
    D = np.zeros(((n_bin - 1) * k, n_bin * k))
    for m in range(1, n_bin):
        D[(m - 1) * k : m * k, :k] = np.eye(k)
        D[(m - 1) * k : m * k, m * k : (m + 1) * k] = -np.eye(k)
    stat = _wald(D @ bstar, D @ cov @ D.T)
    df = (n_bin - 1) * k
    t_stat = np.empty(len(term_cols))
    t_df = np.empty(len(term_cols), dtype=np.intp)
    for i, tc in enumerate(term_cols):
        idx = (np.arange(n_bin)[:, None] * k + tc[None, :]).ravel()
        rows = ((np.arange(n_bin - 1)[:, None]) * k + tc[None, :]).ravel()
        Ds = D[np.ix_(rows, idx)]
        t_stat[i] = _wald(Ds @ bstar[idx], Ds @ cov[np.ix_(idx, idx)] @ Ds.T)
        t_df[i] = (n_bin - 1) * tc.size
    return BrantResult(
        statistic=stat,
        df=df,
        pvalue=float(chi2_sf(stat, df)),
        term_statistic=t_stat,
        term_df=t_df,
        term_pvalue=np.asarray(chi2_sf(t_stat, t_df)),
        binary_coef=coef[:, 1:].copy(),
        binary_intercept=coef[:, 0].copy(),
        cov_stacked=cov,
    )
