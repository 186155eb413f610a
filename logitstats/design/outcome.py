"""Outcome coding: the left-hand side of a formula as 0/1 (binary) or level codes (multinomial).

The levels are kept in order (sorted, or a pandas ``Categorical``'s own order), so an ordered
outcome can reuse :func:`levels_of` and :func:`match_level` later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import patsy

from logitstats.design import formula as formula_check
from logitstats.design.frame import plain, short_list
from logitstats.errors import DataError, FormulaError

__all__ = [
    "binary_outcome",
    "check_multinomial_rows",
    "eval_outcome",
    "levels_of",
    "lost_levels_error",
    "match_level",
    "multinomial_outcome",
]


def match_level(value: Any, levels: Sequence[Any], argname: str, outcome: str) -> Any:
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
        f"its values are {short_list(list(levels))}"
    )


def levels_of(y: pd.Series, outcome: str) -> tuple[Any, ...]:
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


def binary_outcome(y: pd.Series, outcome: str, event: Any) -> tuple[np.ndarray, tuple, Any, Any]:
    levels = levels_of(y, outcome)
    numeric = pd.api.types.is_numeric_dtype(y.dtype) and not pd.api.types.is_bool_dtype(y.dtype)
    if len(levels) == 1:
        raise DataError(
            f"outcome {outcome!r} has only one value ({plain(levels[0])!r}) in the {y.shape[0]} "
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
                f"{short_list(stray)} besides 0 and 1; "
                + (mlogit if codes else "recode or drop those rows")
            )
        raise DataError(
            f"outcome {outcome!r} has {len(levels)} distinct values ({short_list(levels)}); "
            f"logit() needs exactly two; {mlogit}"
        )
    if numeric and event is None and not set(levels) <= {0, 1}:
        raise DataError(
            f"outcome {outcome!r} is numeric with the values {plain(levels[0])!r} and "
            f"{plain(levels[1])!r}, not "
            f"0/1; pass event=<value> to say which value counts as the event"
        )
    ev = levels[1] if event is None else match_level(event, levels, "event", outcome)
    ref = levels[0] if ev == levels[1] else levels[1]
    yy = (y.to_numpy() == ev).astype(np.float64)
    return yy, levels, ev, ref


def multinomial_outcome(
    y: pd.Series, outcome: str, reference: Any
) -> tuple[np.ndarray, tuple, Any]:
    levels = levels_of(y, outcome)
    if len(levels) < 2:
        raise DataError(
            f"outcome {outcome!r} has only one value ({levels[0]!r}) in the {y.shape[0]} rows "
            "used; a multinomial logit needs at least two outcome levels"
        )
    ref = levels[0] if reference is None else match_level(reference, levels, "reference", outcome)
    codes = pd.Categorical(y, categories=list(levels)).codes.astype(np.intp)
    return codes, levels, ref


def lost_levels_error(
    outcome: str, lost: Sequence[Any], rows_note: str, weighted: bool
) -> DataError:
    no_rows = "no rows with positive weight" if weighted else "no rows"
    fix = "give them positive weights" if weighted else "fill in the missing values"
    return DataError(
        f"outcome {outcome!r}: the level(s) {short_list(lost)} have {no_rows} left among the "
        f"rows used ({rows_note}); a multinomial logit needs rows for every level: {fix} or "
        "remove that level's rows first"
    )


def check_multinomial_rows(
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
        raise lost_levels_error(outcome, lost, rows_note, w is not None)
    n_params, nobs = n_columns * (len(levels) - 1), float(counts.sum())
    if n_params > nobs:
        raise DataError(
            f"the model has {n_params} parameters ({n_columns} design columns x "
            f"{len(levels) - 1} non-reference outcome levels) but only {nobs:g} observations; "
            "use fewer terms or more data"
        )


def eval_outcome(code: str, frame: pd.DataFrame, env: Any) -> pd.Series:
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
