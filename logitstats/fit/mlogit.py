"""``ls.mlogit``: baseline-category multinomial logit from a formula."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from logitstats.backends.dask import is_dask_frame
from logitstats.design.build import Design, build_design
from logitstats.design.formula import formula_env
from logitstats.engine.layout import ParamLayout
from logitstats.engine.multinomial import MultinomialFamily
from logitstats.engine.newton import NewtonOptions
from logitstats.fit.model import design_budget, fit_model, intercept_column, newton_options
from logitstats.fit.separation import MULTINOMIAL_REMEDY, multinomial_separation
from logitstats.inference.covariance import CovType, parse_cov_type
from logitstats.options import DaskBlocks, parse_bool, parse_option
from logitstats.results import MLogitResult

__all__ = ["mlogit", "fit_multinomial", "multinomial_family"]


def multinomial_family(design: Design) -> MultinomialFamily:
    """The engine family of a multinomial design: terms x non-reference outcomes."""
    layout = ParamLayout(design.column_names, outcomes=tuple(str(v) for v in design.outcomes))
    reference = list(design.levels).index(design.reference)
    return MultinomialFamily(layout, reference, intercept_column(design))


def fit_multinomial(design: Design, cov_type: CovType, options: NewtonOptions) -> MLogitResult:
    """Fit a multinomial logit on a built design (the engine-to-result step of :func:`mlogit`)."""
    return fit_model(
        design,
        multinomial_family(design),
        cov_type,
        options,
        result_type=MLogitResult,
        separation=multinomial_separation,
        remedy=MULTINOMIAL_REMEDY,
    )


def mlogit(
    formula: str,
    data: Any,
    *,
    reference: Any = None,
    weights: Any = None,
    offset: Any = None,
    cov_type: str = "nonrobust",
    groups: Any = None,
    missing: str = "drop",
    tol: float = 1e-10,
    max_iter: int = 50,
    data_name: str | None = None,
    functions: Mapping[str, Callable[..., Any]] | None = None,
    max_design_bytes: float | None = None,
    progress: bool = False,
    blocks: str = "auto",
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
    offset : str or array-like, optional
        Known term on the log-odds scale, one value per row, added to the linear predictor of
        every non-reference outcome: ``log(P(Y = j) / P(Y = r)) = x' b_j + offset`` for each
        ``j != r`` (a constant offset ``c`` moves every non-reference intercept by ``-c``).
        An outcome-specific offset is not supported.
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
    max_design_bytes : float, optional
        The memory budget of the design matrix, in bytes (e.g. ``8e9``). Its size (rows x
        columns, every factor's levels and interactions included) is computed before anything
        is allocated, and a design over the budget is a :class:`~logitstats.errors.DataError`
        naming the largest term. Default: ``$LOGITSTATS_MAX_DESIGN_BYTES`` if set, else a
        quarter of the memory available to the process.
    progress : bool
        Dask data only: one line per pass over the partitions to the ``logitstats`` logger
        (pass, deviance, change, seconds), as R's ``glm(trace = TRUE)``.
    blocks : {"auto", "persist", "stream"}
        Dask data only: where each partition's design block lives between passes.
        ``"persist"`` builds it once and keeps it on the workers until the fit ends (fast
        passes); ``"stream"`` rebuilds it from its partition in every pass (memory bounded by a
        partition); ``"auto"`` persists when the blocks' estimated size (rows x (columns + 3)
        x 8 bytes) fits in half the workers' memory limits (a quarter of the available RAM
        without a ``distributed.Client``). The summary's notes say which ran.

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
    options = newton_options(tol, max_iter)
    budget = design_budget(max_design_bytes)
    mode = parse_option(DaskBlocks, blocks, "blocks")
    if is_dask_frame(data):  # checked by module name: pandas users never import dask
        from logitstats.fit.distributed import fit_distributed  # only for a Dask frame

        return fit_distributed(
            formula,
            data,
            kind="multinomial",
            env=env,
            reference=reference,
            weights=weights,
            offset=offset,
            groups=groups,
            cov_type=ct,
            missing=missing,
            options=options,
            data_name=data_name,
            progress=parse_bool(progress, "progress"),
            blocks=mode,
        )
    design = build_design(
        formula,
        data,
        kind="multinomial",
        env=env,
        reference=reference,
        weights=weights,
        offset=offset,
        groups=groups,
        missing=missing,
        data_name=data_name,
        max_design_bytes=budget,
    )
    return fit_multinomial(design, ct, options)
