"""Dropping aliased (perfectly collinear) columns from a design, as R's ``glm`` does.

Part of the design layer: :func:`drop_aliased` takes the design built by
:func:`logitstats.design.build.build_design`, finds the aliased columns with
:func:`logitstats.numerics.rank.aliased_columns` (R's rule: the first of a set of collinear columns,
in column order, is kept) and returns a design without them, naming each dropped column and the
reason. Engines then fit the reduced matrix; results show the dropped columns as NaN rows.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from logitstats.design.codings import OUTCOME_CODINGS
from logitstats.errors import CollinearityWarning, DataError, warn
from logitstats.numerics.rank import aliased_columns

__all__ = ["drop_aliased", "apply_aliasing", "alias_reason"]


def alias_reason(name: str, combination: list[tuple[str, float]]) -> str:
    """``'x2 = 2 * x1'``, ``'z is constant (= 3 * Intercept)'`` or ``'d is all zero'``."""
    if not combination:
        return f"{name} is all zero"
    if len(combination) == 1 and combination[0][0] == "Intercept":
        return f"{name} is constant (= {combination[0][1]:.6g} * Intercept)"
    parts = " + ".join(f"{c:.6g} * {k}" if c != 1.0 else k for k, c in combination)
    return f"{name} = {parts}"


MAX_SUM_SQUARES = 1e300  # float64 overflows at 1.8e308; X'WX sums n * x^2 * w / 4
_MAX_SUM_SQUARES = MAX_SUM_SQUARES


def _check_magnitude(
    X: np.ndarray, *, names: tuple[str, ...], max_abs: np.ndarray | None = None
) -> None:
    """DataError when sums of squares of a column (as in X'WX) would overflow float64.

    ``max_abs``: each column's ``max |x|`` when already known (taken while X was filled).
    """
    if X.size == 0:
        return
    # max |x|, without an n x p temporary
    big = np.maximum(X.max(axis=0), -X.min(axis=0)) if max_abs is None else max_abs
    limit = np.sqrt(_MAX_SUM_SQUARES / X.shape[0])
    bad = np.flatnonzero(big > limit)
    if bad.size:
        j = int(bad[0])
        raise DataError(
            f"column {names[j]!r} holds values as large as {big[j]:.3g}; expected magnitudes "
            f"below {limit:.3g} for {X.shape[0]} rows, or the information matrix X'WX overflows "
            "double precision. Rescale it (e.g. divide by a power of 10) or take its logarithm"
        )


def drop_aliased(design: Any, *, max_abs: np.ndarray | None = None) -> Any:
    """The design without its aliased columns (a new object; the input is not changed).

    Parameters
    ----------
    design : Design
        A :class:`~logitstats.errors.CollinearityWarning` is issued (once, attributed to the
        user's call) when columns are dropped.
    max_abs : ndarray, optional
        Each column's largest absolute value, when the builder already has it (one pass over
        the matrix fewer); computed from ``design.X`` otherwise.

    Returns
    -------
    Design
        ``X``, ``column_names`` and ``term_slices`` reduced (terms whose columns are all aliased
        are left out of ``term_slices``); ``aliased`` names the dropped columns and
        ``aliased_reasons`` says for each what it is a combination of.

    Raises
    ------
    DataError
        A binary design with fewer rows (of positive weight) than columns.
    """
    X = design.X
    w = design.weights
    n_rows = int(X.shape[0] if w is None else np.count_nonzero(w > 0))
    p = X.shape[1]
    if OUTCOME_CODINGS[design.kind].more_rows_than_columns and n_rows < p:
        raise DataError(
            f"the model has {p} parameters (design columns) but only {n_rows} rows "
            f"{'of positive weight ' if w is not None else ''}are used; a logistic regression "
            "needs more rows than parameters: use fewer terms or more data"
        )
    _check_magnitude(X, names=design.column_names, max_abs=max_abs)
    aliased, combination = aliased_columns(X, w)
    return apply_aliasing(design, aliased, combination)


def apply_aliasing(
    design: Any, aliased: list[int], combination: dict[int, list[tuple[int, float]]]
) -> Any:
    """The design without the columns ``aliased`` (found by
    :func:`~logitstats.numerics.rank.aliased_columns` or, for data summed by blocks,
    :func:`~logitstats.numerics.rank.aliased_from_gram`): names, reasons, one warning."""
    if not aliased:
        return design
    X = design.X
    p = len(design.column_names)
    names = design.column_names
    kept = [j for j in range(p) if j not in set(aliased)]
    new_pos = {j: i for i, j in enumerate(kept)}
    slices = []
    for term, sl in design.term_slices:
        cols = [new_pos[j] for j in range(p)[sl] if j in new_pos]
        if cols:
            slices.append((term, slice(cols[0], cols[-1] + 1)))
    reasons = tuple(
        alias_reason(names[j], [(names[k], c) for k, c in combination[j]]) for j in aliased
    )
    warn(
        f"{len(aliased)} design column(s) are perfectly collinear with others and were dropped "
        f"(aliased, shown as NaN): {'; '.join(reasons)}",
        CollinearityWarning,
    )
    return dataclasses.replace(
        design,
        X=np.ascontiguousarray(X[:, kept]) if X.shape[1] == p else X,
        column_names=tuple(names[j] for j in kept),
        term_slices=tuple(slices),
        aliased=tuple(names[j] for j in aliased),
        aliased_reasons=reasons,
    )
