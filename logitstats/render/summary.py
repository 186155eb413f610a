"""The summary of a fit as a one-section :class:`~logitstats.render.document.Document`.

Every number of a summary is formatted here, once, like the report's in
:mod:`logitstats.render.document`; the text and Markdown modules lay the document out in their
compact summary layout (``Document.layout == "summary"``). Two styles of labels exist because
the plain-text summary follows R's ``summary.glm`` (``z value``, ``Pr(>|z|)``, statistics in three
lines) and the Markdown summary follows the reports (``z``, ``p``, a statistics table).
"""

from __future__ import annotations

import pandas as pd

from logitstats.render.data import SummaryData
from logitstats.render.document import (
    Cell,
    Code,
    Document,
    Phrase,
    Section,
    Table,
    Verbatim,
    ci_labels,
)
from logitstats.render.format import cell, fmt_int, fmt_num, fmt_p, fmt_p_clause, fmt_stat
from logitstats.render.vocabulary import vocabulary

__all__ = ["summary_document", "EXPONENTIATED_NOTE"]

#: the plain-text summary's note under an exponentiated coefficient table
EXPONENTIATED_NOTE = "(estimates and interval bounds exponentiated; Std. Error by the delta method)"

V = Verbatim


def _model_table(data: SummaryData) -> Table:
    h = data.header
    converged = "converged" if h.converged else "NOT CONVERGED"
    rows: tuple[tuple[Cell, ...], ...] = (
        (V("Formula"), Code(h.formula)),
        (V("Data"), h.data_name),
        (V("Outcome"), h.outcome_line),
        (V("Observations"), Phrase((V(f"{fmt_int(h.nobs)} ("), h.rows_note, V(")")))),
        (V("Covariance"), h.cov_type),
        (V("Convergence"), V(f"{converged} after {h.n_iter} Newton iterations")),
        (V("Separation"), h.separation),
    )
    return Table("model", "Model", ("", ""), rows, ("l", "l"), kind="keyvalue")


def _coef_rows(tidy: pd.DataFrame) -> tuple[tuple[Cell, ...], ...]:
    return tuple(
        (
            str(r.term),
            V(fmt_num(cell(r.estimate))),
            V(fmt_num(cell(r.std_error))),
            V(fmt_stat(cell(r.statistic))),
            V(fmt_p(cell(r.p_value))),
            V(fmt_num(cell(r.conf_low))),
            V(fmt_num(cell(r.conf_high))),
        )
        for r in tidy.itertuples(index=False)
    )


def _coef_tables(data: SummaryData, console: bool) -> list[Table]:
    h = data.header
    lo, hi = ci_labels(data.conf_level)
    est = vocabulary(h.kind).ratio_column if data.exponentiate else "Estimate"
    if console:
        stat, pcol = ("z value", "Pr(>|z|)") if h.statistic == "z" else ("Chisq", "Pr(>Chisq)")
        cols = ("", est, "Std. Error", stat, pcol, lo, hi)
    else:
        stat = "z" if h.statistic == "z" else "Chi-square"
        cols = ("Term", est, "Std. Error", stat, "p", lo, hi)
    columns = tuple(V(c) for c in cols)
    align = ("l",) + ("r",) * (len(cols) - 1)
    if "outcome" not in data.tidy.columns:
        return [Table("coefficients", "", columns, _coef_rows(data.tidy), align)]
    tables = []
    for outcome, block in data.tidy.groupby("outcome", sort=False):
        parts: tuple[str, ...] = (str(outcome), V(" vs "), h.reference, V(" (reference)"))
        caption = Phrase((V("Outcome "), *parts) if console else parts)
        tables.append(Table(f"coefficients:{outcome}", caption, columns, _coef_rows(block), align))
    return tables


def _fit_table(glance: pd.DataFrame, console: bool) -> Table:
    g = glance.iloc[0]
    loglik = (("Log-likelihood", fmt_num(g["loglik"])),)
    null = (("Null log-likelihood", fmt_num(g["loglik_null"])),)
    deviance = (("Deviance", f"{fmt_num(g['deviance'])} on {fmt_int(g['df_resid'])} df"),)
    ic = (("AIC", fmt_num(g["aic"])), ("BIC", fmt_num(g["bic"])))
    r2 = (("McFadden R2", fmt_num(g["pseudo_r2_mcfadden"])),)
    lr = (
        f"chi2 = {fmt_stat(g['lr_stat'])} on {fmt_int(g['lr_df'])} df, "
        f"{fmt_p_clause(g['lr_pvalue'])}"
    )
    if console:  # three lines of label: value pairs, as R's summary.glm
        lines = (loglik + null, deviance + ic, (("LR test vs null model", lr),) + r2)
        rows = tuple(tuple(V(c) for pair in line for c in pair) for line in lines)
        return Table("fit", "", (), rows, (), kind="inline")
    pairs = loglik + null + deviance + ic + r2 + (("LR test vs null", lr),)
    rows = tuple((V(k), V(v)) for k, v in pairs)
    return Table("fit", "", (V("Statistic"), V("Value")), rows, ("l", "r"))


def summary_document(data: SummaryData, *, console: bool) -> Document:
    """The summary as a one-section document.

    Parameters
    ----------
    data : SummaryData
    console : bool
        True for the plain-text (R-style) labels and layout, False for the Markdown ones.

    Returns
    -------
    Document
        ``layout="summary"``; one section whose tables are the model header (keyvalue), one
        coefficient table per non-reference outcome (grid) and the fit statistics, and whose
        notes are the header's notes.
    """
    coefs = _coef_tables(data, console)
    if console and data.exponentiate:
        last = coefs[-1]
        coefs[-1] = Table(
            last.key, last.caption, last.columns, last.rows, last.align, notes=(EXPONENTIATED_NOTE,)
        )
    tables = (_model_table(data), *coefs, _fit_table(data.glance, console))
    h = data.header
    section = Section("summary", h.title, tables, notes=h.notes)
    return Document(h.title, "", (section,), layout="summary")
