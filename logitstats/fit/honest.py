"""Honest fits: separation checks inside every fit, ``ls.check_separation`` and Firth fits.

This module joins the design layer (:func:`logitstats.design.build.build_design`) to the array-level
checks of :mod:`logitstats.inference.separation` and the Firth engine
(:mod:`logitstats.engine.firth`), and decides what the result records and which warning is
issued (one :class:`~logitstats.errors.SeparationWarning` per fit, never per iteration).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from logitstats.design.build import Design, build_design
from logitstats.design.formula import formula_env
from logitstats.engine import FitState, NewtonOptions
from logitstats.engine import binary as binary_engine
from logitstats.engine.firth import fit_firth
from logitstats.engine.layout import ParamLayout
from logitstats.errors import ConvergenceWarning, LogitstatsError, SeparationWarning
from logitstats.inference.covariance import CovType, inverse_information
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
    "separation_extras",
    "warn_separation",
    "fit_binary_firth",
    "FIRTH_METHOD",
]

FIRTH_METHOD = "Firth penalized likelihood"


def binary_separation(design: Design, state: FitState | None = None) -> SeparationInfo:
    """Separation status of a binary design, confirmed after a maximum-likelihood fit.

    With a fit (``state``), the exact screen of
    :func:`~logitstats.inference.separation.screen_no_separation` is tried first (one
    matrix-vector product); the linear program runs only when the screen cannot decide.
    """
    priority = None
    if state is not None and state.params.size:
        eta = binary_engine.linear_predictor(design.X, state.params, design.offset)
        if screen_no_separation(design.X, eta, state.score, state.information):
            return SeparationInfo(SeparationStatus.NONE, method=SCREEN_METHOD)
        # rows fitted within ~3e-7 of their outcome: kept if the LP must be cut down
        priority = (2.0 * design.y - 1.0) * eta > 15.0
    with single_threaded_blas():  # small LPs and SVDs: extra BLAS threads only stall
        return detect_separation(
            design.X,
            design.y,
            design.weights,
            column_names=design.column_names,
            priority=priority,
        )


def multinomial_separation(design: Design, state: FitState | None = None) -> SeparationInfo:
    """Separation status of a multinomial design: each outcome against the reference.

    With a fit (``state``), the exact screen of
    :func:`~logitstats.inference.separation.screen_no_separation_multinomial` is tried first
    (the binary Stiemke certificate per outcome, at the estimate); the linear programs run only
    when it cannot decide.
    """
    ref = list(design.levels).index(design.reference)
    if state is not None and state.params.size:
        layout = ParamLayout(design.column_names, outcomes=tuple(str(v) for v in design.outcomes))
        nonref = [k for k in range(len(design.levels)) if k != ref]
        eta = np.zeros((design.X.shape[0], len(design.levels)))
        eta[:, nonref] = design.X @ layout.to_matrix(state.params)
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


def separation_extras(info: SeparationInfo, *, firth: bool = False) -> dict[str, Any]:
    """What a result records: ``separation`` (the info) and the header text."""
    text = info.describe()
    if firth and info.separated:
        text += " (the Firth estimates are finite)"
    return {"separation": info, "separation_text": text}


def warn_separation(info: SeparationInfo, state: FitState, *, kind: str, stacklevel: int) -> None:
    """Issue the fit's one warning: SeparationWarning if separated, else ConvergenceWarning
    if the iterations did not converge."""
    if info.separated:
        kind_text = "complete" if info.status is SeparationStatus.COMPLETE else "quasi-complete"
        remedy = (
            "Refit with firth=True for finite bias-reduced estimates and penalized profile "
            "intervals"
            if kind == "binary"
            else "Merge sparse outcome levels or categories, or drop the separating terms"
        )
        warnings.warn(
            f"{kind_text} separation: the maximum-likelihood estimates of "
            f"{info.describe().split(' for ', 1)[1]} are infinite; the values reported are "
            f"where the iterations stopped and their standard errors and Wald tests are "
            f"meaningless. {remedy}.",
            SeparationWarning,
            stacklevel=stacklevel + 1,
        )
    elif not state.converged:
        warnings.warn(
            f"the {kind} logit did not converge: {state.message}. Rescale the predictors "
            "or raise max_iter=",
            ConvergenceWarning,
            stacklevel=stacklevel + 1,
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
    if multinomial:
        return multinomial_separation(design)
    return binary_separation(design)


def _firth_separation(design: Design, params: np.ndarray) -> SeparationInfo:
    """Separation status for a Firth fit: the Stiemke certificate at the Firth estimate (with
    up to four maximum-likelihood Newton steps from it), else the linear program.

    The certificate is a property of ``(X, y)`` and holds at any point (notes of
    :func:`~logitstats.inference.separation.certify_no_separation`), so the Firth estimate,
    within ``O(1/n)`` of the maximum-likelihood one when that is finite, serves as well.
    """
    if params.size:
        eta = binary_engine.linear_predictor(design.X, params, design.offset)
        if certify_no_separation(design.X, design.y, eta, design.weights):
            return SeparationInfo(SeparationStatus.NONE, method=SCREEN_METHOD_FIRTH)
    with single_threaded_blas():  # small LPs and SVDs: extra BLAS threads only stall
        return detect_separation(
            design.X, design.y, design.weights, column_names=design.column_names
        )


def _firth_null(design: Design, options: NewtonOptions) -> tuple[FitState, float]:
    n = design.y.shape[0]
    if not design.has_intercept:
        ll, g, info = binary_engine.loglik_score_info(
            np.zeros((n, 0)), design.y, np.zeros(0), design.weights, design.offset
        )
        return FitState(np.zeros(0), ll, g, info, 0, True, "no free parameters"), ll
    fit = fit_firth(
        np.ones((n, 1)), design.y, design.weights, design.offset, intercept_col=0, options=options
    )
    return fit.state, fit.penalized_loglik


def fit_binary_firth(design: Design, cov_type: CovType, options: NewtonOptions) -> Any:
    """Firth's bias-reduced logit on a built design (``logit(..., firth=True)``).

    The result's ``params`` solve the modified score equations (Jeffreys-prior penalized
    likelihood; equal to R's ``brglm2::brglm(type = "AS_mean")`` and ``logistf``); ``bse`` are
    ``sqrt(diag(I(b)^{-1}))`` with ``I`` the Fisher information at the Firth estimate, the standard
    errors ``brglm2``'s ``summary`` and ``logistf`` report. ``llf`` is the ordinary
    log-likelihood at the estimate (R's ``logLik``); the penalized one is in
    ``extras["penalized_loglik"]``. ``conf_int(method="profile")`` gives profile
    penalized-likelihood intervals (as ``logistf``); the null model is the Firth intercept-only fit.
    """
    from logitstats.inference.firth_inference import penalized_profile_ci
    from logitstats.results import LogitResult

    if cov_type is not CovType.NONROBUST:
        raise LogitstatsError(
            "firth=True supports cov_type='nonrobust' only (the standard errors are those of the "
            f"Fisher information, as brglm2 and logistf report); got cov_type={cov_type.value!r}"
        )
    icol = design.column_names.index("Intercept") if "Intercept" in design.column_names else None
    fit = fit_firth(
        design.X, design.y, design.weights, design.offset, intercept_col=icol, options=options
    )
    state = fit.state
    if not state.converged:
        warnings.warn(
            f"the Firth fit did not converge: {state.message}; raise max_iter=",
            ConvergenceWarning,
            stacklevel=3,
        )
    null_state, null_pll = _firth_null(design, options)
    sep = _firth_separation(design, state.params)
    extras = separation_extras(sep, firth=True)
    X, y, w, off, b = design.X, design.y, design.weights, design.offset, state.params
    extras.update(
        penalized_loglik=fit.penalized_loglik,
        penalized_loglik_null=null_pll,
        profile_ci=lambda level: penalized_profile_ci(X, y, w, off, b, level),
        notes=(
            "Firth bias-reduced estimates (Jeffreys-prior penalized likelihood); standard "
            "errors from the inverse Fisher information at the estimate (as brglm2 and "
            "logistf); the log-likelihood shown is the unpenalized one, the LR test against "
            "the null model the penalized one (as logistf)",
        ),
    )
    return LogitResult(
        design=design,
        state=state,
        null_state=null_state,
        layout=ParamLayout(design.column_names),
        cov_type=cov_type,
        cov_array=inverse_information(state.information),
        method=FIRTH_METHOD,
        extras=extras,
    )
