"""``ls.ologit``: proportional-odds (cumulative) logit from a formula."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from logitstats.backends.dask import is_dask_frame
from logitstats.design.build import Design, build_design
from logitstats.design.formula import formula_env
from logitstats.engine.layout import ParamLayout
from logitstats.engine.newton import NewtonOptions
from logitstats.engine.ordinal_family import OrdinalFamily, cutpoint_names
from logitstats.fit.distributed import fit_distributed
from logitstats.fit.model import design_budget, fit_model, newton_options
from logitstats.fit.separation import ORDINAL_REMEDY, ordinal_separation
from logitstats.inference.covariance import CovType, parse_cov_type
from logitstats.options import DaskBlocks, parse_bool, parse_option
from logitstats.results.ordinal import OLogitResult

__all__ = ["ologit", "fit_ordinal", "ordinal_family", "cutpoint_names", "INTERCEPT_NOTE"]

#: the note every ordinal summary shows (the design has no intercept column)
INTERCEPT_NOTE = (
    "no intercept column: the cut-points play its part "
    "(logit P(Y <= j) = theta_j - x'b, the sign convention of R's MASS::polr and ordinal::clm)"
)


def ordinal_family(design: Design) -> OrdinalFamily:
    """The engine family of an ordinal design: the slopes, then the named cut-points."""
    layout = ParamLayout((*design.column_names, *cutpoint_names(design.levels)))
    return OrdinalFamily(layout, len(design.levels))


def fit_ordinal(design: Design, cov_type: CovType, options: NewtonOptions) -> OLogitResult:
    """Fit a proportional-odds logit on a built design (the engine-to-result step of
    :func:`ologit`)."""
    result = fit_model(
        design,
        ordinal_family(design),
        cov_type,
        options,
        result_type=OLogitResult,
        separation=ordinal_separation,
        remedy=ORDINAL_REMEDY,
    )
    return dataclasses.replace(result, notes=(*result.notes, INTERCEPT_NOTE))


def ologit(
    formula: str,
    data: Any,
    *,
    levels: Any = None,
    weights: Any = None,
    offset: Any = None,
    cov_type: str = "nonrobust",
    groups: Any = None,
    missing: str = "drop",
    functions: Mapping[str, Callable[..., Any]] | None = None,
    tol: float = 1e-10,
    max_iter: int = 50,
    data_name: str | None = None,
    max_design_bytes: float | None = None,
    progress: bool = False,
    blocks: str = "auto",
) -> OLogitResult:
    r"""Ordinal logistic regression (proportional odds, cumulative logit) by maximum likelihood.

    Parameters
    ----------
    formula : str
        R-style (patsy) formula, e.g. ``"rating ~ temp + contact"``. Keep the intercept in the
        formula: its column is dropped after the factors are coded, the cut-points playing its
        part (a note in every summary says so).
    data : DataFrame, dict of columns or numpy structured array
        Not modified.
    levels : list, optional
        The outcome's values from lowest to highest. Default: an ordered pandas Categorical's
        categories, else the sorted values of a numeric outcome. An unordered string outcome
        needs ``levels=``.
    weights : str or array-like, optional
        Frequency weights: a row with weight 3 counts as three identical rows.
    offset : str or array-like, optional
        Known term added to the linear predictor ``eta = x'b + offset``.
    cov_type : {"nonrobust", "HC0", "HC1", "cluster"}
        Case-insensitive; ``"cluster"`` needs ``groups``.
    groups : str or array-like, optional
        Cluster ids for ``cov_type="cluster"``.
    missing : {"drop", "raise"}
        Drop incomplete rows (counted per column in the result) or raise.
    functions : mapping of str to callable, optional
        Your own functions, by the name the formula calls them (as :func:`logitstats.logit`).
    tol, max_iter :
        Newton convergence: relative deviance change below ``tol``, at most ``max_iter``
        iterations.
    data_name : str, optional
        Name of the data shown in summaries and reports.
    max_design_bytes : float, optional
        The memory budget of the design matrix in bytes, as for :func:`~logitstats.logit`
        (default: ``$LOGITSTATS_MAX_DESIGN_BYTES`` if set, else a quarter of available memory).
    progress : bool
        Dask data only: one line per pass over the partitions to the ``logitstats`` logger
        (pass, deviance, change, seconds), as R's ``glm(trace = TRUE)``.
    blocks : {"auto", "persist", "stream"}
        Dask data only: where each partition's design block lives between passes, as for
        :func:`~logitstats.logit`.

    Returns
    -------
    OLogitResult

    Raises
    ------
    FormulaError, DataError, LogitstatsError
        E.g. an unordered string outcome without ``levels=``, fewer than three levels (use
        :func:`logitstats.logit`), ``levels=`` that miss values of the data or list values
        it never takes, a formula without intercept.

    Notes
    -----
    For ordered levels :math:`1 < \dots < J`, with R's sign convention,

    .. math:: \operatorname{logit} P(Y_i \le j) = \theta_j - x_i'\beta, \qquad
              \theta_1 < \dots < \theta_{J-1},

    so a positive :math:`\beta_k` moves the distribution towards the higher levels and
    :math:`\exp(\beta_k)` is the cumulative odds ratio of :math:`Y > j` versus
    :math:`Y \le j`, the same for every :math:`j`. Exact Newton–Raphson on the analytic score
    and Hessian, on the unconstrained cut-points :math:`(\theta_1, \log(\theta_{j} -
    \theta_{j-1}))` (so they stay increasing), from the marginal cumulative proportions; the
    thresholds-only (null) model is closed form. With two levels the model is
    :func:`logitstats.logit` of ``Y = high`` with intercept :math:`-\theta_1`.

    Examples
    --------
    >>> import pandas as pd
    >>> import logitstats as ls
    >>> y = [1, 2, 3, 1, 2, 3, 3, 2, 1, 3]
    >>> df = pd.DataFrame({"y": y, "x": [0, 1, 2, 1, 0, 2, 1, 2, 0, 0]})
    >>> fit = ls.ologit("y ~ x", data=df)
    >>> list(fit.cutpoints.index), round(float(fit.params["x"]), 4)
    (['1|2', '2|3'], 1.0696)
    """
    env = formula_env(functions)
    ct = parse_cov_type(cov_type, groups)
    options = newton_options(tol, max_iter)
    progress = parse_bool(progress, "progress")
    mode = parse_option(DaskBlocks, blocks, "blocks")
    if is_dask_frame(data):  # checked by module name: pandas users never import dask
        return fit_distributed(
            formula,
            data,
            kind="ordinal",
            env=env,
            levels=levels,
            weights=weights,
            offset=offset,
            groups=groups,
            cov_type=ct,
            missing=missing,
            options=options,
            data_name=data_name,
            progress=progress,
            blocks=mode,
        )
    design = build_design(
        formula,
        data,
        kind="ordinal",
        env=env,
        levels=levels,
        weights=weights,
        offset=offset,
        groups=groups,
        missing=missing,
        data_name=data_name,
        max_design_bytes=design_budget(max_design_bytes),
    )
    return fit_ordinal(design, ct, options)
