"""Public model functions: ``logit`` (and, in :mod:`logitstats.multinomial_api`, ``mlogit``)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .design import Design, build_design, capture_env
from .engine import FitState, NewtonOptions
from .engine import binary as binary_engine
from .errors import ConvergenceWarning, LogitstatsError
from .inference.covariance import CovType, covariance, parse_cov_type
from .layout import ParamLayout
from .results import LogitResult

__all__ = ["logit", "fit_binary"]


def _options(tol: float, max_iter: int) -> NewtonOptions:
    if not (isinstance(tol, (int, float)) and np.isfinite(tol) and tol > 0):
        raise LogitstatsError(f"tol must be a finite number > 0; got tol={tol!r}")
    if not (isinstance(max_iter, (int, np.integer)) and max_iter >= 1):
        raise LogitstatsError(f"max_iter must be an integer >= 1; got max_iter={max_iter!r}")
    return NewtonOptions(tol=float(tol), max_iter=int(max_iter))


def intercept_column(design: Design) -> int | None:
    """Index of the intercept column of X, if the model has one."""
    return design.column_names.index("Intercept") if "Intercept" in design.column_names else None


def _binary_null(design: Design, options: NewtonOptions) -> FitState:
    """Intercept-only fit (same weights and offset); with no intercept, eta = offset."""
    n = design.y.shape[0]
    if design.has_intercept:
        ones = np.ones((n, 1))
        return binary_engine.fit(
            ones, design.y, design.weights, design.offset, intercept_col=0, options=options
        )
    empty = np.zeros((n, 0))
    ll, g, info = binary_engine.loglik_score_info(
        empty, design.y, np.zeros(0), design.weights, design.offset
    )
    return FitState(np.zeros(0), ll, g, info, 0, True, "no free parameters")


def fit_binary(design: Design, cov_type: CovType, options: NewtonOptions) -> LogitResult:
    """Fit a binary logit on a built design (the engine-to-result step of :func:`logit`)."""
    state = binary_engine.fit(
        design.X,
        design.y,
        design.weights,
        design.offset,
        intercept_col=intercept_column(design),
        options=options,
    )
    if not state.converged:
        warnings.warn(
            f"the binary logit did not converge: {state.message}. Check for separation "
            "or rescale the predictors; max_iter= raises the iteration limit",
            ConvergenceWarning,
            stacklevel=3,
        )
    null_state = _binary_null(design, options)
    score_obs = None
    if cov_type is not CovType.NONROBUST:
        eta = binary_engine.linear_predictor(design.X, state.params, design.offset)
        from .softmax import sigmoid

        score_obs = design.X * (design.y - sigmoid(eta))[:, None]
    cov = covariance(cov_type, state.information, score_obs, design.weights, design.groups)
    return LogitResult(
        design=design,
        state=state,
        null_state=null_state,
        layout=ParamLayout(design.column_names),
        cov_type=cov_type,
        cov_array=cov,
    )


def logit(
    formula: str,
    data: Any,
    *,
    event: Any = None,
    weights: Any = None,
    offset: Any = None,
    cov_type: str = "nonrobust",
    groups: Any = None,
    missing: str = "drop",
    firth: bool = False,
    tol: float = 1e-10,
    max_iter: int = 50,
    data_name: str | None = None,
) -> LogitResult:
    """Binary logistic regression by maximum likelihood, from a formula and a DataFrame.

    Parameters
    ----------
    formula : str
        R-style (patsy) formula, e.g. ``"low ~ age + C(race) + smoke"``. String and boolean
        columns are categorical; ``np`` is available (``np.log(x)``).
    data : DataFrame, dict of columns or numpy structured array
        Not modified.
    event : optional
        The outcome value counted as 1 when the outcome is not 0/1 (default: the second level in
        sorted order, as R does with factors). The summary states it.
    weights : str or array-like, optional
        Frequency weights: a row with weight 3 counts as three identical rows. Every number
        (estimates, SEs, llf, nobs, AIC, BIC, robust SEs) equals the fit on the row-expanded data.
        (R's ``glm`` gives the same estimates and SEs, but its ``nobs()`` and ``BIC()`` count rows.)
    offset : str or array-like, optional
        Known term on the logit scale.
    cov_type : {"nonrobust", "HC0", "HC1", "cluster"}
        Case-insensitive; ``"cluster"`` needs ``groups``.
    groups : str or array-like, optional
        Cluster ids for ``cov_type="cluster"``.
    missing : {"drop", "raise"}
        Drop incomplete rows (counted per column in the result) or raise.
    firth : bool
        Firth's bias-reduced (Jeffreys-prior penalized) likelihood.
    tol, max_iter :
        Newton convergence: relative deviance change below ``tol`` (R's ``epsilon``), at most
        ``max_iter`` iterations.
    data_name : str, optional
        Name of the data shown in summaries and reports.

    Returns
    -------
    LogitResult

    Raises
    ------
    FormulaError, DataError, LogitstatsError

    Examples
    --------
    >>> import logitstats as ls
    >>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
    >>> round(float(fit.params["PSI"]), 4), round(fit.llf, 4)
    (2.3787, -12.8896)
    """
    env = capture_env(1)
    ct = parse_cov_type(cov_type, groups)
    options = _options(tol, max_iter)
    design = build_design(
        formula,
        data,
        kind="binary",
        env=env,
        event=event,
        weights=weights,
        offset=offset,
        groups=groups,
        missing=missing,
        data_name=data_name,
    )
    if firth:
        raise LogitstatsError("firth=True is not available yet")
    return fit_binary(design, ct, options)
