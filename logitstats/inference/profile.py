"""Profile-likelihood confidence intervals on ndarrays (no pandas, no patsy).

For a parameter ``b_j`` the profile log-likelihood is ``l_p(t) = max_{b: b_j = t} l(b)`` and the
signed root deviance is

    r(t) = sign(t - b_hat_j) * sqrt(2 (l(b_hat) - l_p(t))).

The ``level`` interval is ``{t : |r(t)| <= z}`` with ``z = Phi^{-1}((1 + level) / 2)``
(``z^2`` is the ``chi2_1`` quantile), so each bound is a root of ``r(t) = -/+ z``. The roots are
exact (not interpolated as in ``MASS::confint``):

1. Venzon & Moolgavkar (1988): Newton on the joint system ``r(b) = +/-z``,
   ``dl/db_k = 0 (k != j)`` in all coordinates at once, started at the point the quadratic
   approximation gives, ``b_hat +/- z V[:, j] / sqrt(V_jj)`` with ``V`` the inverse
   information. ``dr/db = -g / r``; each iteration costs one evaluation of the log-likelihood,
   score and information, and convergence is quadratic.
2. If that fails (non-finite values, the wrong side, a flat profile), a safeguarded Newton
   iteration on ``t`` alone with a bracket: each ``r(t)`` from a warm-started constrained
   Newton fit, ``dr/dt = -g_j / r`` with ``g_j`` the score at the constrained optimum.
   The bracket is widened by doubling; when the profile deviance stops growing below
   ``z^2`` the bound is infinite (the profile never crosses: separation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from logitstats.engine.newton import FitState, NewtonOptions, newton
from logitstats.inference.covariance import inverse_information
from logitstats.numerics.distributions import norm_ppf

__all__ = ["ProfileIntervals", "profile_intervals", "constrained_fit"]

Objective = Callable[[np.ndarray], tuple[float, np.ndarray, np.ndarray]]

_MAX_JOINT_ITER = 30
_MAX_DOUBLINGS = 40
_MAX_ROOT_ITER = 100

# The constrained fits: tighter than the default tol = 1e-10, since a bound is the root of a
# difference of two log-likelihoods.
PROFILE_OPTIONS = NewtonOptions(tol=1e-12, max_iter=100)
# Joint (Venzon-Moolgavkar) Newton: give up below this deviance increase (too close to the
# estimate to take the square root reliably) or on a step more than JOINT_MAX_STEP_RATIO times
# the distance from the estimate; converged when every step is below JOINT_STEP_TOL standard
# errors and the signed root is within JOINT_ROOT_TOL of z.
JOINT_MIN_DEVIANCE = 1e-8
JOINT_MAX_STEP_RATIO = 10.0
JOINT_STEP_TOL = 1e-5
JOINT_ROOT_TOL = 1e-4
# Floor of the variances before their square root (a zero variance would divide by 0).
_VARIANCE_FLOOR = 1e-300
# Bracketing: the first step is z se clipped to [BRACKET_MIN, BRACKET_MAX] * (1 + |b_j|); after
# four doublings a deviance that grew by less than FLAT_DEVIANCE_RTOL * z^2 is flat (separation:
# the bound is infinite).
BRACKET_MIN = 1e-3
BRACKET_MAX = 10.0
FLAT_DEVIANCE_RTOL = 1e-7
# The safeguarded root search stops when t moves by at most ROOT_XTOL (1 + |t|) or the signed
# root is within ROOT_FTOL of its target.
ROOT_XTOL = 1e-12
ROOT_FTOL = 1e-11


@dataclass(frozen=True)
class ProfileIntervals:
    """Lower and upper profile bounds of every parameter.

    ``lower``/``upper`` are ``-inf``/``+inf`` where the profile deviance never reaches ``z^2``;
    ``unbounded`` lists those ``(index, side)`` pairs (side ``"lower"`` or ``"upper"``).
    """

    lower: np.ndarray
    upper: np.ndarray
    unbounded: tuple[tuple[int, str], ...]


def _restricted(objective: Objective, j: int, t: float, k: int) -> Objective:
    keep = np.arange(k) != j

    def sub(bm: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        b = np.empty(k)
        b[keep] = bm
        b[j] = t
        ll, g, info = objective(b)
        return ll, g[keep], info[np.ix_(keep, keep)]

    return sub


def constrained_fit(
    objective: Objective,
    j: int,
    t: float,
    start: np.ndarray,
    options: NewtonOptions | None = None,
) -> tuple[FitState, np.ndarray, float]:
    """Maximise ``l`` over all coordinates but ``j``, which is held at ``t``.

    Returns the reduced fit, the full parameter vector at its optimum and the full score's
    ``j``-th component there (the derivative of the profile log-likelihood, ``dl_p/dt``).
    """
    k = start.shape[0]
    keep = np.arange(k) != j
    state = newton(_restricted(objective, j, t, k), start[keep], options)
    b = np.empty(k)
    b[keep] = state.params
    b[j] = t
    _, g, _ = objective(b)
    return state, b, float(g[j])


class _Profiler:
    """Bounds for one parameter and one side."""

    def __init__(
        self,
        objective: Objective,
        b_hat: np.ndarray,
        ll_hat: float,
        cov: np.ndarray,
        options: NewtonOptions,
    ) -> None:
        self.objective = objective
        self.b_hat = b_hat
        self.ll_hat = ll_hat
        self.cov = cov
        self.options = options
        self.k = b_hat.shape[0]

    # ---------------------------------------------------------------- joint Newton
    def joint(self, j: int, side: float, z: float) -> float | None:
        """Venzon–Moolgavkar Newton; None when it does not converge cleanly."""
        b_hat, cov = self.b_hat, self.cov
        vjj = cov[j, j]
        if not (np.isfinite(vjj) and vjj > 0):
            return None
        se = np.sqrt(np.clip(np.diag(cov), _VARIANCE_FLOOR, None))
        b = b_hat + side * z * cov[:, j] / np.sqrt(vjj)
        keep = np.arange(self.k) != j
        target = side * z
        for _ in range(_MAX_JOINT_ITER):
            ll, g, info = self.objective(b)
            d = 2.0 * (self.ll_hat - ll)
            if not (np.isfinite(ll) and d > JOINT_MIN_DEVIANCE and side * (b[j] - b_hat[j]) > 0):
                return None
            r = side * np.sqrt(d)
            gm = g[keep]
            if self.k > 1:
                try:
                    fac = scipy.linalg.cho_factor(info[np.ix_(keep, keep)], check_finite=False)
                except (np.linalg.LinAlgError, ValueError):
                    return None
                a = scipy.linalg.cho_solve(fac, gm, check_finite=False)
                c = scipy.linalg.cho_solve(fac, info[keep, j], check_finite=False)
            else:
                a = c = np.zeros(0)
            denom = g[j] - gm @ c
            # the profile log-likelihood falls away from the estimate: sign(dl_p/dt) = -side
            if not (np.isfinite(denom) and side * denom < 0):
                return None
            dj = (r * (r - target) - gm @ a) / denom
            step = np.empty(self.k)
            step[j] = dj
            step[keep] = a - c * dj
            if not np.all(np.isfinite(step)) or abs(dj) > JOINT_MAX_STEP_RATIO * abs(
                b[j] - b_hat[j]
            ):
                return None
            b = b + step
            if np.max(np.abs(step) / se) < JOINT_STEP_TOL and abs(r - target) < JOINT_ROOT_TOL:
                return float(b[j])
        return None

    # ---------------------------------------------------------------- bracketed Newton on t
    def nested(self, j: int, side: float, z: float) -> float:
        """Safeguarded Newton on ``r(t) = side * z``; ``side * inf`` if it never crosses."""
        b_hat = self.b_hat
        target = z * z
        vjj = self.cov[j, j]
        h = z * np.sqrt(vjj) if np.isfinite(vjj) and vjj > 0 else 1.0
        scale = 1.0 + abs(b_hat[j])
        h = min(max(h, BRACKET_MIN * scale), BRACKET_MAX * scale)
        b_cur = b_hat.copy()
        t_in = float(b_hat[j])
        found = False
        d_prev = 0.0
        for n_doubled in range(_MAX_DOUBLINGS):
            t = float(b_hat[j] + side * h)
            d, gj, b_cur = self._dev(j, t, b_cur)
            if d >= target:
                found = True
                break
            t_in = t
            # a separated direction: the profile deviance levels off below z^2
            if n_doubled >= 4 and d - d_prev < FLAT_DEVIANCE_RTOL * target:
                return side * np.inf
            d_prev = d
            h *= 2.0
        if not found:
            return side * np.inf
        t_out = t
        r_target = side * z
        for _ in range(_MAX_ROOT_ITER):
            r = side * np.sqrt(max(d, 0.0))
            f = r - r_target
            if side * f > 0:
                t_out = t
            else:
                t_in = t
            slope = -gj / r if r != 0 else np.nan
            t_new = t - f / slope if np.isfinite(slope) and slope != 0 else np.nan
            lo, hi = min(t_in, t_out), max(t_in, t_out)
            if not (np.isfinite(t_new) and lo < t_new < hi):
                t_new = 0.5 * (t_in + t_out)
            if abs(t_new - t) <= ROOT_XTOL * (1.0 + abs(t)) or abs(f) < ROOT_FTOL:
                return float(t_new)
            t = t_new
            d, gj, b_cur = self._dev(j, t, b_cur)
        return float(t)

    def _dev(self, j: int, t: float, start: np.ndarray) -> tuple[float, float, np.ndarray]:
        """Profile deviance increase, ``dl_p/dt`` and the constrained optimum at ``t``.

        Two starts are tried, best first: the previous constrained optimum (warm start) and the
        point on the quadratic approximation's profile path, ``b_hat + (t - b_hat_j) V[:, j] /
        V_jj`` (the right start when a direction is nearly flat, e.g. under separation). A start
        from which Newton does not converge is backed up by the other one.
        """
        starts = [start.copy()]
        vjj = self.cov[j, j]
        if np.isfinite(vjj) and vjj > 0 and np.all(np.isfinite(self.cov[:, j])):
            starts.append(self.b_hat + (t - self.b_hat[j]) * self.cov[:, j] / vjj)
        for b0 in starts:
            b0[j] = t
        if len(starts) > 1:
            lls = [self.objective(b0)[0] for b0 in starts]
            lls = [v if np.isfinite(v) else -np.inf for v in lls]
            starts = [starts[i] for i in np.argsort(lls)[::-1]]
        best = None
        for b0 in starts:
            state, b, gj = constrained_fit(self.objective, j, t, b0, self.options)
            if best is None or state.loglik > best[0].loglik:
                best = (state, b, gj)
            if state.converged:
                break
        assert best is not None
        state, b, gj = best
        return 2.0 * (self.ll_hat - state.loglik), gj, b


def profile_intervals(
    objective: Objective,
    params: np.ndarray,
    loglik: float,
    information: np.ndarray,
    level: float = 0.95,
    *,
    indices: np.ndarray | None = None,
    options: NewtonOptions | None = None,
) -> ProfileIntervals:
    """Profile-likelihood intervals of ``params[indices]`` (all by default).

    Parameters
    ----------
    objective : callable
        ``objective(b) -> (loglik, score, information)`` of the model.
    params, loglik, information : the maximum-likelihood fit.
    level : float
        Confidence level.
    indices : ndarray of int, optional
        Which parameters; the others get NaN bounds.
    options : NewtonOptions
        For the constrained fits.

    Returns
    -------
    ProfileIntervals

    Notes
    -----
    Bound ``t`` solves ``2 (l(b_hat) - l_p(t)) = chi2_{1, level}`` on each side of ``b_hat_j``;
    see the module docstring for the algorithm. Intervals do not depend on the covariance type:
    they are likelihood-based.

    Examples
    --------
    >>> import numpy as np
    >>> from logitstats.engine import binary
    >>> X = np.column_stack([np.ones(6), [0.0, 1, 2, 3, 4, 5]]); y = np.array([0.0, 1, 0, 1, 0, 1])
    >>> st = binary.fit(X, y)
    >>> obj = lambda b: binary.loglik_score_info(X, y, b)
    >>> ci = profile_intervals(obj, st.params, st.loglik, st.information)
    >>> bool(ci.lower[1] < st.params[1] < ci.upper[1])
    True
    """
    params = np.asarray(params, dtype=float)
    k = params.shape[0]
    options = options or PROFILE_OPTIONS

    cov = inverse_information(information)
    z = float(norm_ppf(0.5 + level / 2.0))
    prof = _Profiler(objective, params, float(loglik), cov, options)
    lower = np.full(k, np.nan)
    upper = np.full(k, np.nan)
    unbounded: list[tuple[int, str]] = []
    idx = np.arange(k) if indices is None else np.asarray(indices, dtype=int)
    for j in idx:
        for side, out, name in ((-1.0, lower, "lower"), (1.0, upper, "upper")):
            value = prof.joint(int(j), side, z)
            if value is None:
                value = prof.nested(int(j), side, z)
            out[j] = value
            if not np.isfinite(value):
                unbounded.append((int(j), name))
    return ProfileIntervals(lower, upper, tuple(unbounded))
