"""Newton–Raphson with step-halving on an exact log-likelihood.

Convergence follows R's ``glm.fit``: the relative change of the deviance,
``|dev - dev_old| / (|dev| + 0.1) < tol``. Because the deviance is flat near the optimum, one more
Newton step is taken after that criterion first holds unless the Newton decrement
``g' I^{-1} g`` is already negligible; Newton converges quadratically, so the estimate is then
accurate to machine precision rather than to ``sqrt(tol)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from logitstats.numerics.parallel import single_threaded_blas

__all__ = ["FitState", "NewtonOptions", "newton", "newton_chord", "solve_information"]

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
    ll, g, info = objective(params)
    if not np.isfinite(ll):
        return FitState(params, ll, g, info, 0, False, "log-likelihood is not finite at the start")
    if params.size == 0:
        return FitState(params, ll, g, info, 0, True, "no free parameters")
    polished = False
    for it in range(1, options.max_iter + 1):
        step = solve_information(info, g)
        factor = 1.0
        for _ in range(options.max_halvings + 1):
            cand = params + factor * step
            ll_new, g_new, info_new = objective(cand)
            if np.isfinite(ll_new) and ll_new >= ll - 1e-12 * (abs(ll) + 1.0):
                break
            factor *= 0.5
        else:
            return FitState(params, ll, g, info, it, False, "step-halving failed to improve")
        dev_old, dev_new = -2.0 * ll, -2.0 * ll_new
        params, ll, g, info = cand, ll_new, g_new, info_new
        if abs(dev_new - dev_old) / (abs(dev_new) + 0.1) < options.tol:
            decrement = float(g @ solve_information(info, g))
            if polished or decrement <= 1e-6 * options.tol * (abs(dev_new) + 0.1):
                return FitState(params, ll, g, info, it, True, "converged")
            polished = True
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
    max_chord: int = 10,
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
            if np.isfinite(ll_new) and ll_new >= ll - 1e-12 * (abs(ll) + 1.0):
                break
            scale *= 0.5
        else:
            return None
        dev_old, dev_new = -2.0 * ll, -2.0 * ll_new
        params, ll, g = cand, ll_new, g_new
        small = 1e-6 * options.tol * (abs(dev_new) + 0.1)
        if abs(dev_new - dev_old) / (abs(dev_new) + 0.1) < options.tol and g @ solve(g) <= small:
            break
    else:
        return None
    ll, g, info = objective(params)
    if np.isfinite(ll) and float(g @ solve_information(info, g)) <= 1e-6 * options.tol * (
        2.0 * abs(ll) + 0.1
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
