"""The document of a model comparison: one aligned table of the models' coefficients and fit
statistics, and the list of models."""

from __future__ import annotations

import math

from logitstats.render.data import ComparisonData
from logitstats.render.document_model import (
    REFERENCE_CELL,
    Document,
    Section,
    Table,
    interval_cell,
    kv_table,
    rows_of,
)
from logitstats.render.format import cell, fmt_fixed, fmt_int
from logitstats.render.vocabulary import vocabulary


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
    display = rows_of(data.rows, list(terms))
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
                    int_cells.append(interval_cell(cell(r.conf_low), cell(r.conf_high)))
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
    models = kv_table("models", "Models", [(n, f) for n, f in zip(data.names, data.formulas)])
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
