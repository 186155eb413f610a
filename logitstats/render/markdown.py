"""Markdown summary (GitHub-flavoured tables): a pure function of header, tidy and glance data.

User strings are escaped with :mod:`logitstats.render.escape` (the formula as a code span).
"""

from __future__ import annotations

import pandas as pd

from logitstats.render.data import ModelHeader
from logitstats.render.escape import escape_markdown, markdown_code
from logitstats.render.format import fmt_int, fmt_num, fmt_p_clause, fmt_stat
from logitstats.render.text import coef_rows

__all__ = ["summary_markdown"]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def summary_markdown(
    header: ModelHeader,
    tidy: pd.DataFrame,
    glance: pd.DataFrame,
    *,
    conf_level: float = 0.95,
    exponentiate: bool = False,
) -> str:
    """Markdown version of :func:`logitstats.render.text.summary_text` (same numbers)."""
    g = glance.iloc[0]
    e = escape_markdown
    out = [f"## {e(header.title)}", ""]
    out += [
        f"- **Formula:** {markdown_code(header.formula)}",
        f"- **Data:** {e(header.data_name)}",
        f"- **Outcome:** {e(header.outcome_line)}",
        f"- **Observations:** {fmt_int(header.nobs)} ({e(header.rows_note)})",
        f"- **Covariance:** {e(header.cov_type)}",
        f"- **Convergence:** {'converged' if header.converged else 'NOT CONVERGED'} after "
        f"{header.n_iter} Newton iterations",
        f"- **Separation:** {e(header.separation)}",
        "",
    ]
    lo = 100 * (1 - conf_level) / 2
    est = ("Odds ratio" if header.kind == "binary" else "RRR") if exponentiate else "Estimate"
    stat = "z" if header.statistic == "z" else "Chi-square"
    cols = ["Term", est, "Std. Error", stat, "p", f"{lo:g} %", f"{100 - lo:g} %"]
    blocks = (
        list(tidy.groupby("outcome", sort=False)) if "outcome" in tidy.columns else [(None, tidy)]
    )
    for outcome, block in blocks:
        if outcome is not None:
            out += [f"### {e(outcome)} vs {e(header.reference)} (reference)", ""]
        out += [_row(cols), _row(["---"] + ["---:"] * (len(cols) - 1))]
        out += [_row([e(r[0])] + r[1:]) for r in coef_rows(block)]
        out.append("")
    stats = [
        ("Log-likelihood", fmt_num(g["loglik"])),
        ("Null log-likelihood", fmt_num(g["loglik_null"])),
        ("Deviance", f"{fmt_num(g['deviance'])} on {fmt_int(g['df_resid'])} df"),
        ("AIC", fmt_num(g["aic"])),
        ("BIC", fmt_num(g["bic"])),
        ("McFadden R2", fmt_num(g["pseudo_r2_mcfadden"])),
        (
            "LR test vs null",
            f"chi2 = {fmt_stat(g['lr_stat'])} on {fmt_int(g['lr_df'])} df, "
            f"{fmt_p_clause(g['lr_pvalue'])}",
        ),
    ]
    out += [_row(["Statistic", "Value"]), _row(["---", "---:"])]
    out += [_row([k, v]) for k, v in stats]
    for note in header.notes:
        out += ["", f"> Note: {e(note)}"]
    return "\n".join(out) + "\n"
