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
have, the outcome coding of the rebuilt design) is one table, :data:`_KINDS`. The fields of the
file are read and checked by :mod:`logitstats.io.content`; :class:`StoredDesign` lives in
:mod:`logitstats.io.stored`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from logitstats.design.build import Design, build_design
from logitstats.design.formula import formula_env
from logitstats.design.spec import ModelSpec
from logitstats.engine.binary import BinaryFamily
from logitstats.engine.layout import ParamLayout
from logitstats.engine.multinomial import MultinomialFamily
from logitstats.engine.newton import FitState
from logitstats.engine.ordinal_family import OrdinalFamily, cutpoint_names
from logitstats.errors import LogitstatsError, ModelFileError
from logitstats.inference.covariance import CovType
from logitstats.inference.separation import SeparationInfo
from logitstats.io.content import (
    check_finite,
    derived_cache,
    fit_state,
    get_field,
    separation_info,
    stored_design,
)
from logitstats.io.model_file import data_fingerprint, unnum, unnums
from logitstats.io.stored import StoredDesign
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
        spec = ModelSpec.from_dict(get_field(content, "spec", ""))
    except LogitstatsError as exc:
        raise ModelFileError(f"model file: the model specification is refused: {exc}") from None
    kind = get_field(content, "kind", "")
    rules = _KINDS.get(kind) if isinstance(kind, str) else None
    if rules is None or kind != spec.kind:
        raise ModelFileError(
            f"model file: kind expected one of {sorted(_KINDS)} (the spec's {spec.kind!r}); "
            f"got {kind!r}"
        )
    est = get_field(content, "estimator", "")
    if est not in rules.estimators:
        raise ModelFileError(
            f"model file: estimator expected one of {list(rules.estimators)} for the {kind} "
            f"model; got {est!r}"
        )
    estimator = Estimator[str(est).upper()]
    raw_cov = get_field(content, "cov", "")
    cov_name = get_field(raw_cov, "type", "cov.")
    if cov_name not in {c.value for c in CovType}:
        raise ModelFileError(
            f"model file: cov.type expected one of {[c.value for c in CovType]}; got {cov_name!r}"
        )
    columns = tuple(spec.columns)
    intercept = columns.index("Intercept") if "Intercept" in columns else None
    family = rules.family(spec, columns, intercept)
    size = family.layout.size
    params = check_finite(unnums(get_field(content, "params", ""), "params", (size,)), "params")
    cov = check_finite(
        unnums(get_field(raw_cov, "matrix", "cov."), "cov.matrix", (size, size)), "cov"
    )
    state = fit_state(get_field(content, "state", ""), size, "state")
    if not np.array_equal(state.params, params):
        raise ModelFileError("model file: params expected equal to state.params; got others")
    check_finite(state.information, "state.information")
    raw_null = get_field(content, "null_state", "")
    n_null = (
        len(get_field(raw_null, "params", "null_state.")) if isinstance(raw_null, Mapping) else 0
    )
    null = fit_state(raw_null, n_null, "null_state")
    design = stored_design(content, spec, functions)
    raw_firth = content.get("firth")
    firth = None
    if raw_firth is not None:
        firth = FirthState(unnum(get_field(raw_firth, "penalized_loglik", "firth."), "firth"))
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
        separation_info(content.get("separation")),
        firth,
        tuple(str(n) for n in content.get("notes", ())),
        derived,
    )


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
    result._cache.update(derived_cache(parts.derived, size))
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
