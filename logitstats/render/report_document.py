"""The document of a regression report: model header, coefficients, fit statistics, per-term
tests, diagnostics and figures, every number formatted once (:mod:`logitstats.render.format`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd

from logitstats.render.data import DiagnosticsData, ModelHeader, ReportData
from logitstats.render.document_model import (
    REFERENCE_CELL,
    Document,
    Section,
    Table,
    interval_cell,
    kv_table,
    rows_of,
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
    return kv_table("model", "Model", pairs)


# --------------------------------------------------------------------------- coefficients


def _blocks(tidy: pd.DataFrame) -> list[tuple[str | None, pd.DataFrame]]:
    if "outcome" in tidy.columns:
        return [(str(o), b) for o, b in tidy.groupby("outcome", sort=False)]
    return [(None, tidy)]


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
    for row in rows_of(data.rows, [str(t) for t in src["term"]]):
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
            cells += [fmt_fixed(q["estimate"]), interval_cell(q["conf_low"], q["conf_high"])]
        else:
            cells.append(interval_cell(r["conf_low"], r["conf_high"]))
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
    return Section("fit", "Fit statistics", (kv_table("fit", "Fit statistics", pairs),))


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
    summary = kv_table(
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
