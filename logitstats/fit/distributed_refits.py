"""Passes of a Dask fit after the fit: batched evaluations of refits, the separation certificate.

:class:`PartitionEvaluator` is kept by a distributed result (``result.distributed.refits``):
``evaluate([(family, columns, params), ...])`` returns ``(loglik, score, information)`` of each
model at its point in **one** pass over the partitions (each block is built once and every
request evaluated on it: the same :meth:`~logitstats.engine.family.Family.block_stats` as the
fit). The LR ``anova`` and the profile intervals of a distributed result
(:mod:`logitstats.results.distributed_refits`) run their solvers through it in batches.

:func:`certify_on_partitions` is the exact post-fit separation certificate of
:func:`~logitstats.inference.separation.certify_no_separation` (binary) and
:func:`~logitstats.inference.separation.screen_no_separation_multinomial` (each non-reference
outcome against the reference) computed from per-block sums: at a point ``eta_i = e_i + x_i' d``
(``e`` the fitted linear predictor, or the difference of two outcomes' ones) the score
``g = X' w (y - p)`` and ``A = X' diag(w p (1 - p)) X`` are sums over the rows, and so are the
maxima ``max_i |x_i' v|`` and ``max_i |eta_i|`` (a :class:`~logitstats.backends.dask.Max` per
block). With ``v = A^{-1} g`` solved on the client, ``max_i |x_i' v| < 1/2`` over every row is
the same Stiemke certificate as in memory: no separation, on all rows. A failed bound takes the
Newton step (``d <- d + v``) and checks again, one pass per step for all the outcome pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg

from logitstats.backends.dask import DaskRunner, Max
from logitstats.design import partitions as parts
from logitstats.design.build import Design
from logitstats.engine.family import Family, ModelArrays

__all__ = [
    "PartitionEvaluator",
    "certify_on_partitions",
    "CERTIFICATE_METHOD",
    "CERTIFICATE_STEPS",
]

CERTIFICATE_METHOD = (
    "Stiemke certificate from sums reduced over the partitions (exact, every row; no LP needed)"
)
CERTIFICATE_STEPS = 4  # Newton steps after the first check, as certify_no_separation
_BOUND = 0.5  # max |x' v| below this certifies (room for rounding), as in memory
_ETA_MAX = 18.0  # a fitted probability within 1.5e-8 of 0 or 1: declined, as in memory


def _columns(X: np.ndarray, sel: np.ndarray) -> np.ndarray:
    return X if sel.size == X.shape[1] and np.all(sel == np.arange(X.shape[1])) else X[:, sel]


def _stats_many(
    frame: pd.DataFrame,
    req: parts.Request,
    spec: Any,
    coding: np.ndarray,
    models: list[tuple[Family, np.ndarray]],
    which: list[int],
    points: list[np.ndarray],
) -> dict[int, dict[str, Any]]:
    """``block_stats`` of every ``(models[which[i]], points[i])`` on one block (built once)."""
    b = parts.block(frame, req, spec, coding)
    out: dict[int, dict[str, Any]] = {}
    arrays = {}
    for i, (m, params) in enumerate(zip(which, points, strict=True)):
        family, sel = models[m]
        if m not in arrays:
            X = np.ascontiguousarray(_columns(b.X, sel))
            arrays[m] = ModelArrays(X, b.y, b.weights, b.offset)
        a = arrays[m]
        k = family.n_params
        if a.n_rows == 0:
            out[i] = {"ll": 0.0, "score": np.zeros(k), "info": np.zeros((k, k))}
            continue
        s = family.block_stats(a, params, True)
        out[i] = {"ll": s.loglik, "score": s.score, "info": s.information}
    return out


@dataclass(frozen=True, eq=False)
class PartitionEvaluator:
    """Evaluates several models at several points in one pass over the partitions.

    Parameters
    ----------
    runner : DaskRunner
        The fit's runner (its scheduler, progress logging and pass count).
    req, spec, coding :
        The partition request, the spec building every design column of a block and the
        outcome coding (as the fit's blocks: :func:`~logitstats.design.partitions.block`).
    columns : ndarray of int
        Positions of the fitted design columns in ``spec.all_columns``.
    counts : ndarray
        Weighted outcome counts of the rows used (fresh start values of a refit).
    design : Design
        The fitted design (without rows).
    """

    runner: DaskRunner
    req: parts.Request
    spec: Any
    coding: np.ndarray
    columns: np.ndarray
    counts: np.ndarray
    design: Design

    def evaluate(
        self, requests: list[tuple[Family, np.ndarray, np.ndarray]], label: str
    ) -> list[tuple[float, np.ndarray, np.ndarray]]:
        """``(loglik, score, information)`` of each ``(family, design columns, params)``."""
        models: list[tuple[Family, np.ndarray]] = []
        keys: dict[tuple[int, bytes], int] = {}
        which = []
        for family, cols, _ in requests:
            key = (id(family), np.asarray(cols, dtype=np.intp).tobytes())
            if key not in keys:
                keys[key] = len(models)
                models.append((family, self.columns[np.asarray(cols, dtype=np.intp)]))
            which.append(keys[key])
        points = [np.asarray(p, dtype=np.float64) for _, _, p in requests]

        def describe(out: dict[int, dict[str, Any]]) -> str:
            devs = [-2.0 * out[i]["ll"] for i in range(len(requests))]
            return f"{len(requests)} fits, deviances {min(devs):.10g} to {max(devs):.10g}"

        out = self.runner.map_reduce(
            _stats_many,
            self.req,
            self.spec,
            self.coding,
            models,
            which,
            points,
            label=label,
            describe=describe,
        )
        return [(out[i]["ll"], out[i]["score"], out[i]["info"]) for i in range(len(requests))]

    def start(self, family: Family) -> np.ndarray:
        """The family's start values from the reduced outcome counts (as the fit's)."""
        from logitstats.fit.distributed import _start

        y_values = np.arange(len(self.spec.levels)).astype(self.coding.dtype)
        return _start(family, len(self.design.column_names), y_values, self.counts)


# --------------------------------------------------------------------------- separation


def _level_predictors(eta: np.ndarray) -> np.ndarray:
    """``(n, K)`` linear predictors by outcome code: a binary family's ``(n,)`` one is
    ``[0, eta]`` (code 0 the reference, 1 the event); a multinomial one already is."""
    return eta if eta.ndim == 2 else np.column_stack([np.zeros(eta.shape[0]), eta])


def _problems(family: Family, params: np.ndarray, spec: Any) -> list[tuple[int, int]]:
    """The binary problems of the certificate, ``(code coded 1, code coded 0)``: the event
    against the rest, or each outcome against the reference (the pairs of the LP)."""
    probe = family.linear_predictor(np.zeros((1, family.layout.n_terms)), params)
    if probe.ndim == 1:
        return [(1, 0)]
    r = list(spec.levels).index(spec.reference)
    return [(k, r) for k in range(probe.shape[1]) if k != r]


def _certificate_block(
    frame: pd.DataFrame,
    req: parts.Request,
    spec: Any,
    coding: np.ndarray,
    family: Family,
    sel: np.ndarray,
    params: np.ndarray,
    problems: list[tuple[int, int]],
    shifts: list[np.ndarray],
    steps: list[np.ndarray | None],
) -> dict[int, dict[str, Any]]:
    """Per problem: ``max |eta|`` at ``e + X d``, ``max |X v|`` and the sums ``g``, ``A`` at
    ``e + X (d + v)`` (``v`` the pending Newton step, none at first), on the rows of positive
    weight whose outcome belongs to the problem."""
    b = parts.block(frame, req, spec, coding)
    X = np.ascontiguousarray(_columns(b.X, sel))
    w = np.ones(X.shape[0]) if b.weights is None else b.weights
    E = _level_predictors(family.linear_predictor(X, params, b.offset))
    out: dict[int, dict[str, Any]] = {}
    p = X.shape[1]
    for i, ((hi, lo), d, v) in enumerate(zip(problems, shifts, steps, strict=True)):
        rows = (w > 0) & ((b.y == hi) | (b.y == lo))
        y = (b.y[rows] == hi).astype(np.float64)
        xr = X[rows]
        eta = (E[rows, hi] - E[rows, lo]) + xr @ d
        step = np.zeros_like(eta) if v is None else xr @ v
        at = eta + step
        prob = 1.0 / (1.0 + np.exp(-at))
        wr = w[rows]
        s = wr * prob / (1.0 + np.exp(at))
        out[i] = {
            "eta": Max(np.abs(eta).max(initial=0.0)),
            "step": Max(np.abs(step).max(initial=0.0)),
            "g": xr.T @ (wr * (y - prob)) if xr.shape[0] else np.zeros(p),
            "A": (xr * s[:, None]).T @ xr if xr.shape[0] else np.zeros((p, p)),
        }
    return out


def _newton_step(g: np.ndarray, a: np.ndarray) -> np.ndarray | None:
    """``A^{-1} g`` over the columns that touch some row; None when ``A`` is not p.d."""
    live = np.diag(a) > 0
    v = np.zeros(g.shape[0])
    try:
        factor = scipy.linalg.cho_factor(a[np.ix_(live, live)], check_finite=False)
        v[live] = scipy.linalg.cho_solve(factor, g[live], check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return None
    return v if np.all(np.isfinite(v)) else None


def certify_on_partitions(
    evaluator: PartitionEvaluator, family: Family, params: np.ndarray, *, max_passes: int = 6
) -> bool:
    """True when the Stiemke certificate, from sums over every partition, proves that no
    outcome is separated (from the reference); False when it cannot decide (module notes).

    One pass per check, every outcome pair at once, at most ``CERTIFICATE_STEPS + 1`` checks
    (``max_passes`` passes: the first pass of a multinomial model only computes the sums).
    """
    spec = evaluator.spec
    counts = evaluator.counts
    problems = _problems(family, params, evaluator.design.spec)
    # an outcome level with no rows has no pair to check (as the LP on the levels present)
    problems = [(hi, lo) for hi, lo in problems if counts[hi] > 0 and counts[lo] > 0]
    p = evaluator.columns.shape[0]
    shifts = [np.zeros(p) for _ in problems]
    steps: list[np.ndarray | None] = [None] * len(problems)
    checks = [0] * len(problems)
    todo = list(range(len(problems)))
    for _ in range(max_passes):
        if not todo:
            return True
        out = evaluator.runner.map_reduce(
            _certificate_block,
            evaluator.req,
            spec,
            evaluator.coding,
            family,
            evaluator.columns,
            params,
            [problems[i] for i in todo],
            [shifts[i] for i in todo],
            [steps[i] for i in todo],
            label="separation certificate",
        )
        left = []
        for j, i in enumerate(todo):
            o = out[j]
            if float(o["eta"].value) > _ETA_MAX:
                return False
            pending = steps[i]
            if pending is not None:
                checks[i] += 1
                if float(o["step"].value) < _BOUND:
                    continue  # certified
                if checks[i] > CERTIFICATE_STEPS:
                    return False
                shifts[i] = shifts[i] + pending
            v = _newton_step(o["g"], o["A"])
            if v is None:
                return False
            steps[i] = v
            left.append(i)
        todo = left
    return not todo
