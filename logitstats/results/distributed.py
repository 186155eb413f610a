"""Results of fits on a Dask DataFrame: the same classes, with the per-row parts reduced.

:class:`DistributedLogitResult` and :class:`DistributedMLogitResult` subclass
:class:`~logitstats.results.LogitResult` / :class:`~logitstats.results.MLogitResult` (so
``isinstance`` checks, ``tidy``, ``glance``, ``summary`` and reports work unchanged). What a
fit computes from every row is taken from the post-fit pass (:class:`DistributedStats`);
``predict(dask_df)`` is lazy (the in-memory ``predict`` per partition, the caller's index);
the LR ``anova`` and profile intervals refit on every row, in batches
(:mod:`logitstats.results.distributed_refits`); what needs every fitted value in one place
(AUC, Hosmer–Lemeshow, calibration, residuals, influence) raises
:class:`~logitstats.errors.NotAvailableForDistributedData` naming the way out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from logitstats.backends.dask import is_dask_frame
from logitstats.design.build import Design
from logitstats.design.frame import RowAccounting
from logitstats.errors import LogitstatsError, NotAvailableForDistributedData
from logitstats.options import AnovaTest, parse_option
from logitstats.results.base import FitResult
from logitstats.results.binary import LogitResult
from logitstats.results.distributed_refits import profile_batched, refit_batched
from logitstats.results.hypotheses import anova, profile_ci
from logitstats.results.multinomial import MLogitResult
from logitstats.results.ordinal import OLogitResult

__all__ = [
    "DistributedStats",
    "DistributedDesign",
    "DistributedLogitResult",
    "DistributedMLogitResult",
    "DistributedOLogitResult",
    "distributed_result",
    "NEEDS_ALL_ROWS",
]


@dataclass(frozen=True)
class DistributedStats:
    """What the passes over the partitions reduced, beyond the Newton statistics."""

    n_partitions: int
    n_passes: int
    nobs: float
    pearson_chi2: float
    tjur: tuple[float, float, float, float] | None  # sum w mu, sum w over events, non-events
    n_groups: int | None
    rows: RowAccounting
    frame: Any = field(default=None, repr=False, compare=False)
    # the passes after the fit (LR anova, profile intervals): a PartitionEvaluator
    refits: Any = field(default=None, repr=False, compare=False)
    # one complete training row: the output structure of lazy predictions (their meta)
    example: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class DistributedDesign(Design):
    """A :class:`~logitstats.design.build.Design` without rows: labels, levels, spec, row
    accounting; ``X``, ``y`` and the extra vectors are empty (the rows stay in the partitions)."""

    total_weight: float = 0.0

    @property
    def nobs(self) -> float:
        return self.total_weight


def _refusal(name: str) -> Any:
    def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise self._not_available(name)

    refuse.__name__ = name
    refuse.__doc__ = f"Not available on a fit on a Dask DataFrame (``{name}`` needs every row)."
    return refuse


# methods and properties that read every row (or refit on it)
NEEDS_ALL_ROWS = (
    "hosmer_lemeshow",
    "roc_auc",
    "roc_curve",
    "brier_score",
    "classification",
    "calibration",
    "diagnostics",
    "residuals",
    "influence",
    "marginal_effects",
    "slopes",
    "comparisons",
    "to_statsmodels",
)
_ROW_PROPERTIES = ("fitted", "resid_pearson", "_eta", "_mu")


def _not_available(self: Any, name: str) -> NotAvailableForDistributedData:
    d = self.distributed
    return NotAvailableForDistributedData(
        f"{name}() needs every row in one place; expected a fit on a pandas DataFrame; got "
        f"a fit on a Dask DataFrame ({d.rows.n_rows} rows in {d.n_partitions} partitions). "
        f"Refit on a sample (e.g. ddf.sample(frac=0.05).compute()) for {name}(), or use "
        "fit.predict(ddf) with dask's own tools"
    )


def _ordinal_not_yet(self: Any, what: str, instead: str) -> NotAvailableForDistributedData:
    """The refusal of what a distributed ordinal fit cannot do yet (not a need for every row:
    its refits and lazy predictions are not built for the cut-points' parametrisation)."""
    d = self.distributed
    return NotAvailableForDistributedData(
        f"{what} is not available yet for an ordinal fit on a Dask DataFrame; expected a fit on "
        f"a pandas DataFrame; got a fit on a Dask DataFrame ({d.rows.n_rows} rows in "
        f"{d.n_partitions} partitions). Use {instead}, or refit on a sample "
        "(e.g. ddf.sample(frac=0.05).compute())"
    )


def _ordinal_profile_ci(self: Any, level: float) -> tuple[np.ndarray, np.ndarray]:
    raise _ordinal_not_yet(self, "conf_int(method='profile')", "the Wald intervals")


def _profile_ci(self: Any, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Profile bounds as in memory, the root searches of every parameter batched over the
    partitions (:mod:`logitstats.results.distributed_refits`)."""
    return profile_ci(self, level, intervals=profile_batched(self))


def _separation_text(self: Any) -> str:
    if self.separation is None:
        return (
            "not ruled out: a sample of rows holding every level is separated and the "
            "certificate from the sums over every row does not hold (the rows left out may or "
            "may not separate it)"
        )
    return FitResult.separation_text.fget(self)  # type: ignore[attr-defined]


def _anova(self: Any, type: int = 2, test: str = "lr") -> pd.DataFrame:
    """As :meth:`FitResult.anova`; ``test="lr"`` refits without each term on every row, all the
    refits in the same passes over the partitions (one progress line per pass)."""
    return anova(self, type, parse_option(AnovaTest, test, "test"), refits=refit_batched)


def _ordinal_anova(self: Any, type: int = 2, test: str = "lr") -> pd.DataFrame:
    """As :meth:`FitResult.anova` with ``test="wald"``; the LR anova of an ordinal fit on a
    Dask DataFrame is not available yet (its refits need the cut-points' reparametrisation)."""
    which = parse_option(AnovaTest, test, "test")
    if which is not AnovaTest.WALD:
        raise _ordinal_not_yet(self, "anova(test='lr')", "anova(test='wald')")
    return anova(self, type, which)


class _PartitionPredict:
    """The in-memory ``predict`` of a result's class on one partition (a pandas frame).

    Its dask token is the fit's parameters and the options (the result holds objects dask
    cannot hash)."""

    def __init__(self, result: Any, options: dict[str, Any]) -> None:
        self.result = result
        self.options = options

    def __call__(self, part: pd.DataFrame) -> Any:
        memory: Any = super(type(self.result), self.result)  # the in-memory class's methods
        return memory.predict(part, **self.options)

    def __dask_tokenize__(self) -> Any:
        r = self.result
        spec, options = repr(r.design.spec), repr(self.options)
        return ("logitstats.predict", r.state.params.tobytes(), spec, options)


def _predict_dask(self: Any, newdata: Any, kind: str, options: dict[str, Any]) -> Any:
    """``predict`` of every partition of ``newdata`` by the in-memory method, lazily: the same
    output (kinds, ``conf_level``, the caller's index) and the same errors, raised at compute
    time for what is in the rows (e.g. an unseen level)."""
    if options.get("offset") is not None:
        raise LogitstatsError(
            "offset on a Dask DataFrame must be a column of newdata; expected offset=None (each "
            "partition's offset is read from the column the model was fitted with); got "
            f"{type(options['offset']).__name__}. An array cannot be aligned with the "
            "partitions: add it as that column (ddf.assign(...))"
        )
    options = {**options, "kind": kind}
    options.pop("offset", None)
    # the in-memory result without its lazy frame and evaluator: what each task receives
    stats = dataclasses.replace(self.distributed, frame=None, refits=None)
    light = dataclasses.replace(self, distributed=stats)
    # the options are checked now, on the caller's thread; the output's structure (meta) is
    # the prediction of one training row, with newdata's (empty) index
    predict = _PartitionPredict(light, options)
    meta = predict(self.distributed.example).iloc[:0]
    meta.index = newdata._meta.index
    return newdata.map_partitions(predict, meta=meta)


def _predict(
    self: Any,
    newdata: Any = None,
    kind: str = "prob",
    conf_level: float | None = None,
    **kwargs: Any,
) -> Any:
    """As the in-memory ``predict``; on a Dask DataFrame lazily (a dask Series or DataFrame
    with the caller's index, every ``kind`` and ``conf_level``). Without ``newdata``: not
    available (the training rows stay in their partitions)."""
    if newdata is None:
        raise _not_available(self, "predict() without newdata")
    if is_dask_frame(newdata):
        return _predict_dask(self, newdata, kind, {"conf_level": conf_level, **kwargs})
    return super(type(self), self).predict(newdata, kind, conf_level, **kwargs)


@dataclass(frozen=True, eq=False, repr=False)
class DistributedLogitResult(LogitResult):
    """:class:`~logitstats.results.LogitResult` of a fit on a Dask DataFrame."""

    distributed: DistributedStats = field(default=None, repr=False)  # type: ignore[assignment]

    @property
    def pearson_chi2(self) -> float:
        """Pearson chi-square, reduced over the partitions in the post-fit pass."""
        return self.distributed.pearson_chi2

    @property
    def pseudo_r2_tjur(self) -> float:
        """Tjur's coefficient from the post-fit pass's weighted sums."""
        t = self.distributed.tjur or (0.0, 1.0, 0.0, 1.0)
        return float(t[0] / t[1] - t[2] / t[3])


@dataclass(frozen=True, eq=False, repr=False)
class DistributedMLogitResult(MLogitResult):
    """:class:`~logitstats.results.MLogitResult` of a fit on a Dask DataFrame."""

    distributed: DistributedStats = field(default=None, repr=False)  # type: ignore[assignment]

    @property
    def pearson_chi2(self) -> float:
        """Pearson chi-square, reduced over the partitions in the post-fit pass."""
        return self.distributed.pearson_chi2


@dataclass(frozen=True, eq=False, repr=False)
class DistributedOLogitResult(OLogitResult):
    """:class:`~logitstats.results.OLogitResult` of a fit on a Dask DataFrame (predictions on
    a pandas DataFrame as in memory; the tests of proportional odds refit on every row)."""

    distributed: DistributedStats = field(default=None, repr=False)  # type: ignore[assignment]

    def predict(self, newdata: Any = None, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`OLogitResult.predict` on a pandas DataFrame; without ``newdata`` or on a
        Dask DataFrame: not available yet."""
        if newdata is None or is_dask_frame(newdata):
            raise _ordinal_not_yet(
                self, "predict() without newdata or on a Dask DataFrame", "predict(pandas_df)"
            )
        return super().predict(newdata, *args, **kwargs)


#: the result class of each kind of design
RESULT_CLASSES: dict[str, type[FitResult]] = {
    "binary": DistributedLogitResult,
    "multinomial": DistributedMLogitResult,
    "ordinal": DistributedOLogitResult,
}

# the shared overrides are attached to every class (composition, not a mix-in)
for _cls in (DistributedLogitResult, DistributedMLogitResult, DistributedOLogitResult):
    setattr(_cls, "_not_available", _not_available)  # noqa: B010 (new attributes: mypy-clean)
    _cls.separation_text = property(_separation_text)  # type: ignore[assignment]
    # reports skip what needs every row, and show the Wald anova (the LR anova's refits are
    # passes over the data: fit.anova() runs them when asked, never a report behind the back)
    setattr(_cls, "needs_all_rows", (*NEEDS_ALL_ROWS, "anova_lr"))  # noqa: B010
    for _name in (*NEEDS_ALL_ROWS, "brant", "po_lr_test"):
        if hasattr(_cls, _name):
            setattr(_cls, _name, _refusal(_name))
    for _name in _ROW_PROPERTIES:
        setattr(_cls, _name, property(_refusal(_name)))
# batched refits and the lazy predict: binary and multinomial fits (ordinal refits need the
# cut-points' reparametrisation, which the batched refits do not apply yet: refused)
for _cls in (DistributedLogitResult, DistributedMLogitResult):
    _cls.predict = _predict  # type: ignore[method-assign]
    _cls._profile_ci = _profile_ci  # type: ignore[method-assign]
    _cls.anova = _anova  # type: ignore[assignment]
DistributedOLogitResult._profile_ci = _ordinal_profile_ci  # type: ignore[method-assign]
DistributedOLogitResult.anova = _ordinal_anova  # type: ignore[assignment]


def distributed_result(design: Design, *, stats: DistributedStats, **fields: Any) -> Any:
    """The result of a distributed fit: ``design`` without rows, the note
    ``"distributed: N partitions, M passes"``."""
    p = len(design.column_names)
    ddesign = DistributedDesign(
        **{
            f.name: getattr(design, f.name)
            for f in dataclasses.fields(Design)
            if f.name not in ("X", "y", "weights", "offset", "groups", "index", "rows")
        },
        X=np.empty((0, p)),
        y=np.empty(0),
        weights=None if design.weights is None else np.empty(0),
        offset=None if design.offset is None else np.empty(0),
        groups=None if design.groups is None else np.empty(0),
        index=pd.RangeIndex(0),
        rows=stats.rows,
        total_weight=stats.nobs,
    )
    ddesign.__dict__["spec"] = design.__dict__["spec"]
    cls: Any = RESULT_CLASSES[design.kind]
    note = f"distributed: {stats.n_partitions} partitions, {stats.n_passes} passes"
    return cls(design=ddesign, notes=(note,), distributed=stats, **fields)
