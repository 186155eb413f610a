"""Side-by-side tables of several fits (as R's modelsummary or Stata's esttab).

Examples
--------
>>> import logitstats as ls
>>> df = ls.datasets.load("spector")
>>> m1 = ls.logit("GRADE ~ GPA", data=df)
>>> m2 = ls.logit("GRADE ~ GPA + TUCE + PSI", data=df)
>>> tab = ls.compare([m1, m2], stars=True)
>>> tab.to_frame().iloc[:2]
        term       row        (1)         (2)
0  Intercept  estimate  -9.7032**  -13.0213**
1             interval   (3.6711)    (4.9313)
>>> print(tab.render("markdown").splitlines()[0])
# Model comparison
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from logitstats.errors import LogitstatsError
from logitstats.options import Interval, parse_bool, parse_level, parse_option
from logitstats.render.data import ComparisonData
from logitstats.render.document import comparison_document
from logitstats.render.registry import render_comparison
from logitstats.reporting.report import write_output

__all__ = ["compare", "Comparison", "INTERVALS"]

INTERVALS = tuple(i.value for i in Interval)


@dataclass(frozen=True)
class Comparison:
    """A multi-model table; render it with :meth:`render`, get the cells with :meth:`to_frame`.

    Attributes
    ----------
    data : ComparisonData
        Per-model tidy and glance tables and the display options.
    """

    data: ComparisonData

    def to_frame(self) -> pd.DataFrame:
        """The displayed table as strings: columns ``term, row`` and one per model.

        ``row`` is ``"estimate"`` or ``"interval"`` for coefficient rows (the SE or CI line under
        each estimate) and ``"statistic"`` for the rows of fit statistics.
        """
        doc = comparison_document(self.data)
        _, coef, stats = doc.sections[0].tables
        rows = []
        term = ""
        for i, r in enumerate(coef.rows):
            term = r[0] if i % 2 == 0 else term
            rows.append([term, "estimate" if i % 2 == 0 else "interval", *r[1:]])
        rows += [[r[0], "statistic", *r[1:]] for r in stats.rows]
        out = pd.DataFrame(rows, columns=["term", "row", *self.data.names])
        out.loc[out["row"] == "interval", "term"] = ""
        return out

    def render(self, format: str = "text", path: str | Path | None = None) -> str | bytes:
        """The table in ``format`` (text, markdown, html, latex, json, docx); docx gives bytes.

        With ``path``, also write it there.
        """
        out = render_comparison(self.data, format)
        if path is not None:
            write_output(out, path)
        return out

    def __str__(self) -> str:
        return str(self.render("text"))

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        """The HTML table as a notebook fragment (see :mod:`logitstats.render.notebook`)."""
        from logitstats.render.notebook import html_fragment

        return html_fragment(str(self.render("html")), "comparison")


def _kind(fit: Any, i: int) -> str:
    design = getattr(fit, "design", None)
    if design is None or not hasattr(fit, "tidy"):
        raise LogitstatsError(
            f"fits[{i}] must be a fitted model (ls.logit or ls.mlogit result); "
            f"got {type(fit).__name__}"
        )
    return str(design.kind)


def compare(
    fits: Sequence[Any],
    *,
    names: Sequence[str] | None = None,
    exponentiate: bool = False,
    interval: str = "std_error",
    stars: bool = False,
    conf_level: float = 0.95,
    title: str | None = None,
) -> Comparison:
    """Compare fits side by side: coefficients with SEs or CIs and fit statistics.

    Parameters
    ----------
    fits : sequence of LogitResult, or of MLogitResult
        All binary or all multinomial (with the same outcome levels and reference).
    names : sequence of str, optional
        Column headings; default ``"(1)", "(2)", ...``.
    exponentiate : bool
        Odds ratios (relative-risk ratios) instead of coefficients; the SEs are then the
        delta-method SEs and the CIs the exponentiated bounds.
    interval : {"std_error", "conf_int"}
        What goes under each estimate: ``(SE)`` or ``[low, high]`` (Wald, ``conf_level``).
    stars : bool
        Mark estimates with * p < 0.05, ** p < 0.01, *** p < 0.001 (Wald z tests).
    conf_level : float
    title : str, optional
        Default ``"Model comparison"``.

    Returns
    -------
    Comparison

    Notes
    -----
    Rows are the union of the terms in order of first appearance (multinomial: per outcome),
    followed by N (sum of frequency weights), log-likelihood, AIC, BIC and McFadden's pseudo
    R² = 1 - llf / llnull.
    """
    if isinstance(fits, (str, bytes)) or not isinstance(fits, Sequence) or len(fits) == 0:
        raise LogitstatsError(
            f"fits must be a non-empty list of fitted models; got {type(fits).__name__}"
        )
    kinds = [_kind(f, i) for i, f in enumerate(fits)]
    if len(set(kinds)) > 1:
        raise LogitstatsError(
            "fits must all be binary or all multinomial; got "
            + ", ".join(f"fits[{i}] {k}" for i, k in enumerate(kinds))
        )
    kind = kinds[0]
    reference = None
    if kind == "multinomial":
        refs = [(str(f.design.reference), tuple(map(str, f.design.levels))) for f in fits]
        if len(set(refs)) > 1:
            raise LogitstatsError(
                "multinomial fits must share the outcome levels and the reference level; got "
                + "; ".join(
                    f"fits[{i}] reference {r} of {', '.join(lv)}" for i, (r, lv) in enumerate(refs)
                )
            )
        reference = refs[0][0]
    if names is None:
        names = [f"({i + 1})" for i in range(len(fits))]
    if isinstance(names, (str, bytes)):
        raise LogitstatsError(
            f"names must be a list of {len(fits)} names, one per fit; got names={names!r}"
        )
    names = [str(n) for n in names]
    if len(names) != len(fits) or len(set(names)) != len(names):
        raise LogitstatsError(
            f"names must hold {len(fits)} distinct names, one per fit; got {names!r}"
        )
    exponentiate = parse_bool(exponentiate, "exponentiate")
    interval = parse_option(Interval, interval, "interval").value
    stars = parse_bool(stars, "stars")
    conf_level = parse_level(conf_level, "conf_level")
    if title is not None and not isinstance(title, str):
        raise LogitstatsError(f"title must be a string or None; got title={title!r}")
    tidies = tuple(f.tidy(conf_level=conf_level, exponentiate=exponentiate) for f in fits)
    data = ComparisonData(
        kind=kind,
        names=tuple(names),
        formulas=tuple(str(f.design.formula) for f in fits),
        tidies=tidies,
        glances=tuple(f.glance() for f in fits),
        title="Model comparison" if title is None else str(title),
        exponentiate=exponentiate,
        interval=interval,
        stars=bool(stars),
        conf_level=float(conf_level),
        reference=reference,
    )
    return Comparison(data)
