"""The design matrix of new data under a training design (``predict``, marginal effects).

The formula's factors are checked by the allow-list again (a design may come from elsewhere)
and evaluated with the training levels and stateful-transform state.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import patsy

from logitstats.design import fill as design_fast
from logitstats.design import formula as formula_check
from logitstats.design.frame import as_frame, isna, short_list
from logitstats.errors import DataError

if TYPE_CHECKING:
    from logitstats.design.build import Design

__all__ = ["newdata_matrix"]

_UNSEEN_RE = re.compile(r"observation with value (.*?) does not match any of the expected levels")


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
    frame = as_frame(newdata)
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
            f"{short_list(list(map(str, frame.columns)))}"
        )
    del needed
    complete = np.ones(frame.shape[0], dtype=bool)
    for c in rhs_cols:
        complete &= ~isna(frame[c])
    if not complete.all() and missing == "raise":
        bad = [c for c in rhs_cols if isna(frame[c]).any()]
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
            return short_list(list(fi.categories))
    return "(see the training data)"
