"""Outcome coding: the left-hand side of a formula as 0/1 (binary) or level codes (multinomial,
ordinal).

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
    "ordinal_outcome",
    "check_ordinal_rows",
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
    outcome: str,
    lost: Sequence[Any],
    rows_note: str,
    weighted: bool,
    model: str = "a multinomial logit",
) -> DataError:
    no_rows = "no rows with positive weight" if weighted else "no rows"
    fix = "give them positive weights" if weighted else "fill in the missing values"
    return DataError(
        f"outcome {outcome!r}: the level(s) {short_list(lost)} have {no_rows} left among the "
        f"rows used ({rows_note}); {model} needs rows for every level: {fix} or "
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


def _given_levels(levels: Any, outcome: str) -> list[Any]:
    """The ``levels=`` argument of an ordinal model as a list (checked: non-empty, distinct)."""
    if isinstance(levels, (str, bytes)) or not isinstance(levels, Sequence | np.ndarray):
        raise DataError(
            f"levels= must be a list of the outcome {outcome!r}'s values in their order; got "
            f"{type(levels).__name__} {levels!r}. Pass e.g. levels=['low', 'medium', 'high']"
        )
    given = list(levels)
    if not given:
        raise DataError(
            f"levels= is empty; expected the outcome {outcome!r}'s values in their order. Pass "
            "e.g. levels=['low', 'medium', 'high'], or leave levels=None"
        )
    seen: set[str] = set()
    for lv in given:
        if str(lv) in seen:
            raise DataError(
                f"levels= names the level {lv!r} twice; expected distinct levels; got "
                f"levels=[{short_list(given)}]. Give each level once"
            )
        seen.add(str(lv))
    return given


def ordinal_outcome(
    y: pd.Series, outcome: str, levels: Any = None, *, categories: Sequence[Any] | None = None
) -> tuple[np.ndarray, tuple]:
    """Level codes ``0 .. J-1`` of an ordered outcome and its levels in order.

    The order comes from ``levels`` (a list of the outcome's values), else from an ordered
    pandas Categorical's categories, else from the sorted values of a numeric outcome. An
    unordered string (or unordered Categorical) outcome without ``levels`` is refused: its
    alphabetical order is rarely the intended one. ``categories``: the ordered categories of
    the outcome column as the user gave it (before unused categories are dropped), so that an
    empty category is reported rather than silently merged.

    Raises
    ------
    DataError
        No order available; fewer than three levels (use ``ls.logit``); a level with no rows;
        values of the data missing from ``levels``.
    """
    is_cat = isinstance(y.dtype, pd.CategoricalDtype)
    if levels is None and categories is not None:
        present = set(levels_of(y, outcome))
        empty = [c for c in categories if c not in present]
        if empty:
            raise DataError(
                f"outcome {outcome!r}: the ordered categories {short_list(empty)} have no "
                "rows among the rows used; expected every level to occur (its cut-point is "
                "not identified otherwise). Remove them (y.cat.remove_unused_categories()) "
                "or merge them with a neighbouring level"
            )
    if levels is not None:
        given = _given_levels(levels, outcome)
        data_levels = levels_of(y, outcome)
        unknown = [v for v in data_levels if not any(_same(v, lv) for lv in given)]
        if unknown:
            raise DataError(
                f"outcome {outcome!r} holds the value(s) {short_list(unknown)}, which levels= "
                f"does not list; expected every value of the outcome among levels=; got "
                f"levels=[{short_list(given)}]. Add them to levels= in their place, or drop "
                "those rows"
            )
        absent = [lv for lv in given if not any(_same(v, lv) for v in data_levels)]
        if absent:
            raise DataError(
                f"levels= lists {short_list(absent)}, which the outcome {outcome!r} never takes "
                f"in the rows used; expected every level to have rows (its cut-point is not "
                f"identified otherwise); got the values {short_list(list(data_levels))}. Remove "
                "the empty level(s) from levels= or merge them with a neighbour"
            )
        final = tuple(given)
        # each value of the data -> the position of its level in levels= (vectorised)
        remap = np.array(
            [next(j for j, lv in enumerate(final) if _same(v, lv)) for v in data_levels],
            dtype=np.intp,
        )
        codes = remap[pd.Categorical(y, categories=list(data_levels)).codes]
    else:
        if is_cat and y.cat.ordered:
            final = tuple(y.cat.categories)
            present = set(y.dropna().unique())
            empty = [c for c in final if c not in present]
            if empty:
                raise DataError(
                    f"outcome {outcome!r}: the ordered categories {short_list(empty)} have no "
                    "rows among the rows used; expected every level to occur (its cut-point is "
                    "not identified otherwise). Remove them (y.cat.remove_unused_categories()) "
                    "or merge them with a neighbouring level"
                )
        elif pd.api.types.is_numeric_dtype(y.dtype) and not pd.api.types.is_bool_dtype(y.dtype):
            final = levels_of(y, outcome)
        else:
            found = short_list(list(levels_of(y, outcome)))
            raise DataError(
                f"outcome {outcome!r} is not ordered: expected an ordered pandas Categorical, "
                f"numeric values or levels=[...] giving the order; got unordered values "
                f"{found}. Pass levels=[lowest, ..., highest] (on the command line: --levels "
                "a,b,c)"
            )
        codes = pd.Categorical(y, categories=list(final)).codes.astype(np.intp)
    if len(final) < 3:
        raise DataError(
            f"outcome {outcome!r} has {len(final)} level(s) ({short_list(list(final))}); an "
            "ordinal logit needs at least three ordered levels; got fewer. For two levels use "
            "ls.logit() (the same model: logit P(Y = high) = x'b - theta)"
        )
    return codes, final


def _same(value: Any, level: Any) -> bool:
    try:
        if value == level and type(value) is not bool or value is level:
            return True
    except (TypeError, ValueError):
        pass
    return str(value) == str(level)


def check_ordinal_rows(
    levels: Sequence[Any],
    y: np.ndarray,
    w: np.ndarray | None,
    n_columns: int,
    outcome: str,
    rows_note: str,
) -> None:
    """Every ordered level keeps (weighted) rows; no more parameters than observations."""
    counts = np.bincount(y, weights=w, minlength=len(levels))
    lost = [v for v, c in zip(levels, counts, strict=True) if not c > 0]
    if lost:
        no_rows = "no rows with positive weight" if w is not None else "no rows"
        raise DataError(
            f"outcome {outcome!r}: the level(s) {short_list(lost)} have {no_rows} left among the "
            f"rows used ({rows_note}); an ordinal logit expected rows for every level (a "
            "cut-point next to an empty level is not identified). Merge the empty level with "
            "a neighbour, or pass levels= without it"
        )
    n_params, nobs = n_columns + len(levels) - 1, float(counts.sum())
    if n_params > nobs:
        raise DataError(
            f"the model has {n_params} parameters ({n_columns} design columns and "
            f"{len(levels) - 1} cut-points) but only {nobs:g} observations; use fewer terms or "
            "more data"
        )
