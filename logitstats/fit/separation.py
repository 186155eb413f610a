"""Separation within fits and ``ls.check_separation``.

This module joins the design layer (:func:`logitstats.design.build.build_design`) to the
array-level checks of :mod:`logitstats.inference.separation` and decides which warning a fit
issues (one :class:`~logitstats.errors.SeparationWarning` per fit, never per iteration).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from logitstats.design.build import Design, build_design
from logitstats.design.formula import formula_env
from logitstats.engine import binary
from logitstats.engine.family import Family
from logitstats.engine.newton import FitState
from logitstats.errors import ConvergenceWarning, SeparationWarning, warn
from logitstats.inference.separation import (
    SCREEN_METHOD,
    SCREEN_METHOD_FIRTH,
    SCREEN_METHOD_MULTINOMIAL,
    SeparationInfo,
    SeparationStatus,
    certify_no_separation,
    detect_separation,
    detect_separation_multinomial,
    screen_no_separation,
    screen_no_separation_multinomial,
)
from logitstats.numerics.parallel import single_threaded_blas
from logitstats.options import parse_bool

__all__ = [
    "check_separation",
    "binary_separation",
    "multinomial_separation",
    "ordinal_separation",
    "warn_separation",
    "BINARY_REMEDY",
    "MULTINOMIAL_REMEDY",
    "EXTREME_ETA",
]

# |eta| beyond which a row is fitted within ~3e-7 of its outcome (sigmoid(-15) = 3.06e-7): such
# rows are kept first when the separation linear program must be cut down.
EXTREME_ETA = 15.0

BINARY_REMEDY = (
    "Refit with firth=True for finite bias-reduced estimates and penalized profile intervals"
)
MULTINOMIAL_REMEDY = "Merge sparse outcome levels or categories, or drop the separating terms"
ORDINAL_REMEDY = "Merge sparse neighbouring outcome levels or categories, or drop those terms"
ORDINAL_SPLIT_METHOD = "cumulative splits (binary screen / linear program)"


def binary_separation(
    design: Design, family: Family | None = None, state: FitState | None = None
) -> SeparationInfo:
    """Separation status of a binary design, confirmed after a maximum-likelihood fit.

    With a fit (``state``), the exact screen of
    :func:`~logitstats.inference.separation.screen_no_separation` is tried first (one
    matrix-vector product); the linear program runs only when the screen cannot decide.
    """
    priority = None
    if family is not None and state is not None and state.params.size:
        eta = family.linear_predictor(design.X, state.params, design.offset)
        if screen_no_separation(design.X, eta, state.score, state.information):
            return SeparationInfo(SeparationStatus.NONE, method=SCREEN_METHOD)
        # rows fitted within ~3e-7 of their outcome: kept if the LP must be cut down
        priority = (2.0 * design.y - 1.0) * eta > EXTREME_ETA
    with single_threaded_blas():  # small LPs and SVDs: extra BLAS threads only stall
        return detect_separation(
            design.X,
            design.y,
            design.weights,
            column_names=design.column_names,
            priority=priority,
        )


def multinomial_separation(
    design: Design, family: Family | None = None, state: FitState | None = None
) -> SeparationInfo:
    """Separation status of a multinomial design: each outcome against the reference.

    With a fit (``family`` and ``state``), the exact screen of
    :func:`~logitstats.inference.separation.screen_no_separation_multinomial` is tried first
    (the binary Stiemke certificate per outcome, at the estimate); the linear programs run only
    when it cannot decide.
    """
    ref = list(design.levels).index(design.reference)
    if family is not None and state is not None and state.params.size:
        eta = family.linear_predictor(design.X, state.params, design.offset)
        if eta.shape[1] == len(design.levels) - 1:  # non-reference columns only
            eta = np.insert(eta, ref, 0.0, axis=1)
        if screen_no_separation_multinomial(design.X, eta, design.y, ref, design.weights):
            return SeparationInfo(SeparationStatus.NONE, method=SCREEN_METHOD_MULTINOMIAL)
    with single_threaded_blas():  # small LPs and SVDs: extra BLAS threads only stall
        return detect_separation_multinomial(
            design.X,
            design.y,
            len(design.levels),
            ref,
            design.weights,
            column_names=design.column_names,
            outcome_labels=tuple(str(v) for v in design.levels),
        )


def firth_separation(design: Design, family: Family, params: np.ndarray) -> SeparationInfo:
    """Separation status for a Firth fit: the Stiemke certificate at the Firth estimate (with
    up to four maximum-likelihood Newton steps from it), else the linear program.

    The certificate is a property of ``(X, y)`` and holds at any point (notes of
    :func:`~logitstats.inference.separation.certify_no_separation`), so the Firth estimate,
    within ``O(1/n)`` of the maximum-likelihood one when that is finite, serves as well.
    """
    if params.size:
        eta = family.linear_predictor(design.X, params, design.offset)
        if certify_no_separation(design.X, design.y, eta, design.weights):
            return SeparationInfo(SeparationStatus.NONE, method=SCREEN_METHOD_FIRTH)
    with single_threaded_blas():  # small LPs and SVDs: extra BLAS threads only stall
        return detect_separation(
            design.X, design.y, design.weights, column_names=design.column_names
        )


def ordinal_separation(
    design: Design, family: Family | None = None, state: FitState | None = None
) -> SeparationInfo:
    """Separation status of an ordinal (proportional-odds) design, through its cumulative splits.

    A separating direction ``(beta, c)`` of the ordinal model (``c_{y-1} <= x' beta <= c_y``
    on every row, ``beta != 0``) separates every binary split ``1[y > j]`` weakly with the
    same ``beta``. So one split certified free of separation (the exact post-fit screen of
    :func:`~logitstats.inference.separation.screen_no_separation`, else the linear program)
    certifies the ordinal model; the splits are tried from the most balanced one. When every
    split is separated the ordinal model is reported quasi-separated with the columns that
    every split names: a sufficient condition for each split, not an exact ordinal
    certificate (the splits' directions may differ), said in ``method``.

    ``family`` and ``state`` are accepted for the common signature of the checks and unused.
    """
    del family, state
    X1 = np.column_stack([np.ones(design.X.shape[0]), design.X])
    names = ("(cut-point)", *design.column_names)
    n_levels = len(design.levels)
    totals = np.bincount(design.y, weights=design.weights, minlength=n_levels)
    cum = np.cumsum(totals)[:-1] / totals.sum()
    per_split: list[SeparationInfo] = []
    with single_threaded_blas():
        for j in np.argsort(np.abs(cum - 0.5), kind="stable"):
            z = (design.y > j).astype(np.float64)
            st = binary.fit(X1, z, design.weights, design.offset, intercept_col=0)
            if st.converged and np.all(np.isfinite(st.params)):
                eta = X1 @ st.params if design.offset is None else X1 @ st.params + design.offset
                if screen_no_separation(X1, eta, st.score, st.information):
                    return SeparationInfo(SeparationStatus.NONE, method=ORDINAL_SPLIT_METHOD)
            info = detect_separation(X1, z, design.weights, column_names=names)
            if not info.separated:
                return SeparationInfo(SeparationStatus.NONE, method=ORDINAL_SPLIT_METHOD)
            per_split.append(info)
    common = set.intersection(*(set(i.terms) for i in per_split)) - {"(cut-point)"}
    terms = tuple(c for c in design.column_names if c in common) or tuple(
        dict.fromkeys(t for i in per_split for t in i.terms if t != "(cut-point)")
    )
    return SeparationInfo(
        SeparationStatus.QUASI,
        terms=terms,
        method=ORDINAL_SPLIT_METHOD + ": every split separated",
    )


def warn_separation(info: SeparationInfo, state: FitState, *, model: str, remedy: str) -> None:
    """Issue the fit's one warning: SeparationWarning if separated (suggesting ``remedy``), else
    ConvergenceWarning if the iterations of the ``model`` logit did not converge."""
    if info.separated:
        kind_text = "complete" if info.status is SeparationStatus.COMPLETE else "quasi-complete"
        warn(
            f"{kind_text} separation: the maximum-likelihood estimates of "
            f"{info.describe().split(' for ', 1)[1]} are infinite; the values reported are "
            f"where the iterations stopped and their standard errors and Wald tests are "
            f"meaningless. {remedy}.",
            SeparationWarning,
        )
    elif not state.converged:
        warn(
            f"the {model} logit did not converge: {state.message}. Rescale the predictors "
            "or raise max_iter=",
            ConvergenceWarning,
        )


def check_separation(
    formula: str,
    data: Any,
    *,
    event: Any = None,
    reference: Any = None,
    weights: Any = None,
    multinomial: bool = False,
    missing: str = "drop",
    functions: Mapping[str, Callable[..., Any]] | None = None,
) -> SeparationInfo:
    """Check a model for complete or quasi-complete separation before fitting it.

    Parameters
    ----------
    formula : str
        As for :func:`logitstats.logit` / :func:`logitstats.mlogit`.
    data : DataFrame, dict of columns or numpy structured array
        Not modified.
    event : optional
        Binary models: the outcome value counted as 1.
    reference : optional
        Multinomial models: the baseline level.
    weights : str or array-like, optional
        Frequency weights (rows of weight 0 do not count).
    multinomial : bool
        Check a baseline-category multinomial model (each outcome against the reference).
    missing : {"drop", "raise"}
    functions : mapping of str to callable, optional
        Your own functions the formula calls, as for :func:`logitstats.logit`.

    Returns
    -------
    SeparationInfo
        ``status`` ("none", "quasi", "complete"), ``terms`` (design columns whose
        maximum-likelihood estimates are infinite), ``outcomes`` (multinomial detail).

    Notes
    -----
    A linear program (Konis 2007, as R's ``detectseparation``) on the distinct rows of the
    design; see :mod:`logitstats.inference.separation`. Fits run the same check themselves (after
    a cheap exact screen), so calling this first is optional.

    Examples
    --------
    >>> import logitstats as ls
    >>> info = ls.check_separation("HG ~ NV + PI + EH", ls.datasets.load("endometrial"))
    >>> info.status.value, info.terms
    ('quasi', ('NV',))
    """
    env = formula_env(functions)
    multinomial = parse_bool(multinomial, "multinomial")
    design = build_design(
        formula,
        data,
        kind="multinomial" if multinomial else "binary",
        env=env,
        event=event,
        reference=reference,
        weights=weights,
        missing=missing,
    )
    check = multinomial_separation if multinomial else binary_separation
    return check(design)
