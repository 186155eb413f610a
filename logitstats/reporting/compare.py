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
>>> row = ls.compare([m1, m2], exponentiate=True, interval="conf_int", layout="inline",
...                  labels={"GPA": "Grade point average"}, drop="Intercept").to_frame().iloc[0]
>>> print(row["term"], "|", row["(1)"])
Grade point average | 17.1168 [1.8799, 155.8505]
>>> print(tab.render("markdown").splitlines()[0])
# Model comparison
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from logitstats.errors import LogitstatsError, LogitstatsWarning
from logitstats.options import (
    CIMethod,
    EstimateLayout,
    Interval,
    parse_bool,
    parse_level,
    parse_option,
)
from logitstats.render.data import ComparisonData
from logitstats.render.document import comparison_document
from logitstats.render.registry import render_comparison
from logitstats.reporting.labels import check_labels, merge_rows, select_rows, term_rows
from logitstats.reporting.report import finish_output

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
        each estimate; inline layout: ``"estimate"`` only), ``"reference"`` for the reference
        level of a factor and ``"statistic"`` for the SE type, estimator and fit statistics.
        """
        doc = comparison_document(self.data)
        coef = doc.sections[0].tables[0]
        rows = [
            [r[0], kind or "estimate", *r[1:]] for r, kind in zip(coef.rows, coef.row_kinds)
        ]
        return pd.DataFrame(rows, columns=["term", "row", *self.data.names])

    def render(
        self, format: str = "text", path: str | Path | None = None, *, standalone: bool = False
    ) -> str | bytes:
        """The table in ``format`` (text, markdown, html, latex, json, docx); docx gives bytes.

        With ``path``, also write it there. ``standalone=True`` (LaTeX only) gives a complete
        document that compiles with pdflatex instead of a ``table`` fragment.
        """
        out = render_comparison(self.data, format)
        return finish_output(out, format, path, standalone)

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
    layout: str = "stacked",
    stars: bool = False,
    conf_level: float = 0.95,
    ci_method: str = "wald",
    labels: dict[str, str] | None = None,
    order: Sequence[str] | None = None,
    drop: Sequence[str] | None = None,
    keep: Sequence[str] | None = None,
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
        What goes with each estimate: ``(SE)`` or ``[low, high]`` (``conf_level``).
    layout : {"stacked", "inline"}
        ``"stacked"``: the SE or CI on the line under the estimate (no rule between them);
        ``"inline"``: in the estimate's cell, e.g. ``"OR [95 % CI]"``: ``1.52 [1.10, 2.09]``.
    stars : bool
        Mark estimates with * p < 0.05, ** p < 0.01, *** p < 0.001 (Wald z tests); the
        legend is a table note.
    conf_level : float
    ci_method : {"wald", "profile"}
        Confidence intervals (``interval="conf_int"``): Wald, or profile likelihood
        (profile penalized likelihood for Firth fits).
    labels : dict, optional
        Display names: ``{"GPA": "Grade point average", "rate_marriage": "Marriage rating"}``;
        keys are patsy column names, factor variables (all levels) or terms. Other rows
        show readable names: ``C(rate_marriage)[T.2]`` as ``rate_marriage: 2``.
    order : list of str, optional
        Rows matching these names first, in this order (names as for ``labels``, or labels).
    drop, keep : list of str, optional
        Rows to leave out, or the only rows to show (not both).
    title : str, optional
        Default ``"Model comparison"``.

    Returns
    -------
    Comparison

    Notes
    -----
    One table: the union of the terms in order of first appearance (multinomial: per
    outcome), a reference-level row ("— (ref)") before the levels of each treatment-coded
    factor; then, after a rule, the SE type (``cov_type``) and estimator (ML or Firth) of each
    model, N (sum of frequency weights), log-likelihood, AIC, BIC and McFadden's pseudo
    R² = 1 - llf / llnull. Numbers have fixed decimals (never scientific notation).

    When the models were fitted on different rows (different data, or rows dropped for
    missing values in some models only), likelihoods, AIC and BIC are not comparable: a table
    note says so and a :class:`~logitstats.errors.LogitstatsWarning` is issued.

    Raises
    ------
    LogitstatsError
        Bad options, or ``order``/``drop``/``keep`` naming a row no model has.
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
    if fits[0].family.has_reference_level:  # the same kind throughout (checked above)
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
    layout = parse_option(EstimateLayout, layout, "layout").value
    stars = parse_bool(stars, "stars")
    conf_level = parse_level(conf_level, "conf_level")
    ci_method = parse_option(CIMethod, ci_method, "ci_method").value
    label_map = check_labels(labels)
    if title is not None and not isinstance(title, str):
        raise LogitstatsError(f"title must be a string or None; got title={title!r}")
    tidies = tuple(
        f.tidy(conf_level=conf_level, exponentiate=exponentiate, ci_method=ci_method)
        for f in fits
    )
    per_model = [
        term_rows(f, label_map, [str(x) for x in dict.fromkeys(t["term"])])
        for f, t in zip(fits, tidies)
    ]
    rows = select_rows(merge_rows(per_model), order=order, drop=drop, keep=keep)
    groups = tuple(frozenset(r.group for r in rs) for rs in per_model)
    notes = _rows_notes(fits, names)
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
        layout=layout,
        ci_method=ci_method,
        rows=rows,
        groups=groups,
        cov_types=tuple(str(f.cov_type.value) for f in fits),
        methods=tuple(str(f.method) for f in fits),
        notes=notes,
    )
    return Comparison(data)


def _rows_notes(fits: Sequence[Any], names: Sequence[str]) -> tuple[str, ...]:
    """A note (and a warning) when the fits did not use the same rows: their row labels (the
    index of the rows used, after dropping missing values) differ. Two different frames with
    the same index cannot be told apart."""
    index = [f.design.index for f in fits]
    if all(ix.equals(index[0]) for ix in index[1:]):
        return ()
    counts = ", ".join(f"{n} {len(ix)}" for n, ix in zip(names, index))
    note = (
        f"The models use different rows (rows used: {counts}): log-likelihoods, AIC and BIC "
        "are not comparable across them; refit on the same rows (drop the missing values "
        "first) to compare them."
    )
    warnings.warn(note, LogitstatsWarning, stacklevel=3)
    return (note,)
