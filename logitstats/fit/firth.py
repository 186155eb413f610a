"""Firth's bias-reduced logit on a built design (``logit(..., firth=True)``)."""

from __future__ import annotations

from logitstats.design.build import Design
from logitstats.engine.binary import BinaryFamily
from logitstats.engine.firth import fit_firth
from logitstats.engine.newton import FitState, NewtonOptions, fixed_state
from logitstats.errors import ConvergenceWarning, LogitstatsError, warn
from logitstats.fit.model import model_arrays
from logitstats.fit.separation import firth_separation
from logitstats.inference.covariance import CovType, inverse_information
from logitstats.options import Estimator
from logitstats.results import LogitResult
from logitstats.results.base import FirthState

__all__ = ["fit_binary_firth", "FIRTH_NOTE"]

FIRTH_NOTE = (
    "Firth bias-reduced estimates (Jeffreys-prior penalized likelihood); standard "
    "errors from the inverse Fisher information at the estimate (as brglm2 and "
    "logistf); the log-likelihood shown is the unpenalized one, the LR test against "
    "the null model the penalized one (as logistf)"
)


def _firth_null(design: Design, family: BinaryFamily, options: NewtonOptions) -> FitState:
    """The Firth intercept-only fit; without an intercept, ``eta = offset`` (no parameters)."""
    arrays = model_arrays(design)
    cols = family.null_columns()
    if not cols:
        empty = family.subset([])
        sub = arrays.columns([])
        return fixed_state(lambda b: empty.loglik_score_info(sub, b), empty.start(sub))
    return fit_firth(arrays.columns(cols), intercept_col=0, options=options).state


def fit_binary_firth(
    design: Design, family: BinaryFamily, cov_type: CovType, options: NewtonOptions
) -> LogitResult:
    """Firth's bias-reduced logit on a built design (``logit(..., firth=True)``).

    The result's ``params`` solve the modified score equations (Jeffreys-prior penalized
    likelihood; equal to R's ``brglm2::brglm(type = "AS_mean")`` and ``logistf``); ``bse`` are
    ``sqrt(diag(I(b)^{-1}))`` with ``I`` the Fisher information at the Firth estimate, the
    standard errors ``brglm2``'s ``summary`` and ``logistf`` report. ``llf`` is the ordinary
    log-likelihood at the estimate (R's ``logLik``); the penalized one is
    ``result.penalized_loglik``. ``conf_int(method="profile")`` gives profile
    penalized-likelihood intervals (as ``logistf``); the null model is the Firth intercept-only
    fit.
    """
    if cov_type is not CovType.NONROBUST:
        raise LogitstatsError(
            "firth=True supports cov_type='nonrobust' only (the standard errors are those of the "
            f"Fisher information, as brglm2 and logistf report); got cov_type={cov_type.value!r}"
        )
    fit = fit_firth(model_arrays(design), intercept_col=family.intercept_col, options=options)
    state = fit.state
    if not state.converged:
        warn(
            f"the Firth fit did not converge: {state.message}; raise max_iter=",
            ConvergenceWarning,
        )
    null = _firth_null(design, family, options)
    sep = firth_separation(design, family, state.params)
    return LogitResult(
        design=design,
        family=family,
        state=state,
        null_state=null,
        cov_type=cov_type,
        cov_array=inverse_information(state.information),
        estimator=Estimator.FIRTH,
        separation=sep,
        firth=FirthState(penalized_loglik=fit.penalized_loglik),
        notes=(FIRTH_NOTE,),
    )
