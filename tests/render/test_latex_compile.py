"""The LaTeX output compiles with pdflatex and fits a default article page.

pdflatex comes from Debian (``apt-get install --no-install-recommends texlive-latex-base
texlive-latex-recommended``; ``.ci/run`` installs it). Only packages of that set are used
(booktabs, dcolumn, tabularx, graphicx). Without pdflatex the tests are skipped locally but
FAIL under CI (``CI=true``), so CI cannot pass silently. A table wider than the text width
shows as "Overfull \\hbox" in the log: none is allowed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import logitstats as ls
from logitstats.render.latex import standalone_document
from tests.report_cases import anes_fit, hostile_fit


def _pdflatex() -> str:
    path = shutil.which("pdflatex")
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            "CI=true but no pdflatex on PATH: .ci/run must install it (apt-get install "
            "--no-install-recommends texlive-latex-base texlive-latex-recommended)"
        )
    pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base)")


def _compile(tex: str, tmp_path: Path, name: str) -> str:
    """Compile ``tex``; return the log. Fails on an error or an overfull box."""
    src = tmp_path / f"{name}.tex"
    src.write_text(tex, encoding="utf-8")
    res = subprocess.run(
        [_pdflatex(), "-interaction=nonstopmode", "-halt-on-error", src.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (tmp_path / f"{name}.log").read_text(encoding="latin-1")
    assert res.returncode == 0, log[-3000:]
    assert (tmp_path / f"{name}.pdf").stat().st_size > 0
    overfull = re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)
    assert not overfull, f"{name}: tables wider than the page by {overfull} pt"
    return log


def _affairs_fits():
    df = ls.datasets.load("affairs")
    formula = "had_affair ~ C(rate_marriage) + age + np.log(yrs_married) + C(religious) + educ"
    return [
        ls.logit("had_affair ~ age + educ", df, data_name="affairs"),
        ls.logit(formula, df, data_name="affairs", cov_type="HC1"),
        ls.logit(formula, df, data_name="affairs", firth=True),
    ]


@pytest.mark.parametrize("exponentiate", [None, True, False])
def test_reports_compile_and_fit_the_page(tmp_path, exponentiate):
    fit = _affairs_fits()[1]
    tex = fit.report("latex", figures=False, exponentiate=exponentiate, standalone=True)
    _compile(tex, tmp_path, "report")


def test_multinomial_and_hostile_reports_compile(tmp_path):
    _compile(anes_fit().report("latex", figures=False, standalone=True), tmp_path, "anes")
    _compile(hostile_fit().report("latex", figures=False, standalone=True), tmp_path, "hostile")


@pytest.mark.parametrize(
    "options",
    [
        {"stars": True},
        {"exponentiate": True, "interval": "conf_int", "layout": "inline", "stars": True},
        {"interval": "conf_int", "ci_method": "profile"},
    ],
)
def test_comparisons_compile_and_fit_the_page(tmp_path, options):
    tex = ls.compare(_affairs_fits(), **options).render("latex", standalone=True)
    _compile(tex, tmp_path, "comparison")


def test_the_fragment_compiles_in_an_article_with_the_documented_preamble(tmp_path):
    fragment = str(ls.compare(_affairs_fits(), stars=True).render("latex"))
    assert "\\documentclass" not in fragment
    _compile(standalone_document(fragment), tmp_path, "fragment")


def test_table_structure_notes_inside_math_minus_aligned_columns():
    tex = str(ls.compare(_affairs_fits(), stars=True).render("latex"))
    table = tex[tex.index("\\begin{table}") : tex.index("\\end{table}")]
    # notes (estimates, stars legend) inside the float, under the tabular
    assert table.index("\\end{tabular}") < table.index("\\emph{Note:}")
    assert "* p \\textless{} 0.05" in table.replace("{*}", "*")
    # numbers in dcolumn columns (decimal-point aligned, math mode: a true minus), stars as
    # superscripts, text cells centred
    assert re.search(r"\\begin\{tabular\}\{@\{\}lD\{\.\}\{\.\}\{\d\.\d\}", table)
    assert "-0.9630^{***}" in table and "(0.2127)" in table
    assert "\\multicolumn{1}{c}{--- (ref)}" in table
    assert "\\caption{Model comparison}" in table  # numbered: "Table 1: Model comparison"
    # the rule between coefficients and fit statistics; no rule between estimate and SE
    body = table[table.index("Intercept") :]
    assert body.split("\n")[1].startswith(" & (0.2127)")
    assert "\\midrule\nSE type" in body
