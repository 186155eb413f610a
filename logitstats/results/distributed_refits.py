"""LR ``anova`` and profile-likelihood intervals of a fit on a Dask DataFrame, by batched refits.

Each refit (the model without a term) and each profile bound (a sequence of constrained fits)
is the in-memory solver itself, :func:`~logitstats.engine.newton.newton` with
:data:`~logitstats.results.refit.REFIT_OPTIONS` or
:func:`~logitstats.inference.profile.profile_intervals`, run through
:func:`~logitstats.backends.batch.run_batched`: the evaluations every solver still running asks
for are made together, one pass over the partitions per round
(``result.distributed.refits``, a :class:`~logitstats.fit.distributed_refits.PartitionEvaluator`),
and a solver that has converged leaves the batch. The numbers are those of the in-memory
``anova(test="lr")`` and ``conf_int(method="profile")`` (the same solvers on the same sums,
added in another order).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

from logitstats.backends.batch import Ask, run_batched
from logitstats.engine.family import Family
from logitstats.engine.newton import FitState, NewtonOptions, newton
from logitstats.errors import ConvergenceWarning, warn
from logitstats.inference.profile import ProfileIntervals, profile_intervals
from logitstats.results.refit import REFIT_OPTIONS

__all__ = ["refit_batched", "profile_batched"]


def _objective(ask: Ask, family: Family, cols: np.ndarray) -> Any:
    return lambda b: ask((family, cols, b))


def _refit_task(
    family: Family, cols: np.ndarray, start: np.ndarray, fresh: np.ndarray, ask: Ask
) -> FitState:
    """As :func:`~logitstats.results.refit.refit`: from the full estimate without the dropped
    coefficients, again from the start values if that does not converge."""
    obj = _objective(ask, family, cols)
    state = newton(obj, start, REFIT_OPTIONS)
    if state.converged:
        return state
    again = newton(obj, fresh, REFIT_OPTIONS)
    return again if again.loglik >= state.loglik or again.converged else state


def refit_batched(result: Any, drops: Sequence[Sequence[int]]) -> list[FitState]:
    """The fits of ``result``'s model without each set of design columns in ``drops``, all of
    them in the same passes over the partitions.

    Parameters
    ----------
    result : DistributedLogitResult or DistributedMLogitResult
    drops : sequence of sequences of int
        Design columns to leave out, one set per refit.

    Returns
    -------
    list of FitState
        In the order of ``drops``; a refit that does not converge warns (ConvergenceWarning),
        on the caller's thread.
    """
    ev = result.distributed.refits
    names = result.design.column_names
    tasks = []
    for drop in drops:
        keep = np.setdiff1d(np.arange(len(names)), np.asarray(drop, dtype=int))
        family = result.family.subset(list(keep))
        start = result.state.params[result.family.column_positions(keep.tolist())]
        tasks.append(partial(_refit_task, family, keep, start, ev.start(family)))
    states = run_batched(tasks, partial(ev.evaluate, label=f"anova ({len(tasks)} refits)"))
    for drop, state in zip(drops, states, strict=True):
        if not state.converged:
            dropped = ", ".join(names[i] for i in sorted(set(map(int, drop))))
            warn(
                f"the refit without {dropped} did not converge ({state.message}); the tests "
                "that use it are unreliable. Check the model for separation",
                ConvergenceWarning,
            )
    return list(states)


def _bound_task(
    family: Family,
    cols: np.ndarray,
    j: int,
    side: str,
    args: tuple[np.ndarray, float, np.ndarray, float],
    options: NewtonOptions | None,
    ask: Ask,
) -> ProfileIntervals:
    obj = _objective(ask, family, cols)
    return profile_intervals(obj, *args, indices=np.array([j]), options=options, sides=(side,))


def profile_batched(result: Any) -> Any:
    """``intervals(params, loglik, information, level, options=...)`` for
    :func:`~logitstats.results.hypotheses.profile_ci`: the bounds of every parameter, the
    root searches of every parameter and side batched over the partitions.
    """

    def intervals(
        params: np.ndarray,
        loglik: float,
        information: np.ndarray,
        level: float,
        *,
        options: NewtonOptions | None = None,
    ) -> ProfileIntervals:
        ev = result.distributed.refits
        cols = np.arange(len(result.design.column_names))
        args = (params, loglik, information, level)
        k = params.shape[0]
        which = [(j, side) for j in range(k) for side in ("lower", "upper")]
        fam = result.family
        tasks = [partial(_bound_task, fam, cols, j, side, args, options) for j, side in which]
        label = f"profile ({k} parameters, both sides)"
        each = run_batched(tasks, partial(ev.evaluate, label=label))
        lower, upper = np.full(k, np.nan), np.full(k, np.nan)
        unbounded: list[tuple[int, str]] = []
        for (j, side), prof in zip(which, each, strict=True):
            if side == "lower":
                lower[j] = prof.lower[j]
            else:
                upper[j] = prof.upper[j]
            unbounded.extend(prof.unbounded)
        return ProfileIntervals(lower, upper, tuple(unbounded))

    return intervals
