"""Checked reading of the fields of a model file's content: every field is present, of the
expected type and shape, and finite where it must be; otherwise a
:class:`~logitstats.errors.ModelFileError` names the field, what was expected and what was got.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from logitstats.design.build import RowAccounting
from logitstats.design.spec import ModelSpec
from logitstats.engine.newton import FitState
from logitstats.errors import ModelFileError
from logitstats.inference.firth_inference import PenalizedLRTests
from logitstats.inference.separation import SeparationInfo, SeparationStatus
from logitstats.io.model_file import unnum, unnums
from logitstats.io.stored import StoredDesign


def get_field(mapping: Any, key: str, where: str) -> Any:
    """``mapping[key]``, or an error naming the missing field ``where + key``."""
    if not isinstance(mapping, Mapping) or key not in mapping:
        raise ModelFileError(
            f"model file: expected the field {where}{key!r}; got a file without it; pass a "
            "file written by fit.save()"
        )
    return mapping[key]


def check_int(value: Any, what: str, minimum: int = 0) -> int:
    """``value`` if it is an integer >= ``minimum`` (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ModelFileError(f"model file: {what} expected an integer >= {minimum}; got {value!r}")
    return value


def fit_state(raw: Any, size: int, what: str) -> FitState:
    """The :class:`FitState` stored under ``what`` (``size`` parameters)."""
    params = unnums(get_field(raw, "params", f"{what}."), f"{what}.params", (size,))
    return FitState(
        params=params,
        loglik=unnum(get_field(raw, "loglik", f"{what}."), f"{what}.loglik"),
        score=unnums(get_field(raw, "score", f"{what}."), f"{what}.score", (size,)),
        information=unnums(
            get_field(raw, "information", f"{what}."), f"{what}.information", (size, size)
        ),
        n_iter=check_int(get_field(raw, "n_iter", f"{what}."), f"{what}.n_iter"),
        converged=bool(get_field(raw, "converged", f"{what}.")),
        message=str(raw.get("message", "")),
    )


def check_finite(arr: np.ndarray, what: str) -> np.ndarray:
    """``arr`` if every entry is finite."""
    if not np.isfinite(arr).all():
        raise ModelFileError(
            f"model file: {what} expected finite numbers; got NaN or inf at "
            f"{np.flatnonzero(~np.isfinite(arr.ravel()))[:5].tolist()}; the file is damaged"
        )
    return arr


def separation_info(raw: Any) -> SeparationInfo | None:
    """The stored separation result (None when the file has none)."""
    if raw is None:
        return None
    status = str(get_field(raw, "status", "separation."))
    if status not in {s.value for s in SeparationStatus}:
        raise ModelFileError(
            f"model file: separation.status expected one of "
            f"{[s.value for s in SeparationStatus]}; got {status!r}"
        )
    return SeparationInfo(
        status=SeparationStatus(status),
        terms=tuple(str(t) for t in raw.get("terms", ())),
        outcomes=tuple((o, tuple(str(t) for t in ts)) for o, ts in raw.get("outcomes", ())),
        n_separated=check_int(raw.get("n_separated", 0), "separation.n_separated"),
        method=str(raw.get("method", "")),
    )


def stored_design(
    content: Mapping[str, Any], spec: ModelSpec, functions: Mapping[str, Any] | None
) -> StoredDesign:
    """The :class:`StoredDesign` of ``content`` (row accounting, labels, flags)."""
    raw = get_field(content, "design", "")
    rows = get_field(raw, "rows", "design.")
    accounting = RowAccounting(
        check_int(get_field(rows, "n_rows", "design.rows."), "design.rows.n_rows"),
        check_int(get_field(rows, "n_used", "design.rows."), "design.rows.n_used", 1),
        check_int(get_field(rows, "n_dropped", "design.rows."), "design.rows.n_dropped"),
        tuple(
            (str(c), check_int(k, "design.rows.dropped_by_column"))
            for c, k in rows.get("dropped_by_column", ())
        ),
    )
    nobs = unnum(get_field(raw, "nobs", "design."), "design.nobs")
    if not np.isfinite(nobs) or nobs <= 0:
        raise ModelFileError(f"model file: design.nobs expected a positive number; got {nobs}")
    slices = tuple(
        (str(name), slice(check_int(a, "design.term_slices"), check_int(b, "design.term_slices")))
        for name, a, b in get_field(raw, "term_slices", "design.")
    )
    return StoredDesign(
        spec=spec,
        formula=str(get_field(raw, "formula", "design.")),
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


def derived_cache(d: Mapping[str, Any], size: int) -> dict[Any, Any]:
    """The derived statistics stored in the file, under the result's cache keys."""
    out: dict[Any, Any] = {}
    for entry in d.get("profile_ci", ()):
        level = unnum(get_field(entry, "level", "derived.profile_ci."), "profile_ci.level")
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
