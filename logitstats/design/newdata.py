"""The design matrix of new data under a training design (``predict``, marginal effects).

The formula's factors are checked by the allow-list again (a design may come from elsewhere)
and evaluated with the training levels and stateful-transform state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from patsy.categorical import _CategoricalBox

from logitstats.design import fill as design_fast
from logitstats.design import formula as formula_check
from logitstats.design.frame import as_frame, isna, normalise_column, plain, short_list
from logitstats.errors import DataError

if TYPE_CHECKING:
    from logitstats.design.build import Design

__all__ = ["level_codes", "newdata_matrix", "prepare_column"]


def newdata_matrix(
    design: Design, newdata: Any, *, missing: str = "nan"
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """The design matrix of ``newdata`` built with the training levels and transforms.

    Built by the design's :class:`~logitstats.design.spec.ModelSpec` (no patsy object is used:
    the same code path as a spec read from JSON).

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
    spec = design.spec
    # the allow-list again (cached per code): a design may come from elsewhere
    rhs_cols = formula_check.check_factors(
        [factor.code for factor in spec.factors],
        list(design.columns_used),
        dict.fromkeys(design.functions),
    )
    lacking = [c for c in rhs_cols if c not in frame.columns]
    if lacking:
        raise DataError(
            f"newdata lacks the column(s) {lacking} used by the model; it has "
            f"{short_list(list(map(str, frame.columns)))}"
        )
    complete = np.ones(frame.shape[0], dtype=bool)
    for c in rhs_cols:
        complete &= ~isna(frame[c])
    if not complete.all() and missing == "raise":
        bad = [c for c in rhs_cols if isna(frame[c]).any()]
        raise DataError(f"newdata has missing values in {bad}; pass complete rows")
    X = spec.matrix(frame, functions=design.user_functions)
    return X, complete, frame.index


def prepare_column(s: pd.Series, name: str) -> Any:
    """A new-data column as the training design saw it (numbers as numbers; text as is)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty", "boolean", "bytes"):
            return s  # text: coded by lookup among the training levels
    return normalise_column(s, name)


def level_codes(raw: Any, code: str, levels: tuple[Any, ...]) -> np.ndarray:
    """Codes of a categorical factor's values among the training ``levels`` (unseen: DataError)."""
    codes = design_fast.categorical_codes(raw, levels)
    if codes is not None:
        return codes
    data = raw.data if isinstance(raw, _CategoricalBox) else raw
    arr = np.asarray(data, dtype=object)
    idx = pd.Index(list(levels)).get_indexer(arr)
    if (idx < 0).any():
        unseen = list(dict.fromkeys(arr[idx < 0].tolist()))
        more = f" ({len(unseen)} unseen levels: {short_list(unseen)})" if len(unseen) > 1 else ""
        raise DataError(
            f"newdata: {code} holds the level {plain(unseen[0])!r}, which was not seen in "
            f"training; levels seen in training: {short_list(list(levels))}{more}; expected "
            "only those levels: drop or recode those rows"
        )
    return np.asarray(idx, dtype=np.intp)
