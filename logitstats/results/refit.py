"""Log-likelihood objectives and column-subset refits of a fitted model, for either model kind.

The inference routines (profile intervals, LR tests, anova) need the model's log-likelihood as a
function of the flat parameter vector and fits of the same model with some design columns
removed. Both go through the engines (:mod:`logitstats.engine.binary`,
:mod:`logitstats.engine.multinomial`); this module only picks the engine and the columns.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from logitstats.engine import FitState, NewtonOptions
from logitstats.engine import binary as binary_engine
from logitstats.engine import multinomial as mnl_engine
from logitstats.engine.layout import ParamLayout
from logitstats.errors import ConvergenceWarning

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["objective", "refit", "REFIT_OPTIONS"]

Objective = Callable[[np.ndarray], tuple[float, np.ndarray, np.ndarray]]

REFIT_OPTIONS = NewtonOptions(tol=1e-12, max_iter=100)


def _reference_code(result: FitResult) -> int:
    d = result.design
    return list(d.levels).index(d.reference)


def objective(result: FitResult) -> Objective:
    """``b -> (loglik, score, information)`` of the fitted model (flat parameter vector)."""
    d = result.design
    if result.layout.is_multinomial:
        layout, ref = result.layout, _reference_code(result)
        return lambda b: mnl_engine.loglik_score_info(d.X, d.y, b, layout, ref, d.weights)
    return lambda b: binary_engine.loglik_score_info(d.X, d.y, b, d.weights, d.offset)


def refit(result: FitResult, drop: Sequence[int]) -> FitState:
    """Maximum-likelihood fit of the same model without the design columns ``drop``.

    Started from the full estimate with the dropped coefficients removed (a close start for
    nested models); same rows, weights and offset.
    """
    d = result.design
    keep = np.setdiff1d(np.arange(len(d.column_names)), np.asarray(drop, dtype=int))
    X = np.ascontiguousarray(d.X[:, keep])
    start = result.state.params[result.layout.term_positions(list(keep))]
    names = [d.column_names[i] for i in keep]
    icol = names.index("Intercept") if "Intercept" in names else None
    if result.layout.is_multinomial:
        layout = ParamLayout(
            tuple(d.column_names[i] for i in keep), outcomes=result.layout.outcomes
        )
        if keep.size == 0:
            ll, g, info = mnl_engine.loglik_score_info(
                X, d.y, np.zeros(0), layout, _reference_code(result), d.weights
            )
            return FitState(np.zeros(0), ll, g, info, 0, True, "no free parameters")
        ref = _reference_code(result)

        def run(b0: np.ndarray | None) -> FitState:
            return mnl_engine.fit(
                X, d.y, layout, ref, d.weights, start=b0, intercept_col=icol, options=REFIT_OPTIONS
            )

    else:
        if keep.size == 0:
            ll, g, info = binary_engine.loglik_score_info(X, d.y, np.zeros(0), d.weights, d.offset)
            return FitState(np.zeros(0), ll, g, info, 0, True, "no free parameters")

        def run(b0: np.ndarray | None) -> FitState:
            return binary_engine.fit(
                X, d.y, d.weights, d.offset, start=b0, intercept_col=icol, options=REFIT_OPTIONS
            )

    state = run(start)
    if state.converged:
        return state
    # a poor warm start (dropping a strong predictor): start again as the engine would
    fresh = run(None)
    best = fresh if fresh.loglik >= state.loglik or fresh.converged else state
    if not best.converged:
        dropped = ", ".join(d.column_names[i] for i in sorted(set(map(int, drop))))
        warnings.warn(
            f"the refit without {dropped} did not converge ({best.message}); the tests that "
            "use it are unreliable. Check the model for separation",
            ConvergenceWarning,
            stacklevel=4,
        )
    return best
