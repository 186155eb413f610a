"""Effects figures: predicted probabilities against a variable, and the dot-and-whisker plot of
a slopes or comparisons table."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from logitstats.errors import LogitstatsError
from logitstats.reporting.plots.style import COLOR, PLAIN_TEXT, new_figure, plain, style

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
    with style():
        fig = new_figure(3.2 + 2.6 * len(outcomes), 3.6)
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
                label = None if key is None else f"{plain(group)} = {plain(key)}"
                ax.plot(x, sub["estimate"], color=color, linewidth=1.4, label=label)
            ax.set_ylim(0, 1)
            ax.set_xlabel(plain(var), **PLAIN_TEXT)
            ax.grid(color="#e6e6e6", linewidth=0.6)
            if outcome is not None:
                ax.set_title(f"P({plain(outcome)})", **PLAIN_TEXT)
            if group is not None:
                legend = ax.legend(loc="best", frameon=False, fontsize=7)
                for text in legend.get_texts():
                    text.set(**PLAIN_TEXT)
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
        return plain(text)

    labels = [label(r) for _, r in table.iterrows()]
    t = table.assign(_label=labels)
    blocks = (
        [(str(o), b) for o, b in t.groupby("outcome", sort=False)]
        if "outcome" in t.columns
        else [(None, t)]
    )
    rows = list(dict.fromkeys(labels))
    with style():
        fig = new_figure(3.4 + 2.8 * len(blocks), 1.2 + 0.38 * max(len(rows), 1))
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
                color=COLOR,
                ecolor=COLOR,
                capsize=3,
                markersize=4,
                linewidth=1.2,
            )
            ax.axvline(null, color="#888888", linewidth=0.8, linestyle="--")
            ax.set_ylim(-0.7, len(rows) - 0.3)
            ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
            ax.set_xlabel("Estimate (CI)")
            if outcome is not None:
                ax.set_title(plain(outcome), **PLAIN_TEXT)
            missing = list(b["_label"][~ok])
            if missing:
                ax.text(
                    0.01,
                    0.01,
                    "not shown (not finite): " + ", ".join(missing),
                    transform=ax.transAxes,
                    **PLAIN_TEXT,
                    fontsize=7,
                    color="#a00000",
                )
        axes[0].set_yticks(list(ypos.values()), list(ypos), **PLAIN_TEXT)
        if title is not None:
            fig.suptitle(plain(title), **PLAIN_TEXT)
    return fig
