"""Format-neutral report documents: sections of tables whose cells are already formatted.

Every report format (text, Markdown, HTML, LaTeX, docx) walks the same :class:`Document`, so the
numbers agree digit for digit across formats: each number is formatted exactly once, here, with
:mod:`logitstats.render.format`. Renderers only escape and lay out the cell strings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

import pandas as pd

from logitstats.render.data import (
    ComparisonData,
    DiagnosticsData,
    FigureData,
    ModelHeader,
    ReportData,
    TermRow,
)
from logitstats.render.format import (
    cell,
    fmt_fixed,
    fmt_int,
    fmt_num,
    fmt_p,
    fmt_p_clause,
    fmt_stat,
)
from logitstats.render.vocabulary import vocabulary

__all__ = [
    "Verbatim",
    "Code",
    "Phrase",
    "cell_text",
    "Table",
    "Section",
    "Document",
    "report_document",
    "comparison_document",
    "ci_labels",
    "GLANCE_LABELS",
    "REFERENCE_CELL",
]

#: the cell of a factor's reference level in a coefficient table
REFERENCE_CELL = "— (ref)"


class Verbatim(str):
    """A cell made here (a formatted number or a fixed label), never from user input: the
    summary layouts write it as it is, without the format's escaper."""

    __slots__ = ()


class Code(str):
    """A cell shown as code where the format has code (the formula: a Markdown code span)."""

    __slots__ = ()


class Phrase(tuple[str, ...]):
    """A cell made of parts (fixed words and user names), each escaped on its own."""

    __slots__ = ()


#: a table cell: user text (a str, escaped), a Verbatim, a Code, or a Phrase of those
Cell = str | Phrase


def cell_text(cell: Cell, escape: Callable[[object], str], code: Callable[[object], str]) -> str:
    """A cell as the text of a format with escaper ``escape`` and code formatter ``code``."""
    if isinstance(cell, Phrase):
        return "".join(cell_text(part, escape, code) for part in cell)
    if isinstance(cell, Verbatim):
        return str(cell)
    if isinstance(cell, Code):
        return code(cell)
    return escape(cell)


@dataclass(frozen=True)
class Table:
    """A table of formatted cells.

    ``kind="grid"`` has a header row (``columns``); ``kind="keyvalue"`` is a two-column list of
    labels and values (no header); ``kind="inline"`` (summaries) holds lines of label, value,
    label, value, ... pairs. ``align`` holds one ``"l"`` or ``"r"`` per column.
    """

    key: str
    caption: Cell
    columns: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...]
    kind: Literal["grid", "keyvalue", "inline"] = "grid"
    notes: tuple[str, ...] = ()
    row_kinds: tuple[str, ...] = ()
    rules: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section:
    """A titled part of a document: tables, then figures, then notes."""

    key: str
    title: str
    tables: tuple[Table, ...] = ()
    figures: tuple[FigureData, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A title, an optional subtitle line and sections.

    ``layout`` is ``"report"`` (reports and comparisons: every cell escaped) or ``"summary"``
    (the compact one-section summary of :mod:`logitstats.render.summary`, whose cells may be
    :class:`Verbatim`, :class:`Code` or :class:`Phrase`).
    """

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    footer: str = ""
    layout: Literal["report", "summary"] = "report"


def ci_labels(level: float) -> tuple[str, str]:
    """Column labels of the interval bounds, e.g. ``('2.5 %', '97.5 %')``."""
    lo = 100 * (1 - level) / 2
    return f"{lo:g} %", f"{100 - lo:g} %"


def _kv(key: str, caption: str, pairs: list[tuple[str, str]]) -> Table:
    return Table(key, caption, ("", ""), tuple(pairs), ("l", "l"), kind="keyvalue")


# --------------------------------------------------------------------------- model header


def _header_table(h: ModelHeader) -> Table:
    pairs = [("Method", h.method), ("Formula", h.formula), ("Data", h.data_name)]
    pairs += vocabulary(h.kind).outcome_pairs(h)
    pairs += [
        ("Observations", fmt_int(h.nobs)),
        ("Rows used", fmt_int(h.n_rows_used)),
        ("Rows dropped", h.rows_note),
        ("Covariance", h.cov_type),
        (
            "Convergence",
            f"{'converged' if h.converged else 'NOT CONVERGED'} after {h.n_iter} Newton iterations",
        ),
        ("Separation", h.separation),
    ]
    return _kv("model", "Model", pairs)


# --------------------------------------------------------------------------- coefficients


def _blocks(tidy: pd.DataFrame) -> list[tuple[str | None, pd.DataFrame]]:
    if "outcome" in tidy.columns:
        return [(str(o), b) for o, b in tidy.groupby("outcome", sort=False)]
    return [(None, tidy)]


def _rows_of(rows: tuple[TermRow, ...], terms: list[str]) -> tuple[TermRow, ...]:
    """The display rows of a table (raw term names when the report data has none)."""
    return rows if rows else tuple(TermRow(t, t, group=t, variable=t) for t in terms)


def _interval(lo: float | None, hi: float | None) -> str:
    return f"[{fmt_fixed(lo)}, {fmt_fixed(hi)}]"


def _coef_table(
    key: str, caption: str, data: ReportData, link: pd.DataFrame, ratio: pd.DataFrame | None
) -> Table:
    """The compact coefficient table: Term, Estimate, Std. Error, z, p, CI (``[low, high]``
    in one cell), and with ``exponentiate=None`` the ratio and its CI instead of the link CI."""
    words = vocabulary(data.header.kind)
    ci = f"{100 * data.conf_level:g} % CI"
    stat = "z" if data.header.statistic == "z" else "Chi-square"
    both = data.exponentiate is None and ratio is not None
    if data.exponentiate is True:
        assert ratio is not None
        cols: tuple[str, ...] = ("Term", words.ratio_column, "Std. Error", stat, "p", ci)
        src = ratio
    elif both:
        cols = ("Term", "Estimate", "Std. Error", stat, "p", words.ratio_short, ci)
        src = link
    else:
        cols = ("Term", "Estimate", "Std. Error", stat, "p", ci)
        src = link
    by_term = {str(t): i for i, t in enumerate(src["term"])}
    rows, kinds = [], []
    for row in _rows_of(data.rows, [str(t) for t in src["term"]]):
        if row.term is None:
            rows.append((row.label, REFERENCE_CELL) + ("",) * (len(cols) - 2))
            kinds.append("reference")
            continue
        if row.term not in by_term:
            continue
        i = by_term[row.term]
        r = src.iloc[i]
        cells = [
            row.label,
            fmt_fixed(r["estimate"]),
            fmt_fixed(r["std_error"]),
            fmt_fixed(r["statistic"], 2),
            fmt_p(r["p_value"]),
        ]
        if both:
            assert ratio is not None
            q = ratio.iloc[i]
            cells += [fmt_fixed(q["estimate"]), _interval(q["conf_low"], q["conf_high"])]
        else:
            cells.append(_interval(r["conf_low"], r["conf_high"]))
        rows.append(tuple(cells))
        kinds.append("")
    return Table(
        key,
        caption,
        cols,
        tuple(rows),
        ("l",) + ("r",) * (len(cols) - 1),
        row_kinds=tuple(kinds),
    )


def _coef_section(data: ReportData) -> Section:
    h = data.header
    link_blocks = _blocks(data.tidy)
    ratio_blocks = _blocks(data.tidy_exp) if data.tidy_exp is not None else None
    tables = []
    for i, (outcome, block) in enumerate(link_blocks):
        ratio = ratio_blocks[i][1] if ratio_blocks is not None else None
        if outcome is None:
            key, caption = "coefficients", "Coefficients"
        else:
            key, caption = f"coefficients:{outcome}", f"{outcome} vs {h.reference} (reference)"
        tables.append(_coef_table(key, caption, data, block, ratio))
    penalized = h.statistic != "z"  # Firth: penalized profile CIs and penalized LR tests
    method = "Wald"
    if data.ci_method == "profile":
        method = "profile penalized-likelihood" if penalized else "profile-likelihood"
    words = vocabulary(h.kind)
    rname = words.ratio
    notes = [f"{100 * data.conf_level:g} % confidence intervals: {method}."]
    if penalized:
        notes.append(
            "Chi-square and p: penalized likelihood-ratio test of each coefficient = 0 (1 df), "
            "as logistf."
        )
    if data.exponentiate is None:
        short = words.ratio_short
        notes.append(
            f"{short}: {rname}, the exponentiated estimate; the confidence interval is that of "
            f"the {rname} (the exponentiated bounds)."
        )
    elif data.exponentiate:
        notes.append(
            f"{rname.capitalize()}s: exponentiated estimates and interval bounds; Std. Error "
            "is the delta-method SE of the ratio; "
            f"{'z' if h.statistic == 'z' else 'chi-square'} and p test the coefficient."
        )
    if any(r.reference for r in data.rows):
        notes.append(f"{REFERENCE_CELL}: the reference level of a factor (treatment coding).")
    if data.aliased:
        notes.append(
            "Aliased (perfectly collinear, not estimated): " + ", ".join(data.aliased) + "."
        )
    tables[-1] = replace(tables[-1], notes=tuple(notes))
    return Section("coefficients", "Coefficients", tuple(tables))


# --------------------------------------------------------------------------- fit statistics

#: glance column -> (label, formatter), in report order; absent columns are skipped.
GLANCE_LABELS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "nobs": ("Observations", fmt_int),
    "n_dropped": ("Rows dropped", fmt_int),
    "df_model": ("Model df", fmt_int),
    "df_resid": ("Residual df", fmt_int),
    "loglik": ("Log-likelihood", fmt_num),
    "loglik_null": ("Null log-likelihood", fmt_num),
    "deviance": ("Deviance", fmt_num),
    "null_deviance": ("Null deviance", fmt_num),
    "aic": ("AIC", fmt_num),
    "bic": ("BIC", fmt_num),
    "pseudo_r2_mcfadden": ("McFadden R²", fmt_num),
    "pseudo_r2_coxsnell": ("Cox–Snell R²", fmt_num),
    "pseudo_r2_nagelkerke": ("Nagelkerke R²", fmt_num),
    "pseudo_r2_tjur": ("Tjur R²", fmt_num),
    "pearson_chi2": ("Pearson chi-square", fmt_num),
    "lr_stat": ("LR chi-square vs null", fmt_stat),
    "lr_df": ("LR df", fmt_int),
    "lr_pvalue": ("LR p-value", fmt_p),
    "converged": ("Converged", lambda v: "yes" if bool(v) else "no"),
    "n_iter": ("Newton iterations", fmt_int),
    "cov_type": ("Covariance", str),
}


def _fit_section(glance: pd.DataFrame) -> Section:
    g = glance.iloc[0]
    pairs = [
        (label, fn(g[col])) for col, (label, fn) in GLANCE_LABELS.items() if col in glance.columns
    ]
    return Section("fit", "Fit statistics", (_kv("fit", "Fit statistics", pairs),))


# --------------------------------------------------------------------------- tests, diagnostics


def _tests_section(data: ReportData) -> Section:
    assert data.tests is not None
    t = data.tests.table
    rows = tuple(
        (str(r.term), fmt_int(cell(r.df)), fmt_stat(cell(r.statistic)), fmt_p(cell(r.p_value)))
        for r in t.itertuples(index=False)
    )
    table = Table(
        "tests", data.tests.title, ("Term", "df", "Chi-square", "p"), rows, ("l", "r", "r", "r")
    )
    return Section("tests", "Per-term tests", (table,))


def _confusion_table(d: DiagnosticsData) -> Table:
    c = d.confusion
    corner = f"{c.index.name or 'observed'} \\ {c.columns.name or 'predicted'}"
    cols = (corner,) + tuple(str(x) for x in c.columns)
    rows = tuple(
        (str(idx),) + tuple(fmt_int(v) for v in row) for idx, row in zip(c.index, c.to_numpy())
    )
    return Table(
        "confusion",
        f"Classification table (threshold {fmt_num(d.threshold, 2)})",
        cols,
        rows,
        ("l",) + ("r",) * (len(cols) - 1),
    )


def _diagnostics_section(d: DiagnosticsData) -> Section:
    summary = _kv(
        "diagnostics",
        "Goodness of fit and discrimination",
        [
            (
                "Hosmer–Lemeshow",
                f"chi-square = {fmt_stat(d.hl_statistic)} on {fmt_int(d.hl_df)} df, "
                f"{fmt_p_clause(d.hl_p_value)}",
            ),
            (
                "ROC AUC",
                f"{fmt_num(d.auc)} (SE {fmt_num(d.auc_std_error)}; "
                f"{100 * d.conf_level:g} % CI {fmt_num(d.auc_conf_low)} to "
                f"{fmt_num(d.auc_conf_high)})",
            ),
            ("Brier score", fmt_num(d.brier)),
            ("Accuracy", fmt_num(d.accuracy)),
            ("Sensitivity", fmt_num(d.sensitivity)),
            ("Specificity", fmt_num(d.specificity)),
            ("Positive predictive value", fmt_num(d.ppv)),
            ("Negative predictive value", fmt_num(d.npv)),
        ],
    )
    hl = d.hl_table
    hl_rows = tuple(
        (
            fmt_int(cell(r.group)),
            fmt_int(cell(r.n)),
            fmt_int(cell(r.observed_1)),
            fmt_num(cell(r.expected_1), 2),
            fmt_int(cell(r.observed_0)),
            fmt_num(cell(r.expected_0), 2),
        )
        for r in hl.itertuples(index=False)
    )
    hl_table = Table(
        "hosmer_lemeshow",
        "Hosmer–Lemeshow groups (deciles of fitted risk)",
        ("Group", "n", "Observed 1", "Expected 1", "Observed 0", "Expected 0"),
        hl_rows,
        ("r",) * 6,
    )
    return Section(
        "diagnostics",
        "Diagnostics",
        (summary, _confusion_table(d), hl_table),
        notes=(
            f"Classification at threshold {fmt_num(d.threshold, 2)}: predicted event when "
            "the fitted probability is at least the threshold.",
        ),
    )


# --------------------------------------------------------------------------- documents


def report_document(data: ReportData) -> Document:
    """The sections of a regression report, cells formatted once for every output format."""
    h = data.header
    sections = [
        Section("model", "Model", (_header_table(h),), notes=h.notes),
        _coef_section(data),
        _fit_section(data.glance),
    ]
    if data.tests is not None:
        sections.append(_tests_section(data))
    if data.diagnostics is not None:
        sections.append(_diagnostics_section(data.diagnostics))
    if data.figures:
        numbered = tuple(
            replace(f, title=f"Figure {i}: {f.title}") for i, f in enumerate(data.figures, 1)
        )
        sections.append(Section("figures", "Figures", figures=numbered))
    footer = "Generated by logitstats"
    if data.timestamp:
        footer += f" on {data.timestamp}"
    return Document(data.title, h.title, tuple(sections), footer=footer + ".")


def _star(p: float | None) -> str:
    if p is None or math.isnan(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def _method_short(method: str) -> str:
    return {"maximum likelihood": "ML", "Firth penalized likelihood": "Firth"}.get(method, method)


def comparison_rows(data: ComparisonData) -> tuple[list[tuple[str, ...]], list[str]]:
    """Formatted coefficient rows of the comparison table and the kind of each row
    (``"estimate"`` and ``"interval"`` when stacked, ``""`` when inline, ``"reference"``)."""
    outcomes: dict[str | None, None] = {}
    terms: dict[str, None] = {}
    lookup = []
    for t in data.tidies:
        outs = t["outcome"].astype(str) if "outcome" in t.columns else [None] * len(t)
        lookup.append({(o, term): r for o, term, r in zip(outs, t["term"], t.itertuples())})
        for o, term in zip(outs, t["term"]):
            outcomes.setdefault(o)
            terms.setdefault(str(term))
    display = _rows_of(data.rows, list(terms))
    groups = data.groups or tuple(frozenset(str(x) for x in t["term"]) for t in data.tidies)
    rows: list[tuple[str, ...]] = []
    kinds: list[str] = []
    for o in outcomes:
        for row in display:
            label = row.label if o is None else f"{o}: {row.label}"
            if row.term is None:
                has = [
                    row.group in g and any(k[0] == o for k in lk) for g, lk in zip(groups, lookup)
                ]
                if any(has):
                    cells = [REFERENCE_CELL if row.group in g else "" for g in groups]
                    rows.append((label, *cells))
                    kinds.append("reference")
                continue
            found = [lk.get((o, row.term)) for lk in lookup]
            if all(r is None for r in found):
                continue
            est_cells, int_cells = [], []
            for r in found:
                if r is None:
                    est_cells.append("")
                    int_cells.append("")
                    continue
                star = _star(cell(r.p_value)) if data.stars else ""
                est_cells.append(fmt_fixed(cell(r.estimate)) + star)
                if data.interval == "conf_int":
                    int_cells.append(_interval(cell(r.conf_low), cell(r.conf_high)))
                else:
                    int_cells.append(f"({fmt_fixed(cell(r.std_error))})")
            if data.layout == "inline":
                cells = [f"{a} {b}" if a else "" for a, b in zip(est_cells, int_cells)]
                rows.append((label, *cells))
                kinds.append("")
            else:
                rows += [(label, *est_cells), ("", *int_cells)]
                kinds += ["estimate", "interval"]
    return rows, kinds


COMPARISON_STATS = (
    ("nobs", "N", fmt_int),
    ("loglik", "Log-likelihood", fmt_fixed),
    ("aic", "AIC", fmt_fixed),
    ("bic", "BIC", fmt_fixed),
    ("pseudo_r2_mcfadden", "McFadden R²", fmt_fixed),
)


def comparison_document(data: ComparisonData) -> Document:
    """The comparison as one aligned table: coefficient rows, then (after a rule) the SE type,
    estimator and fit statistics rows; the notes are the table's."""
    rows, kinds = comparison_rows(data)
    info_rows = []
    if data.cov_types:
        info_rows.append(("SE type", *data.cov_types))
    if data.methods:
        info_rows.append(("Estimator", *(_method_short(m) for m in data.methods)))
    stat_rows = [
        (label, *(fn(g.iloc[0][col]) if col in g.columns else "" for g in data.glances))
        for col, label, fn in COMPARISON_STATS
    ]
    cols = ("", *data.names)
    words = vocabulary(data.kind)
    what = words.ratios if data.exponentiate else words.coefficients
    where = "under each estimate" if data.layout == "stacked" else "beside each estimate"
    notes = []
    if data.interval == "conf_int":
        method = "profile-likelihood" if data.ci_method == "profile" else "Wald"
        notes.append(
            f"Estimates: {what}; {100 * data.conf_level:g} % {method} confidence intervals "
            f"in brackets {where}."
        )
    else:
        se = "delta-method standard errors" if data.exponentiate else "standard errors"
        notes.append(f"Estimates: {what}; {se} in parentheses {where}.")
    if data.stars:
        notes.append("* p < 0.05, ** p < 0.01, *** p < 0.001 (two-sided Wald z tests).")
    if "reference" in kinds:
        notes.append(f"{REFERENCE_CELL}: the reference level of a factor (treatment coding).")
    if data.methods and any(_method_short(m) == "Firth" for m in data.methods):
        notes.append("Firth: bias-reduced penalized likelihood; ML: maximum likelihood.")
    if data.reference is not None:
        notes.append(f"Reference outcome level: {data.reference}.")
    notes += data.notes
    models = _kv("models", "Models", [(n, f) for n, f in zip(data.names, data.formulas)])
    extra = info_rows + stat_rows
    coef = Table(
        "comparison",
        data.title,
        cols,
        tuple(rows) + tuple(extra),
        ("l",) + ("r",) * len(data.names),
        notes=tuple(notes),
        row_kinds=tuple(kinds) + ("statistic",) * len(extra),
        rules=(len(rows),),
    )
    section = Section("comparison", "Estimates", (coef, models))
    return Document(data.title, "", (section,), footer="Generated by logitstats.")
