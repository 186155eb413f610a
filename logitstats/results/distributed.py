"""Results of fits on a Dask DataFrame: the same classes, with the per-row parts reduced.

:class:`DistributedLogitResult` and :class:`DistributedMLogitResult` subclass
:class:`~logitstats.results.LogitResult` / :class:`~logitstats.results.MLogitResult` (so
``isinstance`` checks, ``tidy``, ``glance``, ``summary`` and reports work unchanged). What a
fit computes from every row is taken from the post-fit pass (:class:`DistributedStats`);
``predict(dask_df)`` is lazy (``map_partitions``, the caller's index); what needs every fitted
value in one place (AUC, Hosmer–Lemeshow, calibration, residuals, influence, refits) raises
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
from logitstats.numerics.softmax import sigmoid
from logitstats.options import PredictKind, parse_option
from logitstats.results.base import FitResult
from logitstats.results.binary import LogitResult
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


def _conf_int(self: Any, level: float = 0.95, method: str = "wald") -> pd.DataFrame:
    """Wald intervals as :meth:`FitResult.conf_int`; profile intervals need refits on every row
    (not available on distributed data yet)."""
    if str(method).lower() == "profile":
        raise self._not_available("conf_int(method='profile')")
    return FitResult.conf_int(self, level, method)


def _separation_text(self: Any) -> str:
    if self.separation is None:
        return (
            "not ruled out: a sample of rows holding every level is separated (the rows left "
            "out may or may not separate it)"
        )
    return FitResult.separation_text.fget(self)  # type: ignore[attr-defined]


def _anova(self: Any, type: int = 2, test: str = "lr") -> pd.DataFrame:
    """Wald tests per term as :meth:`FitResult.anova` (params and covariance only); the LR
    anova refits every term on all rows (not available on distributed data yet)."""
    if str(test).lower() != "wald":
        raise NotAvailableForDistributedData(
            f"anova(test={test!r}) refits the model without each term on every row; expected "
            "test='wald' on a fit on a Dask DataFrame (no refit needed); got "
            f"{test!r}. Use fit.anova(test='wald'), or refit on a sample for LR tests"
        )
    return FitResult.anova(self, type, test)


def _predict_dask(self: Any, newdata: Any, kind: str) -> Any:
    k = parse_option(PredictKind, kind, "kind")
    if k is PredictKind.CLASS:
        raise LogitstatsError(
            "predict(kind='class') on a Dask DataFrame: expected kind 'prob' or 'link'; "
            "got 'class'. Take the class from the probabilities with dask"
        )
    design = self.design
    levels = [str(v) for v in design.levels]
    if design.kind == "binary":
        meta: Any = pd.Series([], dtype=float, name="link" if k is PredictKind.LINK else "prob")
    else:
        meta = pd.DataFrame({c: pd.Series([], dtype=float) for c in levels})
        meta.columns = pd.Index(levels, name="outcome")
    return newdata.map_partitions(
        _predict_partition,
        design.spec,
        self.family,
        self.state.params,
        design.offset_column,
        k.value,
        dict(design.user_functions) or None,
        levels,
        meta=meta,
    )


def _predict_partition(
    part: pd.DataFrame,
    spec: Any,
    family: Any,
    params: np.ndarray,
    offset_column: str | None,
    kind: str,
    functions: Any,
    levels: list[str],
) -> Any:
    """Predictions of one partition (rows with a missing value give NaN)."""
    X = spec.matrix(part, functions=functions)
    off = None if offset_column is None else part[offset_column].to_numpy(dtype=float)
    if spec.kind == "binary":
        eta = X @ params + (0.0 if off is None else off)
        value = eta if kind == "link" else sigmoid(eta)
        return pd.Series(value, index=part.index, name="link" if kind == "link" else "prob")
    out = np.full((X.shape[0], len(levels)), np.nan)
    ok = np.isfinite(X).all(axis=1)
    if ok.any():
        sub_off = None if off is None else off[ok]
        if kind == "link":
            eta = family.linear_predictor(X[ok], params, sub_off)
            out[ok] = eta
        else:
            out[ok] = family.probabilities(X[ok], params, sub_off)
    frame = pd.DataFrame(out, index=part.index, columns=pd.Index(levels, name="outcome"))
    return frame


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

    def predict(self, newdata: Any = None, kind: str = "prob", *args: Any, **kwargs: Any) -> Any:
        """As :meth:`LogitResult.predict`; on a Dask DataFrame lazily (a dask Series with the
        caller's index; ``kind`` ``"prob"`` or ``"link"``). Without ``newdata``: not
        available (the training rows stay in their partitions)."""
        if newdata is None:
            raise _not_available(self, "predict() without newdata")
        if is_dask_frame(newdata):
            if args or kwargs:
                raise LogitstatsError(
                    "predict on a Dask DataFrame takes newdata and kind only; expected no other "
                    f"argument; got {sorted(kwargs) or len(args)}"
                )
            return _predict_dask(self, newdata, kind)
        return super().predict(newdata, kind, *args, **kwargs)


@dataclass(frozen=True, eq=False, repr=False)
class DistributedMLogitResult(MLogitResult):
    """:class:`~logitstats.results.MLogitResult` of a fit on a Dask DataFrame."""

    distributed: DistributedStats = field(default=None, repr=False)  # type: ignore[assignment]

    @property
    def pearson_chi2(self) -> float:
        """Pearson chi-square, reduced over the partitions in the post-fit pass."""
        return self.distributed.pearson_chi2

    def predict(self, newdata: Any = None, kind: str = "prob", *args: Any, **kwargs: Any) -> Any:
        """As :meth:`MLogitResult.predict`; on a Dask DataFrame lazily (``"prob"``/``"link"``)."""
        if newdata is None:
            raise _not_available(self, "predict() without newdata")
        if is_dask_frame(newdata):
            return _predict_dask(self, newdata, kind)
        return super().predict(newdata, kind, *args, **kwargs)


@dataclass(frozen=True, eq=False, repr=False)
class DistributedOLogitResult(OLogitResult):
    """:class:`~logitstats.results.OLogitResult` of a fit on a Dask DataFrame (predictions on
    a pandas DataFrame as in memory; the tests of proportional odds refit on every row)."""

    distributed: DistributedStats = field(default=None, repr=False)  # type: ignore[assignment]

    def predict(self, newdata: Any = None, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`OLogitResult.predict` on a pandas DataFrame; without ``newdata`` or on a
        Dask DataFrame: not available yet."""
        if newdata is None or is_dask_frame(newdata):
            raise _not_available(self, "predict() without pandas newdata")
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
    setattr(_cls, "_predict_dask", _predict_dask)  # noqa: B010
    _cls.conf_int = _conf_int  # type: ignore[method-assign]
    _cls.anova = _anova  # type: ignore[method-assign]
    _cls.separation_text = property(_separation_text)  # type: ignore[assignment]
    # reports skip (or replace by Wald tests) what needs every row
    setattr(_cls, "needs_all_rows", (*NEEDS_ALL_ROWS, "anova_lr"))  # noqa: B010
    for _name in (*NEEDS_ALL_ROWS, "brant", "po_lr_test"):
        if hasattr(_cls, _name):
            setattr(_cls, _name, _refusal(_name))
    for _name in _ROW_PROPERTIES:
        setattr(_cls, _name, property(_refusal(_name)))


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
