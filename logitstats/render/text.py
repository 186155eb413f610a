"""Plain-text summary, R/statsmodels style: a pure function of header, tidy and glance data.

Every user string is escaped with :func:`logitstats.render.escape.escape_text`.
"""

from __future__ import annotations

import pandas as pd

from logitstats.render.data import ModelHeader
from logitstats.render.escape import escape_text
from logitstats.render.format import fmt_int, fmt_num, fmt_p, fmt_p_clause, fmt_stat

__all__ = ["summary_text", "coef_rows"]


def _pct(level: float) -> tuple[str, str]:
    lo = 100 * (1 - level) / 2
    return f"{lo:g} %", f"{100 - lo:g} %"


def coef_rows(tidy: pd.DataFrame) -> list[list[str]]:
    """Formatted cells of a tidy coefficient table (term, estimate, se, z, p, low, high); the
    term is not escaped (each format escapes it)."""
    rows = []
    for r in tidy.itertuples(index=False):
        rows.append(
            [
                str(r.term),
                fmt_num(r.estimate),
                fmt_num(r.std_error),
                fmt_stat(r.statistic),
                fmt_p(r.p_value),
                fmt_num(r.conf_low),
                fmt_num(r.conf_high),
            ]
        )
    return rows


def _escaped_rows(tidy: pd.DataFrame) -> list[list[str]]:
    return [[escape_text(r[0]), *r[1:]] for r in coef_rows(tidy)]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    fmt_row = lambda cells: "  ".join(  # noqa: E731
        c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells)
    )
    return [fmt_row(header)] + [fmt_row(r) for r in rows]


def summary_text(
    header: ModelHeader,
    tidy: pd.DataFrame,
    glance: pd.DataFrame,
    *,
    conf_level: float = 0.95,
    exponentiate: bool = False,
) -> str:
    """The plain-text summary of a fit.

    Parameters
    ----------
    header : ModelHeader
    tidy : DataFrame
        ``result.tidy(...)`` output (multinomial: with the ``outcome`` column).
    glance : DataFrame
        ``result.glance()`` output (one row).
    """
    g = glance.iloc[0]
    e = escape_text
    lines = [e(header.title), "=" * 78]
    info = [
        ("Formula", e(header.formula)),
        ("Data", e(header.data_name)),
        ("Outcome", e(header.outcome_line)),
        ("Observations", f"{fmt_int(header.nobs)} ({e(header.rows_note)})"),
        ("Covariance", e(header.cov_type)),
        (
            "Convergence",
            f"{'converged' if header.converged else 'NOT CONVERGED'} "
            f"after {header.n_iter} Newton iterations",
        ),
        ("Separation", e(header.separation)),
    ]
    width = max(len(k) for k, _ in info)
    lines += [f"{k + ':':<{width + 1}} {v}" for k, v in info]
    lines.append("-" * 78)
    lo, hi = _pct(conf_level)
    est = (
        "Odds ratio"
        if exponentiate and header.kind == "binary"
        else ("RRR" if exponentiate else "Estimate")
    )
    stat, pcol = ("z value", "Pr(>|z|)") if header.statistic == "z" else ("Chisq", "Pr(>Chisq)")
    cols = ["", est, "Std. Error", stat, pcol, lo, hi]
    if "outcome" in tidy.columns:
        for outcome, block in tidy.groupby("outcome", sort=False):
            lines.append(f"Outcome {e(outcome)} vs {e(header.reference)} (reference):")
            lines += ["  " + s for s in _table(cols, _escaped_rows(block))]
            lines.append("")
        lines.pop()
    else:
        lines += _table(cols, _escaped_rows(tidy))
    if exponentiate:
        lines.append(
            "(estimates and interval bounds exponentiated; Std. Error by the delta method)"
        )
    lines.append("-" * 78)
    lines.append(
        f"Log-likelihood: {fmt_num(g['loglik'])}   Null log-likelihood: {fmt_num(g['loglik_null'])}"
    )
    lines.append(
        f"Deviance: {fmt_num(g['deviance'])} on {fmt_int(g['df_resid'])} df   "
        f"AIC: {fmt_num(g['aic'])}   BIC: {fmt_num(g['bic'])}"
    )
    r2 = f"McFadden R2: {fmt_num(g['pseudo_r2_mcfadden'])}"
    lines.append(
        f"LR test vs null model: chi2 = {fmt_stat(g['lr_stat'])} on {fmt_int(g['lr_df'])} df, "
        f"{fmt_p_clause(g['lr_pvalue'])}   {r2}"
    )
    for note in header.notes:
        lines.append(f"Note: {e(note)}")
    return "\n".join(lines) + "\n"
