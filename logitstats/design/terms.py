"""The terms of a built design, for per-term inference (part of the design layer).

Reads the design's plain-data :class:`~logitstats.design.spec.ModelSpec` (so it works for a
design unpickled or loaded from a model file, without patsy's ``DesignInfo``) and returns plain
data: each term's columns of X, its factors (for marginality: term A is contained in
term B when A's factors are a subset of B's) and, for a term made of one categorical factor, the
coding of each level in the term's columns (for discrete-change marginal effects). Aliased columns,
which the fit does not use, are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from logitstats.design.build import Design

__all__ = ["TermInfo", "term_structure"]


@dataclass(frozen=True)
class TermInfo:
    """One model term as the inference code needs it (no patsy objects).

    Attributes
    ----------
    name : str
        patsy's term name (``"C(race)"``, ``"age:smoke"``, ``"Intercept"``).
    columns : tuple of int
        Columns of X the term owns.
    factors : tuple of str
        The factors the term is made of (empty for the intercept); term A is contained in
        term B when A's factors are a subset of B's.
    levels : tuple or None
        For a term made of one categorical factor: its levels, in order.
    contrast : ndarray or None
        For such a term: the (levels x columns) coding of each level in the term's columns.
    """

    name: str
    columns: tuple[int, ...]
    factors: tuple[str, ...]
    levels: tuple[Any, ...] | None = None
    contrast: np.ndarray | None = None


def term_structure(design: Design) -> tuple[TermInfo, ...]:
    """The terms of ``design`` with their columns, factors and (single-factor) codings.

    Examples
    --------
    >>> import logitstats as ls
    >>> fit = ls.logit("had_affair ~ C(religious) * age", data=ls.datasets.load("affairs"))
    >>> [(t.name, t.columns, t.factors) for t in term_structure(fit.design)][2:]
    [('age', (4,), ('age',)), ('C(religious):age', (5, 6, 7), ('C(religious)', 'age'))]
    """
    spec = design.spec
    fitted = {name: j for j, name in enumerate(design.column_names)}  # aliased columns absent
    out: list[TermInfo] = []
    start = 0
    for term in spec.terms:
        width = sum(st.num_columns for st in term.subterms)
        full_cols = range(start, start + width)
        start += width
        kept = [c for c in full_cols if spec.all_columns[c] in fitted]
        if not kept:
            continue
        cols = tuple(fitted[spec.all_columns[c]] for c in kept)
        factors = tuple(spec.factors[i].code for i in term.factors)
        levels = contrast = None
        if len(term.factors) == 1:
            factor = spec.factors[term.factors[0]]
            if factor.type == "categorical" and len(term.subterms) == 1:
                cm = term.subterms[0].contrasts[0]
                if cm is not None and cm.shape[1] == len(full_cols):
                    levels = tuple(factor.levels or ())
                    contrast = np.asarray(cm, dtype=float)[:, [c - full_cols.start for c in kept]]
        out.append(TermInfo(term.name, cols, factors, levels, contrast))
    return tuple(out)
