"""How results show in a REPL and a notebook: a short ``repr``, ``_repr_html_`` and ``Summary``.

``repr(fit)`` is a few lines (model, formula, nobs, convergence, one line per term, at most
:data:`MAX_REPR_TERMS` terms), never the dump of the arrays inside the result. In a notebook a
result, a summary and a comparison display as HTML fragments (no ``<html>``/``<head>``, no
script, a style block scoped to ``.logitstats``). Numbers are formatted by
:mod:`logitstats.render.format`, the same functions as every report; every user string (formula,
terms, levels, data name) is escaped with :func:`logitstats.render.escape.escape_text` in text
and :func:`logitstats.render.escape.escape_html` in HTML.

Nothing here computes an expensive statistic: the repr and the HTML of a result show Wald
statistics from ``tidy()`` (profile intervals only appear when a summary asks for them).

Examples
--------
>>> import logitstats as ls
>>> fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
>>> print(repr(fit))
<LogitResult: binary logistic regression, maximum likelihood
  formula: GRADE ~ GPA + TUCE + PSI
  outcome: GRADE; event = 1 (vs 0)
  nobs: 32, converged: True (6 iterations), cov_type: nonrobust
  term       estimate  std_error  p_value
  Intercept  -13.0213     4.9313    0.008
  GPA          2.8261     1.2629    0.025
  TUCE         0.0952     0.1416    0.501
  PSI          2.3787     1.0646    0.025>
>>> s = fit.summary()
>>> isinstance(s, str) and s.startswith("Binary logistic regression")
True
>>> s._repr_html_().startswith('<div class="logitstats logitstats-summary">')
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from logitstats.render.escape import escape_html, escape_text
from logitstats.render.format import fmt_int, fmt_num, fmt_p, fmt_p_clause, fmt_stat
from logitstats.render.notebook import html_fragment
from logitstats.render.notebook import wrap as _wrap

if TYPE_CHECKING:
    from logitstats.render.data import ModelHeader
    from logitstats.results.base import FitResult

__all__ = [
    "Summary",
    "result_repr",
    "result_html",
    "summary_html",
    "html_fragment",
    "MAX_REPR_TERMS",
    "MAX_HTML_TERMS",
]

#: terms listed by ``repr(fit)`` (one line each; the rest are counted): it stays within a screen
MAX_REPR_TERMS = 20
#: outcomes shown side by side per term in the repr of a multinomial fit
MAX_REPR_OUTCOMES = 5
#: characters of a term name in the repr (longer names end with "...")
MAX_REPR_NAME = 40
_NUMBERS = ("estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high")
#: coefficient rows of a result's HTML display (``summary()`` shows all of them)
MAX_HTML_TERMS = 60



class Summary(str):
    """The text summary of a fit: a ``str`` (prints as the text) that displays as HTML.

    Every string operation works as on the text; ``_repr_html_`` gives the same summary as an
    HTML fragment (header, coefficient table(s), fit statistics, notes) for notebooks, and
    ``repr`` shows the text itself, so that ``fit.summary()`` at a prompt reads as a table
    rather than one escaped line.
    """

    _html: str

    def __new__(cls, text: str, html: str = "") -> Summary:
        obj = super().__new__(cls, text)
        obj._html = html
        return obj

    def _repr_html_(self) -> str:
        return self._html or f'<pre class="logitstats">{escape_html(str(self))}</pre>'

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))


# --------------------------------------------------------------------------- text repr


def _short(name: Any) -> str:
    s = escape_text(str(name))
    return s if len(s) <= MAX_REPR_NAME else s[: MAX_REPR_NAME - 3] + "..."


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    return [
        "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
        for r in [header, *rows]
    ]


def result_repr(fit: FitResult) -> str:
    """The short ``repr`` of a result: model, formula, outcome, nobs, convergence and one line
    per term (estimate, SE and p-value; multinomial: the estimate per outcome), at most
    :data:`MAX_REPR_TERMS` terms."""
    h = fit._header()
    head = [
        f"<{type(fit).__name__}: {escape_text(h.title[0].lower() + h.title[1:])}",
        f"  formula: {escape_text(h.formula)}",
        f"  outcome: {escape_text(h.outcome_line)}",
        f"  nobs: {fmt_int(h.nobs)}, converged: {h.converged} ({h.n_iter} iterations), "
        f"cov_type: {escape_text(h.cov_type)}",
    ]
    if fit.layout.is_multinomial:
        params = fit.params
        assert isinstance(params, pd.DataFrame)
        outcomes = list(params.columns)[:MAX_REPR_OUTCOMES]
        header = ["term", *(_short(o) for o in outcomes)]
        values = params.to_numpy(dtype=float)[:, : len(outcomes)].tolist()
        rows = [[_short(t), *map(fmt_num, v)] for t, v in zip(params.index, values)]
        if len(params.columns) > len(outcomes):
            header.append(f"(+{len(params.columns) - len(outcomes)} outcomes)")
            rows = [[*r, ""] for r in rows]
    else:
        tidy = fit.tidy()
        header = ["term", "estimate", "std_error", "p_value"]
        est, se, p = (
            tidy[c].to_numpy(dtype=float).tolist() for c in ("estimate", "std_error", "p_value")
        )
        rows = [
            [_short(t), fmt_num(e), fmt_num(s), fmt_p(q)]
            for t, e, s, q in zip(tidy["term"], est, se, p)
        ]
    n_terms = len(rows)
    lines = head + ["  " + s for s in _grid(header, rows[:MAX_REPR_TERMS])]
    if n_terms > MAX_REPR_TERMS:
        lines.append(f"  ... {n_terms - MAX_REPR_TERMS} more terms (fit.tidy() lists all)")
    return "\n".join(lines) + ">"


# --------------------------------------------------------------------------- HTML


def _table_html(
    columns: list[str], rows: list[list[str]], caption: str | None = None, cls: str = "coef"
) -> str:
    """A table whose first column is left-aligned text and the others right-aligned numbers;
    every cell is escaped here."""
    e = escape_html
    out = [f'<table class="{cls}">']
    if caption:
        out.append(f"<caption>{e(caption)}</caption>")
    heads = "".join(
        f'<th scope="col" class="{"l" if i == 0 else "r"}">{e(c)}</th>'
        for i, c in enumerate(columns)
    )
    out.append(f"<thead><tr>{heads}</tr></thead><tbody>")
    for r in rows:
        cells = [f'<th scope="row" class="l">{e(r[0])}</th>']
        cells += [f'<td class="r">{e(c)}</td>' for c in r[1:]]
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _keyvalue_html(pairs: list[tuple[str, str]]) -> str:
    e = escape_html
    rows = "".join(
        f'<tr><th scope="row" class="l">{e(k)}</th><td class="l">{e(v)}</td></tr>' for k, v in pairs
    )
    return f'<table class="keyvalue"><tbody>{rows}</tbody></table>'


def _header_pairs(h: ModelHeader) -> list[tuple[str, str]]:
    return [
        ("Formula", h.formula),
        ("Data", h.data_name),
        ("Outcome", h.outcome_line),
        ("Observations", f"{fmt_int(h.nobs)} ({h.rows_note})"),
        ("Covariance", h.cov_type),
        (
            "Convergence",
            f"{'converged' if h.converged else 'NOT CONVERGED'} after {h.n_iter} Newton iterations",
        ),
        ("Separation", h.separation),
    ]


def _pct(level: float) -> tuple[str, str]:
    lo = 100 * (1 - level) / 2
    return f"{lo:g} %", f"{100 - lo:g} %"


def _coef_cells(tidy: pd.DataFrame) -> list[list[str]]:
    """The formatted cells of the text summary's coefficient table (same functions)."""
    cols = zip(*(tidy[c].to_numpy(dtype=float).tolist() for c in _NUMBERS))
    fmts: tuple[Callable[[float | None], str], ...] = (
        fmt_num,
        fmt_num,
        fmt_stat,
        fmt_p,
        fmt_num,
        fmt_num,
    )
    return [[str(t), *(f(v) for f, v in zip(fmts, vals))] for t, vals in zip(tidy["term"], cols)]


def _coef_tables(
    h: ModelHeader,
    tidy: pd.DataFrame,
    conf_level: float,
    exponentiate: bool,
    max_rows: int | None = None,
) -> list[str]:
    est = (
        "Odds ratio"
        if exponentiate and h.kind == "binary"
        else ("RRR" if exponentiate else "Estimate")
    )
    stat, pcol = ("z value", "Pr(>|z|)") if h.statistic == "z" else ("Chisq", "Pr(>Chisq)")
    columns = ["", est, "Std. Error", stat, pcol, *_pct(conf_level)]
    shown = tidy if max_rows is None else tidy.iloc[:max_rows]
    out: list[str] = []
    if "outcome" in shown.columns:
        for outcome, block in shown.groupby("outcome", sort=False):
            caption = f"Outcome {outcome} vs {h.reference} (reference)"
            out.append(_table_html(columns, _coef_cells(block), caption))
    else:
        out.append(_table_html(columns, _coef_cells(shown)))
    if max_rows is not None and len(tidy) > max_rows:
        out.append(
            f'<p class="note">{len(tidy) - max_rows} more coefficients: fit.tidy() or '
            "fit.summary() lists all</p>"
        )
    return out


def summary_html(
    header: ModelHeader,
    tidy: pd.DataFrame,
    glance: pd.DataFrame,
    *,
    conf_level: float = 0.95,
    exponentiate: bool = False,
) -> str:
    """The summary as an HTML fragment: the same header, cells and notes as the text summary.

    Parameters
    ----------
    header : ModelHeader
    tidy : DataFrame
        The coefficient table (``tidy`` columns; multinomial: with ``outcome``).
    glance : DataFrame
        ``result.glance()`` (one row).
    conf_level : float
    exponentiate : bool

    Returns
    -------
    str
        ``<div class="logitstats logitstats-summary">...</div>``.
    """
    e = escape_html
    g = glance.iloc[0]
    parts = [f"<p><strong>{e(header.title)}</strong></p>", _keyvalue_html(_header_pairs(header))]
    parts += _coef_tables(header, tidy, conf_level, exponentiate)
    if exponentiate:
        parts.append(
            '<p class="note">Estimates and interval bounds exponentiated; Std. Error by the '
            "delta method.</p>"
        )
    stats = [
        ("Log-likelihood", fmt_num(g["loglik"])),
        ("Null log-likelihood", fmt_num(g["loglik_null"])),
        ("Deviance", f"{fmt_num(g['deviance'])} on {fmt_int(g['df_resid'])} df"),
        ("AIC", fmt_num(g["aic"])),
        ("BIC", fmt_num(g["bic"])),
        (
            "LR test vs null model",
            f"chi2 = {fmt_stat(g['lr_stat'])} on {fmt_int(g['lr_df'])} df, "
            f"{fmt_p_clause(g['lr_pvalue'])}",
        ),
        ("McFadden R2", fmt_num(g["pseudo_r2_mcfadden"])),
    ]
    parts.append(_keyvalue_html(stats))
    parts += [f'<p class="note">Note: {e(n)}</p>' for n in header.notes]
    return _wrap("summary", parts)


def result_html(fit: FitResult) -> str:
    """A result in a notebook: the header and the Wald coefficient table (at most
    :data:`MAX_HTML_TERMS` rows); ``fit.summary()`` displays the full summary."""
    h = fit._header()
    e = escape_html
    parts = [
        f"<p><strong>{e(type(fit).__name__)}</strong>: {e(h.title)}</p>",
        _keyvalue_html(_header_pairs(h)),
    ]
    parts += _coef_tables(h, fit.tidy(), 0.95, False, max_rows=MAX_HTML_TERMS)
    return _wrap("result", parts)
