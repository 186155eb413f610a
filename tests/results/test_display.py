"""Notebook and REPL display: the short repr, ``_repr_html_`` and :class:`Summary`."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.results.display import MAX_HTML_TERMS, MAX_REPR_TERMS, Summary
from tests.report_cases import (
    HOSTILE_COL,
    HOSTILE_LEVEL,
    anes_fit,
    hostile_fit,
    parse_html,
    spector_fit,
)

SCREEN_LINES = 30  # "at most a screen": a terminal of 80 x 30 holds the whole repr


def _wide_fit(k: int) -> ls.LogitResult:
    rng = np.random.default_rng(3)
    n = 400
    X = rng.normal(size=(n, k))
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-0.3 * X[:, 0]))).astype(int)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(k)]).assign(y=y)
    return ls.logit("y ~ " + " + ".join(f"x{i}" for i in range(k)), data=df)


def test_repr_is_short_and_names_model_formula_nobs_convergence_and_terms():
    fit = spector_fit()
    r = repr(fit)
    lines = r.splitlines()
    assert lines[0] == "<LogitResult: binary logistic regression, maximum likelihood"
    assert "formula: GRADE ~ GPA + TUCE + PSI" in r
    assert "nobs: 32, converged: True (6 iterations), cov_type: nonrobust" in r
    assert [ln.split()[0] for ln in lines[5:]] == ["Intercept", "GPA", "TUCE", "PSI"]
    assert "array(" not in r and "design=" not in r  # not the dataclass dump (4064 chars before)
    assert len(r) < 800 and len(lines) <= SCREEN_LINES


def test_repr_values_are_the_fits_numbers():
    fit = spector_fit()
    gpa = next(ln for ln in repr(fit).splitlines() if ln.split()[0] == "GPA").split()
    assert float(gpa[1]) == pytest.approx(fit.params["GPA"], abs=5e-5)  # 4 decimals shown
    assert float(gpa[2]) == pytest.approx(fit.bse["GPA"], abs=5e-5)


def test_repr_of_a_multinomial_fit_has_one_line_per_term():
    fit = anes_fit()
    lines = repr(fit).splitlines()
    assert lines[0].startswith("<MLogitResult: multinomial (baseline-category)")
    header = lines[4].split()
    assert header == ["term", *map(str, fit.params.columns)]
    assert len(lines) == 5 + fit.params.shape[0]


def test_repr_of_a_wide_model_stays_within_a_screen():
    fit = _wide_fit(40)
    lines = repr(fit).splitlines()
    assert len(lines) <= SCREEN_LINES
    assert lines[-1] == f"  ... {41 - MAX_REPR_TERMS} more terms (fit.tidy() lists all)>"


def test_repr_escapes_control_characters_in_names():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"y": rng.integers(0, 2, 60), "x\x1b[2J": rng.normal(size=60)})
    r = repr(ls.logit('y ~ Q("x\x1b[2J")', data=df))
    assert "\x1b" not in r and "\\x1b[2J" in r


def test_summary_is_a_str_that_prints_as_before_and_displays_as_html():
    fit = spector_fit()
    s = fit.summary()
    assert isinstance(s, Summary) and isinstance(s, str)
    assert str(s) == str(fit) and repr(s) == str(s)  # the prompt shows the table, not one line
    assert s.splitlines()[0] == "Binary logistic regression, maximum likelihood"
    html = s._repr_html_()
    assert html.startswith('<div class="logitstats logitstats-summary">')
    assert "<html" not in html and "<head" not in html and "<script" not in html
    assert isinstance(fit.summary(format="markdown"), str)
    assert not isinstance(fit.summary(format="markdown"), Summary)
    back = pickle.loads(pickle.dumps(s))
    assert back == s and back._repr_html_() == html


def test_summary_html_cells_are_the_text_summary_cells():
    fit = spector_fit()
    s = fit.summary(exponentiate=True)
    tables = list(parse_html(s._repr_html_()).tables.values())
    coef = tables[1]
    assert coef[0] == ["", "Odds ratio", "Std. Error", "z value", "Pr(>|z|)", "2.5 %", "97.5 %"]
    text_rows = [ln.split() for ln in s.splitlines() if ln.split()[:1] in (["GPA"], ["PSI"])]
    html_rows = [r for r in coef[1:] if r[0] in ("GPA", "PSI")]
    assert html_rows == text_rows
    # aligned columns: every row has the header's number of cells
    assert {len(r) for r in coef} == {7}


def test_summary_html_of_a_multinomial_fit_has_a_table_per_outcome():
    fit = anes_fit()
    p = parse_html(fit.summary()._repr_html_())
    captions = fit.summary()._repr_html_().count("<caption>Outcome ")
    assert captions == 2
    assert len(p.tables) == 4  # header, Ind, Rep, fit statistics


def test_result_html_is_a_fragment_with_the_wald_table():
    fit = spector_fit()
    html = fit._repr_html_()
    assert html.startswith('<div class="logitstats logitstats-result">')
    coef = list(parse_html(html).tables.values())[1]
    assert [r[0] for r in coef[1:]] == ["Intercept", "GPA", "TUCE", "PSI"]


def test_result_html_of_a_wide_model_is_capped():
    fit = _wide_fit(80)
    html = fit._repr_html_()
    coef = list(parse_html(html).tables.values())[1]
    assert len(coef) == 1 + MAX_HTML_TERMS
    assert f"{81 - MAX_HTML_TERMS} more coefficients" in html


def test_firth_display_does_not_compute_profile_intervals():
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"), firth=True)
    repr(fit)
    fit._repr_html_()
    assert not any(k[0] == "profile_ci" for k in fit._cache if isinstance(k, tuple))


def test_comparison_repr_and_html():
    fits = [spector_fit(), ls.logit("GRADE ~ GPA", data=ls.datasets.load("spector"))]
    tab = ls.compare(fits)
    assert repr(tab) == str(tab) and "ComparisonData(" not in repr(tab)
    html = tab._repr_html_()
    assert html.startswith('<div class="logitstats logitstats-comparison">')
    assert "<html" not in html and "<head" not in html and "<meta" not in html
    p = parse_html(html)
    grid = p.tables["comparison-table"]
    assert {len(r) for r in grid} == {3}


@pytest.mark.parametrize("which", ["result", "summary", "comparison"])
def test_hostile_names_are_text_in_every_html_display(which):
    fit = hostile_fit()
    html = {
        "result": fit._repr_html_,
        "summary": lambda: fit.summary()._repr_html_(),
        "comparison": lambda: ls.compare([fit])._repr_html_(),
    }[which]()
    p = parse_html(html)
    assert "script" not in p.tags and "img" not in p.tags and "i" not in p.tags
    cells = [c for t in p.tables.values() for r in t for c in r]
    assert any(HOSTILE_COL in c for c in cells)
    assert any(HOSTILE_LEVEL in c for c in cells)
