"""The coefficient tables of a result: confidence intervals, ``tidy`` and the summary.

The bodies of :meth:`FitResult.conf_int`, :meth:`FitResult.tidy` and
:meth:`FitResult.summary` (``results/base.py`` keeps the methods and their documentation).
They call the result's overridable steps (``_wald_ci``, ``_profile_ci``, ``_inference_table``,
``_header``), so a Firth fit changes its intervals and tests in one place.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from logitstats.options import CIMethod, SummaryFormat, parse_bool, parse_level, parse_option
from logitstats.results import display as _display
from logitstats.results.labels import label_columns

if TYPE_CHECKING:
    from logitstats.results.base import FitResult

__all__ = ["ci_flat", "summary_of", "tidy_frame"]


def ci_flat(
    result: FitResult, level: Any, method: Any, names: tuple[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Flat (low, high) bounds: Wald, or profile (computed when first asked for, then cached)."""
    level = parse_level(level, names[0])
    m = parse_option(CIMethod, method, names[1])
    if m is CIMethod.WALD:
        return result._wald_ci(level)
    key = ("profile_ci", level)
    if key not in result._cache:
        result._cache[key] = result._profile_ci(level)
    return result._cache[key]


def tidy_frame(
    result: FitResult, conf_level: Any, exponentiate: Any, ci_method: Any
) -> pd.DataFrame:
    """:meth:`FitResult.tidy`: label columns, then ``estimate ... conf_high`` (NaN if aliased);
    exponentiated: ``exp(b)``, ``exp(b) * se(b)``, ``exp(low)``, ``exp(high)``."""
    exponentiate = parse_bool(exponentiate, "exponentiate")
    lo, hi = result._ci_flat(conf_level, ci_method, ("conf_level", "ci_method"))
    est, se, lo, hi, z, p = map(
        result._with_aliased, (result.state.params, result._bse, lo, hi, result._z, result._p)
    )
    if exponentiate:
        est, se, lo, hi = np.exp(est), np.exp(est) * se, np.exp(lo), np.exp(hi)
    cols: dict[str, Any] = label_columns(result._full_layout)
    cols.update(estimate=est, std_error=se, statistic=z, p_value=p, conf_low=lo, conf_high=hi)
    return pd.DataFrame(cols)


def summary_of(
    result: FitResult, conf_level: Any, exponentiate: Any, ci_method: Any, format: Any
) -> str:
    """:meth:`FitResult.summary`: the one-section document rendered in ``format``."""
    from logitstats.render.data import SummaryData
    from logitstats.render.registry import render_summary

    fmt = parse_option(SummaryFormat, format, "format").value
    conf_level = parse_level(conf_level, "conf_level")
    exponentiate = parse_bool(exponentiate, "exponentiate")
    if ci_method is not None:
        ci_method = parse_option(CIMethod, ci_method, "ci_method").value
    table = result._inference_table(conf_level, exponentiate, ci_method)
    header = result._header()
    header = replace(header, notes=(*header.notes, *table.notes), statistic=table.statistic)
    glance = result.glance()
    text = render_summary(SummaryData(header, table.tidy, glance, conf_level, exponentiate), fmt)
    if fmt != "text":
        return text
    html = _display.summary_html(
        header, table.tidy, glance, conf_level=conf_level, exponentiate=exponentiate
    )
    return _display.Summary(text, html)
