"""From (formula, DataFrame) to a :class:`Design`: the orchestration of the design layer.

The steps live in their own modules: :mod:`~logitstats.design.parse` (patsy's parser),
:mod:`~logitstats.design.formula` (the allow-list, run before anything is evaluated),
:mod:`~logitstats.design.frame` (data, dtypes, missing rows), :mod:`~logitstats.design.outcome`
(outcome coding), :mod:`~logitstats.design.fill` (the matrix), :mod:`~logitstats.design.aliasing`
and :mod:`~logitstats.design.spec` (the plain-data :class:`~logitstats.design.spec.ModelSpec`).
patsy's ``DesignInfo`` is kept for the in-memory path; the spec rebuilds the same matrix without
it. The caller's DataFrame is never mutated: every conversion works on a new frame.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import patsy

from logitstats.design import fill as design_fast
from logitstats.design import formula as formula_check
from logitstats.design import rhabits
from logitstats.design.aliasing import drop_aliased
from logitstats.design.codings import OUTCOME_CODINGS
from logitstats.design.frame import (
    MAX_AUTO_LEVELS,
    RowAccounting,
    as_frame,
    check_offset,
    extra_vectors,
    missing_rows,
    normalise_column,
)
from logitstats.design.newdata import newdata_matrix
from logitstats.design.outcome import eval_outcome, levels_of, lost_levels_error
from logitstats.design.parse import (
    MAX_RECURSION_LIMIT,
    formula_offset,
    parse_formula,
    patsy_message,
    referenced_columns,
)
from logitstats.design.spec import FactorSpec, ModelSpec, TermSpec
from logitstats.design.transforms import transform_spec
from logitstats.errors import DataError, FormulaError, LogitstatsError
from logitstats.options import Missing, parse_option, parse_scalar_level

__all__ = [
    "Design",
    "RowAccounting",
    "Missing",
    "build_design",
    "newdata_matrix",
    "capture_env",
    "MAX_AUTO_LEVELS",
    "MAX_RECURSION_LIMIT",
]

OutcomeKind = Literal["binary", "multinomial", "ordinal"]
_STOBJ_RE = re.compile(r"_patsy_stobj(\d+)__(\w+?)__$")  # patsy's names of transform objects
# the old private names, for callers outside the design layer (results/ imports these two)
_as_frame = as_frame
_check_offset = check_offset


@dataclass(frozen=True)
class Design:
    """Everything the engine and the results need, as arrays plus the labels to attach later.

    Attributes
    ----------
    y : ndarray
        Binary: float64 0/1 event indicator. Multinomial: intp codes into ``levels``.
    X : ndarray
        float64 design matrix, shape (n, p), C-contiguous.
    column_names : tuple of str
        patsy's column names of X.
    term_slices : tuple of (str, slice)
        Each model term and the columns of X it owns (factors span several columns).
    levels : tuple
        Outcome values in level order (sorted; a pandas Categorical keeps its category order).
    event, reference :
        Binary: the outcome value coded 1 (``reference`` is the other one).
        Multinomial: ``event`` is None, ``reference`` is the baseline level.
    weights, offset, groups : ndarray or None
        Frequency weights, offset on the logit scale, cluster ids, aligned with the rows used.
    index : pandas.Index
        The caller's index labels of the rows used.
    """

    formula: str
    kind: OutcomeKind
    y: np.ndarray
    X: np.ndarray
    column_names: tuple[str, ...]
    term_slices: tuple[tuple[str, slice], ...]
    design_info: Any
    outcome: str
    levels: tuple[Any, ...]
    event: Any
    reference: Any
    weights: np.ndarray | None
    offset: np.ndarray | None
    groups: np.ndarray | None
    index: pd.Index
    rows: RowAccounting
    has_intercept: bool
    offset_column: str | None = None
    data_name: str | None = None
    columns_used: tuple[str, ...] = field(default=())
    aliased: tuple[str, ...] = ()  # collinear columns dropped from X (see aliasing.py)
    aliased_reasons: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()  # names of the user's functions the formula may call
    # the user's functions themselves, for predictions in this session (a spec holds names only)
    user_functions: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def nobs(self) -> float:
        """Number of observations: the sum of the frequency weights, or the number of rows."""
        return float(self.weights.sum()) if self.weights is not None else float(self.y.shape[0])

    @functools.cached_property
    def spec(self) -> ModelSpec:
        """The plain-data :class:`~logitstats.design.spec.ModelSpec` of this design (built once)."""
        return model_spec(self)

    @property
    def outcomes(self) -> tuple[Any, ...]:
        """Multinomial: the non-reference outcome levels, in level order."""
        return tuple(v for v in self.levels if v != self.reference)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without patsy's ``DesignInfo`` (patsy cannot pickle it): the
        :class:`ModelSpec`, built now, replaces it (``design_info`` is None after unpickling)."""
        state = dict(self.__dict__)
        state["spec"] = self.spec
        state["design_info"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def capture_env(depth: int = 0, functions: Mapping[str, Any] | None = None) -> Any:
    """The formula environment (registry + ``functions``); kept for callers of the old name.

    It no longer captures the caller's frame (``depth`` is ignored): a formula sees only the
    registry of :mod:`logitstats.design.formula`, the user's explicit ``functions`` and the columns.
    """
    del depth
    return formula_check.formula_env(functions)


# --------------------------------------------------------------------------- the builder


def build_design(
    formula: str,
    data: Any,
    *,
    kind: OutcomeKind,
    env: Any = None,
    event: Any = None,
    reference: Any = None,
    weights: Any = None,
    offset: Any = None,
    groups: Any = None,
    missing: str = "drop",
    data_name: str | None = None,
    max_design_bytes: float | None = None,
    levels: Any = None,
    row_checks: bool = True,
) -> Design:
    """Build the :class:`Design` of a model.

    Parameters
    ----------
    formula : str
        R-style formula, ``"y ~ x1 + C(g)"``.
    data : DataFrame, dict of columns or numpy structured array
        Not modified.
    kind : {"binary", "multinomial", "ordinal"}
        Ordinal: ``y`` holds codes into the ordered ``levels``; the intercept column is built
        (so that factors get treatment contrasts and aliasing is judged against it) and then
        dropped, the cut-points playing its part (:func:`drop_intercept`).
    env : logitstats.design.formula.FormulaEnvironment, optional
        The registry of formula functions plus the user's ``functions``
        (:func:`logitstats.design.formula.formula_env`; the default has no user functions). Nothing
        is looked up in the caller's frame or in Python's builtins.
    event, reference :
        Binary: the outcome value counted as 1 (default: the second level in sorted order).
        Multinomial: the baseline level (default: the first level).
    weights, offset, groups : str or array-like, optional
        Column names of ``data`` or arrays with one value per row of ``data``.
    missing : {"drop", "raise"}
    levels : list, optional
        Ordinal: the outcome's values from lowest to highest (see
        :func:`~logitstats.design.outcome.ordinal_outcome`).
    max_design_bytes : float, optional
        The budget of the design matrix in bytes (default: ``$LOGITSTATS_MAX_DESIGN_BYTES``, else
        a quarter of the available memory; see :mod:`logitstats.design.resources`).
    row_checks : bool
        False: skip the checks that need every row (rows per outcome level, rows vs columns,
        aliased columns). The distributed fit builds its design on a sample of rows that holds
        every level and runs these checks on statistics reduced over all rows.

    Raises
    ------
    FormulaError, DataError
    """
    try:
        miss = parse_option(Missing, missing, "missing")
    except LogitstatsError as exc:
        raise DataError(str(exc)) from None
    event = parse_scalar_level(event, "event")
    reference = parse_scalar_level(reference, "reference")
    frame = as_frame(data)
    n_rows = frame.shape[0]
    if env is None:
        env = formula_check.formula_env()
    if isinstance(formula, str) and "~" in formula:  # R's y ~ . (every other column)
        extra = [v for v in (weights, offset, groups) if isinstance(v, str)]
        parsed = rhabits.expand_dot(formula, frame.columns, extra)
    else:
        parsed = formula
    outcome_code, rhs = parse_formula(parsed)
    rhs, offset = formula_offset(rhs, offset, kind, frame)
    rhs_codes = [f.code for term in rhs.rhs_termlist for f in term.factors]
    outcome_cols = referenced_columns([outcome_code], frame, env)
    rhs_cols = referenced_columns(rhs_codes, frame, env)
    used = list(dict.fromkeys(outcome_cols + rhs_cols))

    # ---- extra vectors (validated before any row is dropped; NaN weights/groups are errors)
    extras = extra_vectors(frame, weights, offset, groups)
    w, off, grp, offset_column = extras.weights, extras.offset, extras.groups, extras.offset_column
    # ---- missing values in the columns the formula uses (and the offset)
    keep, by_col = missing_rows(frame, used, off, offset_column or "offset", miss is Missing.RAISE)
    sub = {c: normalise_column(frame[c][keep] if not keep.all() else frame[c], c) for c in used}
    sub_index = frame.index if keep.all() else frame.index[keep]  # no copy of a full index
    # no DataFrame of all the columns: pandas would copy them into one block; patsy reads the
    # dict, and the outcome gets a frame of its own columns only
    y_frame = pd.DataFrame({c: sub[c] for c in outcome_cols}, index=sub_index)

    # ---- outcome
    y_series = eval_outcome(outcome_code, y_frame, env)
    if y_series.isna().any():
        raise DataError(f"outcome {outcome_code!r} evaluates to missing values for some rows")
    coding = OUTCOME_CODINGS[kind]
    if coding.names_lost_levels and not keep.all():  # a level that vanished: name it
        full = levels_of(eval_outcome(outcome_code, frame, env), outcome_code)
        lost = [v for v in full if v not in levels_of(y_series, outcome_code)]
        if lost:
            note = RowAccounting(n_rows, int(keep.sum()), int((~keep).sum()), tuple(by_col))
            raise lost_levels_error(outcome_code, lost, note.describe(), False, coding.model)
    raw = frame[outcome_code] if outcome_code in frame.columns else None
    y, levels, ev, ref = coding.code(
        y_series, outcome_code, event=event, reference=reference, levels=levels, raw=raw
    )

    # ---- right-hand side
    X, info, bounds = _rhs_matrix(rhs, sub, sub_index, env, formula, max_design_bytes)
    # the fast filler's column bounds say whether all is finite; else one cheap pass first: a
    # NaN or inf anywhere in a row makes its row sum non-finite
    if bounds is not None and bounds.finite:
        finite = None
    else:
        bounds = None
        finite = None if np.isfinite(X.sum(axis=1)).all() else np.isfinite(X)
    if finite is not None and not finite.all():
        rows_bad = ~finite.all(axis=1)
        nan_cols = [
            (info.column_names[j], int((~finite[:, j]).sum()))
            for j in range(X.shape[1])
            if not finite[:, j].all()
        ]
        if np.isinf(X).any() or miss is Missing.RAISE:
            detail = ", ".join(f"{c} ({k} rows)" for c, k in nan_cols)
            raise DataError(
                f"the formula produces non-finite values (NaN or inf) in {detail}; check "
                "transformations such as np.log of zero or negative values"
            )
        X = X[~rows_bad]
        y = y[~rows_bad]
        keep_idx = np.flatnonzero(keep)[~rows_bad]
        keep = np.zeros(n_rows, dtype=bool)
        keep[keep_idx] = True
        by_col += nan_cols
    X = np.ascontiguousarray(X, dtype=np.float64)
    n_used = int(keep.sum())
    if n_used == 0:
        raise DataError("no rows are left to fit after dropping rows with missing values")
    coding.check_rows(
        levels,
        y,
        None if w is None else w[keep],
        info.column_names,
        outcome_code,
        RowAccounting(n_rows, n_used, n_rows - n_used, tuple(by_col)).describe(),
        row_checks,
    )
    has_intercept = any(len(t.factors) == 0 for t in info.terms)
    term_slices = tuple((name, sl) for name, sl in info.term_name_slices.items())
    design = Design(
        formula=formula,
        kind=kind,
        y=y,
        X=X,
        column_names=tuple(info.column_names),
        term_slices=term_slices,
        design_info=info,
        outcome=outcome_code,
        levels=levels,
        event=ev,
        reference=ref,
        weights=None if w is None else np.ascontiguousarray(w[keep]),
        offset=None if off is None else np.ascontiguousarray(off[keep]),
        groups=None if grp is None else np.asarray(grp)[keep],
        index=frame.index if n_used == n_rows else frame.index[keep],
        rows=RowAccounting(n_rows, n_used, n_rows - n_used, tuple(by_col)),
        has_intercept=has_intercept,
        offset_column=offset_column if isinstance(offset, str) else None,
        data_name=data_name,
        columns_used=tuple(used),
        functions=tuple(getattr(env, "functions", None) or ()),
        user_functions=dict(getattr(env, "functions", None) or {}),
    )
    if row_checks:
        design = drop_aliased(design, max_abs=None if bounds is None else bounds.max_abs)
    return drop_intercept(design) if coding.intercept_is_cut_points else design


def drop_intercept(design: Design) -> Design:
    """An ordinal design without its intercept column (a new object).

    The cut-points of a cumulative logit play the intercept's part, so the column is built
    (factors get full-rank treatment contrasts, aliasing is judged with it) and then dropped
    here; ``spec.columns`` no longer lists it, so ``spec.matrix(newdata)`` leaves it out too.

    Raises
    ------
    FormulaError
        If the formula removes the intercept (``- 1`` / ``+ 0``): without it the coding of the
        first factor would be collinear with the cut-points.
    """
    if not design.has_intercept:
        raise FormulaError(
            f"formula {design.formula!r} removes the intercept ('- 1' or '+ 0'); an ordinal "
            "logit expected the intercept in the formula; got none. Its cut-points play the "
            "intercept's part (the column is dropped after coding the factors): remove "
            "'- 1' / '+ 0' from the formula"
        )
    names = design.column_names
    if "Intercept" not in names:  # aliased away cannot happen (it is the first column)
        return design
    j = names.index("Intercept")
    keep = [c for c in range(len(names)) if c != j]
    new_pos = {c: i for i, c in enumerate(keep)}
    slices = []
    for term, sl in design.term_slices:
        cols = [new_pos[c] for c in range(len(names))[sl] if c in new_pos]
        if cols:
            slices.append((term, slice(cols[0], cols[-1] + 1)))
    return dataclasses.replace(
        design,
        X=np.ascontiguousarray(design.X[:, keep]),
        column_names=tuple(names[c] for c in keep),
        term_slices=tuple(slices),
    )


def _rhs_matrix(
    rhs: Any,
    columns: dict[str, pd.Series],
    index: pd.Index,
    env: Any,
    formula: str,
    max_bytes: float | None = None,
) -> tuple[np.ndarray, Any, design_fast.ColumnBounds | None]:
    """patsy's DesignInfo of the right-hand side, its matrix (filled by design_fast) and the
    matrix's column bounds (None when patsy built it)."""
    na_action = patsy.NAAction(NA_types=[])
    # np.log(0) etc. are reported (or the rows counted as dropped) by the caller, by column
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            info = design_fast.design_info(
                rhs.rhs_termlist, columns, env, na_action, n_rows=len(index), max_bytes=max_bytes
            )
            filled = design_fast.fill_matrix_bounds(info, columns, len(index), index)
            bounds = None if filled is None else filled[1]
            if filled is not None:
                X = filled[0]
            else:  # a case the fast filler does not handle: patsy builds it (or says why)
                frame = pd.DataFrame(columns, index=index)
                (mat,) = patsy.build_design_matrices(
                    [info], frame, NA_action=na_action, return_type="matrix"
                )
                X = np.asarray(mat)
    except patsy.PatsyError as exc:
        raise FormulaError(
            f"cannot build the design matrix of {formula!r}: {patsy_message(exc)}"
        ) from None
    return X, info, bounds


def model_spec(design: Design) -> ModelSpec:
    """The :class:`ModelSpec` of a built design (from patsy's ``DesignInfo``, once)."""
    info = design.design_info
    order = list(info.factor_infos)
    order = sorted(
        order,
        key=lambda f: next(
            (k for k, t in enumerate(info.terms) if f in t.factors), len(info.terms)
        ),
    )
    pos = {f: i for i, f in enumerate(order)}
    factors = []
    for f in order:
        fi = info.factor_infos[f]
        objs = sorted(
            (int(m.group(1)), m.group(2), obj)
            for name, obj in fi.state.get("transforms", {}).items()
            if (m := _STOBJ_RE.match(name))
        )
        transforms = tuple(transform_spec(kind, obj) for _, kind, obj in objs)
        cats = None if fi.type != "categorical" else tuple(fi.categories)
        factors.append(FactorSpec(f.code, fi.type, fi.num_columns, cats, transforms))
    blocks = design_fast.subterms_of_info(info)
    terms, k = [], 0
    for term, subterms in info.term_codings.items():
        mine = blocks[k : k + len(subterms)]
        k += len(subterms)
        mapped = tuple(
            design_fast.Subterm(
                tuple(pos[f] for f in st.factors), st.contrasts, st.widths, st.num_columns
            )
            for st in mine
        )
        terms.append(TermSpec(term.name(), tuple(pos[f] for f in term.factors), mapped))
    return ModelSpec(
        formula=design.formula,
        kind=design.kind,
        outcome=design.outcome,
        levels=tuple(design.levels),
        event=design.event,
        reference=design.reference,
        factors=tuple(factors),
        terms=tuple(terms),
        all_columns=tuple(info.column_names),
        columns=tuple(design.column_names),
        has_intercept=design.has_intercept,
        functions=tuple(design.functions),
        data_columns=tuple(
            formula_check.check_factors(
                [f.code for f in factors],
                list(design.columns_used),
                dict.fromkeys(design.functions),
            )
        ),
        offset_column=design.offset_column,
    )
