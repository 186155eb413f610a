"""Log-likelihood objectives and column-subset refits of a fitted model, for any family.

The inference routines (profile intervals, LR tests, anova) need the model's log-likelihood as a
function of the flat parameter vector and fits of the same model with some design columns
removed. Both go through the result's engine family
(:class:`~logitstats.engine.family.Family`); this module only picks the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from logitstats.engine.newton import FitState, NewtonOptions, fit_family
from logitstats.errors import ConvergenceWarning, warn

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["objective", "refit", "REFIT_OPTIONS"]

Objective = Callable[[np.ndarray], tuple[float, np.ndarray, np.ndarray]]

# Refits feed likelihood-ratio statistics, differences of two log-likelihoods: fitted tighter
# than the default tol = 1e-10 so that the difference keeps its digits.
REFIT_OPTIONS = NewtonOptions(tol=1e-12, max_iter=100)


def objective(result: FitResult) -> Objective:
    """``b -> (loglik, score, information)`` of the fitted model (flat parameter vector)."""
    family, arrays = result.family, result.arrays
    return lambda b: family.loglik_score_info(arrays, b)


def refit(result: FitResult, drop: Sequence[int]) -> FitState:
    """Maximum-likelihood fit of the same model without the design columns ``drop``.

    Started from the full estimate with the dropped coefficients removed (a close start for
    nested models); same rows, weights and offset.
    """
    d = result.design
    keep = np.setdiff1d(np.arange(len(d.column_names)), np.asarray(drop, dtype=int))
    family = result.family.subset(list(keep))
    arrays = result.arrays.columns(keep)
    start = result.state.params[result.family.column_positions(keep.tolist())]
    state = fit_family(family, arrays, REFIT_OPTIONS, start)
    if state.converged:
        return state
    # a poor warm start (dropping a strong predictor): start again as the engine would
    fresh = fit_family(family, arrays, REFIT_OPTIONS)
    best = fresh if fresh.loglik >= state.loglik or fresh.converged else state
    if not best.converged:
        dropped = ", ".join(d.column_names[i] for i in sorted(set(map(int, drop))))
        warn(
            f"the refit without {dropped} did not converge ({best.message}); the tests that "
            "use it are unreliable. Check the model for separation",
            ConvergenceWarning,
        )
    return best
