"""Parsing a formula with patsy's parser: outcome code, right-hand-side terms, ``offset()``."""

from __future__ import annotations

import difflib
import functools
import sys
from collections.abc import Sequence
from typing import Any

import pandas as pd
import patsy

from logitstats.design import formula as formula_check
from logitstats.design import rhabits
from logitstats.errors import FormulaError

__all__ = [
    "MAX_RECURSION_LIMIT",
    "formula_offset",
    "parse_formula",
    "patsy_message",
    "referenced_columns",
]

MAX_RECURSION_LIMIT = 50_000  # patsy's parser recurses per term: a bounded, temporary raise
# Parsed formulas kept (patsy's parse of "y ~ x0 + ... + x49" is ~9 ms: it de-duplicates the
# term list at every "+"); the terms and factors are immutable, so repeated fits share them.
PARSE_CACHE_SIZE = 256


def patsy_message(exc: Exception) -> str:
    """patsy's error on one line (its own text draws a caret under the formula on extra lines)."""
    msg = " ".join(str(getattr(exc, "message", None) or exc).split("\n")[0].split())
    origin = getattr(exc, "origin", None)
    if origin is not None and getattr(origin, "code", None) is not None:
        where = origin.code[origin.start : origin.end]
        msg += f" (at {where!r}, character {origin.start + 1})" if where else ""
    return msg


def parse_formula(formula: str) -> tuple[str, Any]:
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
        lhs_terms, rhs_terms = _parsed(formula)
    except patsy.PatsyError as exc:
        power = (
            "; patsy writes R's (a + b)^2 as (a + b)**2 (and x^2 inside I() as x**2)"
            if "^" in formula
            else ""
        )
        raise FormulaError(
            f"cannot parse formula {formula!r}: {patsy_message(exc)}; check the syntax, "
            f"e.g. 'y ~ x1 + C(group) + np.log(x2)'{power}"
        ) from None
    lhs = lhs_terms
    if len(lhs) != 1 or len(lhs[0].factors) != 1:
        raise FormulaError(
            f"formula must have exactly one outcome on the left of '~'; got {formula!r}"
        )
    rhs = patsy.ModelDesc([], list(rhs_terms))  # a new list: callers may build on it
    if not rhs_terms:
        raise FormulaError(
            f"formula has no terms on the right of '~' (not even an intercept): {formula!r}; "
            "use 'y ~ 1' for an intercept-only model"
        )
    return lhs[0].factors[0].code, rhs


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parsed(formula: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The left- and right-hand-side terms of ``formula`` (patsy ``Term`` objects, immutable),
    parsed once per formula string; a parse error is raised each time (not cached)."""
    desc = parse_long(formula)
    return tuple(desc.lhs_termlist), tuple(desc.rhs_termlist)


def parse_long(formula: str) -> Any:
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


def formula_offset(rhs: Any, offset: Any, kind: str, frame: pd.DataFrame) -> tuple[Any, Any]:
    """R's ``y ~ x + offset(z)``: the term leaves the right-hand side and ``z`` is the offset."""
    found = [
        (term, col)
        for term in rhs.rhs_termlist
        if len(term.factors) == 1 and (col := rhabits.offset_term(term.factors[0].code)) is not None
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


def referenced_columns(codes: Sequence[str], data: pd.DataFrame, env: Any) -> list[str]:
    """Columns of data used by the formula, in formula order (the allow-list check of each
    factor, :func:`logitstats.design.formula.check_factors`, runs first: nothing is evaluated)."""
    return formula_check.check_factors(
        codes, list(map(str, data.columns)), getattr(env, "functions", None)
    )
