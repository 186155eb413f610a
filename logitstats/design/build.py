"""From (formula, DataFrame) to a :class:`Design`: the only module that talks to patsy.

The design layer validates the data at the boundary, codes the outcome, drops incomplete rows (and
counts them, per column), evaluates the right-hand side with patsy and keeps patsy's ``DesignInfo``
so that predictions on new data reapply the training factor levels and stateful transforms.
The caller's DataFrame is never mutated: every conversion works on a new frame.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import patsy

from logitstats.design import fill as design_fast
from logitstats.design import formula as formula_check
from logitstats.design.aliasing import drop_aliased
from logitstats.errors import DataError, FormulaError, LogitstatsError
from logitstats.options import Missing, parse_option, parse_scalar_level

__all__ = [
    "Design",
    "RowAccounting",
    "Missing",
    "build_design",
    "newdata_matrix",
    "capture_env",
]

OutcomeKind = Literal["binary", "multinomial"]
MAX_AUTO_LEVELS = 1000  # text columns with more distinct values are refused (see _normalise_column)
MAX_RECURSION_LIMIT = 50_000  # patsy's parser recurses per term: a bounded, temporary raise
_UNSEEN_RE = re.compile(r"observation with value (.*?) does not match any of the expected levels")


@dataclass(frozen=True)
class RowAccounting:
    """How many rows of the caller's data were used and why the others were dropped.

    ``dropped_by_column`` counts, for each column responsible, the rows missing in that column
    (a row missing in two columns is counted under both, so the counts can add up to more than
    ``n_dropped``).
    """

    n_rows: int
    n_used: int
    n_dropped: int
    dropped_by_column: tuple[tuple[str, int], ...] = ()

    def describe(self) -> str:
        """``'12 rows dropped: income 9, age 3'`` or ``'no rows dropped'``."""
        if self.n_dropped == 0:
            return "no rows dropped"
        noun = "row" if self.n_dropped == 1 else "rows"
        parts = ", ".join(f"{c} {k}" for c, k in self.dropped_by_column)
        return (
            f"{self.n_dropped} {noun} dropped: {parts}"
            if parts
            else f"{self.n_dropped} {noun} dropped"
        )


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

    @property
    def nobs(self) -> float:
        """Number of observations: the sum of the frequency weights, or the number of rows."""
        return float(self.weights.sum()) if self.weights is not None else float(self.y.shape[0])

    @property
    def outcomes(self) -> tuple[Any, ...]:
        """Multinomial: the non-reference outcome levels, in level order."""
        return tuple(v for v in self.levels if v != self.reference)


def capture_env(depth: int = 0, functions: Mapping[str, Any] | None = None) -> Any:
    """The formula environment (registry + ``functions``); kept for callers of the old name.

    It no longer captures the caller's frame (``depth`` is ignored): a formula sees only the
    registry of :mod:`logitstats.design.formula`, the user's explicit ``functions`` and the columns.
    """
    del depth
    return formula_check.formula_env(functions)


# --------------------------------------------------------------------------- formula parsing


def _patsy_message(exc: Exception) -> str:
    """patsy's error on one line (its own text draws a caret under the formula on extra lines)."""
    msg = " ".join(str(getattr(exc, "message", None) or exc).split("\n")[0].split())
    origin = getattr(exc, "origin", None)
    if origin is not None and getattr(origin, "code", None) is not None:
        where = origin.code[origin.start : origin.end]
        msg += f" (at {where!r}, character {origin.start + 1})" if where else ""
    return msg


def _parse_formula(formula: str) -> tuple[str, Any]:
    """Split the formula into the outcome expression and the right-hand-side ModelDesc."""
    if not isinstance(formula, str):
        raise FormulaError(
            f"formula must be a string such as 'y ~ x1 + x2'; got {type(formula).__name__}"
        )
    if "~" not in formula:
        raise FormulaError(
            f"formula must have an outcome on the left of '~', as in 'y ~ x1 + x2'; got {formula!r}"
        )
    try:
        desc = _parse_long(formula)
    except patsy.PatsyError as exc:
        power = (
            "; patsy writes R's (a + b)^2 as (a + b)**2 (and x^2 inside I() as x**2)"
            if "^" in formula
            else ""
        )
        raise FormulaError(
            f"cannot parse formula {formula!r}: {_patsy_message(exc)}; check the syntax, "
            f"e.g. 'y ~ x1 + C(group) + np.log(x2)'{power}"
        ) from None
    lhs = desc.lhs_termlist
    if len(lhs) != 1 or len(lhs[0].factors) != 1:
        raise FormulaError(
            f"formula must have exactly one outcome on the left of '~'; got {formula!r}"
        )
    rhs = patsy.ModelDesc([], desc.rhs_termlist)
    if not desc.rhs_termlist:
        raise FormulaError(
            f"formula has no terms on the right of '~' (not even an intercept): {formula!r}; "
            "use 'y ~ 1' for an intercept-only model"
        )
    return lhs[0].factors[0].code, rhs


def _parse_long(formula: str) -> Any:
    """patsy's ModelDesc; its parser recurses once per term, so long formulas get the room.

    The recursion limit is raised for the parse only, in proportion to the formula's length and
    at most to ``MAX_RECURSION_LIMIT`` (a 600-term formula needs about 2,000 frames).
    """
    old = sys.getrecursionlimit()
    need = min(MAX_RECURSION_LIMIT, 1000 + 4 * len(formula))
    if need <= old:
        return patsy.ModelDesc.from_formula(formula)
    sys.setrecursionlimit(need)
    try:
        return patsy.ModelDesc.from_formula(formula)
    except RecursionError:
        raise FormulaError(
            f"the formula is too long to parse ({len(formula)} characters); expected at most "
            "a few thousand terms; build the design in parts or use fewer terms"
        ) from None
    finally:
        sys.setrecursionlimit(old)


def _formula_offset(rhs: Any, offset: Any, kind: str, frame: pd.DataFrame) -> tuple[Any, Any]:
    """R's ``y ~ x + offset(z)``: the term leaves the right-hand side and ``z`` is the offset."""
    found = [
        (term, col)
        for term in rhs.rhs_termlist
        if len(term.factors) == 1
        and (col := formula_check.offset_term(term.factors[0].code)) is not None
    ]
    if not found:
        return rhs, offset
    (term, col), *more = found
    if more or offset is not None:
        got = (
            "several offset(...) terms"
            if more
            else f"offset(...) in the formula and offset={offset!r}"
        )
        raise FormulaError(
            f"expected at most one offset, given once (offset({col}) in the formula, or "
            f"offset={col!r}); got {got}; keep one of them"
        )
    if col not in frame.columns:
        close = difflib.get_close_matches(col, list(map(str, frame.columns)), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise FormulaError(f"offset({col}) refers to {col!r}, which is not a column of data{hint}")
    terms = [t for t in rhs.rhs_termlist if t is not term]
    return patsy.ModelDesc([], terms), col


def _referenced_columns(codes: Sequence[str], data: pd.DataFrame, env: Any) -> list[str]:
    """Columns of data used by the formula, in formula order (the allow-list check of each
    factor, :func:`logitstats.design.formula.check_factors`, runs first: nothing is evaluated)."""
    return formula_check.check_factors(
        codes, list(map(str, data.columns)), getattr(env, "functions", None)
    )


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (so messages show 1, not np.int64(1))."""
    return value.item() if isinstance(value, np.generic) else value


def _short_list(values: Sequence[Any], most: int = 12) -> str:
    shown = ", ".join(repr(_plain(v)) for v in list(values)[:most])
    return shown + (f", ... ({len(values)} in all)" if len(values) > most else "")


# --------------------------------------------------------------------------- data frame checks


def _as_frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        frame = data
    elif isinstance(data, Mapping):
        try:
            frame = pd.DataFrame(dict(data))
        except ValueError as exc:
            raise DataError(f"data: cannot make a DataFrame from the dict given: {exc}") from None
    elif isinstance(data, np.ndarray) and data.dtype.names:
        frame = pd.DataFrame(data)
    else:
        raise DataError(
            "data must be a pandas DataFrame, a dict of columns or a numpy structured array; "
            f"got {type(data).__name__}"
        )
    if frame.columns.duplicated().any():
        dups = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise DataError(f"data has duplicate column names {dups}; rename them so each is unique")
    if frame.shape[0] == 0:
        raise DataError("data has no rows; expected at least one row per parameter")
    return frame


def _normalise_column(s: pd.Series, name: str) -> pd.Series:
    """A copy of a predictor column in a dtype patsy handles well (never changes the caller's)."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return s.cat.remove_unused_categories()
    if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        raise DataError(
            f"column {name!r} holds dates ({dtype}); logitstats does not guess how to use a date "
            "as a predictor. Convert it first, e.g. a numeric time such as "
            f"(df[{name!r}] - df[{name!r}].min()).dt.days, or a category such as the year"
        )
    if pd.api.types.is_bool_dtype(dtype):
        return s.astype(bool) if not s.isna().any() else s.astype(object)
    if pd.api.types.is_numeric_dtype(dtype):
        if isinstance(dtype, pd.api.extensions.ExtensionDtype):
            return s.astype("float64")
        return s
    # strings / objects: categorical, levels sorted as R sorts factor levels
    values = s.dropna()
    try:
        cats = sorted(values.unique())
    except TypeError:
        raise DataError(
            f"column {name!r} mixes values of different types "
            f"({sorted({type(v).__name__ for v in values})}); expected one type per column"
        ) from None
    if len(cats) > MAX_AUTO_LEVELS:
        raise DataError(
            f"column {name!r} holds {len(cats)} distinct text values; as a factor it would add "
            f"{len(cats) - 1} design columns, which usually means it is an identifier. Expected "
            f"at most {MAX_AUTO_LEVELS} levels for a text column; if you do mean a factor with "
            f"that many levels, convert it first: df[{name!r}].astype('category')"
        )
    return pd.Series(pd.Categorical(s, categories=cats), index=s.index, name=s.name)


def _vector_arg(value: Any, data: pd.DataFrame, argname: str, n: int) -> tuple[np.ndarray, str]:
    """Resolve a column-name-or-array argument (weights, offset, groups) to an array."""
    if isinstance(value, str):
        if value not in data.columns:
            close = difflib.get_close_matches(value, list(map(str, data.columns)), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise DataError(f"{argname}={value!r} is not a column of data{hint}")
        return data[value].to_numpy(), value
    # a list of mixed ids ([1, "1"]) stays object: np.asarray would turn every id into text
    arr = pd.Series(value).to_numpy() if isinstance(value, (list, tuple)) else np.asarray(value)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise DataError(
            f"{argname} must be a column name or a 1-D array with one value per row of data "
            f"({n} rows); got shape {arr.shape}"
        )
    return arr, argname


def _numeric(arr: np.ndarray, argname: str) -> np.ndarray:
    try:
        out = pd.to_numeric(pd.Series(arr), errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise DataError(f"{argname} must be numeric; got values of type {arr.dtype}") from None
    return out


# The offset is on the logit scale: beyond log(largest double) ~ 709.8 the odds exp(offset)
# overflow and the row's weight p (1 - p) underflows to 0, so X'WX loses the row (the offset's
# counterpart of the predictor-magnitude check in aliasing.py).
_MAX_ABS_OFFSET = float(np.log(np.finfo(np.float64).max))


def _check_offset(off: np.ndarray, label: str) -> None:
    """DataError for infinite or absurdly large offsets (NaN is a missing value)."""
    if np.isinf(off).any():
        i = int(np.flatnonzero(np.isinf(off))[0])
        raise DataError(
            f"{label} holds infinite values; expected finite log-odds; got {float(off[i])!r} at "
            f"row {i}. Drop those rows or set them to NaN (treated as missing)"
        )
    bad = np.abs(np.nan_to_num(off)) > _MAX_ABS_OFFSET
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"{label} must be log-odds of magnitude at most {_MAX_ABS_OFFSET:.4g} (larger odds "
            f"overflow double precision); got {float(off[i])!r} at row {i} ({int(bad.sum())} "
            "such values). Check its scale: an offset is added to the linear predictor, e.g. "
            "log(exposure), not the exposure itself"
        )


def _isna(values: Any) -> np.ndarray:
    return np.asarray(pd.isna(values), dtype=bool)


# --------------------------------------------------------------------------- outcome coding


def _match_level(value: Any, levels: Sequence[Any], argname: str, outcome: str) -> Any:
    """Find ``value`` among ``levels`` (exact match first, then by its text)."""
    for lv in levels:
        try:
            if lv == value and type(lv) is not bool or lv is value:
                return lv
        except (TypeError, ValueError):
            continue
    for lv in levels:
        if str(lv) == str(value):
            return lv
    raise DataError(
        f"{argname}={value!r} is not among the values of the outcome {outcome!r}; "
        f"its values are {_short_list(list(levels))}"
    )


def _levels_of(y: pd.Series, outcome: str) -> tuple[Any, ...]:
    if isinstance(y.dtype, pd.CategoricalDtype):
        present = set(y.dropna().unique())
        return tuple(c for c in y.cat.categories if c in present)
    values = y.dropna().unique()
    try:
        return tuple(sorted(values))
    except TypeError:
        raise DataError(
            f"outcome {outcome!r} mixes values of different types; expected one type"
        ) from None


def _binary_outcome(y: pd.Series, outcome: str, event: Any) -> tuple[np.ndarray, tuple, Any, Any]:
    levels = _levels_of(y, outcome)
    numeric = pd.api.types.is_numeric_dtype(y.dtype) and not pd.api.types.is_bool_dtype(y.dtype)
    if len(levels) == 1:
        raise DataError(
            f"outcome {outcome!r} has only one value ({_plain(levels[0])!r}) in the {y.shape[0]} "
            "rows used; a logistic regression needs rows with both outcomes"
        )
    if len(levels) > 2:
        stray = [v for v in levels if v not in (0, 1)] if numeric else []
        mlogit = (
            "for more than two outcome categories use ls.mlogit() (on the command line: "
            "--multinomial)"
        )
        if numeric and set(levels) >= {0, 1} and len(stray) <= 3:
            codes = all(float(v).is_integer() for v in stray)
            raise DataError(
                f"outcome {outcome!r} must be coded 0/1; found the values "
                f"{_short_list(stray)} besides 0 and 1; "
                + (mlogit if codes else "recode or drop those rows")
            )
        raise DataError(
            f"outcome {outcome!r} has {len(levels)} distinct values ({_short_list(levels)}); "
            f"logit() needs exactly two; {mlogit}"
        )
    if numeric and event is None and not set(levels) <= {0, 1}:
        raise DataError(
            f"outcome {outcome!r} is numeric with the values {_plain(levels[0])!r} and "
            f"{_plain(levels[1])!r}, not "
            f"0/1; pass event=<value> to say which value counts as the event"
        )
    ev = levels[1] if event is None else _match_level(event, levels, "event", outcome)
    ref = levels[0] if ev == levels[1] else levels[1]
    yy = (y.to_numpy() == ev).astype(np.float64)
    return yy, levels, ev, ref


def _multinomial_outcome(
    y: pd.Series, outcome: str, reference: Any
) -> tuple[np.ndarray, tuple, Any]:
    levels = _levels_of(y, outcome)
    if len(levels) < 2:
        raise DataError(
            f"outcome {outcome!r} has only one value ({levels[0]!r}) in the {y.shape[0]} rows "
            "used; a multinomial logit needs at least two outcome levels"
        )
    ref = levels[0] if reference is None else _match_level(reference, levels, "reference", outcome)
    codes = pd.Categorical(y, categories=list(levels)).codes.astype(np.intp)
    return codes, levels, ref


def _lost_levels_error(
    outcome: str, lost: Sequence[Any], rows_note: str, weighted: bool
) -> DataError:
    no_rows = "no rows with positive weight" if weighted else "no rows"
    fix = "give them positive weights" if weighted else "fill in the missing values"
    return DataError(
        f"outcome {outcome!r}: the level(s) {_short_list(lost)} have {no_rows} left among the "
        f"rows used ({rows_note}); a multinomial logit needs rows for every level: {fix} or "
        "remove that level's rows first"
    )


def _check_multinomial_rows(
    levels: Sequence[Any],
    y: np.ndarray,
    w: np.ndarray | None,
    n_columns: int,
    outcome: str,
    rows_note: str,
) -> None:
    """Every outcome level keeps (weighted) rows; no more parameters than observations."""
    counts = np.bincount(y, weights=w, minlength=len(levels))
    lost = [v for v, c in zip(levels, counts, strict=True) if c == 0]
    if lost:
        raise _lost_levels_error(outcome, lost, rows_note, w is not None)
    n_params, nobs = n_columns * (len(levels) - 1), float(counts.sum())
    if n_params > nobs:
        raise DataError(
            f"the model has {n_params} parameters ({n_columns} design columns x "
            f"{len(levels) - 1} non-reference outcome levels) but only {nobs:g} observations; "
            "use fewer terms or more data"
        )


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
) -> Design:
    """Build the :class:`Design` of a model.

    Parameters
    ----------
    formula : str
        R-style formula, ``"y ~ x1 + C(g)"``.
    data : DataFrame, dict of columns or numpy structured array
        Not modified.
    kind : {"binary", "multinomial"}
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
    frame = _as_frame(data)
    n_rows = frame.shape[0]
    if env is None:
        env = formula_check.formula_env()
    if isinstance(formula, str) and "~" in formula:  # R's y ~ . (every other column)
        extra = [v for v in (weights, offset, groups) if isinstance(v, str)]
        parsed = formula_check.expand_dot(formula, frame.columns, extra)
    else:
        parsed = formula
    outcome_code, rhs = _parse_formula(parsed)
    rhs, offset = _formula_offset(rhs, offset, kind, frame)
    rhs_codes = [f.code for term in rhs.rhs_termlist for f in term.factors]
    outcome_cols = _referenced_columns([outcome_code], frame, env)
    rhs_cols = _referenced_columns(rhs_codes, frame, env)
    used = list(dict.fromkeys(outcome_cols + rhs_cols))

    # ---- extra vectors (validated before any row is dropped; NaN weights/groups are errors)
    w = off = grp = None
    offset_column = None
    if weights is not None:
        raw, wname = _vector_arg(weights, frame, "weights", n_rows)
        wlabel = f"weights ({wname})" if isinstance(weights, str) else "weights"
        w = _numeric(raw, "weights")
        bad = ~np.isfinite(w) | (w < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"{wlabel} must be finite and >= 0 (frequency weights); got {float(w[i])!r} at "
                f"row {i} (index {_plain(frame.index[i])!r}; {int(bad.sum())} bad values in all)"
            )
        if not (w > 0).any():
            raise DataError(f"{wlabel} are all zero; at least one must be positive")
    if offset is not None:
        raw, offset_column = _vector_arg(offset, frame, "offset", n_rows)
        off = _numeric(raw, "offset")
        _check_offset(off, f"offset ({offset_column})" if isinstance(offset, str) else "offset")
    if groups is not None:
        grp, gname = _vector_arg(groups, frame, "groups", n_rows)
        if _isna(grp).any():
            k = int(_isna(grp).sum())
            raise DataError(
                f"groups ({gname}) has {k} missing values; every row needs a cluster id "
                "(drop those rows first or give them their own ids)"
            )

    # ---- missing values in the columns the formula uses (and the offset)
    na_cols: list[tuple[str, np.ndarray]] = []
    for c in used:
        mask = _isna(frame[c])
        if mask.any():
            na_cols.append((c, mask))
    if off is not None and np.isnan(off).any():
        na_cols.append((offset_column or "offset", np.isnan(off)))
    if na_cols and miss is Missing.RAISE:
        detail = ", ".join(f"{c} ({int(m.sum())})" for c, m in na_cols)
        raise DataError(
            f"missing values in columns the model uses: {detail}; with missing='raise' "
            "every row must be complete (use missing='drop' to drop incomplete rows)"
        )
    keep = np.ones(n_rows, dtype=bool)
    for _, m in na_cols:
        keep &= ~m
    by_col = [(c, int(m.sum())) for c, m in na_cols]
    if not keep.any():
        raise DataError(
            "every row of data has a missing value in a column the model uses ("
            + ", ".join(f"{c} {k}" for c, k in by_col)
            + "); nothing is left to fit"
        )
    sub = {c: _normalise_column(frame[c][keep] if not keep.all() else frame[c], c) for c in used}
    sub_index = frame.index[keep]
    # no DataFrame of all the columns: pandas would copy them into one block; patsy reads the
    # dict, and the outcome gets a frame of its own columns only
    y_frame = pd.DataFrame({c: sub[c] for c in outcome_cols}, index=sub_index)

    # ---- outcome
    y_series = _eval_outcome(outcome_code, y_frame, env)
    if y_series.isna().any():
        raise DataError(f"outcome {outcome_code!r} evaluates to missing values for some rows")
    if kind == "binary":
        y, levels, ev, ref = _binary_outcome(y_series, outcome_code, event)
    else:
        if not keep.all():  # a level that vanished with the dropped rows: name it
            full = _levels_of(_eval_outcome(outcome_code, frame, env), outcome_code)
            lost = [v for v in full if v not in _levels_of(y_series, outcome_code)]
            if lost:
                note = RowAccounting(n_rows, int(keep.sum()), int((~keep).sum()), tuple(by_col))
                raise _lost_levels_error(outcome_code, lost, note.describe(), False)
        y, levels, ref = _multinomial_outcome(y_series, outcome_code, reference)
        ev = None

    # ---- right-hand side
    X, info = _rhs_matrix(rhs, sub, sub_index, env, formula)
    # one cheap pass first: a NaN or inf anywhere in a row makes its row sum non-finite
    finite = np.True_ if np.isfinite(X.sum(axis=1)).all() else np.isfinite(X)
    if not finite.all():
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
    if kind == "multinomial":
        _check_multinomial_rows(
            levels,
            y,
            None if w is None else w[keep],
            X.shape[1],
            outcome_code,
            RowAccounting(n_rows, n_used, n_rows - n_used, tuple(by_col)).describe(),
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
        index=frame.index[keep],
        rows=RowAccounting(n_rows, n_used, n_rows - n_used, tuple(by_col)),
        has_intercept=has_intercept,
        offset_column=offset_column if isinstance(offset, str) else None,
        data_name=data_name,
        columns_used=tuple(used),
        functions=tuple(getattr(env, "functions", None) or ()),
    )
    return drop_aliased(design)


def _eval_outcome(code: str, frame: pd.DataFrame, env: Any) -> pd.Series:
    if code in frame.columns:
        return frame[code]
    scan = formula_check.scan_factor(code)  # checked (cached): only allowed code gets here
    if not scan.names and not scan.calls and len(scan.quoted) == 1 and code.startswith("Q("):
        return frame[scan.quoted[0]]
    try:
        value = env.eval(code, inner_namespace=dict(frame.items()))
    except Exception as exc:  # user expression: report what failed, without a deep traceback
        raise FormulaError(f"cannot evaluate the outcome {code!r}: {exc}") from None
    if isinstance(value, patsy.categorical._CategoricalBox):  # C(y) / C(y, levels=...)
        box = value
        value = pd.Series(np.asarray(box.data), index=frame.index)
        if box.levels is not None:
            value = value.astype(pd.CategoricalDtype(list(box.levels)))
    value = (
        pd.Series(np.asarray(value), index=frame.index)
        if not isinstance(value, pd.Series)
        else value
    )
    if value.shape[0] != frame.shape[0]:
        raise FormulaError(f"the outcome {code!r} does not give one value per row")
    return value


def _rhs_matrix(
    rhs: Any, columns: dict[str, pd.Series], index: pd.Index, env: Any, formula: str
) -> tuple[np.ndarray, Any]:
    """patsy's DesignInfo of the right-hand side and its matrix (filled by design_fast)."""
    na_action = patsy.NAAction(NA_types=[])
    # np.log(0) etc. are reported (or the rows counted as dropped) by the caller, by column
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            info = design_fast.design_info(rhs.rhs_termlist, columns, env, na_action)
            X = design_fast.fill_matrix(info, columns, len(index), index)
            if X is None:  # a case the fast filler does not handle: patsy builds it (or says why)
                frame = pd.DataFrame(columns, index=index)
                (mat,) = patsy.build_design_matrices(
                    [info], frame, NA_action=na_action, return_type="matrix"
                )
                X = np.asarray(mat)
    except patsy.PatsyError as exc:
        raise FormulaError(
            f"cannot build the design matrix of {formula!r}: {_patsy_message(exc)}"
        ) from None
    return X, info


# --------------------------------------------------------------------------- new data


def newdata_matrix(
    design: Design, newdata: Any, *, missing: str = "nan"
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """The design matrix of ``newdata`` built with the training levels and transforms.

    Returns
    -------
    X : ndarray, shape (len(newdata), p)
        Rows that cannot be built (a missing value in a column used) are NaN.
    complete : ndarray of bool
        Which rows are complete.
    index : pandas.Index
        The caller's index of ``newdata``.

    Raises
    ------
    DataError
        ``newdata`` lacks a column, holds a factor level unseen in training, or (with
        ``missing="raise"``) has an incomplete row.
    """
    frame = _as_frame(newdata)
    info = design.design_info
    needed = [c for c in design.columns_used if c != design.outcome]
    # the allow-list again (cached per code): a design may come from elsewhere
    rhs_cols = formula_check.check_factors(
        [factor.code for factor in info.factor_infos],
        list(design.columns_used),
        dict.fromkeys(design.functions),
    )
    lacking = [c for c in rhs_cols if c not in frame.columns]
    if lacking:
        raise DataError(
            f"newdata lacks the column(s) {lacking} used by the model; it has "
            f"{_short_list(list(map(str, frame.columns)))}"
        )
    del needed
    complete = np.ones(frame.shape[0], dtype=bool)
    for c in rhs_cols:
        complete &= ~_isna(frame[c])
    if not complete.all() and missing == "raise":
        bad = [c for c in rhs_cols if _isna(frame[c]).any()]
        raise DataError(f"newdata has missing values in {bad}; pass complete rows")
    sub = pd.DataFrame(
        {c: _normalise_newdata_column(frame[c][complete], c) for c in rhs_cols},
        index=frame.index[complete],
    )
    if not rhs_cols:
        sub = pd.DataFrame(index=frame.index[complete])
    try:
        mat = design_fast.fill_matrix(info, sub, sub.shape[0], sub.index)
        if mat is None:  # not handled by the fast filler (e.g. an unseen level): patsy says why
            (mat,) = patsy.build_design_matrices(
                [info], sub, NA_action=patsy.NAAction(NA_types=[]), return_type="matrix"
            )
    except patsy.PatsyError as exc:
        msg = str(exc)
        m = _UNSEEN_RE.search(msg)
        origin = getattr(getattr(exc, "origin", None), "code", None)
        if m:
            factor = _factor_for_origin(info, exc) or origin or "a factor"
            levels = _training_levels(info, factor)
            raise DataError(
                f"newdata: {factor} holds the level {m.group(1)}, which was not seen in training; "
                f"levels seen in training: {levels}"
            ) from None
        raise DataError(f"cannot build the design matrix for newdata: {msg}") from None
    X = np.full((frame.shape[0], len(info.column_names)), np.nan)
    X[complete] = np.asarray(mat)
    if design.aliased:  # the fit uses only the columns that are not aliased
        X = X[:, [list(info.column_names).index(c) for c in design.column_names]]
    return X, complete, frame.index


def _normalise_newdata_column(s: pd.Series, name: str) -> pd.Series:
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return s.astype(object)
    if pd.api.types.is_numeric_dtype(dtype) and isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return s.astype("float64")
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return s.astype(object)
    return s


def _factor_for_origin(info: Any, exc: Exception) -> str | None:
    origin = getattr(exc, "origin", None)
    if origin is None:
        return None
    text = getattr(origin, "code", None)
    if text:
        sub = text[origin.start : origin.end] if hasattr(origin, "start") else text
        for factor in info.factor_infos:
            if factor.code == sub or factor.code in sub:
                return factor.code
        return sub
    return None


def _training_levels(info: Any, factor_code: str) -> str:
    for factor, fi in info.factor_infos.items():
        if factor.code == factor_code and fi.type == "categorical":
            return _short_list(list(fi.categories))
    return "(see the training data)"

