"""The terms of a built design, for per-term inference (part of the design layer).

Reads patsy's ``DesignInfo`` kept in the :class:`~logitstats.design.build.Design` (no patsy
import) and
returns plain data: each term's columns of X, its factors (for marginality: term A is contained in
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
    info = design.design_info
    fitted = {name: j for j, name in enumerate(design.column_names)}  # aliased columns absent
    out: list[TermInfo] = []
    for term in info.terms:
        sl = info.term_slices[term]
        full_cols = range(sl.start, sl.stop)
        kept = [c for c in full_cols if info.column_names[c] in fitted]
        if not kept:
            continue
        cols = tuple(fitted[info.column_names[c]] for c in kept)
        factors = tuple(f.name() for f in term.factors)
        levels = contrast = None
        if len(term.factors) == 1:
            fi = info.factor_infos[term.factors[0]]
            codings = info.term_codings[term]
            if fi.type == "categorical" and len(codings) == 1:
                cm = codings[0].contrast_matrices.get(term.factors[0])
                if cm is not None and cm.matrix.shape[1] == len(full_cols):
                    levels = tuple(fi.categories)
                    contrast = np.asarray(cm.matrix, dtype=float)[:, [c - sl.start for c in kept]]
        out.append(TermInfo(term.name(), cols, factors, levels, contrast))
    return tuple(out)
