"""The outcome coding of each kind of model: the one place the design layer asks for the kind.

:func:`~logitstats.design.build.build_design` and
:func:`~logitstats.design.aliasing.drop_aliased` look the kind up once in
:data:`OUTCOME_CODINGS` and then call the coding it names; they do not compare kinds. A coding
says how the outcome column becomes codes (0/1 with an event, level codes with a reference, or
ordered level codes), which row checks the kind needs, and whether the intercept column gives way
to cut-points. The design layer imports no engine, so this table is its own (the engine's
families own the same distinctions for the likelihood).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from logitstats.design.outcome import (
    binary_outcome,
    check_multinomial_rows,
    check_ordinal_rows,
    multinomial_outcome,
    ordinal_outcome,
)

__all__ = ["CodedOutcome", "OutcomeCoding", "OUTCOME_CODINGS"]


class CodedOutcome(NamedTuple):
    """The coded outcome: ``y`` (0/1 or level codes), its ``levels``, ``event`` and
    ``reference`` (None where the kind has none)."""

    y: np.ndarray
    levels: tuple[Any, ...]
    event: Any
    reference: Any


@dataclass(frozen=True)
class OutcomeCoding:
    """How one kind of model codes its outcome and checks its rows.

    Attributes
    ----------
    model : str
        The model's name in messages ("a multinomial logit").
    names_lost_levels : bool
        Whether a level that vanished with the dropped rows is an error naming it (every level
        is a parameter column or a cut-point); a binary outcome reports a single value instead.
    more_rows_than_columns : bool
        Whether the aliasing step refuses fewer (positive-weight) rows than design columns
        (binary; the other kinds count observations against parameters in :meth:`check_rows`).
    intercept_is_cut_points : bool
        Whether the intercept column is dropped after aliasing (ordinal: the cut-points play
        its part, :func:`~logitstats.design.build.drop_intercept`).
    """

    model: str
    names_lost_levels: bool
    more_rows_than_columns: bool
    intercept_is_cut_points: bool

    def code(
        self,
        y: pd.Series,
        outcome: str,
        *,
        event: Any = None,
        reference: Any = None,
        levels: Any = None,
        raw: pd.Series | None = None,
    ) -> CodedOutcome:
        """Code the evaluated outcome ``y``; ``raw`` is the outcome column as the user gave it
        (None when the outcome is an expression)."""
        raise NotImplementedError

    def check_rows(
        self,
        levels: Sequence[Any],
        y: np.ndarray,
        w: np.ndarray | None,
        column_names: Sequence[str],
        outcome: str,
        rows_note: str,
        row_checks: bool,
    ) -> None:
        """Refuse rows that cannot identify the model (``row_checks=False``: the checks that
        the distributed path makes itself are left out). Default: none."""


@dataclass(frozen=True)
class _Binary(OutcomeCoding):
    def code(
        self,
        y: pd.Series,
        outcome: str,
        *,
        event: Any = None,
        reference: Any = None,
        levels: Any = None,
        raw: pd.Series | None = None,
    ) -> CodedOutcome:
        return CodedOutcome(*binary_outcome(y, outcome, event))


@dataclass(frozen=True)
class _Multinomial(OutcomeCoding):
    def code(
        self,
        y: pd.Series,
        outcome: str,
        *,
        event: Any = None,
        reference: Any = None,
        levels: Any = None,
        raw: pd.Series | None = None,
    ) -> CodedOutcome:
        codes, lv, ref = multinomial_outcome(y, outcome, reference)
        return CodedOutcome(codes, lv, None, ref)

    def check_rows(
        self,
        levels: Sequence[Any],
        y: np.ndarray,
        w: np.ndarray | None,
        column_names: Sequence[str],
        outcome: str,
        rows_note: str,
        row_checks: bool,
    ) -> None:
        if row_checks:
            check_multinomial_rows(levels, y, w, len(column_names), outcome, rows_note)


@dataclass(frozen=True)
class _Ordinal(OutcomeCoding):
    def code(
        self,
        y: pd.Series,
        outcome: str,
        *,
        event: Any = None,
        reference: Any = None,
        levels: Any = None,
        raw: pd.Series | None = None,
    ) -> CodedOutcome:
        cats = None
        if raw is not None and isinstance(raw.dtype, pd.CategoricalDtype) and raw.cat.ordered:
            cats = tuple(raw.cat.categories)
        codes, lv = ordinal_outcome(y, outcome, levels, categories=cats)
        return CodedOutcome(codes, lv, None, None)

    def check_rows(
        self,
        levels: Sequence[Any],
        y: np.ndarray,
        w: np.ndarray | None,
        column_names: Sequence[str],
        outcome: str,
        rows_note: str,
        row_checks: bool,
    ) -> None:
        # the cut-points replace the intercept: it is not a parameter of its own
        n_slopes = len(column_names) - int("Intercept" in column_names)
        check_ordinal_rows(levels, y, w, n_slopes, outcome, rows_note)


#: the coding of each kind of model (``Design.kind``)
OUTCOME_CODINGS: dict[str, OutcomeCoding] = {
    "binary": _Binary(
        model="a binary logit",
        names_lost_levels=False,
        more_rows_than_columns=True,
        intercept_is_cut_points=False,
    ),
    "multinomial": _Multinomial(
        model="a multinomial logit",
        names_lost_levels=True,
        more_rows_than_columns=False,
        intercept_is_cut_points=False,
    ),
    "ordinal": _Ordinal(
        model="an ordinal logit",
        names_lost_levels=True,
        more_rows_than_columns=False,
        intercept_is_cut_points=True,
    ),
}
