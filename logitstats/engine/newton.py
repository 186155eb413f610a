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

from .chunks import single_threaded_blas

__all__ = ["FitState", "NewtonOptions", "newton", "solve_information"]

Objective = Callable[[np.ndarray], tuple[float, np.ndarray, np.ndarray]]


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
