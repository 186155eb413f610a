"""Forest plot: odds ratios (relative-risk ratios for multinomial fits) with CIs on a log axis.

Examples
--------
>>> import logitstats as ls
>>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
>>> fig = forest_plot(fit)
>>> [ax.get_xscale() for ax in fig.axes]
['log']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from logitstats.render.vocabulary import vocabulary
from logitstats.reporting.plots.style import COLOR, PLAIN_TEXT, new_figure, plain, style


def _plain_log_ticks(ax: Any) -> None:
    """Log-axis tick labels as plain numbers (0.5, 1, 2) instead of powers of ten; minor
    ticks are labelled only when the axis spans less than a factor of 20."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plain = FuncFormatter(lambda v, _pos: f"{v:g}")
    ax.xaxis.set_major_formatter(plain)
    lo, hi = ax.get_xlim()
    ax.xaxis.set_minor_formatter(plain if hi / lo < 20 else NullFormatter())


def forest_from_tidy(
    tidy_exp: pd.DataFrame,
    *,
    kind: str,
    reference: str | None,
    conf_level: float,
    labels: Mapping[str, str] | None = None,
) -> Any:
    """Forest plot from an exponentiated tidy table (one panel per outcome if multinomial).

    A bound that is infinite (an odds ratio's upper bound of ``inf`` or lower bound of 0,
    e.g. a profile interval under separation) is drawn as an arrow to the edge of the axis,
    and a note under the panel names the terms; a term whose estimate is not finite is listed
    in the note instead of drawn. ``labels`` maps a term to the name drawn.
    """
    labels = dict(labels or {})
    t = tidy_exp[tidy_exp["term"] != "Intercept"]
    blocks = (
        [(str(o), b) for o, b in t.groupby("outcome", sort=False)]
        if "outcome" in t.columns
        else [(None, t)]
    )
    terms = list(dict.fromkeys(t["term"]))
    ratio = vocabulary(kind).ratio.capitalize()
    with style():
        fig = new_figure(3.2 + 2.8 * len(blocks), 1.4 + 0.38 * max(len(terms), 1))
        axes = fig.subplots(1, len(blocks), sharey=True, squeeze=False)[0]
        ypos = {term: len(terms) - 1 - i for i, term in enumerate(terms)}
        for ax, (outcome, b) in zip(axes, blocks):
            vals = b[["estimate", "conf_low", "conf_high"]].to_numpy(dtype=float)
            est_ok = np.isfinite(vals[:, 0]) & (vals[:, 0] > 0)
            lo_inf = est_ok & ~(np.isfinite(vals[:, 1]) & (vals[:, 1] > 0))
            hi_inf = est_ok & ~np.isfinite(vals[:, 2])
            good = b[est_ok]
            y = np.array([ypos[x] for x in good["term"]], dtype=float)
            v = vals[est_ok]
            finite = v[np.isfinite(v) & (v > 0)]
            span_lo = min(finite.min(), 1.0) if finite.size else 0.5
            span_hi = max(finite.max(), 1.0) if finite.size else 2.0
            # an infinite bound is drawn to a little beyond the finite range, as an arrow
            edge_lo, edge_hi = span_lo / 2.0, span_hi * 2.0
            low = np.where(lo_inf[est_ok], edge_lo, v[:, 1])
            high = np.where(hi_inf[est_ok], edge_hi, v[:, 2])
            est = v[:, 0]
            ax.errorbar(
                est,
                y,
                xerr=np.vstack([est - low, high - est]),
                fmt="o",
                color=COLOR,
                ecolor=COLOR,
                capsize=3,
                markersize=4,
                linewidth=1.2,
            )
            for yy, flag in zip(y, hi_inf[est_ok]):
                if flag:
                    ax.plot([edge_hi], [yy], marker=">", color=COLOR, markersize=7)
            for yy, flag in zip(y, lo_inf[est_ok]):
                if flag:
                    ax.plot([edge_lo], [yy], marker="<", color=COLOR, markersize=7)
            ax.axvline(1.0, color="#888888", linewidth=0.8, linestyle="--")
            ax.set_xscale("log")
            ax.set_xlim(edge_lo / 1.3, edge_hi * 1.3)
            _plain_log_ticks(ax)
            lo_pct = 100 * conf_level
            ax.set_xlabel(f"{ratio} ({lo_pct:g} % CI, log scale)")
            if outcome is not None:
                ax.set_title(f"{plain(outcome)} vs {plain(reference)}", **PLAIN_TEXT)
            ax.set_ylim(-0.7, len(terms) - 0.3)
            ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
            name = [labels.get(str(x), str(x)) for x in b["term"]]
            notes = []
            unbounded = [n for n, f in zip(name, lo_inf | hi_inf) if f]
            if unbounded:
                notes.append(
                    "arrow: interval unbounded (infinite bound): "
                    + ", ".join(plain(n) for n in unbounded)
                )
            missing = [n for n, f in zip(name, est_ok) if not f]
            if missing:
                notes.append("not shown (estimate not finite): " + ", ".join(map(plain, missing)))
            if notes:
                ax.annotate(
                    "\n".join(notes),
                    xy=(0, 0),
                    xycoords="axes fraction",
                    xytext=(0, -30),
                    textcoords="offset points",
                    va="top",
                    fontsize=7,
                    color="#a00000",
                    **PLAIN_TEXT,
                )
        axes[0].set_yticks(
            list(ypos.values()), [plain(labels.get(str(x), str(x))) for x in ypos], **PLAIN_TEXT
        )
    return fig


def forest_plot(
    result: Any,
    *,
    conf_level: float = 0.95,
    ci_method: str = "wald",
    labels: Mapping[str, str] | None = None,
) -> Any:
    """Odds ratios (relative-risk ratios for multinomial fits) with CIs on a log axis.

    Parameters
    ----------
    result : LogitResult or MLogitResult
    conf_level : float
    ci_method : {"wald", "profile"}
    labels : dict, optional
        Display names (``{"GPA": "Grade point average"}``, or a factor's variable); other
        terms are drawn with readable names (``rate_marriage: 2``).

    Returns
    -------
    matplotlib.figure.Figure
        One panel (binary) or one panel per non-reference outcome (multinomial); the intercept
        is left out; an infinite bound is drawn as an arrow with a note naming the term.
    """
    from logitstats.reporting.labels import check_labels, term_rows

    tidy = result.tidy(conf_level=conf_level, exponentiate=True, ci_method=ci_method)
    kind = str(result.design.kind)
    reference = str(result.design.reference)
    terms = [str(t) for t in dict.fromkeys(tidy["term"])]
    shown = {r.term: r.label for r in term_rows(result, check_labels(labels), terms) if r.term}
    return forest_from_tidy(
        tidy, kind=kind, reference=reference, conf_level=conf_level, labels=shown
    )
