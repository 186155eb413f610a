"""Newton–Raphson with step-halving on an exact log-likelihood.

Convergence follows R's ``glm.fit``: the relative change of the deviance,
``|dev - dev_old| / (|dev| + 0.1) < tol``. Because the deviance is flat near the optimum, Newton
steps continue after that criterion first holds until the Newton decrement ``g' I^{-1} g`` (the
squared length of the next step in standard-error units) is below the absolute bound
:data:`DECREMENT_ABS`, at most :data:`MAX_POLISH` more steps. The bound is scale-free: it does not
grow with the deviance (hence with n), so in-memory, chunked and distributed fits of the same
data stop at the same point, within ~1e-9 SE of the MLE whatever n is. Newton converges
quadratically, so this costs at most one more iteration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.linalg

from logitstats.numerics.parallel import single_threaded_blas, warm_start_rows

if TYPE_CHECKING:
    from logitstats.engine.family import Family, ModelArrays

__all__ = [
    "FitState",
    "NewtonOptions",
    "newton",
    "newton_on",
    "newton_chord",
    "solve_information",
    "fit_family",
    "null_state",
    "fixed_state",
    "ACCEPT_RTOL",
    "DECREMENT_FACTOR",
    "DECREMENT_ABS",
    "MAX_POLISH",
    "decrement_small",
    "WARM_START_TOL",
    "MAX_CHORD",
]

# A trial step is accepted when it does not lower the log-likelihood by more than this relative
# amount (``ll_new >= ll - ACCEPT_RTOL * (|ll| + 1)``): rounding in a sum over n rows is ~1e-16 n
# relative, so an exact ``>=`` would halve steps that are really flat at the optimum.
ACCEPT_RTOL = 1e-12
# The Newton decrement ``g' I^{-1} g`` counts as negligible below
# ``DECREMENT_FACTOR * tol * (|deviance| + 0.1)``: far below the deviance criterion, so that a fit
# declared converged is accurate to machine precision, not to sqrt(tol).
DECREMENT_FACTOR = 1e-6
# Scale-free bound on the Newton decrement (issue 14): a step below 1e-9 standard errors. The
# rounding floor of ``g' I^{-1} g`` is about ``eps^2 n`` (1e-23 at n = 2e8), far below.
DECREMENT_ABS = 1e-18
# Newton steps allowed after the deviance criterion holds while the decrement is above the bound
# (the rounding floor of a badly conditioned fit may sit above it: stop then, converged).
MAX_POLISH = 3
# Convergence tolerance of the warm-start fit on a subsample: its estimate only has to be within
# sampling error of the full-data one.
WARM_START_TOL = 1e-8
# Chord iterations (fixed subsample information) tried before falling back to full Newton.
MAX_CHORD = 10

Objective = Callable[[np.ndarray], tuple[float, np.ndarray, np.ndarray]]
ScoreObjective = Callable[[np.ndarray], tuple[float, np.ndarray]]


@dataclass(frozen=True)
class NewtonOptions:
    """Controls of the Newton iterations (``tol`` as R's ``glm.control(epsilon=)``)."""

    tol: float = 1e-10
    max_iter: int = 50
    max_halvings: int = 40


@dataclass(frozen=True)
class FitState:
    """The state of a finished fit.

    ``information`` is the observed information (minus the Hessian of the log-likelihood) at
    ``params``; ``score`` is the gradient there.
    """

    params: np.ndarray
    loglik: float
    score: np.ndarray
    information: np.ndarray
    n_iter: int
    converged: bool
    message: str = ""

    @property
    def deviance(self) -> float:
        """``-2 * loglik`` (the saturated log-likelihood of individual 0/1 data is zero)."""
        return -2.0 * self.loglik


def solve_information(information: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve ``information @ x = rhs`` by Cholesky; fall back to least squares if not PD.

    BLAS runs on one thread here: a (k, k) solve gains nothing from more, and on a busy machine
    a multi-threaded call can wait a long time for its slowest thread.
    """
    with single_threaded_blas():
        return _solve(information, rhs)


def _solve(information: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        factor = scipy.linalg.cho_factor(information, lower=False, check_finite=False)
        x = scipy.linalg.cho_solve(factor, rhs, check_finite=False)
        if np.all(np.isfinite(x)):
            return x
    except (np.linalg.LinAlgError, ValueError):
        pass
    return scipy.linalg.lstsq(information, rhs, check_finite=False)[0]


def decrement_small(decrement: float, tol: float, deviance: float) -> bool:
    """True when the Newton decrement ``g' I^{-1} g`` is negligible: below :data:`DECREMENT_ABS`,
    or below the old relative bound ``DECREMENT_FACTOR * tol * (|deviance| + 0.1)`` when that is
    smaller (small data: never a looser stop than before)."""
    return decrement <= min(DECREMENT_ABS, DECREMENT_FACTOR * tol * (abs(deviance) + 0.1))


def newton(
    objective: Objective,
    start: np.ndarray,
    options: NewtonOptions | None = None,
) -> FitState:
    """Maximise a concave log-likelihood by Newton–Raphson with step-halving.

    Parameters
    ----------
    objective : callable
        ``objective(params) -> (loglik, score, information)``.
    start : ndarray
        Starting values.
    options : NewtonOptions

    Returns
    -------
    FitState
        ``converged`` is False when ``max_iter`` is reached or no step improves the fit.
    """
    options = options or NewtonOptions()
    params = np.array(start, dtype=np.float64)
    if params.size == 0:
        return fixed_state(objective, params)
    ll, g, info = objective(params)
    if not np.isfinite(ll):
        return FitState(params, ll, g, info, 0, False, "log-likelihood is not finite at the start")
    polished = 0
    for it in range(1, options.max_iter + 1):
        step = solve_information(info, g)
        factor = 1.0
        for _ in range(options.max_halvings + 1):
            cand = params + factor * step
            ll_new, g_new, info_new = objective(cand)
            if np.isfinite(ll_new) and ll_new >= ll - ACCEPT_RTOL * (abs(ll) + 1.0):
                break
            factor *= 0.5
        else:
            return FitState(params, ll, g, info, it, False, "step-halving failed to improve")
        dev_old, dev_new = -2.0 * ll, -2.0 * ll_new
        params, ll, g, info = cand, ll_new, g_new, info_new
        if abs(dev_new - dev_old) / (abs(dev_new) + 0.1) < options.tol:
            decrement = float(g @ solve_information(info, g))
            if polished >= MAX_POLISH or decrement_small(decrement, options.tol, dev_new):
                return FitState(params, ll, g, info, it, True, "converged")
            polished += 1
    return FitState(
        params,
        ll,
        g,
        info,
        options.max_iter,
        False,
        f"no convergence in {options.max_iter} iterations",
    )


def newton_chord(
    objective: Objective,
    score_only: ScoreObjective,
    start: np.ndarray,
    information: np.ndarray,
    options: NewtonOptions | None = None,
    *,
    max_chord: int = MAX_CHORD,
) -> FitState | None:
    """Newton iterations with a fixed approximate information, finished by the exact one.

    For large data started from a subsample estimate: ``information`` is the subsample's
    information scaled to the full data, close to the full-data information at the optimum, so
    steps ``A^{-1} g`` converge linearly at a rate of about the subsample's relative sampling
    error, each needing only the log-likelihood and score (``score_only``), not a new
    information matrix. Once the relative change of the deviance is below ``tol`` and the
    decrement ``g' A^{-1} g`` is negligible, the exact information is computed once
    (``objective``); if its Newton decrement is negligible too the fit is done, otherwise
    :func:`newton` continues from there. Returns None when the chord iterations do not converge
    within ``max_chord`` steps (the caller then runs :func:`newton`).
    """
    options = options or NewtonOptions()
    params = np.array(start, dtype=np.float64)
    try:
        with single_threaded_blas():
            factor = scipy.linalg.cho_factor(information, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return None

    def solve(rhs: np.ndarray) -> np.ndarray:
        with single_threaded_blas():
            return scipy.linalg.cho_solve(factor, rhs, check_finite=False)

    ll, g = score_only(params)
    if not np.isfinite(ll):
        return None
    n_chord = 0
    for _ in range(max_chord):
        n_chord += 1
        step = solve(g)
        if not np.all(np.isfinite(step)):
            return None
        scale = 1.0
        for _ in range(options.max_halvings + 1):
            cand = params + scale * step
            ll_new, g_new = score_only(cand)
            if np.isfinite(ll_new) and ll_new >= ll - ACCEPT_RTOL * (abs(ll) + 1.0):
                break
            scale *= 0.5
        else:
            return None
        dev_old, dev_new = -2.0 * ll, -2.0 * ll_new
        params, ll, g = cand, ll_new, g_new
        # switch to the exact information once the chord steps are small relative to the
        # deviance; the exact check below then applies the scale-free bound (and Newton
        # finishes the job when it is not met)
        small = DECREMENT_FACTOR * options.tol * (abs(dev_new) + 0.1)
        if abs(dev_new - dev_old) / (abs(dev_new) + 0.1) < options.tol and g @ solve(g) <= small:
            break
    else:
        return None
    ll, g, info = objective(params)
    if np.isfinite(ll) and decrement_small(
        float(g @ solve_information(info, g)), options.tol, 2.0 * ll
    ):
        return FitState(params, ll, g, info, n_chord, True, "converged")
    state = newton(objective, params, options)
    return FitState(
        state.params,
        state.loglik,
        state.score,
        state.information,
        n_chord + state.n_iter,
        state.converged,
        state.message,
    )


def fixed_state(
    objective: Objective, params: np.ndarray, message: str = "no free parameters"
) -> FitState:
    """The state at fixed ``params`` with no iterations: the one place a model without free
    parameters (e.g. a null model without intercept: ``eta = offset``) gets its FitState."""
    params = np.array(params, dtype=np.float64)
    ll, g, info = objective(params)
    return FitState(params, ll, g, info, 0, True, message)


def _newton_on(
    family: Family, arrays: ModelArrays, start: np.ndarray, options: NewtonOptions
) -> FitState:
    """:func:`newton` on the family's objective, in its reparametrisation if it has one."""
    return newton_on(family, lambda b: family.loglik_score_info(arrays, b), start, options)


def newton_on(
    family: Family, objective: Objective, start: np.ndarray, options: NewtonOptions
) -> FitState:
    """:func:`newton` on ``objective`` (of ``params``, e.g. summed over the blocks of a
    distributed data set), run in the family's reparametrisation if it has one; the state is
    returned in ``params``."""
    rep = family.reparametrisation
    if rep is None:
        return newton(objective, start, options)

    def free_objective(free: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        ll, g, info = objective(rep.to_params(free))
        jac = rep.jacobian(free)
        return ll, jac.T @ g, jac.T @ info @ jac

    state = newton(free_objective, rep.to_free(start), options)
    # back to params without another pass: the step information is exactly J' I J
    size = state.params.size
    inv = scipy.linalg.solve_triangular(rep.jacobian(state.params), np.eye(size), lower=True)
    info = inv.T @ state.information @ inv
    return FitState(
        rep.to_params(state.params),
        state.loglik,
        inv.T @ state.score,
        (info + info.T) / 2.0,
        state.n_iter,
        state.converged,
        state.message,
    )


def fit_family(
    family: Family,
    arrays: ModelArrays,
    options: NewtonOptions | None = None,
    start: np.ndarray | None = None,
) -> FitState:
    """Maximum-likelihood fit of any :class:`~logitstats.engine.family.Family` by Newton.

    Without ``start``, the family's start values are used; on large data
    (:func:`~logitstats.numerics.parallel.warm_start_rows`) they are first refined by a fit on a
    systematic subsample of the rows, kept only if it converges; its information (scaled to the
    full data) then drives the first full-data steps (:func:`newton_chord`, which needs only the
    log-likelihood and score per step) and the exact information is computed at the optimum.
    An intercept-only model starts at its estimate: nothing to refine.
    """
    options = options or NewtonOptions()
    if start is not None:
        return _newton_on(family, arrays, np.asarray(start, dtype=np.float64), options)
    start = family.start(arrays)
    rows = warm_start_rows(arrays.n_rows, family.n_params) if arrays.n_cols > 1 else None
    if rows is None:
        return _newton_on(family, arrays, start, options)
    sub_arrays = arrays.rows(rows)
    sub = _newton_on(
        family, sub_arrays, start, NewtonOptions(tol=WARM_START_TOL, max_iter=options.max_iter)
    )
    if not (sub.converged and np.all(np.isfinite(sub.params))):
        return _newton_on(family, arrays, start, options)
    if family.reparametrisation is not None:  # chord steps run on params only
        return _newton_on(family, arrays, sub.params, options)
    # the subsample's information, scaled to the full data, serves the first steps
    scale = arrays.total_weight / sub_arrays.total_weight
    del sub_arrays
    state = newton_chord(
        lambda b: family.loglik_score_info(arrays, b),
        lambda b: family.loglik_score(arrays, b),
        sub.params,
        sub.information * scale,
        options,
    )
    if state is not None:
        return state
    return _newton_on(family, arrays, sub.params, options)


def null_state(
    family: Family, arrays: ModelArrays, options: NewtonOptions | None = None
) -> FitState:
    """The null model of a fit (same rows, weights and offset): the family on its
    :meth:`~logitstats.engine.family.Family.null_columns` only, fitted now (never lazily).

    Without an intercept the null model has no free parameters (``eta = offset``) unless the
    family has parameters of its own (ordinal cut-points).
    """
    cols = family.null_columns()
    return fit_family(family.subset(cols), arrays.columns(cols), options)
