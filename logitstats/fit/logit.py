"""``ls.logit``: binary logistic regression from a formula (design -> engine -> result)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from logitstats.backends.dask import is_dask_frame
from logitstats.design.build import Design, build_design
from logitstats.design.formula import formula_env
from logitstats.engine.binary import BinaryFamily
from logitstats.engine.layout import ParamLayout
from logitstats.engine.newton import NewtonOptions
from logitstats.errors import LogitstatsError
from logitstats.fit.model import design_budget, fit_model, intercept_column, newton_options
from logitstats.fit.separation import BINARY_REMEDY, binary_separation
from logitstats.inference.covariance import CovType, parse_cov_type
from logitstats.options import DaskBlocks, parse_bool, parse_option
from logitstats.results import LogitResult

__all__ = ["logit", "fit_binary", "binary_family"]


def binary_family(design: Design) -> BinaryFamily:
    """The engine family of a binary design: one parameter per design column."""
    return BinaryFamily(ParamLayout(design.column_names), intercept_column(design))


def fit_binary(design: Design, cov_type: CovType, options: NewtonOptions) -> LogitResult:
    """Fit a binary logit on a built design (the engine-to-result step of :func:`logit`)."""
    return fit_model(
        design,
        binary_family(design),
        cov_type,
        options,
        result_type=LogitResult,
        separation=binary_separation,
        remedy=BINARY_REMEDY,
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
    max_design_bytes: float | None = None,
    progress: bool = False,
    blocks: str = "auto",
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
    options = newton_options(tol, max_iter)
    budget = design_budget(max_design_bytes)
    mode = parse_option(DaskBlocks, blocks, "blocks")
    firth = parse_bool(firth, "firth")
    progress = parse_bool(progress, "progress")
    if is_dask_frame(data):  # checked by module name: pandas users never import dask
        if firth:
            raise LogitstatsError(
                "firth=True on a Dask DataFrame: expected firth=False; got True (the penalized "
                "fit is not distributed yet). Fit on a pandas DataFrame (ddf.compute() if it "
                "fits in memory) or on a sample"
            )
        from logitstats.fit.distributed import fit_distributed  # only for a Dask frame

        return fit_distributed(
            formula,
            data,
            kind="binary",
            env=env,
            event=event,
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
        kind="binary",
        env=env,
        event=event,
        weights=weights,
        offset=offset,
        groups=groups,
        missing=missing,
        data_name=data_name,
        max_design_bytes=budget,
    )
    if firth:
        from logitstats.fit.firth import fit_binary_firth  # only when asked for

        return fit_binary_firth(design, binary_family(design), ct, options)
    return fit_binary(design, ct, options)
