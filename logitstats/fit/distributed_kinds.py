"""What differs between the kinds of model in a fit on a Dask DataFrame: one dispatch table.

:data:`KINDS` maps the design's kind to its :class:`KindOps`: the engine family of a design,
the outcome coding of a block (level code -> the value the family reads), the row checks on
the reduced outcome counts (as the in-memory design makes them on every row), the separation
check, its remedy and the summary notes. :mod:`logitstats.fit.distributed` asks only this
table, never which kind it has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from logitstats.design.build import Design
from logitstats.design.outcome import check_multinomial_rows, check_ordinal_rows
from logitstats.engine.family import Family
from logitstats.errors import DataError
from logitstats.fit.separation import (
    BINARY_REMEDY,
    MULTINOMIAL_REMEDY,
    ORDINAL_REMEDY,
    binary_separation,
    multinomial_separation,
    ordinal_separation,
)
from logitstats.inference.separation import SeparationInfo

__all__ = ["KindOps", "KINDS", "RowTotals"]


def _no_notes() -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class RowTotals:
    """The reduced outcome totals a row check reads: weighted counts per outcome value (the
    index is the value of :attr:`KindOps.coding`), rows of positive weight, weights given."""

    counts: np.ndarray
    n_positive: int
    weighted: bool
    rows_note: str


@dataclass(frozen=True)
class KindOps:
    """The kind-specific parts of a distributed fit (see the module docstring)."""

    family: Callable[[Design], Family]
    coding: Callable[[Design], np.ndarray]
    check_rows: Callable[[Design, RowTotals], None]
    separation: Callable[[Design], SeparationInfo]
    remedy: str
    notes: Callable[[], tuple[str, ...]] = _no_notes
    #: the Stiemke certificate from per-block sums applies (binary; multinomial per outcome)
    certificate: bool = True


def _binary_coding(design: Design) -> np.ndarray:
    return np.array([v == design.event for v in design.levels], dtype=np.float64)


def _level_codes(design: Design) -> np.ndarray:
    return np.arange(len(design.levels), dtype=np.intp)


def _check_binary(design: Design, totals: RowTotals) -> None:
    p = len(design.spec.all_columns)
    if totals.n_positive < p:
        raise DataError(
            f"the model has {p} parameters (design columns) but only {totals.n_positive} "
            f"rows {'of positive weight ' if totals.weighted else ''}are used; a logistic "
            "regression needs more rows than parameters: use fewer terms or more data"
        )
    coding = _binary_coding(design)
    for value in (0, 1):
        if not totals.counts[value] > 0:
            level = design.levels[int(np.flatnonzero(coding == value)[0])]
            raise DataError(
                f"outcome {design.outcome!r} has no rows with value {level!r} among the rows "
                "used; a binary logit needs both outcomes"
            )


def _check_multinomial(design: Design, totals: RowTotals) -> None:
    check_multinomial_rows(
        design.levels,
        _level_codes(design),
        totals.counts,
        len(design.column_names),
        design.outcome,
        totals.rows_note,
    )


def _check_ordinal(design: Design, totals: RowTotals) -> None:
    check_ordinal_rows(
        design.levels,
        _level_codes(design),
        totals.counts,
        len(design.column_names),
        design.outcome,
        totals.rows_note,
    )


def _binary_family(design: Design) -> Family:
    from logitstats.fit.logit import binary_family

    return binary_family(design)


def _multinomial_family(design: Design) -> Family:
    from logitstats.fit.mlogit import multinomial_family

    return multinomial_family(design)


def _ordinal_family(design: Design) -> Family:
    from logitstats.fit.ologit import ordinal_family

    return ordinal_family(design)


def _ordinal_notes() -> tuple[str, ...]:
    from logitstats.fit.ologit import INTERCEPT_NOTE

    return (INTERCEPT_NOTE,)


KINDS: dict[str, KindOps] = {
    "binary": KindOps(
        _binary_family, _binary_coding, _check_binary, binary_separation, BINARY_REMEDY
    ),
    "multinomial": KindOps(
        _multinomial_family,
        _level_codes,
        _check_multinomial,
        multinomial_separation,
        MULTINOMIAL_REMEDY,
    ),
    "ordinal": KindOps(
        _ordinal_family,
        _level_codes,
        _check_ordinal,
        ordinal_separation,
        ORDINAL_REMEDY,
        _ordinal_notes,
        certificate=False,
    ),
}
