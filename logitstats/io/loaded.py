"""A model read from a file is a result: :class:`LoadedLogitResult`, :class:`LoadedMLogitResult`,
:class:`LoadedOLogitResult`.

A loaded model holds everything but the training rows: its design is a :class:`StoredDesign`
(the :class:`~logitstats.design.spec.ModelSpec`, the labels, the row accounting) whose arrays
``X``, ``y``, ``weights``, ``offset``, ``groups`` and ``index`` raise
:class:`~logitstats.errors.ModelFileError` saying that the training data is needed. So
``tidy``, ``glance``, ``summary``, ``conf_int`` (Wald; profile at the levels stored),
``predict(newdata, ...)``, ``wald_test`` and ``anova(test="wald")`` work and give the numbers of
the original fit; fitted values, residuals, diagnostics, LR ``anova``, new profile intervals
and report figures say the training data is needed. ``ls.load(path, data=df)`` rebuilds the
design from the data, checks it against the stored row count and fingerprint, and returns the
full :class:`~logitstats.results.LogitResult` / :class:`~logitstats.results.MLogitResult` /
:class:`~logitstats.results.ordinal.OLogitResult`.

What a file's ``kind`` selects (the engine family, the result classes, the estimators it may
have, the outcome coding of the rebuilt design) is one table, :data:`_KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from logitstats.design.build import Design, RowAccounting, build_design
from logitstats.design.formula import formula_env
from logitstats.design.spec import ModelSpec
from logitstats.engine.binary import BinaryFamily
from logitstats.engine.layout import ParamLayout
from logitstats.engine.multinomial import MultinomialFamily
from logitstats.engine.newton import FitState
from logitstats.engine.ordinal_family import OrdinalFamily, cutpoint_names
from logitstats.errors import LogitstatsError, ModelFileError
from logitstats.inference.covariance import CovType
from logitstats.inference.firth_inference import PenalizedLRTests
from logitstats.inference.separation import SeparationInfo, SeparationStatus
from logitstats.io.model_file import data_fingerprint, unnum, unnums
from logitstats.options import Estimator
from logitstats.results.base import FirthState, FitResult
from logitstats.results.binary import LogitResult
from logitstats.results.multinomial import MLogitResult
from logitstats.results.ordinal import OLogitResult
from logitstats.results.state import new_offset

__all__ = [
    "StoredDesign",
    "LoadedLogitResult",
    "LoadedMLogitResult",
    "LoadedOLogitResult",
    "result_from_content",
]

_NEEDS_DATA = (
    "{what} needs the training data, which a loaded model does not hold; expected "
    "ls.load(path, data=<the data the model was fitted on>) (with the same weights=, offset=, "
    "groups= and functions=); got a model loaded without data"
)


def _needs_data(what: str) -> ModelFileError:
    return ModelFileError(_NEEDS_DATA.format(what=what))


@dataclass(frozen=True, eq=False)
class StoredDesign:
    """The design of a loaded model: the spec and labels of a :class:`Design`, no rows.

    The row arrays (``X``, ``y``, ``groups``, ``index``; ``weights`` and ``offset`` when the
    fit had them) and patsy's ``design_info`` are properties that raise
    :class:`~logitstats.errors.ModelFileError`; ``weights``/``offset`` are None when the fit
    had none.
    """

    spec: ModelSpec
    formula: str
    kind: str
    column_names: tuple[str, ...]
    term_slices: tuple[tuple[str, slice], ...]
    outcome: str
    levels: tuple[Any, ...]
    event: Any
    reference: Any
    rows: RowAccounting
    has_intercept: bool
    stored_nobs: float
    has_weights: bool
    has_offset: bool
    offset_column: str | None = None
    data_name: str | None = None
    columns_used: tuple[str, ...] = ()
    aliased: tuple[str, ...] = ()
    aliased_reasons: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    fingerprint: str | None = None
    user_functions: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def nobs(self) -> float:
        """The number of observations of the fit (sum of the frequency weights, or rows)."""
        return self.stored_nobs

    @property
    def outcomes(self) -> tuple[Any, ...]:
        """Multinomial: the non-reference outcome levels, in level order."""
        return tuple(v for v in self.levels if v != self.reference)

    @property
    def X(self) -> np.ndarray:  # noqa: N802 (the Design's name)
        raise _needs_data(
            "the design matrix (fitted values, residuals, diagnostics, profile "
            "intervals, LR tests, report figures)"
        )

    @property
    def y(self) -> np.ndarray:
        raise _needs_data("the outcome of the fitted rows")

    @property
    def weights(self) -> np.ndarray | None:
        """None for a model fitted without weights; else the weights are training data."""
        if not self.has_weights:
            return None
        raise _needs_data("the frequency weights of the fitted rows")

    @property
    def offset(self) -> np.ndarray | None:
        """None for a model fitted without an offset; else the offset is training data."""
        if not self.has_offset:
            return None
        raise _needs_data("the offset of the fitted rows")

    @property
    def groups(self) -> np.ndarray | None:
        raise _needs_data("the cluster ids of the fitted rows")

    @property
    def index(self) -> pd.Index:
        raise _needs_data("the index of the fitted rows (predict() without newdata)")

    @property
    def design_info(self) -> Any:
        raise _needs_data("patsy's DesignInfo")


def _stored_offset(result: Any, newdata: Any, offset: Any, n: int) -> np.ndarray | None:
    d = result.design
    if offset is not None or d.has_offset:
        if offset is None and d.offset_column is None:
            raise ModelFileError(
                "the model was fitted with an offset given as an array; expected offset= with "
                "one value per row of newdata; got none"
            )
        proxy = _OffsetProxy(d.offset_column)
        return new_offset(proxy, newdata, offset, n)  # type: ignore[arg-type]
    return None


@dataclass(frozen=True)
class _OffsetProxy:
    """What :func:`~logitstats.results.state.new_offset` reads of a design with an offset."""

    offset_column: str | None
    offset: bool = True


def _stored_extra(result: Any) -> dict[str, Any]:
    return dict(result._stored_glance_extra)


@dataclass(frozen=True, eq=False, repr=False)
class LoadedLogitResult(LogitResult):
    """A binary logit read by :func:`logitstats.load` without its training data.

    Every statistic of the fit (``params``, ``cov``, ``tidy``, ``glance``, ``summary``,
    ``conf_int``, ``predict(newdata)``) equals the original's; what needs the training rows
    raises :class:`~logitstats.errors.ModelFileError` (see :mod:`logitstats.io.loaded`).
    """

    _stored_glance_extra: Mapping[str, float] = field(default_factory=dict, repr=False)

    def _glance_extra(self) -> dict[str, Any]:
        return _stored_extra(self)

    def _new_offset(self, newdata: Any, offset: Any, n: int) -> np.ndarray | None:
        return _stored_offset(self, newdata, offset, n)


@dataclass(frozen=True, eq=False, repr=False)
class LoadedMLogitResult(MLogitResult):
    """A multinomial logit read by :func:`logitstats.load` without its training data
    (see :class:`LoadedLogitResult`)."""

    _stored_glance_extra: Mapping[str, float] = field(default_factory=dict, repr=False)

    def _glance_extra(self) -> dict[str, Any]:
        return _stored_extra(self)

    def _new_offset(self, newdata: Any, offset: Any, n: int) -> np.ndarray | None:
        return _stored_offset(self, newdata, offset, n)


@dataclass(frozen=True, eq=False, repr=False)
class LoadedOLogitResult(OLogitResult):
    """A proportional-odds logit read by :func:`logitstats.load` without its training data
    (see :class:`LoadedLogitResult`); ``brant`` and ``po_lr_test`` need the data."""

    _stored_glance_extra: Mapping[str, float] = field(default_factory=dict, repr=False)

    def _glance_extra(self) -> dict[str, Any]:
        return _stored_extra(self)

    def _new_offset(self, newdata: Any, offset: Any, n: int) -> np.ndarray | None:
        return _stored_offset(self, newdata, offset, n)


# --------------------------------------------------------------------------- kinds


def _binary_family(spec: ModelSpec, columns: tuple[str, ...], intercept: int | None) -> Any:
    if spec.event not in spec.levels or spec.reference not in spec.levels:
        raise ModelFileError("model file: the event and reference expected among the levels")
    return BinaryFamily(ParamLayout(columns), intercept)


def _multinomial_family(spec: ModelSpec, columns: tuple[str, ...], intercept: int | None) -> Any:
    if spec.reference not in spec.levels or len(spec.levels) < 2:
        raise ModelFileError("model file: the reference expected among >= 2 outcome levels")
    outcomes = tuple(str(v) for v in spec.levels if v != spec.reference)
    return MultinomialFamily(
        ParamLayout(columns, outcomes=outcomes),
        list(spec.levels).index(spec.reference),
        intercept,
    )


def _ordinal_family(spec: ModelSpec, columns: tuple[str, ...], intercept: int | None) -> Any:
    if len(spec.levels) < 3 or intercept is not None:
        raise ModelFileError(
            "model file: an ordinal model expected >= 3 ordered outcome levels and no "
            f"'Intercept' column; got levels {list(spec.levels)!r} and columns {list(columns)!r}"
        )
    names = cutpoint_names(tuple(spec.levels))
    return OrdinalFamily(ParamLayout((*columns, *names)), len(spec.levels))


@dataclass(frozen=True)
class _KindRules:
    """What a model file's ``kind`` selects."""

    #: ``(spec, columns, intercept position) -> Family``, checking the spec's outcome coding
    family: Callable[[ModelSpec, tuple[str, ...], int | None], Any]
    #: the result class without the training data, and with it
    loaded: type[FitResult]
    full: type[FitResult]
    #: the estimators a fit of this kind can have
    estimators: tuple[str, ...]
    #: the outcome keywords of :func:`build_design` that reproduce the stored coding
    outcome: Callable[[StoredDesign], dict[str, Any]]


_KINDS: dict[str, _KindRules] = {
    "binary": _KindRules(
        _binary_family,
        LoadedLogitResult,
        LogitResult,
        ("ml", "firth"),
        lambda d: {"event": d.event},
    ),
    "multinomial": _KindRules(
        _multinomial_family,
        LoadedMLogitResult,
        MLogitResult,
        ("ml",),
        lambda d: {"reference": d.reference},
    ),
    "ordinal": _KindRules(
        _ordinal_family,
        LoadedOLogitResult,
        OLogitResult,
        ("ml",),
        lambda d: {"levels": list(d.levels)},
    ),
}


# --------------------------------------------------------------------------- from a file


def _get(mapping: Any, key: str, where: str) -> Any:
    if not isinstance(mapping, Mapping) or key not in mapping:
        raise ModelFileError(
            f"model file: expected the field {where}{key!r}; got a file without it; pass a "
            "file written by fit.save()"
        )
    return mapping[key]


def _int(value: Any, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ModelFileError(f"model file: {what} expected an integer >= {minimum}; got {value!r}")
    return value


def _state(raw: Any, size: int, what: str) -> FitState:
    params = unnums(_get(raw, "params", f"{what}."), f"{what}.params", (size,))
    return FitState(
        params=params,
        loglik=unnum(_get(raw, "loglik", f"{what}."), f"{what}.loglik"),
        score=unnums(_get(raw, "score", f"{what}."), f"{what}.score", (size,)),
        information=unnums(
            _get(raw, "information", f"{what}."), f"{what}.information", (size, size)
        ),
        n_iter=_int(_get(raw, "n_iter", f"{what}."), f"{what}.n_iter"),
        converged=bool(_get(raw, "converged", f"{what}.")),
        message=str(raw.get("message", "")),
    )


def _finite(arr: np.ndarray, what: str) -> np.ndarray:
    if not np.isfinite(arr).all():
        raise ModelFileError(
            f"model file: {what} expected finite numbers; got NaN or inf at "
            f"{np.flatnonzero(~np.isfinite(arr.ravel()))[:5].tolist()}; the file is damaged"
        )
    return arr


def _separation(raw: Any) -> SeparationInfo | None:
    if raw is None:
        return None
    status = str(_get(raw, "status", "separation."))
    if status not in {s.value for s in SeparationStatus}:
        raise ModelFileError(
            f"model file: separation.status expected one of "
            f"{[s.value for s in SeparationStatus]}; got {status!r}"
        )
    return SeparationInfo(
        status=SeparationStatus(status),
        terms=tuple(str(t) for t in raw.get("terms", ())),
        outcomes=tuple((o, tuple(str(t) for t in ts)) for o, ts in raw.get("outcomes", ())),
        n_separated=_int(raw.get("n_separated", 0), "separation.n_separated"),
        method=str(raw.get("method", "")),
    )


@dataclass(frozen=True)
class _Parts:
    """The checked pieces of a model file's content."""

    spec: ModelSpec
    design: StoredDesign
    family: Any
    state: FitState
    null_state: FitState
    cov_type: CovType
    cov: np.ndarray
    estimator: Estimator
    separation: SeparationInfo | None
    firth: FirthState | None
    notes: tuple[str, ...]
    derived: Mapping[str, Any]


def _parts(content: Mapping[str, Any], functions: Mapping[str, Any] | None) -> _Parts:
    try:
        spec = ModelSpec.from_dict(_get(content, "spec", ""))
    except LogitstatsError as exc:
        raise ModelFileError(f"model file: the model specification is refused: {exc}") from None
    kind = _get(content, "kind", "")
    rules = _KINDS.get(kind) if isinstance(kind, str) else None
    if rules is None or kind != spec.kind:
        raise ModelFileError(
            f"model file: kind expected one of {sorted(_KINDS)} (the spec's {spec.kind!r}); "
            f"got {kind!r}"
        )
    est = _get(content, "estimator", "")
    if est not in rules.estimators:
        raise ModelFileError(
            f"model file: estimator expected one of {list(rules.estimators)} for the {kind} "
            f"model; got {est!r}"
        )
    estimator = Estimator[str(est).upper()]
    raw_cov = _get(content, "cov", "")
    cov_name = _get(raw_cov, "type", "cov.")
    if cov_name not in {c.value for c in CovType}:
        raise ModelFileError(
            f"model file: cov.type expected one of {[c.value for c in CovType]}; got {cov_name!r}"
        )
    columns = tuple(spec.columns)
    intercept = columns.index("Intercept") if "Intercept" in columns else None
    family = rules.family(spec, columns, intercept)
    size = family.layout.size
    params = _finite(unnums(_get(content, "params", ""), "params", (size,)), "params")
    cov = _finite(unnums(_get(raw_cov, "matrix", "cov."), "cov.matrix", (size, size)), "cov")
    state = _state(_get(content, "state", ""), size, "state")
    if not np.array_equal(state.params, params):
        raise ModelFileError("model file: params expected equal to state.params; got others")
    _finite(state.information, "state.information")
    raw_null = _get(content, "null_state", "")
    n_null = len(_get(raw_null, "params", "null_state.")) if isinstance(raw_null, Mapping) else 0
    null = _state(raw_null, n_null, "null_state")
    design = _stored_design(content, spec, functions)
    raw_firth = content.get("firth")
    firth = None
    if raw_firth is not None:
        firth = FirthState(unnum(_get(raw_firth, "penalized_loglik", "firth."), "firth"))
    derived = content.get("derived") or {}
    return _Parts(
        spec,
        design,
        family,
        state,
        null,
        CovType(cov_name),
        cov,
        estimator,
        _separation(content.get("separation")),
        firth,
        tuple(str(n) for n in content.get("notes", ())),
        derived,
    )


def _stored_design(
    content: Mapping[str, Any], spec: ModelSpec, functions: Mapping[str, Any] | None
) -> StoredDesign:
    raw = _get(content, "design", "")
    rows = _get(raw, "rows", "design.")
    accounting = RowAccounting(
        _int(_get(rows, "n_rows", "design.rows."), "design.rows.n_rows"),
        _int(_get(rows, "n_used", "design.rows."), "design.rows.n_used", 1),
        _int(_get(rows, "n_dropped", "design.rows."), "design.rows.n_dropped"),
        tuple(
            (str(c), _int(k, "design.rows.dropped_by_column"))
            for c, k in rows.get("dropped_by_column", ())
        ),
    )
    nobs = unnum(_get(raw, "nobs", "design."), "design.nobs")
    if not np.isfinite(nobs) or nobs <= 0:
        raise ModelFileError(f"model file: design.nobs expected a positive number; got {nobs}")
    slices = tuple(
        (str(name), slice(_int(a, "design.term_slices"), _int(b, "design.term_slices")))
        for name, a, b in _get(raw, "term_slices", "design.")
    )
    return StoredDesign(
        spec=spec,
        formula=str(_get(raw, "formula", "design.")),
        kind=spec.kind,
        column_names=tuple(spec.columns),
        term_slices=slices,
        outcome=spec.outcome,
        levels=tuple(spec.levels),
        event=spec.event,
        reference=spec.reference,
        rows=accounting,
        has_intercept=spec.has_intercept,
        stored_nobs=nobs,
        has_weights=bool(raw.get("has_weights", False)),
        has_offset=bool(raw.get("has_offset", False)),
        offset_column=spec.offset_column,
        data_name=raw.get("data_name"),
        columns_used=tuple(str(c) for c in raw.get("columns_used", spec.data_columns)),
        aliased=tuple(str(c) for c in raw.get("aliased", ())),
        aliased_reasons=tuple(str(c) for c in raw.get("aliased_reasons", ())),
        functions=tuple(spec.functions),
        fingerprint=raw.get("fingerprint"),
        user_functions=dict(functions or {}),
    )


def _cache(parts: _Parts, size: int) -> dict[Any, Any]:
    """The derived statistics stored in the file, under the result's cache keys."""
    d = parts.derived
    out: dict[Any, Any] = {}
    for entry in d.get("profile_ci", ()):
        level = unnum(_get(entry, "level", "derived.profile_ci."), "profile_ci.level")
        out[("profile_ci", level)] = (
            unnums(entry.get("low"), "derived.profile_ci.low", (size,)),
            unnums(entry.get("high"), "derived.profile_ci.high", (size,)),
        )
    plr = d.get("penalized_lr_test")
    if plr is not None:
        out[("penalized_lr_test",)] = PenalizedLRTests(
            unnums(plr.get("statistic"), "derived.penalized_lr_test.statistic", (size,)),
            unnums(plr.get("p_value"), "derived.penalized_lr_test.p_value", (size,)),
        )
    if "penalized_lr_stat" in d:
        out[("penalized_lr_null",)] = unnum(d["penalized_lr_stat"], "derived.penalized_lr_stat")
    return out


def result_from_content(
    content: Mapping[str, Any],
    data: Any = None,
    *,
    weights: Any = None,
    offset: Any = None,
    groups: Any = None,
    functions: Mapping[str, Any] | None = None,
) -> FitResult:
    """The result of a checked model-file ``content`` (see :func:`logitstats.load`)."""
    parts = _parts(content, functions)
    size = parts.family.layout.size
    common: dict[str, Any] = dict(
        family=parts.family,
        state=parts.state,
        null_state=parts.null_state,
        cov_type=parts.cov_type,
        cov_array=parts.cov,
        estimator=parts.estimator,
        separation=parts.separation,
        firth=parts.firth,
        notes=parts.notes,
    )
    if data is None:
        extra = {
            str(k): unnum(v, f"derived.glance_extra.{k}")
            for k, v in (parts.derived.get("glance_extra") or {}).items()
        }
        cls: Any = _KINDS[parts.spec.kind].loaded
        result = cls(design=parts.design, _stored_glance_extra=extra, **common)
    else:
        design = _rebuild(parts.design, data, weights, offset, groups, functions)
        cls = _KINDS[parts.spec.kind].full
        result = cls(design=design, **common)
    result._cache.update(_cache(parts, size))
    return result


def _rebuild(
    stored: StoredDesign,
    data: Any,
    weights: Any,
    offset: Any,
    groups: Any,
    functions: Mapping[str, Any] | None,
) -> Design:
    """The training design rebuilt from ``data``, checked against the stored fingerprint."""
    if stored.has_weights and weights is None:
        raise ModelFileError(
            "ls.load(data=...): the model was fitted with frequency weights; expected weights= "
            "(the column name or array of the fit); got none"
        )
    if offset is None and stored.has_offset and "offset(" not in stored.formula:
        if stored.offset_column is None:
            raise ModelFileError(
                "ls.load(data=...): the model was fitted with an offset array; expected offset= "
                "with one value per row of data; got none"
            )
        offset = stored.offset_column
    design = build_design(
        stored.formula,
        data,
        kind=stored.kind,  # type: ignore[arg-type]
        env=formula_env(functions),
        **_KINDS[stored.kind].outcome(stored),
        weights=weights,
        offset=offset,
        groups=groups,
        data_name=stored.data_name,
    )
    got = data_fingerprint(design.X, design.y, design.weights, design.offset)
    if (
        design.rows.n_used != stored.rows.n_used
        or design.column_names != stored.column_names
        or (stored.fingerprint is not None and got != stored.fingerprint)
    ):
        raise ModelFileError(
            "ls.load(data=...): expected the data the model was fitted on "
            f"({stored.rows.n_used} rows used, fingerprint {str(stored.fingerprint)[:12]}); got "
            f"{design.rows.n_used} rows used, fingerprint {got[:12]}. Pass the same data, "
            "weights=, offset= and groups= as the fit, or load without data"
        )
    return design
