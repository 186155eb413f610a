"""``ls.lr_test``: the likelihood-ratio test of two nested fits."""

from __future__ import annotations

import numpy as np

from logitstats.errors import LogitstatsError
from logitstats.inference.tests import TestResult, lr_statistic
from logitstats.results.base import FitResult
from logitstats.results.hypotheses import require_ml

__all__ = ["lr_test"]


def _same_rows(a: FitResult, b: FitResult) -> str | None:
    da, db = a.design, b.design
    if da.kind != db.kind:
        return f"one is a {da.kind} model and the other a {db.kind} model"
    if da.y.shape[0] != db.y.shape[0] or not da.index.equals(db.index):
        return (
            f"they were fitted on different rows ({da.y.shape[0]} and {db.y.shape[0]} rows used; "
            "missing values in a predictor of only one model drop different rows). Fit both on "
            "the same complete rows"
        )
    if not np.array_equal(da.y, db.y) or da.reference != db.reference or da.event != db.event:
        return "their outcomes differ (a different outcome, event or reference level)"
    for name in ("weights", "offset"):
        va, vb = getattr(da, name), getattr(db, name)
        if (va is None) != (vb is None) or (va is not None and not np.array_equal(va, vb)):
            return f"their {name} differ"
    return None


def _nested(small: FitResult, big: FitResult) -> bool:
    """Every column of the smaller design lies in the column space of the larger one."""
    Xs, Xb = small.design.X, big.design.X
    if Xs.shape[1] == 0:
        return True
    coef, *_ = np.linalg.lstsq(Xb, Xs, rcond=None)
    resid = Xs - Xb @ coef
    scale = np.linalg.norm(Xs, axis=0) + 1.0
    return bool(np.all(np.linalg.norm(resid, axis=0) <= 1e-8 * scale))


def lr_test(restricted: FitResult, full: FitResult) -> TestResult:
    """Likelihood-ratio test of a restricted model against a larger model that nests it.

    Parameters
    ----------
    restricted, full : LogitResult or MLogitResult
        Fits of the same kind on the same rows (same outcome coding, weights and offset); the
        restricted model's design columns must lie in the column space of the full model's.

    Returns
    -------
    TestResult
        ``statistic = 2 (llf_full - llf_restricted)``, ``df`` the difference in the number of
        parameters, ``p_value`` from ``chi2(df)``.

    Raises
    ------
    LogitstatsError
        When the fits are not on the same rows, not nested, or in the wrong order.

    Examples
    --------
    >>> import logitstats as ls
    >>> df = ls.datasets.load("spector")
    >>> small = ls.logit("GRADE ~ GPA", data=df)
    >>> big = ls.logit("GRADE ~ GPA + TUCE + PSI", data=df)
    >>> t = ls.lr_test(small, big)
    >>> t.df, round(t.statistic, 4)
    (2, 6.6385)
    """
    for name, obj in (("restricted", restricted), ("full", full)):
        if not isinstance(obj, FitResult):
            raise LogitstatsError(
                f"{name} must be a fitted model (ls.logit or ls.mlogit); got {type(obj).__name__}"
            )
    for obj in (restricted, full):
        require_ml(obj, "the likelihood-ratio test")
    problem = _same_rows(restricted, full)
    if problem:
        raise LogitstatsError(f"the two models cannot be compared by an LR test: {problem}")
    df = full.k_params - restricted.k_params
    if df <= 0:
        hint = " (did you swap restricted and full?)" if df < 0 else ""
        raise LogitstatsError(
            f"the full model must have more parameters than the restricted one; got "
            f"{full.k_params} (full) and {restricted.k_params} (restricted){hint}"
        )
    if not _nested(restricted, full):
        raise LogitstatsError(
            f"the models are not nested: some design columns of the restricted model "
            f"({restricted.design.formula!r}) are not in the span of the full model's "
            f"({full.design.formula!r}); the LR test needs nested models"
        )
    stat, p = lr_statistic(full.llf, restricted.llf, df)
    desc = f"{restricted.design.formula!r} (restricted) against {full.design.formula!r} (full)"
    return TestResult(stat, df, p, "likelihood ratio", desc)
