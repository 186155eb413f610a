"""Figures of a fit: odds-ratio forest plot, calibration plot, ROC curve, predicted
probabilities against a variable, dot-and-whisker plot of slopes/comparisons (matplotlib).

matplotlib is imported only inside these functions (``import logitstats`` does not import it).
Each function returns a :class:`matplotlib.figure.Figure` drawn without pyplot (no global state,
no window). :func:`figure_svg` and :func:`figure_png` serialise a figure byte-reproducibly
(fixed SVG hash salt, text kept as text, no date or software metadata).

Names (terms, outcome levels) are drawn as plain text, never parsed as mathtext or TeX: a level
such as ``"$x$"`` shows its dollar signs (see :func:`_plain`), and control characters are shown
as escapes (:func:`logitstats.render.escape.escape_text`).

Examples
--------
>>> import logitstats as ls
>>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
>>> fig = forest_plot(fit)
>>> [ax.get_xscale() for ax in fig.axes]
['log']
>>> figure_svg(fig).startswith("<?xml")
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from logitstats.errors import LogitstatsError
from logitstats.render.escape import escape_text
from logitstats.render.format import fmt_num
from logitstats.render.vocabulary import vocabulary

__all__ = [
    "forest_plot",
    "calibration_plot",
    "roc_plot",
    "predictions_plot",
    "effects_plot",
    "figure_svg",
    "figure_png",
]

_RC = {
    "svg.hashsalt": "logitstats",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "path.simplify": True,
}
_COLOR = "#1f4e79"

#: Text properties of every label made from user strings: no mathtext, no TeX.
_PLAIN_TEXT = {"parse_math": False, "usetex": False}


def _plain(name: Any) -> str:
    """A user string for a label drawn with ``_PLAIN_TEXT``: control characters escaped."""
    return escape_text(name)


@contextmanager
def _style() -> Any:
    import matplotlib as mpl
    import matplotlib.style

    # matplotlib's stubs key rc dicts by a Literal of every rc name; _RC's keys are valid ones
    with mpl.style.context("default"), mpl.rc_context(_RC):  # type: ignore[arg-type]
        yield


def _new_figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _require(result: Any, method: str) -> Any:
    fn = getattr(result, method, None)
    if fn is None:
        raise LogitstatsError(
            f"{type(result).__name__} has no {method}(); this plot needs a binary fit "
            "(ls.logit) with diagnostics"
        )
    return fn


# --------------------------------------------------------------------------- forest plot


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
    with _style():
        fig = _new_figure(3.2 + 2.8 * len(blocks), 1.4 + 0.38 * max(len(terms), 1))
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
                color=_COLOR,
                ecolor=_COLOR,
                capsize=3,
                markersize=4,
                linewidth=1.2,
            )
            for yy, flag in zip(y, hi_inf[est_ok]):
                if flag:
                    ax.plot([edge_hi], [yy], marker=">", color=_COLOR, markersize=7)
            for yy, flag in zip(y, lo_inf[est_ok]):
                if flag:
                    ax.plot([edge_lo], [yy], marker="<", color=_COLOR, markersize=7)
            ax.axvline(1.0, color="#888888", linewidth=0.8, linestyle="--")
            ax.set_xscale("log")
            ax.set_xlim(edge_lo / 1.3, edge_hi * 1.3)
            _plain_log_ticks(ax)
            lo_pct = 100 * conf_level
            ax.set_xlabel(f"{ratio} ({lo_pct:g} % CI, log scale)")
            if outcome is not None:
                ax.set_title(f"{_plain(outcome)} vs {_plain(reference)}", **_PLAIN_TEXT)
            ax.set_ylim(-0.7, len(terms) - 0.3)
            ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
            name = [labels.get(str(x), str(x)) for x in b["term"]]
            notes = []
            unbounded = [n for n, f in zip(name, lo_inf | hi_inf) if f]
            if unbounded:
                notes.append(
                    "arrow: interval unbounded (infinite bound): "
                    + ", ".join(_plain(n) for n in unbounded)
                )
            missing = [n for n, f in zip(name, est_ok) if not f]
            if missing:
                notes.append("not shown (estimate not finite): " + ", ".join(map(_plain, missing)))
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
                    **_PLAIN_TEXT,
                )
        axes[0].set_yticks(
            list(ypos.values()), [_plain(labels.get(str(x), str(x))) for x in ypos], **_PLAIN_TEXT
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


# --------------------------------------------------------------------------- calibration, ROC


def calibration_from_frame(cal: pd.DataFrame) -> Any:
    """Calibration plot from ``result.calibration()`` (bin, n, mean_predicted, observed_rate)."""
    with _style():
        fig = _new_figure(4.4, 4.2)
        ax = fig.subplots()
        ax.plot(
            [0, 1],
            [0, 1],
            color="#888888",
            linewidth=0.8,
            linestyle="--",
            label="perfect calibration",
        )
        n = cal["n"].to_numpy(dtype=float)
        size = 12 + 60 * n / n.max() if n.size and n.max() > 0 else 20
        ax.plot(cal["mean_predicted"], cal["observed_rate"], color=_COLOR, linewidth=1.0)
        ax.scatter(
            cal["mean_predicted"],
            cal["observed_rate"],
            s=size,
            color=_COLOR,
            label="bins (area ~ n)",
            zorder=3,
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xlabel("Mean predicted probability")
        ax.set_ylabel("Observed event rate")
        ax.legend(loc="upper left", frameon=False)
        ax.grid(color="#e6e6e6", linewidth=0.6)
    return fig


def calibration_plot(result: Any, *, bins: int = 10) -> Any:
    """Observed event rate against mean predicted probability per bin (binary fits).

    Returns
    -------
    matplotlib.figure.Figure
    """
    return calibration_from_frame(_require(result, "calibration")(bins=bins))


def roc_from_curve(curve: pd.DataFrame, auc: float | None = None) -> Any:
    """ROC curve from ``result.roc_curve()`` (threshold, fpr, tpr), AUC in the legend."""
    with _style():
        fig = _new_figure(4.4, 4.2)
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], color="#888888", linewidth=0.8, linestyle="--", label="chance")
        label = "ROC" if auc is None else f"ROC, AUC = {fmt_num(auc)}"
        ax.step(curve["fpr"], curve["tpr"], where="post", color=_COLOR, linewidth=1.4, label=label)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.set_aspect("equal")
        ax.set_xlabel("False positive rate (1 - specificity)")
        ax.set_ylabel("True positive rate (sensitivity)")
        ax.legend(loc="lower right", frameon=False)
        ax.grid(color="#e6e6e6", linewidth=0.6)
    return fig


def roc_plot(result: Any) -> Any:
    """ROC curve of a binary fit with its AUC in the legend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    curve = _require(result, "roc_curve")()
    auc = _require(result, "roc_auc")().auc
    return roc_from_curve(curve, float(auc))


# --------------------------------------------------------------------------- effects

#: colours of the lines of ``by`` groups (cycled), the first one the house colour
_PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#a5a5a5")
_CALL = re.compile(r"^\s*C\(\s*([A-Za-z_][A-Za-z0-9_]*)")


def _column(name: str, data: pd.DataFrame, what: str) -> str:
    """A data column: ``name`` itself or the column inside ``C(name, ...)``."""
    if name in data.columns:
        return name
    m = _CALL.match(str(name))
    if m and m.group(1) in data.columns:
        return m.group(1)
    shown = ", ".join(map(repr, list(data.columns)[:12]))
    raise LogitstatsError(
        f"{what}: expected a column of the data ({shown}); got {name!r}; name a data column"
    )


def predictions_plot(
    result: Any,
    data: Any,
    variable: str,
    *,
    by: str | None = None,
    points: int = 50,
    conf_level: float = 0.95,
) -> Any:
    """Predicted probability against a numeric variable with a confidence band, optionally
    one line per level of a factor.

    The curve is ``result.predictions(data, grid={variable: <points values from its minimum to
    its maximum>, by: "all"})``: every other variable at its mean (numeric) or mode
    (categorical), as :meth:`FitResult.predictions`; the band is that method's interval (Wald
    on the link scale, transformed back). Multinomial fits get one panel per outcome level.

    Parameters
    ----------
    result : LogitResult or MLogitResult
    data : DataFrame
        The data (normally the fitting data): the range of ``variable``, the levels of ``by``
        and the means/modes of the other variables come from it.
    variable : str
        A numeric data column of the formula.
    by : str, optional
        A categorical data column (or ``C(column)``): one line and band per level.
    points : int
        Number of grid values of ``variable`` (at least 2).
    conf_level : float

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import logitstats as ls
    >>> df = ls.datasets.load("affairs")
    >>> fit = ls.logit("had_affair ~ age + C(religious)", data=df)
    >>> fig = predictions_plot(fit, df, "age", by="religious", points=5)
    >>> len(fig.axes[0].get_lines())
    4
    """
    from logitstats.options import parse_int

    points = parse_int(points, "points", minimum=2)
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    var = _column(variable, frame, "variable")
    col = frame[var]
    numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
    values = col.astype(float) if numeric else None
    if values is None or values.notna().sum() == 0:
        raise LogitstatsError(
            f"variable: expected a numeric column; got {var!r} of dtype {frame[var].dtype}; "
            "for a factor, use by= or result.marginal_means()"
        )
    grid: dict[str, Any] = {var: np.linspace(values.min(), values.max(), points).tolist()}
    group = None if by is None else _column(by, frame, "by")
    if group == var:
        raise LogitstatsError(f"by: expected a column other than variable; got {by!r} for both")
    if group is not None:
        grid[group] = "all"
    pred = result.predictions(frame, grid, conf_level=conf_level)
    outcomes = list(dict.fromkeys(pred["outcome"])) if "outcome" in pred.columns else [None]
    with _style():
        fig = _new_figure(3.2 + 2.6 * len(outcomes), 3.6)
        axes = fig.subplots(1, len(outcomes), sharey=True, squeeze=False)[0]
        for ax, outcome in zip(axes, outcomes):
            part = pred if outcome is None else pred[pred["outcome"] == outcome]
            keys = [None] if group is None else list(dict.fromkeys(part[group]))
            for i, key in enumerate(keys):
                sub = part if key is None else part[part[group] == key]
                color = _PALETTE[i % len(_PALETTE)]
                x = sub[var].to_numpy(dtype=float)
                ax.fill_between(
                    x, sub["conf_low"], sub["conf_high"], color=color, alpha=0.18, linewidth=0
                )
                label = None if key is None else f"{_plain(group)} = {_plain(key)}"
                ax.plot(x, sub["estimate"], color=color, linewidth=1.4, label=label)
            ax.set_ylim(0, 1)
            ax.set_xlabel(_plain(var), **_PLAIN_TEXT)
            ax.grid(color="#e6e6e6", linewidth=0.6)
            if outcome is not None:
                ax.set_title(f"P({_plain(outcome)})", **_PLAIN_TEXT)
            if group is not None:
                legend = ax.legend(loc="best", frameon=False, fontsize=7)
                for text in legend.get_texts():
                    text.set(**_PLAIN_TEXT)
        axes[0].set_ylabel(f"Predicted probability ({100 * conf_level:g} % CI)")
    return fig


def effects_plot(table: pd.DataFrame, *, null: float = 0.0, title: str | None = None) -> Any:
    """Dot-and-whisker plot of a slopes or comparisons table (one panel per outcome level).

    Parameters
    ----------
    table : DataFrame
        ``result.slopes(...)`` or ``result.comparisons(...)``: ``term``, ``contrast`` (and
        ``by``, ``outcome``) with ``estimate``, ``conf_low``, ``conf_high``.
    null : float
        Where the dashed reference line is drawn (0 for differences and slopes, 1 for ratios).
    title : str, optional
        Drawn as plain text above the figure.

    Returns
    -------
    matplotlib.figure.Figure
        Rows labelled ``term: contrast`` (``[by]``); rows with non-finite bounds are listed
        instead of drawn.

    Examples
    --------
    >>> import logitstats as ls
    >>> df = ls.datasets.load("spector")
    >>> fit = ls.logit("GRADE ~ GPA + TUCE + C(PSI)", data=df)
    >>> fig = effects_plot(fit.slopes(df))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['GPA: dY/dX', 'TUCE: dY/dX', 'PSI: 1 - 0']
    """
    need = {"term", "estimate", "conf_low", "conf_high"}
    if not isinstance(table, pd.DataFrame) or not need <= set(table.columns):
        got = sorted(table.columns) if isinstance(table, pd.DataFrame) else type(table).__name__
        raise LogitstatsError(
            "table: expected a slopes or comparisons table (columns term, estimate, conf_low, "
            f"conf_high); got {got}; pass fit.slopes(df) or fit.comparisons(df)"
        )

    def label(r: pd.Series) -> str:
        text = str(r["term"])
        if "contrast" in r.index:
            text += f": {r['contrast']}"
        if "by" in r.index:
            text += f" [{r['by']}]"
        return _plain(text)

    labels = [label(r) for _, r in table.iterrows()]
    t = table.assign(_label=labels)
    blocks = (
        [(str(o), b) for o, b in t.groupby("outcome", sort=False)]
        if "outcome" in t.columns
        else [(None, t)]
    )
    rows = list(dict.fromkeys(labels))
    with _style():
        fig = _new_figure(3.4 + 2.8 * len(blocks), 1.2 + 0.38 * max(len(rows), 1))
        axes = fig.subplots(1, len(blocks), sharey=True, squeeze=False)[0]
        ypos = {r: len(rows) - 1 - i for i, r in enumerate(rows)}
        for ax, (outcome, b) in zip(axes, blocks):
            vals = b[["estimate", "conf_low", "conf_high"]].to_numpy(dtype=float)
            ok = np.isfinite(vals).all(axis=1)
            est, lo, hi = vals[ok].T
            y = np.array([ypos[x] for x in b["_label"][ok]], dtype=float)
            ax.errorbar(
                est,
                y,
                xerr=np.vstack([est - lo, hi - est]),
                fmt="o",
                color=_COLOR,
                ecolor=_COLOR,
                capsize=3,
                markersize=4,
                linewidth=1.2,
            )
            ax.axvline(null, color="#888888", linewidth=0.8, linestyle="--")
            ax.set_ylim(-0.7, len(rows) - 0.3)
            ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
            ax.set_xlabel("Estimate (CI)")
            if outcome is not None:
                ax.set_title(_plain(outcome), **_PLAIN_TEXT)
            missing = list(b["_label"][~ok])
            if missing:
                ax.text(
                    0.01,
                    0.01,
                    "not shown (not finite): " + ", ".join(missing),
                    transform=ax.transAxes,
                    **_PLAIN_TEXT,
                    fontsize=7,
                    color="#a00000",
                )
        axes[0].set_yticks(list(ypos.values()), list(ypos), **_PLAIN_TEXT)
        if title is not None:
            fig.suptitle(_plain(title), **_PLAIN_TEXT)
    return fig


# --------------------------------------------------------------------------- serialisation


def figure_svg(fig: Any) -> str:
    """The figure as SVG text, byte-reproducible (fixed hash salt, no date/creator metadata)."""
    buf = io.StringIO()
    with _style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def figure_png(fig: Any, dpi: int = 150) -> bytes:
    """The figure as PNG bytes without software metadata."""
    from logitstats.options import parse_int

    dpi = parse_int(dpi, "dpi", minimum=1)
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
