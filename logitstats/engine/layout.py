"""The one owner of the parameter layout: flat vector <-> terms x non-reference outcomes.

Binary models have one column of parameters; multinomial models have one column per
non-reference outcome. The flat vector is outcome-major: all terms of the first non-reference
outcome, then all terms of the second, ... (statsmodels' ``params.ravel(order="F")``, and the order
of R's ``VGAM`` coefficients once regrouped by outcome). Nobody else reshapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ParamLayout"]


@dataclass(frozen=True)
class ParamLayout:
    """Labels and shape of a parameter vector.

    Attributes
    ----------
    terms : tuple of str
        Design column names (one row of the parameter matrix each).
    outcomes : tuple or None
        Non-reference outcome levels (one column each); None for a binary model.
    """

    terms: tuple[str, ...]
    outcomes: tuple[Any, ...] | None = None

    @property
    def n_terms(self) -> int:
        return len(self.terms)

    @property
    def n_outcomes(self) -> int:
        """Number of parameter columns (1 for a binary model)."""
        return 1 if self.outcomes is None else len(self.outcomes)

    @property
    def size(self) -> int:
        return self.n_terms * self.n_outcomes

    @property
    def is_multinomial(self) -> bool:
        return self.outcomes is not None

    def to_matrix(self, flat: np.ndarray) -> np.ndarray:
        """Flat vector (size,) -> matrix (n_terms, n_outcomes)."""
        flat = np.asarray(flat)
        if flat.shape[0] != self.size:
            raise ValueError(f"expected {self.size} parameters, got {flat.shape[0]}")
        return flat.reshape(self.n_outcomes, self.n_terms, *flat.shape[1:]).swapaxes(0, 1)

    def to_flat(self, matrix: np.ndarray) -> np.ndarray:
        """Matrix (n_terms, n_outcomes) -> flat vector (size,)."""
        matrix = np.asarray(matrix)
        if matrix.ndim == 1 and not self.is_multinomial:
            return matrix.copy()
        return np.ascontiguousarray(matrix.swapaxes(0, 1)).reshape(self.size, *matrix.shape[2:])

    def flat_index(self, term: str, outcome: Any = None) -> int:
        """Position of one parameter in the flat vector."""
        j = self.terms.index(term)
        if not self.is_multinomial:
            return j
        assert self.outcomes is not None
        return self.outcomes.index(outcome) * self.n_terms + j

    def labels(self) -> list[tuple[Any, str]]:
        """(outcome, term) per flat position; outcome is None for a binary model."""
        outs = self.outcomes if self.outcomes is not None else (None,)
        return [(o, t) for o in outs for t in self.terms]

    @property
    def index_names(self) -> tuple[str, ...]:
        """Names of the labels of one flat position: ``("term",)``, or ``("outcome", "term")``."""
        return ("term",) if self.outcomes is None else ("outcome", "term")

    def index_tuples(self) -> list[tuple[Any, ...]]:
        """The labels of each flat position, one tuple matching :attr:`index_names` each."""
        if self.outcomes is None:
            return [(t,) for t in self.terms]
        return self.labels()

    def table(self, flat: np.ndarray) -> np.ndarray:
        """Flat vector -> the table it is shown as: (n_terms,) without outcomes, else
        (n_terms, n_outcomes) (:meth:`to_matrix`)."""
        return np.asarray(flat) if self.outcomes is None else self.to_matrix(flat)

    def with_terms(self, terms: tuple[str, ...]) -> ParamLayout:
        """The same outcomes over other terms (e.g. the design columns, aliased ones included)."""
        return ParamLayout(tuple(terms), self.outcomes)

    def place(self, flat: np.ndarray, full: ParamLayout) -> np.ndarray:
        """``flat`` (this layout) placed in ``full`` (a layout with more terms), NaN elsewhere."""
        out = np.full(full.size, np.nan)
        out[[full.flat_index(t, o) for o, t in self.labels()]] = flat
        return out

    def parameter_names(self) -> list[str]:
        """Names of the flat parameters: the term, or ``"term[outcome]"`` with outcomes."""
        if self.outcomes is None:
            return list(self.terms)
        return [f"{t}[{o}]" for o, t in self.labels()]

    def term_positions(self, columns: slice | list[int]) -> np.ndarray:
        """Flat positions of the given design columns, across all outcomes."""
        cols = np.arange(self.n_terms)[columns]
        return np.concatenate([k * self.n_terms + cols for k in range(self.n_outcomes)])
