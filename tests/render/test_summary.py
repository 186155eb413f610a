"""The summary as a one-section document (:mod:`logitstats.render.summary`), laid out by the
text and Markdown modules; its numbers are the report's, formatted by the same functions."""

from __future__ import annotations

import numpy as np
import pandas as pd

import logitstats as ls
from logitstats.render.data import SummaryData
from logitstats.render.document import Code, Phrase, Verbatim, report_document
from logitstats.render.registry import render_summary
from logitstats.render.summary import EXPONENTIATED_NOTE, summary_document
from logitstats.reporting.report import build_report
from tests.report_cases import anes_fit, spector_fit


def _data(fit, exponentiate=False) -> SummaryData:
    table = fit._inference_table(0.95, exponentiate, None)
    return SummaryData(fit._header(), table.tidy, fit.glance(), 0.95, exponentiate)


def test_the_summary_is_one_section_of_model_coefficients_and_statistics():
    for console in (True, False):
        doc = summary_document(_data(anes_fit()), console=console)
        assert doc.layout == "summary"
        (section,) = doc.sections
        kinds = [t.kind for t in section.tables]
        # model header, one table per non-reference outcome (Ind, Rep), fit statistics
        assert kinds == ["keyvalue", "grid", "grid", "inline" if console else "grid"]
        assert isinstance(dict(section.tables[0].rows)["Formula"], Code)


def test_the_summary_renderers_are_what_summary_calls():
    fit = spector_fit()
    assert render_summary(_data(fit), "text") == fit.summary()
    exp = fit.summary(format="markdown", exponentiate=True)
    assert render_summary(_data(fit, True), "markdown") == exp


def test_the_summary_shows_the_digits_of_the_report():
    fit = spector_fit()
    summary = summary_document(_data(fit), console=False).sections[0].tables[1]
    report = report_document(build_report(fit, exponentiate=False, figures=False))
    coef = next(t for s in report.sections for t in s.tables if t.key == "coefficients")
    # the report's compact table: the same Term, estimate, SE, z and p cells, and the CI
    # bounds in one "[low, high]" cell
    assert [tuple(map(str, r[:5])) for r in summary.rows] == [tuple(r[:5]) for r in coef.rows]
    assert [f"[{r[5]}, {r[6]}]" for r in summary.rows] == [r[5] for r in coef.rows]


def test_exponentiated_text_summary_says_so_under_the_table():
    text = spector_fit().summary(exponentiate=True)
    lines = text.splitlines()
    assert lines[lines.index(EXPONENTIATED_NOTE) + 1] == "-" * 78
    assert EXPONENTIATED_NOTE not in spector_fit().summary()
    assert EXPONENTIATED_NOTE not in spector_fit().summary(format="markdown", exponentiate=True)


def _fit_with_names(level: str, term: str) -> ls.MLogitResult:
    rng = np.random.default_rng(3)
    n = 150
    df = pd.DataFrame({"y": rng.choice(["ref", level, "c"], n), term: rng.normal(size=n)})
    return ls.mlogit(f"y ~ Q('{term}')", df, reference="ref")


def test_markdown_summary_escapes_names_but_not_its_own_numbers():
    md = _fit_with_names("lvl<", "x*y").summary(format="markdown")
    # each name escaped on its own: "lvl<" ends the name, so its "<" is escaped even though a
    # space follows in the heading (escape_markdown keeps "< " only inside one string)
    assert "### lvl\\< vs ref (reference)" in md
    assert "| Q('x\\*y') |" in md
    assert "\\<" not in md.replace("lvl\\<", "")  # p-values such as "< 0.001" stay as they are


def test_cells_of_mixed_parts_escape_each_part():
    from logitstats.render.document import cell_text

    def esc(s):
        return f"[{s}]"

    cell = Phrase((Verbatim("n = 3 ("), "a<", Verbatim(")")))
    assert cell_text(cell, esc, esc) == "n = 3 ([a<])"
    assert cell_text(Code("y ~ x"), esc, lambda s: f"`{s}`") == "`y ~ x`"
    assert cell_text("plain", esc, esc) == "[plain]"
