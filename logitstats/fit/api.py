"""Public model functions: ``logit`` (binary) and ``mlogit`` (multinomial)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from logitstats.design.build import Design, build_design
from logitstats.design.formula import formula_env
from logitstats.engine import FitState, NewtonOptions
from logitstats.engine import binary as binary_engine
from logitstats.engine import multinomial as mnl_engine
from logitstats.engine.layout import ParamLayout
from logitstats.fit.honest import (
    binary_separation,
    fit_binary_firth,
    multinomial_separation,
    separation_extras,
    warn_separation,
)
from logitstats.inference.covariance import CovType, covariance, parse_cov_type
from logitstats.options import parse_bool, parse_int, parse_positive
from logitstats.results import LogitResult, MLogitResult

__all__ = ["logit", "fit_binary", "mlogit", "fit_multinomial"]


def _options(tol: float, max_iter: int) -> NewtonOptions:
    return NewtonOptions(
        tol=parse_positive(tol, "tol"), max_iter=parse_int(max_iter, "max_iter", minimum=1)
    )


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
    separation = binary_separation(design, state)
    warn_separation(separation, state, kind="binary", stacklevel=3)
    null_state = _binary_null(design, options)
    score_obs = None
    if cov_type is not CovType.NONROBUST:
        eta = binary_engine.linear_predictor(design.X, state.params, design.offset)
        from logitstats.numerics.softmax import sigmoid

        score_obs = design.X * (design.y - sigmoid(eta))[:, None]
    cov = covariance(cov_type, state.information, score_obs, design.weights, design.groups)
    return LogitResult(
        design=design,
        state=state,
        null_state=null_state,
        layout=ParamLayout(design.column_names),
        cov_type=cov_type,
        cov_array=cov,
        extras=separation_extras(separation),
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
    functions: Mapping[str, Callable[..., Any]] | None = None,
) -> LogitResult:
    """Binary logistic regression by maximum likelihood, from a formula and a DataFrame.

    Parameters
    ----------
    formula : str
        R-style (patsy) formula, e.g. ``"low ~ age + C(race) + smoke"``. String and boolean
        columns are categorical; pure numpy functions are available (``np.log(x)``, ``log(x)``);
        ``y ~ .`` means every other column; ``+ offset(z)`` means ``offset="z"``. Anything
        outside the allow-list (see ``functions``) is a :class:`~logitstats.errors.FormulaError`,
        before any evaluation.
    data : DataFrame, dict of columns or numpy structured array
        Not modified.
    event : optional
        The outcome value counted as 1 when the outcome is not 0/1 (default: the second level in
        sorted order, as R does with factors); one value, not a list. The summary states it.
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
        True or False (anything else is refused). Firth's bias-reduced (Jeffreys-prior
        penalized) likelihood, finite under separation:
        estimates equal R's ``brglm2::brglm(type = "AS_mean")`` and ``logistf``; standard errors
        are ``sqrt(diag(I(b)^{-1}))``, the inverse Fisher information at the Firth estimate (as
        ``brglm2``'s ``summary`` and ``logistf`` report); ``conf_int(method="profile")`` gives
        profile penalized-likelihood intervals and ``penalized_lr_test()`` the penalized
        likelihood-ratio tests, as ``logistf``. Only ``cov_type="nonrobust"``.
    tol, max_iter :
        Newton convergence: relative deviance change below ``tol`` (R's ``epsilon``), at most
        ``max_iter`` iterations.
    data_name : str, optional
        Name of the data shown in summaries and reports.
    functions : mapping of str to callable, optional
        Your own functions, by the name the formula calls them (``functions={"cube": cube}``
        for ``"y ~ cube(x)"``); used again by ``predict``. A formula is data, never code: it
        sees only the columns of ``data``, the formula functions (``C``, ``I``, ``Q``,
        contrasts, ``center``/``standardize``/``scale``, ``bs``/``cr``/``cc``, ``log``,
        ``np.<pure elementwise function>``, ...) and these; never the caller's variables nor
        Python's builtins. Names must be identifiers that do not redefine a formula function.

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
    env = formula_env(functions)
    ct = parse_cov_type(cov_type, groups)
    options = _options(tol, max_iter)
    firth = parse_bool(firth, "firth")
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
        return fit_binary_firth(design, ct, options)
    return fit_binary(design, ct, options)


# --------------------------------------------------------------------------- multinomial


def _multinomial_null(
    design: Design, layout: ParamLayout, ref: int, options: NewtonOptions
) -> FitState:
    """Intercept-only multinomial fit (same weights); with no intercept, all eta = 0."""
    n = design.y.shape[0]
    assert layout.outcomes is not None
    if design.has_intercept:
        null_layout = ParamLayout(("Intercept",), outcomes=layout.outcomes)
        return mnl_engine.fit(
            np.ones((n, 1)),
            design.y,
            null_layout,
            ref,
            design.weights,
            intercept_col=0,
            options=options,
        )
    empty_layout = ParamLayout((), outcomes=layout.outcomes)
    ll, g, info = mnl_engine.loglik_score_info(
        np.zeros((n, 0)), design.y, np.zeros(0), empty_layout, ref, design.weights
    )
    return FitState(np.zeros(0), ll, g, info, 0, True, "no free parameters")


def fit_multinomial(design: Design, cov_type: CovType, options: NewtonOptions) -> MLogitResult:
    """Fit a multinomial logit on a built design (the engine-to-result step of :func:`mlogit`)."""
    layout = ParamLayout(design.column_names, outcomes=tuple(str(v) for v in design.outcomes))
    ref = list(design.levels).index(design.reference)
    state = mnl_engine.fit(
        design.X,
        design.y,
        layout,
        ref,
        design.weights,
        intercept_col=intercept_column(design),
        options=options,
    )
    separation = multinomial_separation(design, state)
    warn_separation(separation, state, kind="multinomial", stacklevel=3)
    null_state = _multinomial_null(design, layout, ref, options)
    score_obs = None
    if cov_type is not CovType.NONROBUST:
        score_obs = mnl_engine.score_obs(design.X, design.y, state.params, layout, ref)
    cov = covariance(cov_type, state.information, score_obs, design.weights, design.groups)
    return MLogitResult(
        design=design,
        state=state,
        null_state=null_state,
        layout=layout,
        cov_type=cov_type,
        cov_array=cov,
        extras=separation_extras(separation),
    )


def mlogit(
    formula: str,
    data: Any,
    *,
    reference: Any = None,
    weights: Any = None,
    cov_type: str = "nonrobust",
    groups: Any = None,
    missing: str = "drop",
    tol: float = 1e-10,
    max_iter: int = 50,
    data_name: str | None = None,
    functions: Mapping[str, Callable[..., Any]] | None = None,
) -> MLogitResult:
    r"""Multinomial (baseline-category) logistic regression by maximum likelihood.

    Parameters
    ----------
    formula : str
        R-style (patsy) formula, e.g. ``"party ~ C(educ) + age + income"``. The outcome may
        hold numbers, strings, booleans or a pandas Categorical, with two or more levels.
    data : DataFrame, dict of columns or numpy structured array
        Not modified.
    reference : optional
        The baseline level (default: the first level in sorted order; a Categorical keeps its
        category order); one value, not a list. Stated in every summary.
    weights : str or array-like, optional
        Frequency weights: a row with weight 3 counts as three identical rows.
    cov_type : {"nonrobust", "HC0", "HC1", "cluster"}
        Case-insensitive; ``"cluster"`` needs ``groups``.
    groups : str or array-like, optional
        Cluster ids for ``cov_type="cluster"``.
    missing : {"drop", "raise"}
        Drop incomplete rows (counted per column in the result) or raise.
    tol, max_iter :
        Newton convergence: relative deviance change below ``tol``, at most ``max_iter``
        iterations.
    data_name : str, optional
        Name of the data shown in summaries and reports.
    functions : mapping of str to callable, optional
        Your own functions, by the name the formula calls them (``functions={"cube": cube}``
        for ``"y ~ cube(x)"``); used again by ``predict``. A formula is data, never code: it
        sees only the columns of ``data``, the formula functions (``C``, ``I``, ``Q``,
        contrasts, ``center``/``standardize``/``scale``, ``bs``/``cr``/``cc``, ``log``,
        ``np.<pure elementwise function>``, ...) and these; never the caller's variables nor
        Python's builtins. Names must be identifiers that do not redefine a formula function.

    Returns
    -------
    MLogitResult

    Raises
    ------
    FormulaError, DataError, LogitstatsError
        E.g. an outcome with one level, a ``reference`` that is not a level, a level with no
        rows left after dropping missing values, more parameters than observations.

    Notes
    -----
    For outcome levels :math:`0, \dots, K-1` with reference :math:`r`,

    .. math:: P(Y_i = k) = \frac{\exp(x_i'\beta_k)}{\sum_l \exp(x_i'\beta_l)}, \qquad
              \beta_r = 0,

    fitted by Newton–Raphson on the full Hessian, whose block :math:`(j, l)` is
    :math:`-X' \operatorname{diag}(w\, p_j (\delta_{jl} - p_l)) X`; starting values put each
    intercept at :math:`\log(n_j / n_r)`. The intercept-only (null) model is fitted too.

    Examples
    --------
    >>> import logitstats as ls
    >>> fit = ls.mlogit("mode ~ hinc + psize", data=ls.datasets.load("modechoice"))
    >>> fit.reference, list(fit.params.columns)
    ('air', ['bus', 'car', 'train'])
    >>> round(fit.llf, 4)
    -253.3408
    """
    env = formula_env(functions)
    ct = parse_cov_type(cov_type, groups)
    options = _options(tol, max_iter)
    design = build_design(
        formula,
        data,
        kind="multinomial",
        env=env,
        reference=reference,
        weights=weights,
        groups=groups,
        missing=missing,
        data_name=data_name,
    )
    return fit_multinomial(design, ct, options)
