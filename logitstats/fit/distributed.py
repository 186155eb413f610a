"""``ls.logit``/``ls.mlogit``/``ls.ologit`` on a Dask DataFrame: exact Newton by map-reduce
(issue 14).

The passes over the partitions (each one ``DaskRunner.map_reduce``, tree-summed on the workers):

0. scan: rows, missing values per column, representative rows (every level of every factor and
   of the outcome); then, if the formula has ``center``/``standardize``, their state learnt per
   partition and merged (:mod:`logitstats.design.partitions`). The design (labels, levels,
   :class:`~logitstats.design.spec.ModelSpec`) is built on the representatives, without the
   checks that need every row.
1. Gram ``X'WX`` (aliasing by R's rule, :func:`~logitstats.numerics.rank.aliased_from_gram`),
   rows used, rows the formula makes non-finite, weighted outcome counts (start values, rows
   per level).
2. Newton: one pass per evaluation of ``(loglik, score, information)``, the same
   :meth:`~logitstats.engine.family.Family.block_stats` as in memory, solved on the client; the
   null model likewise.
3. post-fit: the meat of HC0/HC1 (``sum s_i s_i' w_i``) or the per-cluster score sums (keyed,
   clusters may span partitions), Pearson chi-square and Tjur's sums: computed in every Newton
   pass alongside the statistics, so the last evaluation (at the estimate) gives them and no
   pass of its own is needed (one runs only when Newton stops elsewhere).

Blocks (``blocks=``): **persist** builds each partition's block (X, y, weights, offset) once, at
pass 1, and keeps it on the workers until the fit ends; **stream** rebuilds it from its
partition in every pass (memory bounded by a partition); **auto** persists when the blocks'
estimated size (rows x (columns + 3) x 8 bytes) is at most :data:`PERSIST_FRACTION_CLUSTER` of
the workers' memory (:data:`PERSIST_FRACTION_LOCAL` of the available RAM with dask's local
schedulers). What differs between binary, multinomial and ordinal fits is looked up in
:data:`~logitstats.fit.distributed_kinds.KINDS`.

Separation: the linear program on the representative rows is a negative certificate (rows of
a separable data set are separable, so "none" on the sample is "none" on all rows); when the
sample is separated, the Stiemke certificate from per-block sums decides "none" on all rows
(:mod:`logitstats.fit.distributed_refits`); otherwise the verdict is "not ruled out", stated in
the summary. The refits of a result (LR anova, profile intervals) and the certificate rebuild
each block from its partition (the persisted blocks are released when the fit ends).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import numpy as np
import pandas as pd

from logitstats.backends.dask import DaskRunner
from logitstats.design import partitions as parts
from logitstats.design.aliasing import MAX_SUM_SQUARES, apply_aliasing
from logitstats.design.build import Design, build_design
from logitstats.design.frame import RowAccounting
from logitstats.design.resources import available_memory
from logitstats.engine.family import Family, ModelArrays
from logitstats.engine.newton import (
    WARM_START_TOL,
    FitState,
    NewtonOptions,
    fit_family,
    fixed_state,
    newton_on,
)
from logitstats.errors import ConvergenceWarning, DataError, SeparationWarning, warn
from logitstats.fit.distributed_kinds import KINDS, KindOps, RowTotals
from logitstats.fit.distributed_passes import (
    gram_block,
    learn_partition,
    post_block,
    scan_partition,
    stats_block,
)
from logitstats.fit.distributed_refits import (
    CERTIFICATE_METHOD,
    PartitionEvaluator,
    certify_on_partitions,
)
from logitstats.inference.covariance import CovType, inverse_information
from logitstats.inference.separation import SeparationInfo, SeparationStatus
from logitstats.numerics.rank import aliased_from_gram
from logitstats.options import DaskBlocks, Missing, parse_option

__all__ = ["fit_distributed", "check_column_argument"]

_log = logging.getLogger("logitstats")
SAMPLE_METHOD = "linear program on a sample of rows holding every level (negative certificate)"
PERSIST_FRACTION_CLUSTER = 0.5  # of the workers' memory_limit: room left for the tasks
PERSIST_FRACTION_LOCAL = 0.25  # of the RAM available: the client's own process holds the blocks
BLOCK_NOTES = {
    DaskBlocks.PERSIST: "blocks: persisted (each partition's design built once, released after)",
    DaskBlocks.STREAM: "blocks: streamed (each partition's design rebuilt in every pass)",
}


def check_column_argument(value: Any, argname: str) -> str | None:
    """``weights``/``offset``/``groups`` of a Dask fit must be column names (DataError)."""
    if value is None or isinstance(value, str):
        return value
    raise DataError(
        f"{argname} on a Dask DataFrame must be a column name; got {type(value).__name__}. An "
        "array cannot be aligned with the partitions: add it as a column (ddf.assign(...)) and "
        f"pass {argname}='<column>'"
    )


# --------------------------------------------------------------------------- the fit


def fit_distributed(
    formula: str,
    data: Any,
    *,
    kind: str,
    env: Any,
    event: Any = None,
    reference: Any = None,
    levels: Any = None,
    weights: Any = None,
    offset: Any = None,
    groups: Any = None,
    cov_type: CovType,
    missing: str = "drop",
    options: NewtonOptions,
    data_name: str | None = None,
    progress: bool = False,
    blocks: Any = "auto",
) -> Any:
    """Fit a binary, multinomial or ordinal logit on a Dask DataFrame (see the module
    docstring)."""
    from logitstats.results.distributed import DistributedStats, distributed_result

    try:
        miss = parse_option(Missing, missing, "missing")
    except Exception as exc:  # the same error as in memory
        raise DataError(str(exc)) from None
    mode = parse_option(DaskBlocks, blocks, "blocks")
    ops = KINDS[kind]
    req = parts.Request(
        formula,
        kind,
        check_column_argument(weights, "weights"),
        check_column_argument(offset, "offset"),
        check_column_argument(groups, "groups"),
        dict(getattr(env, "functions", None) or {}),
    )
    runner = DaskRunner(data, progress=progress)
    # ---- pass 0: rows, missing values, representatives
    scan = runner.map_reduce(scan_partition, req, label="scan")
    na = dict(scan["na"])
    if na and miss is Missing.RAISE:
        detail = ", ".join(f"{c} ({k})" for c, k in na.items())
        raise DataError(
            f"missing values in columns the model uses: {detail}; with missing='raise' "
            "every row must be complete (use missing='drop' to drop incomplete rows)"
        )
    sample = pd.concat(scan["sample"]).reset_index(drop=True)
    if sample.shape[0] == 0:
        raise DataError(
            "every row of data has a missing value in a column the model uses ("
            + ", ".join(f"{c} {k}" for c, k in na.items())
            + "); nothing is left to fit"
        )
    proto = build_design(
        formula,
        sample,
        kind=kind,  # type: ignore[arg-type]
        env=env,
        event=event,
        reference=reference,
        levels=levels,
        weights=req.weights,
        offset=req.offset,
        groups=req.groups,
        missing="drop",
        data_name=data_name,
        row_checks=False,
    )
    spec = proto.spec
    if any(f.transforms for f in spec.factors):
        for f in spec.factors:
            if f.transforms:
                parts.check_learnable(f.code, tuple(t.kind for t in f.transforms))
        learnt = runner.map_reduce(learn_partition, req, spec, label="transforms")
        spec = parts.with_transforms(spec, learnt)
    spec = dataclasses.replace(spec, columns=spec.all_columns)  # blocks hold every column
    coding = ops.coding(proto)
    mode = choose_blocks(mode, scan["n_rows"], len(spec.all_columns), runner)
    runner.use_blocks(parts.block, req, spec, coding, persist=mode is DaskBlocks.PERSIST)
    try:
        state, null, post, first, design, family, cols = _passes(
            runner, proto, spec, coding, ops, na, miss, req, cov_type, options, scan["n_rows"]
        )
    finally:
        runner.release()
    n_levels = len(spec.levels)
    counts = first["counts"]
    n_rows, n_used = scan["n_rows"], first["n_used"]
    nobs = float(counts.sum())
    cov, n_groups = _covariance(cov_type, state.information, post, nobs, family.n_params)
    columns = np.arange(len(spec.all_columns)) if cols is None else np.asarray(cols)
    refits = PartitionEvaluator(runner, req, spec, coding, columns, counts, design)
    separation = _separation(proto, design, ops, n_used, refits, family, state)
    _warn(separation, state, kind, ops.remedy)
    design.__dict__["spec"] = dataclasses.replace(spec, columns=tuple(design.column_names))
    tjur: tuple[float, float, float, float] | None = None
    if n_levels == 2:  # sum w*mu, sum w over events, then over non-events (Tjur)
        t = post["by_outcome"]
        tjur = (float(t[1, 1]), float(t[1].sum()), float(t[0, 1]), float(t[0].sum()))
    stats = DistributedStats(
        n_partitions=runner.n_partitions,
        n_passes=runner.passes,
        nobs=nobs,
        pearson_chi2=post["pearson"],
        tjur=tjur,
        n_groups=n_groups,
        frame=data,
        rows=_rows(proto, na, first, n_rows),
        refits=refits,
        example=sample.loc[proto.index[:1]],
    )
    result = distributed_result(
        design,
        family=family,
        state=state,
        null_state=null,
        cov_type=cov_type,
        cov_array=cov,
        separation=separation,
        stats=stats,
    )
    notes = (*result.notes, BLOCK_NOTES[mode], *ops.notes())
    return dataclasses.replace(result, notes=notes)


def choose_blocks(mode: DaskBlocks, n_rows: int, n_columns: int, runner: Any) -> DaskBlocks:
    """``persist`` or ``stream``: ``mode`` itself unless ``auto``, then by the blocks'
    estimated size (``n_rows x (n_columns + 3) x 8`` bytes: X, y, weights, offset) against
    :func:`memory_for_blocks`."""
    if mode is not DaskBlocks.AUTO:
        return mode
    size = float(n_rows) * (n_columns + 3) * 8.0
    room = memory_for_blocks(runner)
    chosen = DaskBlocks.PERSIST if size <= room else DaskBlocks.STREAM
    _log.debug("blocks=auto: %.3g bytes of blocks, %.3g bytes of room: %s", size, room, chosen)
    return chosen


def memory_for_blocks(runner: Any) -> float:
    """The bytes persisted blocks may take: :data:`PERSIST_FRACTION_CLUSTER` of the workers'
    memory limits with a ``distributed.Client``, else :data:`PERSIST_FRACTION_LOCAL` of the
    RAM available to this process (the local schedulers hold the blocks here)."""
    workers = runner.worker_memory()
    if workers is not None:
        return PERSIST_FRACTION_CLUSTER * workers
    return PERSIST_FRACTION_LOCAL * float(available_memory())


def _passes(
    runner: DaskRunner,
    proto: Design,
    spec: Any,
    coding: np.ndarray,
    ops: KindOps,
    na: dict[str, int],
    miss: Missing,
    req: parts.Request,
    cov_type: CovType,
    options: NewtonOptions,
    n_rows: int,
) -> tuple[FitState, FitState, dict[str, Any], dict[str, Any], Design, Family, Any]:
    """Pass 1 (Gram, counts, checks, aliasing), the Newton passes, the null model and the
    post-fit pass, on the runner's blocks."""
    n_levels = len(spec.levels)
    first = runner.map_blocks(gram_block, n_levels, label="gram")
    n_used = first["n_used"]
    if first["nonfinite"] and miss is Missing.RAISE:
        raise DataError(
            "the formula produces non-finite values (NaN or inf) in "
            + ", ".join(f"{c} ({k} rows)" for c, k in dict(first["nonfinite"]).items())
            + "; check transformations such as np.log of zero or negative values"
        )
    if n_used == 0:
        raise DataError("no rows are left to fit after dropping rows with missing values")
    counts = first["counts"]
    if req.weights is not None and not counts.sum() > 0:
        raise DataError(f"weights ({req.weights}) are all zero; at least one must be positive")
    big = first["max_abs"].value  # as design/aliasing.py's check, from the reduced maxima
    limit = np.sqrt(MAX_SUM_SQUARES / max(n_used, 1))
    if np.any(big > limit):
        j = int(np.flatnonzero(big > limit)[0])
        raise DataError(
            f"column {spec.all_columns[j]!r} holds values as large as {big[j]:.3g}; expected "
            f"magnitudes below {limit:.3g} for {n_used} rows, or the information matrix X'WX "
            "overflows double precision. Rescale it (e.g. divide by a power of 10) or take its "
            "logarithm"
        )
    design = _aliasing(proto, spec, first["gram"])
    rows = _rows(proto, na, first, n_rows)
    ops.check_rows(
        design, RowTotals(counts, first["n_positive"], req.weights is not None, rows.describe())
    )
    family = ops.family(design)
    pos = {c: j for j, c in enumerate(spec.all_columns)}
    keep_cols = np.array([pos[c] for c in design.column_names], dtype=int)
    cols = None if keep_cols.size == len(spec.all_columns) else keep_cols
    y_values = np.arange(n_levels).astype(coding.dtype)

    last_post: dict[str, Any] = {}

    def objective_on(fam: Family, sel: Any, what: str, post: Any = None) -> Any:
        last: dict[str, float] = {}

        def objective(b: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
            def describe(out: dict[str, Any]) -> str:
                dev = -2.0 * out["ll"]
                change = abs(dev - last["dev"]) if "dev" in last else float("nan")
                last["dev"] = dev
                return f"deviance {dev:.10g}, change {change:.3g}"

            out = runner.map_blocks(stats_block, fam, sel, b, post, label=what, describe=describe)
            if post is not None:  # the post-fit sums at b, kept for the last point evaluated
                last_post.update(params=np.array(b), sums=out["post"])
            return out["ll"], out["score"], out["info"]

        return objective

    start = _warm_start(family, proto, design, y_values, counts)
    post_args = (cov_type, n_levels)
    state = newton_on(family, objective_on(family, cols, "Newton", post_args), start, options)
    null_cols = family.null_columns()
    null_family = family.subset(null_cols)
    if req.offset is None:  # the null model sees only the outcome counts: no pass
        null = _null_from_counts(null_family, y_values, counts, options)
    else:
        null_objective = objective_on(null_family, keep_cols[null_cols], "null model")
        if null_family.n_params == 0:
            null = fixed_state(null_objective, np.zeros(0))
        else:
            null_start = _start(null_family, len(null_cols), y_values, counts)
            null = newton_on(null_family, null_objective, null_start, options)
    if "params" in last_post and np.array_equal(last_post["params"], state.params):
        post = last_post["sums"]  # the estimate was the last point evaluated: no pass
    else:
        post = runner.map_blocks(
            post_block, family, cols, state.params, *post_args, label="post-fit"
        )
    return state, null, post, first, design, family, cols


def _rows(proto: Design, na: dict[str, int], first: dict[str, Any], n_rows: int) -> RowAccounting:
    """Row accounting: rows, rows used, rows dropped by column (missing, then non-finite)."""
    by_col = [(c, na[c]) for c in (*proto.columns_used, proto.offset_column or "offset") if c in na]
    by_col += [(c, k) for c, k in dict(first["nonfinite"]).items()]
    n_used = first["n_used"]
    return RowAccounting(n_rows, n_used, n_rows - n_used, tuple(by_col))


def _aliasing(proto: Design, spec: Any, gram: np.ndarray) -> Design:
    """``proto`` without the columns R's rule drops on the reduced Gram matrix of every column
    (positions mapped to ``proto``'s columns: an ordinal design has dropped its intercept)."""
    aliased, combination = aliased_from_gram(gram)
    names = spec.all_columns
    at = {c: j for j, c in enumerate(proto.column_names)}
    kept = [j for j in aliased if names[j] in at]
    return apply_aliasing(
        proto,
        [at[names[j]] for j in kept],
        {
            at[names[j]]: [(at[names[k]], c) for k, c in combination[j] if names[k] in at]
            for j in kept
        },
    )


def _count_arrays(
    family: Family, n_cols: int, y_values: np.ndarray, counts: np.ndarray
) -> ModelArrays:
    """One row per outcome value, weighted by its count, with ``n_cols`` design columns: the
    data of a model whose design columns are constant (the intercept, or none), e.g. the start
    values and the null model."""
    X = np.zeros((y_values.shape[0], n_cols))
    if family.intercept_col is not None:
        X[:, family.intercept_col] = 1.0
    return ModelArrays(X, y_values, counts.astype(float))


def _start(family: Family, n_cols: int, y_values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The family's start values from the reduced outcome counts (the same weighted event rate,
    shares or cumulative proportions as the in-memory start)."""
    return family.start(_count_arrays(family, n_cols, y_values, counts))


def _null_from_counts(
    null_family: Family, y_values: np.ndarray, counts: np.ndarray, options: NewtonOptions
) -> FitState:
    """The null model without offset, fitted on the outcome counts (its design is constant over
    rows, so the count-weighted rows give the same log-likelihood, score and information)."""
    n_cols = 0 if null_family.intercept_col is None else 1
    return fit_family(null_family, _count_arrays(null_family, n_cols, y_values, counts), options)


WARM_START_MAX_ABS = 15.0  # a sample estimate this large suggests a separated sample: not used


def _warm_start(
    family: Family, proto: Design, design: Design, y_values: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """Start values from an in-memory fit on the representative rows (no pass; it saves about
    two Newton passes), else from the reduced outcome counts. The scale-free stopping rule makes
    the estimate independent of the start."""
    fallback = _start(family, len(design.column_names), y_values, counts)
    keep = [proto.column_names.index(c) for c in design.column_names]
    arrays = ModelArrays(
        np.ascontiguousarray(proto.X[:, keep]), proto.y, proto.weights, proto.offset
    )
    try:
        sub = fit_family(family, arrays, NewtonOptions(tol=WARM_START_TOL))
    except (ValueError, np.linalg.LinAlgError):
        return fallback
    ok = sub.converged and np.all(np.isfinite(sub.params))
    if not ok or np.abs(sub.params).max(initial=0.0) > WARM_START_MAX_ABS:
        return fallback
    return sub.params


def _covariance(
    cov_type: CovType, information: np.ndarray, post: dict[str, Any], n: float, k: int
) -> tuple[np.ndarray, int | None]:
    """As :func:`~logitstats.inference.covariance.covariance`, from the reduced meat."""
    bread = inverse_information(information)
    if cov_type is CovType.NONROBUST:
        return bread, None
    n_groups = None
    if cov_type is CovType.CLUSTER:
        sums = np.array(list(post["clusters"].values()))
        n_groups = int(sums.shape[0])
        meat = sums.T @ sums
        adj = n_groups / (n_groups - 1.0) * (n - 1.0) / (n - k)
    else:
        meat = post["meat"]
        adj = 1.0 if cov_type is CovType.HC0 else n / (n - k)
    cov = bread @ meat @ bread * adj
    return (cov + cov.T) / 2.0, n_groups


def _separation(
    proto: Design,
    design: Design,
    ops: KindOps,
    n_used: int,
    refits: PartitionEvaluator,
    family: Family,
    state: FitState,
) -> SeparationInfo | None:
    """The check on the representative rows (their design, the fitted columns). "None" there is
    "none" on all rows (a separating direction of all rows separates any subset of them); when
    the representatives are all the rows used, the verdict is exact either way. Otherwise the
    Stiemke certificate from sums over every partition (:func:`certify_on_partitions`) decides
    "none" exactly when it holds; if not, the question stays open: None (not ruled out)."""
    keep = [proto.column_names.index(c) for c in design.column_names]
    sample = dataclasses.replace(
        proto, X=np.ascontiguousarray(proto.X[:, keep]), column_names=design.column_names
    )
    info = ops.separation(sample)
    if proto.y.shape[0] == n_used:
        return info  # every row used is in the sample: the in-memory verdict
    if info.status is SeparationStatus.NONE:
        return SeparationInfo(SeparationStatus.NONE, method=SAMPLE_METHOD)
    if ops.certificate and certify_on_partitions(refits, family, state.params):
        return SeparationInfo(SeparationStatus.NONE, method=CERTIFICATE_METHOD)
    return None


def _warn(separation: SeparationInfo | None, state: FitState, kind: str, remedy: str) -> None:
    from logitstats.fit.separation import warn_separation

    if separation is not None:
        warn_separation(separation, state, model=kind, remedy=remedy)
    elif not state.converged:
        warn(f"the {kind} logit did not converge: {state.message}", ConvergenceWarning)
    elif np.abs(state.params).max(initial=0.0) > 15.0:
        warn(
            "separation is not ruled out on the distributed data (a sample of rows holding "
            "every level is separated) and some estimates are large; check the terms with the "
            "largest standard errors, or refit on a sample with ls.check_separation",
            SeparationWarning,
        )
