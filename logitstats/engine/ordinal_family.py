"""The proportional-odds (cumulative) logit of :mod:`logitstats.engine.ordinal` as a
:class:`~logitstats.engine.family.Family`: a thin adapter over its array functions.

The flat parameter vector is ``(beta, theta)``: one slope per design column (no intercept
column: the ``J - 1`` cut-points play its part), then the cut-points. The cut-points are
parameters of the family itself, not design columns, so :meth:`OrdinalFamily.subset` and
:meth:`OrdinalFamily.column_positions` keep them, and the null model (no design columns) is the
thresholds-only fit. Newton runs on the unconstrained ``(beta, tau)`` parametrisation
(:class:`CutpointReparametrisation`), so every trial point has increasing cut-points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from logitstats.engine import ordinal
from logitstats.engine.family import BlockStats, ModelArrays
from logitstats.engine.layout import ParamLayout

__all__ = ["OrdinalFamily", "CutpointReparametrisation", "cutpoint_names"]


def cutpoint_names(levels: Sequence[Any]) -> tuple[str, ...]:
    """``"low|medium"``, ``"medium|high"``: R's names of the cut-points between levels."""
    text = [str(v) for v in levels]
    return tuple(f"{a}|{b}" for a, b in zip(text[:-1], text[1:], strict=True))


@dataclass(frozen=True)
class CutpointReparametrisation:
    """``(beta, theta) <-> (beta, tau)`` with ``tau = (theta_0, log(diff(theta)))``."""

    n_slopes: int

    def to_free(self, params: np.ndarray) -> np.ndarray:
        k = self.n_slopes
        return np.concatenate([params[:k], ordinal.tau_from_theta(params[k:])])

    def to_params(self, free: np.ndarray) -> np.ndarray:
        k = self.n_slopes
        return np.concatenate([free[:k], ordinal.theta_from_tau(free[k:])])

    def jacobian(self, free: np.ndarray) -> np.ndarray:
        k = self.n_slopes
        full = np.eye(free.size)
        full[k:, k:] = ordinal.tau_jacobian(free[k:])
        return full


@dataclass(frozen=True)
class OrdinalFamily:
    """Proportional-odds logit over ``n_levels`` ordered levels (``y`` holds codes).

    Attributes
    ----------
    layout : ParamLayout
        The slopes' names, then the cut-points' names (``"0|1"``, ``"1|2"``, ...).
    n_levels : int
    """

    layout: ParamLayout
    n_levels: int
    intercept_col: int | None = None  # never: the cut-points are the intercepts

    @classmethod
    def for_columns(cls, columns: Sequence[str], n_levels: int) -> OrdinalFamily:
        """A family with slopes named ``columns`` and cut-points named ``"j|j+1"``."""
        cuts = tuple(f"{j}|{j + 1}" for j in range(n_levels - 1))
        return cls(ParamLayout((*columns, *cuts)), int(n_levels))

    @property
    def n_slopes(self) -> int:
        return self.layout.n_terms - (self.n_levels - 1)

    @property
    def n_params(self) -> int:
        return self.layout.size

    outcome_column: ClassVar[bool] = True
    has_reference_level: ClassVar[bool] = False
    defines_residuals: ClassVar[bool] = False

    @property
    def reparametrisation(self) -> CutpointReparametrisation:
        return CutpointReparametrisation(self.n_slopes)

    def block_stats(
        self, block: ModelArrays, params: np.ndarray, with_info: bool = True
    ) -> BlockStats:
        st = ordinal.chunk_stats(
            block.X, block.y, params, self.n_levels, block.weights, block.offset
        )
        return BlockStats(st.loglik, st.score, st.information if with_info else None)

    def loglik_score_info(
        self, arrays: ModelArrays, params: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray]:
        a = arrays
        ll, g, info = ordinal.loglik_score_info(
            a.X, a.y, params, self.n_levels, a.weights, a.offset
        )
        assert info is not None
        return ll, g, info

    def loglik_score(self, arrays: ModelArrays, params: np.ndarray) -> tuple[float, np.ndarray]:
        a = arrays
        ll, g, _ = ordinal.loglik_score_info(
            a.X, a.y, params, self.n_levels, a.weights, a.offset, with_info=False
        )
        return ll, g

    def score_obs(self, arrays: ModelArrays, params: np.ndarray) -> np.ndarray:
        a = arrays
        return ordinal.score_obs(a.X, a.y, params, self.n_levels, a.offset)

    def start(self, arrays: ModelArrays) -> np.ndarray:
        return ordinal.start_values(
            arrays.y, self.n_levels, arrays.weights, n_features=arrays.n_cols
        )

    def linear_predictor(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """``eta = X beta + offset`` (the cut-points are not part of it)."""
        eta = X @ params[: self.n_slopes]
        return eta if offset is None else eta + offset

    def probabilities(
        self, X: np.ndarray, params: np.ndarray, offset: np.ndarray | None = None
    ) -> np.ndarray:
        """``(n, J)`` category probabilities."""
        k = self.n_slopes
        return ordinal.probabilities(X, params[:k], params[k:], offset)

    def subset(self, columns: Sequence[int]) -> OrdinalFamily:
        cols = [int(c) for c in columns]
        cuts = self.layout.terms[self.n_slopes :]
        terms = tuple(self.layout.terms[c] for c in cols) + cuts
        return OrdinalFamily(ParamLayout(terms), self.n_levels)

    def column_positions(self, columns: Sequence[int]) -> np.ndarray:
        cols = np.asarray(columns, dtype=int)
        return np.concatenate([cols, self.n_slopes + np.arange(self.n_levels - 1)])

    def null_columns(self) -> list[int]:
        return []
