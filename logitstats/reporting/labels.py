"""Readable term names and reference-level rows for report and comparison tables.

patsy names a column by its factor code and level (``C(rate_marriage)[T.2]``,
``C(race, Treatment('white'))[T.black]:age``); tables show ``rate_marriage: 2`` and
``race: black × age`` instead, with a reference-level row (``rate_marriage: 1``, "— (ref)") before
the levels of a treatment-coded factor. The structure (which columns a term owns, the levels of
a categorical factor and their coding) comes from the design's term information
(:func:`logitstats.design.terms.term_structure`, through the result), never from guessing; only
the level inside patsy's brackets of an interaction column is read from the column name.

Examples
--------
>>> import logitstats as ls
>>> fit = ls.logit("had_affair ~ C(rate_marriage) + age", data=ls.datasets.load("affairs"))
>>> [(r.label, r.reference) for r in term_rows(fit)][:3]
[('Intercept', False), ('rate_marriage: 1', True), ('rate_marriage: 2', False)]
>>> term_rows(fit, labels={"rate_marriage": "Marriage rating", "age": "Age"})[-1].label
'Age'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from logitstats.errors import LogitstatsError
from logitstats.render.data import TermRow

__all__ = ["term_rows", "merge_rows", "select_rows", "check_labels", "factor_variable"]

_QUOTED = re.compile(r"""^Q\(\s*(['"])(.*)\1\s*\)$""", re.S)


def _split_top(text: str, sep: str) -> list[str]:
    """``text`` split on ``sep`` outside parentheses, brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def factor_variable(code: str) -> str:
    """The variable a factor code names: ``C(race, Treatment('white'))`` -> ``race``,
    ``Q("my col")`` -> ``my col``; any other code (``np.log(age)``) as it is.

    >>> factor_variable("C(race, Treatment('white'))"), factor_variable('C(Q("a b"))')
    ('race', 'a b')
    """
    code = code.strip()
    if code.startswith("C(") and code.endswith(")"):
        return factor_variable(_split_top(code[2:-1], ",")[0])
    m = _QUOTED.match(code)
    return m.group(2) if m else code


def _level_of(part: str, factors: Sequence[str]) -> tuple[str, str | None]:
    """A column-name part (``C(race)[T.black]``) as (factor code, level or None)."""
    for code in sorted(factors, key=len, reverse=True):
        if part == code:
            return code, None
        if part.startswith(code + "[") and part.endswith("]"):
            level = part[len(code) + 1 : -1]
            return code, level[2:] if level.startswith("T.") else level
    return part, None


def _label_part(code: str, level: str | None, labels: Mapping[str, str]) -> str:
    var = factor_variable(code)
    name = labels.get(code, labels.get(var, var))
    return name if level is None else f"{name}: {level}"


def _treatment(info: Any) -> tuple[int, list[int]] | None:
    """(reference row, level row of each column) when a single-factor term is treatment
    coded (every column one level's indicator, one level coded all zero); else None."""
    c = getattr(info, "contrast", None)
    if c is None or getattr(info, "levels", None) is None:
        return None
    c = np.asarray(c, dtype=float)
    zero = np.flatnonzero((c == 0).all(axis=1))
    onehot = ((c == 0) | (c == 1)).all() and (c.sum(axis=0) == 1).all()
    if len(zero) != 1 or not onehot:
        return None
    return int(zero[0]), [int(np.flatnonzero(c[:, j])[0]) for j in range(c.shape[1])]


def term_rows(
    result: Any, labels: Mapping[str, str] | None = None, terms: Sequence[str] | None = None
) -> tuple[TermRow, ...]:
    """The display rows of one fit's coefficient table, in the design's order.

    Parameters
    ----------
    result : LogitResult or MLogitResult
    labels : mapping, optional
        Display names keyed by a column's patsy name (``"C(rate_marriage)[T.2]"``), by a
        factor's variable (``"rate_marriage"``, used for all its levels) or by a numeric
        term (``"gpa"``).
    terms : sequence of str, optional
        The column names shown (default: ``result.params``'s terms, aliased ones included).

    Returns
    -------
    tuple of TermRow
        One row per column, plus a reference-level row (``term=None``) before the first
        level of each treatment-coded categorical factor.
    """
    labels = dict(labels or {})
    if terms is None:
        terms = [str(t) for t in dict.fromkeys(result.tidy()["term"])]
    structure = result._term_structure()
    names = list(result.design.column_names)
    owner: dict[str, Any] = {}
    for info in structure:
        for col in info.columns:
            owner[names[col]] = info
    all_factors = [f for info in structure for f in info.factors]
    rows: list[TermRow] = []
    done: set[str] = set()
    for term in terms:
        info = owner.get(term)
        factors = tuple(info.factors) if info is not None else tuple(all_factors)
        group = info.name if info is not None else term
        coding = _treatment(info) if info is not None else None
        if info is not None and coding is not None and group not in done:
            done.add(group)
            code = info.factors[0]
            ref_level = str(info.levels[coding[0]])
            rows.append(
                TermRow(
                    None,
                    _label_part(code, ref_level, labels),
                    group=group,
                    variable=factor_variable(code),
                    reference=True,
                )
            )
        if term in labels:
            label = labels[term]
        elif info is not None and coding is not None:
            j = [names[c] for c in info.columns].index(term)
            label = _label_part(info.factors[0], str(info.levels[coding[1][j]]), labels)
        else:
            parts = [_level_of(p, factors) for p in _split_top(term, ":")]
            label = " × ".join(_label_part(code, level, labels) for code, level in parts)
        single = info is not None and len(info.factors) == 1
        variable = factor_variable(info.factors[0]) if info is not None and single else group
        rows.append(TermRow(term, label, group=group, variable=variable))
    return tuple(rows)


def _key(row: TermRow) -> tuple[str, str]:
    return ("ref", row.group) if row.term is None else ("term", row.term)


def merge_rows(per_model: Iterable[Sequence[TermRow]]) -> tuple[TermRow, ...]:
    """The union of several fits' rows, in order of first appearance (a reference row stays
    just before its factor's first level)."""
    out: dict[tuple[str, str], TermRow] = {}
    for rows in per_model:
        for row in rows:
            out.setdefault(_key(row), row)
    return tuple(out.values())


def _names_of(row: TermRow) -> set[str]:
    return {n for n in (row.term, row.label, row.group, row.variable) if n}


def check_labels(labels: Any) -> dict[str, str]:
    """``labels`` as a dict of str -> str (None: no labels)."""
    if labels is None:
        return {}
    if not isinstance(labels, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in labels.items()
    ):
        raise LogitstatsError(
            "labels must be a dict of term name -> display name (both strings), e.g. "
            f"labels={{'gpa': 'GPA'}}; got labels={labels!r}"
        )
    return dict(labels)


def _name_list(value: Any, argname: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise LogitstatsError(
            f"{argname} must be a list of term names (strings); got {argname}={value!r}"
        )
    return list(value)


def select_rows(
    rows: Sequence[TermRow],
    *,
    order: Any = None,
    drop: Any = None,
    keep: Any = None,
) -> tuple[TermRow, ...]:
    """Reorder and filter rows by name.

    A name matches a row by its patsy column name, its label, its term (``C(race)``) or its
    variable (``race``: every level of the factor, reference row included).

    Parameters
    ----------
    order : list of str, optional
        Rows matching these names first, in this order; the others follow as they were.
    drop, keep : list of str, optional
        Leave out the matching rows, or keep only them (not both).

    Raises
    ------
    LogitstatsError
        A name matches no row, or both ``drop`` and ``keep`` are given.
    """
    order_l = _name_list(order, "order")
    drop_l = _name_list(drop, "drop")
    keep_l = _name_list(keep, "keep")
    if drop_l is not None and keep_l is not None:
        raise LogitstatsError(
            "give drop= or keep=, not both; got drop="
            f"{drop_l!r} and keep={keep_l!r}; use keep= alone to list the rows to show"
        )
    known = sorted({n for row in rows for n in _names_of(row)})
    for argname, names in (("order", order_l), ("drop", drop_l), ("keep", keep_l)):
        for name in names or ():
            if name not in known:
                raise LogitstatsError(
                    f"{argname} names a term that no table row has: {name!r}; expected a "
                    f"column name, label or variable, one of {', '.join(map(repr, known))}"
                )
    out = list(rows)
    if keep_l is not None:
        out = [r for r in out if _names_of(r) & set(keep_l)]
    if drop_l is not None:
        out = [r for r in out if not _names_of(r) & set(drop_l)]
    if order_l:

        def rank(item: tuple[int, TermRow]) -> tuple[int, int]:
            i, row = item
            hits = [k for k, name in enumerate(order_l) if name in _names_of(row)]
            return (min(hits) if hits else len(order_l), i)

        out = [row for _, row in sorted(enumerate(out), key=rank)]
    return tuple(out)
