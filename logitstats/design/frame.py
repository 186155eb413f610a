"""Data at the boundary of the design layer: a DataFrame, honest column dtypes, missing rows.

:func:`as_frame` accepts a DataFrame, a dict of columns or a structured array;
:func:`normalise_column` gives each predictor column a dtype patsy handles well without ever
changing the caller's data
(numbers stay numbers, text becomes a factor with R's sorted levels, and what cannot be used
honestly is refused with the column named); :func:`extra_vectors` resolves ``weights``,
``offset`` and ``groups``; :func:`missing_rows` finds and counts the incomplete rows.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from logitstats.errors import DataError

__all__ = [
    "RowAccounting",
    "ExtraVectors",
    "MAX_AUTO_LEVELS",
    "EXACT_INT_LIMIT",
    "check_offset",
    "plain",
    "short_list",
    "as_frame",
    "normalise_column",
    "extra_vectors",
    "missing_rows",
    "isna",
]

MAX_AUTO_LEVELS = 1000  # text columns with more distinct values are refused (see normalise_column)


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


def plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (so messages show 1, not np.int64(1))."""
    return value.item() if isinstance(value, np.generic) else value


def short_list(values: Sequence[Any], most: int = 12) -> str:
    shown = ", ".join(repr(plain(v)) for v in list(values)[:most])
    return shown + (f", ... ({len(values)} in all)" if len(values) > most else "")


# --------------------------------------------------------------------------- data frame checks


def _full_type_name(obj: Any) -> str:
    """``'polars.dataframe.frame.DataFrame'``: the type with its module, so that a message never
    reads "expected a DataFrame; got DataFrame" for another library's table."""
    cls = type(obj)
    module = getattr(cls, "__module__", "")
    return cls.__qualname__ if module in ("", "builtins") else f"{module}.{cls.__qualname__}"


def as_frame(data: Any) -> pd.DataFrame:
    """The one conversion of user data to a pandas DataFrame (the caller's object is not changed).

    Accepts a pandas DataFrame (used as is, never mutated), a dict of columns, a numpy structured
    array, and any table with a ``to_pandas()`` method (polars, pyarrow, ...), the Arrow
    PyCapsule interface ``__arrow_c_stream__`` or the interchange protocol ``__dataframe__``;
    the converted frame gives the same fit, bit for bit, as the pandas frame with the same
    columns and dtypes.
    """
    if isinstance(data, pd.DataFrame):
        frame = data
    elif isinstance(data, Mapping):
        try:
            frame = pd.DataFrame(dict(data))
        except ValueError as exc:
            raise DataError(f"data: cannot make a DataFrame from the dict given: {exc}") from None
    elif isinstance(data, np.ndarray) and data.dtype.names:
        frame = pd.DataFrame(data)
    elif any(hasattr(data, a) for a in ("to_pandas", "__arrow_c_stream__", "__dataframe__")):
        frame = _foreign_frame(data)
    else:
        raise DataError(
            "data must be a pandas DataFrame, a dict of columns, a numpy structured array, or a "
            "table with to_pandas(), __arrow_c_stream__ or __dataframe__ (polars, pyarrow); "
            f"got {_full_type_name(data)}. Convert it first, e.g. pd.DataFrame(data)"
        )
    if frame.columns.duplicated().any():
        dups = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise DataError(f"data has duplicate column names {dups}; rename them so each is unique")
    if frame.shape[0] == 0:
        raise DataError("data has no rows; expected at least one row per parameter")
    return frame


def _optional_pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


def _from_interchange(data: Any) -> pd.DataFrame:
    with warnings.catch_warnings():  # pandas deprecates the protocol; it still works
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        return pd.api.interchange.from_dataframe(data, allow_copy=True)


def _foreign_frame(data: Any) -> pd.DataFrame:
    """A polars/pyarrow/... table as a new pandas DataFrame: ``to_pandas()`` if the table has it
    (the library's own conversion keeps dtypes and nulls), else the Arrow PyCapsule stream
    (read with pyarrow), else the dataframe interchange protocol."""
    name = _full_type_name(data)
    pyarrow = _optional_pyarrow() if hasattr(data, "__arrow_c_stream__") else None
    if callable(getattr(data, "to_pandas", None)):
        convert = data.to_pandas
    elif pyarrow is not None:  # the Arrow PyCapsule interface, read by pyarrow
        convert = lambda: pyarrow.table(data).to_pandas()  # noqa: E731
    elif hasattr(data, "__dataframe__"):
        convert = lambda: _from_interchange(data)  # noqa: E731
    else:
        raise DataError(
            f"data: expected a callable to_pandas(), __dataframe__, or __arrow_c_stream__ with "
            f"pyarrow installed; got a {name} with none of them usable. Install pyarrow "
            "(pip install pyarrow) or pass a pandas DataFrame"
        )
    try:
        frame = convert()
    except Exception as exc:  # any library's failure becomes one clear error
        raise DataError(
            f"data: cannot convert the {name} given to a pandas DataFrame ({exc}); "
            "convert it yourself first, e.g. with its to_pandas() method"
        ) from None
    if not isinstance(frame, pd.DataFrame):
        raise DataError(
            f"data: expected {name}.to_pandas() to return a pandas DataFrame; "
            f"got {_full_type_name(frame)}. Convert it yourself first"
        )
    return frame


def normalise_column(s: pd.Series, name: str) -> pd.Series:
    """A copy of a predictor column in a dtype patsy handles well (never changes the caller's).

    Numbers stay numbers: an object column of numbers (Python ints, floats, ``Decimal`` from SQL
    drivers) becomes int64 or float64 when no value loses precision, and is refused, with the
    column named, when one would. Text becomes a factor with sorted levels (R's order); a pandas
    ``category`` keeps its order (unused categories dropped). Dates, durations, complex numbers and
    columns mixing numbers with text are refused: logitstats does not guess what they mean.

    Raises
    ------
    DataError
    """
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return s.cat.remove_unused_categories()
    if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        raise _dates_error(name, str(dtype))
    if pd.api.types.is_timedelta64_dtype(dtype):
        raise _durations_error(name, str(dtype))
    if pd.api.types.is_complex_dtype(dtype):
        raise _complex_error(name, str(dtype))
    if pd.api.types.is_bool_dtype(dtype):
        return s.astype(bool) if not s.isna().any() else s.astype(object)
    if pd.api.types.is_numeric_dtype(dtype):
        if isinstance(dtype, pd.api.extensions.ExtensionDtype):
            if dtype.kind in "iu" and not s.isna().all():
                _check_exact_ints(s.dropna(), name)
            return s.astype("float64")
        return s
    values = s.dropna()
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
        return _numbers_column(s, values, name)
    if inferred in ("complex",):
        raise _complex_error(name, "object holding complex numbers")
    if inferred in ("timedelta", "timedelta64"):
        raise _durations_error(name, "object holding durations")
    if inferred in ("datetime", "datetime64", "date", "period"):
        raise _dates_error(name, "object holding dates")
    if inferred in ("mixed", "mixed-integer"):
        _check_not_mixed(values, name)
        if all(_is_number(v) for v in values):
            return _numbers_column(s, values, name)
    # strings / objects: categorical, levels sorted as R sorts factor levels; one hash pass
    # (codes into the distinct values, missing -1), then the few distinct values are sorted and
    # the codes mapped onto the sorted levels (pd.Categorical(s, categories=...) looks up every
    # value again)
    codes, uniques = pd.factorize(s)
    try:
        cats = sorted(uniques)
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
    order = np.empty(len(cats) + 1, dtype=np.intp)  # code -1 (missing) picks the last entry
    order[:-1] = pd.Index(cats, dtype=object).get_indexer(uniques)
    order[-1] = -1
    dtype = pd.CategoricalDtype(cats)
    return pd.Series(
        pd.Categorical.from_codes(order[codes], dtype=dtype), index=s.index, name=s.name
    )


#: integers of larger magnitude are not all exactly representable in float64 (53-bit mantissa)
EXACT_INT_LIMIT = 2**53


def _is_number(v: Any) -> bool:
    """A real number that is not a bool (``True`` is an int to Python, a level to a formula)."""
    return isinstance(v, int | float | Decimal | np.integer | np.floating) and not isinstance(
        v, bool | np.bool_
    )


def _check_not_mixed(values: pd.Series, name: str) -> None:
    numbers = [v for v in values if _is_number(v)]
    others = [v for v in values if not _is_number(v)]
    if numbers and others:
        raise DataError(
            f"column {name!r} mixes numbers and other values (e.g. {plain(numbers[0])!r} and "
            f"{plain(others[0])!r}); expected one type per column; got "
            f"{sorted({type(v).__name__ for v in values})}. Convert it first: "
            f"pd.to_numeric(df[{name!r}], errors='coerce') for numbers (text becomes missing), "
            f"or df[{name!r}].astype(str) for a factor"
        )


def _check_exact_ints(values: pd.Series, name: str) -> None:
    big = max(abs(int(values.max())), abs(int(values.min())))
    if big > EXACT_INT_LIMIT:
        raise DataError(
            f"column {name!r} holds integers of magnitude up to {big}; expected at most 2**53 "
            "(larger integers lose precision as float64); got a nullable integer column with "
            f"missing values. If it is an identifier, convert it: df[{name!r}].astype(str); "
            "otherwise rescale it"
        )


def _numbers_column(s: pd.Series, values: pd.Series, name: str) -> pd.Series:
    """An object column of numbers as int64 (all integers, none missing) or float64, exactly."""
    items = values.tolist()
    if all(isinstance(v, int | np.integer) for v in items):
        lo, hi = (min(items), max(items)) if items else (0, 0)
        if len(values) == len(s) and -(2**63) <= lo and hi < 2**63:
            return pd.Series(s.to_numpy().astype(np.int64), index=s.index, name=s.name)
        big = max(abs(int(lo)), abs(int(hi)))
        if big > EXACT_INT_LIMIT:
            limit = "the int64 range" if len(values) == len(s) else "2**53 (with missing values)"
            raise DataError(
                f"column {name!r} holds integers of magnitude up to {big}; expected numbers "
                f"within {limit} (larger integers lose precision as float64); got Python ints. "
                f"If it is an identifier, convert it: df[{name!r}].astype(str); otherwise "
                "rescale it"
            )
    out = np.full(len(s), np.nan)
    mask = ~isna(s)
    floats = [float(v) for v in items]
    for v, f in zip(items, floats, strict=True):
        exact = (
            Decimal(repr(f)) == v
            if isinstance(v, Decimal)
            else abs(int(v)) <= EXACT_INT_LIMIT
            if isinstance(v, int | np.integer)
            else True
        )
        if not exact:
            raise DataError(
                f"column {name!r} holds {v!r}, which float64 cannot hold exactly (it would become "
                f"{f!r}); expected numbers that convert without loss of precision; got "
                f"{type(v).__name__} values. Round or rescale the column first, e.g. "
                f"df[{name!r}].astype(float) if the rounding is acceptable"
            )
    out[mask] = floats
    return pd.Series(out, index=s.index, name=s.name)


def _dates_error(name: str, what: str) -> DataError:
    return DataError(
        f"column {name!r} holds dates ({what}); logitstats does not guess how to use a date "
        "as a predictor. Convert it first, e.g. a numeric time such as "
        f"(df[{name!r}] - df[{name!r}].min()).dt.days, or a category such as the year"
    )


def _durations_error(name: str, what: str) -> DataError:
    return DataError(
        f"column {name!r} holds durations ({what}); expected numbers or categories; got "
        "timedelta values, whose unit logitstats does not guess. Convert it with the unit you "
        f"mean, e.g. df[{name!r}].dt.total_seconds() / 3600 for hours"
    )


def _complex_error(name: str, what: str) -> DataError:
    return DataError(
        f"column {name!r} holds complex numbers ({what}); expected real numbers or categories; "
        f"use the part you mean, e.g. np.real(df[{name!r}]) or np.abs(df[{name!r}])"
    )


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


def check_offset(off: np.ndarray, label: str) -> None:
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


def isna(values: Any) -> np.ndarray:
    return np.asarray(pd.isna(values), dtype=bool)


@dataclass(frozen=True)
class ExtraVectors:
    """``weights``, ``offset`` and ``groups`` resolved to arrays over every row of the data."""

    weights: np.ndarray | None
    offset: np.ndarray | None
    groups: np.ndarray | None
    offset_column: str | None


def extra_vectors(frame: pd.DataFrame, weights: Any, offset: Any, groups: Any) -> ExtraVectors:
    """Resolve and check the column-or-array arguments, before any row is dropped.

    NaN weights or group ids are errors; a NaN offset marks its row as missing.

    Raises
    ------
    DataError
    """
    n_rows = frame.shape[0]
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
                f"row {i} (index {plain(frame.index[i])!r}; {int(bad.sum())} bad values in all)"
            )
        if not (w > 0).any():
            raise DataError(f"{wlabel} are all zero; at least one must be positive")
    if offset is not None:
        raw, offset_column = _vector_arg(offset, frame, "offset", n_rows)
        off = _numeric(raw, "offset")
        check_offset(off, f"offset ({offset_column})" if isinstance(offset, str) else "offset")
    if groups is not None:
        grp, gname = _vector_arg(groups, frame, "groups", n_rows)
        if isna(grp).any():
            k = int(isna(grp).sum())
            raise DataError(
                f"groups ({gname}) has {k} missing values; every row needs a cluster id "
                "(drop those rows first or give them their own ids)"
            )
    return ExtraVectors(w, off, grp, offset_column)


def missing_rows(
    frame: pd.DataFrame, used: Sequence[str], off: np.ndarray | None, offset_name: str, raise_: bool
) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """The rows to keep (complete in every column used and in the offset) and the counts by column.

    Raises
    ------
    DataError
        ``raise_`` and some row is incomplete, or no row is complete.
    """
    na_cols: list[tuple[str, np.ndarray]] = []
    for c in used:
        mask = isna(frame[c])
        if mask.any():
            na_cols.append((c, mask))
    if off is not None and np.isnan(off).any():
        na_cols.append((offset_name, np.isnan(off)))
    if na_cols and raise_:
        detail = ", ".join(f"{c} ({int(m.sum())})" for c, m in na_cols)
        raise DataError(
            f"missing values in columns the model uses: {detail}; with missing='raise' "
            "every row must be complete (use missing='drop' to drop incomplete rows)"
        )
    keep = np.ones(frame.shape[0], dtype=bool)
    for _, m in na_cols:
        keep &= ~m
    by_col = [(c, int(m.sum())) for c, m in na_cols]
    if not keep.any():
        raise DataError(
            "every row of data has a missing value in a column the model uses ("
            + ", ".join(f"{c} {k}" for c, k in by_col)
            + "); nothing is left to fit"
        )
    return keep, by_col
