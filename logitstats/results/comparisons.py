r"""Comparisons of average predicted probabilities: risk differences, risk ratios, odds ratios.

For a change of one variable, every row of the data is set to the "high" value and to the "low"
value, the model predicts both copies, and the (weighted) averages :math:`m_1` and :math:`m_0`
are compared (``marginaleffects::avg_comparisons``):

- ``"difference"``: :math:`m_1 - m_0` (``comparison = "difference"``; the average of the row
  differences);
- ``"ratio"``: :math:`m_1 / m_0` (``"ratioavg"``), the risk ratio;
- ``"lnor"``: :math:`\log\frac{m_1/(1 - m_1)}{m_0/(1 - m_0)}` (``"lnoravg"``), the log odds
  ratio of the average probabilities.

Changes: a categorical variable gives each level against its reference level (or the pair
``(low, high)`` given); a numeric variable ``x`` is moved forward by 1 (``x`` -> ``x + 1``, as
``avg_comparisons``' default), by ``delta`` when ``{"x": delta}``, or set to ``low`` and ``high``
with ``{"x": (low, high)}``. The Jacobians of :math:`m_1, m_0` are exact
(:mod:`logitstats.inference.counterfactual`); the SEs of the comparison are delta-method through
the function above; intervals are Wald on the scale reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from logitstats.errors import LogitstatsError
from logitstats.options import Comparison, parse_level, parse_option
from logitstats.results.slopes import (
    Kernel,
    Variable,
    column_of,
    evaluation_blocks,
    model_frame,
    model_variables,
    table,
    with_value,
)

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["comparisons", "compare_averages"]


def compare_averages(
    kind: Comparison, m1: np.ndarray, j1: np.ndarray, m0: np.ndarray, j0: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The comparison ``kind`` of ``m1`` and ``m0`` and its Jacobian (chain rule)."""
    if kind is Comparison.DIFFERENCE:
        return m1 - m0, j1 - j0
    if kind is Comparison.RATIO:
        r = m1 / m0
        return r, (j1 - r[:, None] * j0) / m0[:, None]
    g1 = 1.0 / (m1 * (1.0 - m1))
    g0 = 1.0 / (m0 * (1.0 - m0))
    est = np.log(m1 / (1.0 - m1)) - np.log(m0 / (1.0 - m0))
    return est, g1[:, None] * j1 - g0[:, None] * j0


def _changes(var: Variable, spec: Any) -> list[tuple[str, Any, Any, bool]]:
    """``(label, low, high, shift)``: ``shift`` means ``low``/``high`` are added to x."""
    if var.levels is not None:
        if spec is None:
            return [
                (f"{lev} - {var.reference}", var.reference, lev, False)
                for lev in var.levels
                if lev != var.reference
            ]
        if isinstance(spec, tuple) and len(spec) == 2 and all(s in var.levels for s in spec):
            return [(f"{spec[1]} - {spec[0]}", spec[0], spec[1], False)]
        raise LogitstatsError(
            f"variables[{var.name!r}]: expected None or a pair of levels of {list(var.levels)}; "
            f"got {spec!r}"
        )
    if spec is None:
        spec = 1.0
    if isinstance(spec, (int, float, np.integer, np.floating)) and not isinstance(spec, bool):
        return [(f"+{spec:g}", 0.0, float(spec), True)]
    if isinstance(spec, tuple) and len(spec) == 2:
        lo, hi = (float(s) for s in spec)
        return [(f"{hi:g} - {lo:g}", lo, hi, False)]
    raise LogitstatsError(
        f"variables[{var.name!r}]: expected a number (a forward change) or a pair (low, high); "
        f"got {spec!r}"
    )


def comparisons(
    result: FitResult,
    newdata: Any,
    variables: Any = None,
    comparison: str = "difference",
    by: Any = None,
    at: Any = None,
    conf_level: float = 0.95,
    weights: Any = None,
) -> pd.DataFrame:
    """See :meth:`FitResult.comparisons`."""
    kind = parse_option(Comparison, comparison, "comparison")
    level = parse_level(conf_level, "conf_level")
    frame = model_frame(result, newdata, weights)
    kern = Kernel(result)
    known = model_variables(result)
    if variables is None:
        specs: dict[str, Any] = dict.fromkeys(known)
    elif isinstance(variables, dict):
        specs = {column_of(k, known): v for k, v in variables.items()}
    else:
        names = [variables] if isinstance(variables, str) else list(variables)
        specs = {column_of(k, known): None for k in names}
    rows, ests, jacs = [], [], []
    for at_labels, gkey, data, X, w in evaluation_blocks(result, frame, at, by, known, kern):
        base = None
        for name, spec in specs.items():
            var = known[name]
            dX = kern.linear_dX(data, name) if var.levels is None else None
            for label, lo, hi, shift in _changes(var, spec):
                if dX is not None:  # linear in x: X(x + d) = X + d dX exactly
                    x = data[name].to_numpy(dtype=float)[:, None]
                    d_lo, d_hi = (lo, hi) if shift else (lo - x, hi - x)
                    if shift and lo == 0.0:  # the data as observed: computed once
                        if base is None:
                            base = kern.average(data, w, X)
                        m0, j0 = base
                    else:
                        m0, j0 = kern.average(data, w, X + d_lo * dX)
                    m1, j1 = kern.average(data, w, X + d_hi * dX)
                else:
                    if shift:
                        x = data[name].to_numpy(dtype=float)
                        d0, d1 = data.copy(), data.copy()
                        d0[name], d1[name] = x + lo, x + hi
                    else:
                        d0, d1 = with_value(data, name, lo), with_value(data, name, hi)
                    m0, j0 = kern.average(d0, w)
                    m1, j1 = kern.average(d1, w)
                e, j = compare_averages(kind, m1, j1, m0, j0)
                rows.append(
                    {"term": name, "contrast": label}
                    | ({"by": gkey} if by is not None else {})
                    | at_labels
                )
                ests.append(e)
                jacs.append(j)
    null = 1.0 if kind is Comparison.RATIO else 0.0
    return table(result, rows, ests, jacs, level, kern.outcomes, null=null)
