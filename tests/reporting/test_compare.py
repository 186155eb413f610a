"""ls.compare: multi-model tables checked against statsmodels fits, options, errors, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import statsmodels.formula.api as smf

import logitstats as ls
from logitstats.cli import main
from logitstats.render.format import fmt_int, fmt_num
from tests.report_cases import anes_fit, markdown_tables

F1, F2 = "GRADE ~ GPA", "GRADE ~ GPA + TUCE + PSI"


@pytest.fixture(scope="module")
def fits(spector):
    return [ls.logit(F1, spector), ls.logit(F2, spector)]


@pytest.fixture(scope="module")
def sm_fits(spector):
    return [smf.logit(f, spector).fit(disp=False, tol=1e-12) for f in (F1, F2)]


def _star(p: float) -> str:
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def test_cells_match_statsmodels(fits, sm_fits):
    frame = ls.compare(fits, stars=True).to_frame()
    est = frame[frame["row"] == "estimate"].set_index("term")
    se = frame[frame["row"] == "interval"]
    assert list(est.index) == ["Intercept", "GPA", "TUCE", "PSI"]
    for j, sm in enumerate(sm_fits):
        col = f"({j + 1})"
        for term in est.index:
            cell = est.loc[term, col]
            if term not in sm.params.index:
                assert cell == ""
                continue
            assert cell == fmt_num(sm.params[term]) + _star(sm.pvalues[term])
        ses = [c for c in se[col] if c]
        assert ses == [f"({fmt_num(v)})" for v in sm.bse]
    stats = frame[frame["row"] == "statistic"].set_index("term")
    for j, sm in enumerate(sm_fits):
        col = f"({j + 1})"
        assert stats.loc["N", col] == fmt_int(sm.nobs)
        assert stats.loc["Log-likelihood", col] == fmt_num(sm.llf)
        assert stats.loc["AIC", col] == fmt_num(sm.aic)
        assert stats.loc["BIC", col] == fmt_num(sm.bic)
        assert stats.loc["McFadden R²", col] == fmt_num(sm.prsquared)


def test_odds_ratios_with_confidence_intervals(fits, sm_fits):
    frame = ls.compare(fits, exponentiate=True, interval="conf_int", conf_level=0.9).to_frame()
    ci = sm_fits[1].conf_int(alpha=0.1)
    rows = frame["(2)"].tolist()
    i = frame.index[frame["term"] == "PSI"][0]
    assert rows[i] == fmt_num(np.exp(sm_fits[1].params["PSI"]))
    lo, hi = np.exp(ci.loc["PSI"])
    assert rows[i + 1] == f"[{fmt_num(lo)}, {fmt_num(hi)}]"
    md = ls.compare(fits, exponentiate=True, interval="conf_int", conf_level=0.9).render("markdown")
    assert "Estimates: odds ratios; 90 % Wald confidence intervals in brackets under each" in md


def test_every_format_shows_the_same_cells(fits):
    table = ls.compare(fits, names=["small", "full"])
    frame = table.to_frame()
    md = markdown_tables(table.render("markdown"))
    assert md[0][0] == ["", "small", "full"]
    assert md[0][1:] == frame[["term", "small", "full"]].to_numpy().tolist()
    doc = json.loads(table.render("json"))
    assert doc["schema"] == "logitstats.comparison/2"
    assert [m["cov_type"] for m in doc["models"]] == ["nonrobust", "nonrobust"]
    assert [r["label"] for r in doc["rows"]] == ["Intercept", "GPA", "TUCE", "PSI"]
    assert [m["name"] for m in doc["models"]] == ["small", "full"]
    assert [m["formula"] for m in doc["models"]] == [F1, F2]
    assert (
        fmt_num(doc["models"][1]["statistics"]["aic"]) == frame.set_index("term").loc["AIC", "full"]
    )
    assert str(table).startswith("Model comparison\n")


def test_multinomial_comparison_groups_by_outcome(anes96):
    small = ls.mlogit("party ~ age + income", anes96, reference="Dem")
    frame = ls.compare([small, anes_fit()]).to_frame()
    terms = [t for t in frame[frame["row"] == "estimate"]["term"]]
    assert terms == [
        "Ind: Intercept",
        "Ind: age",
        "Ind: income",
        "Ind: selfLR",
        "Rep: Intercept",
        "Rep: age",
        "Rep: income",
        "Rep: selfLR",
    ]
    row = frame.set_index("term").loc["Rep: selfLR"]
    tidy = anes_fit().tidy()
    b = tidy[(tidy.outcome == "Rep") & (tidy.term == "selfLR")]["estimate"].iloc[0]
    assert row["(1)"] == "" and row["(2)"] == fmt_num(b)


def test_errors(fits, anes96):
    with pytest.raises(
        ls.LogitstatsError,
        match=r"fits must all be binary or all multinomial; "
        r"got fits\[0\] binary, fits\[1\] multinomial",
    ):
        ls.compare([fits[0], anes_fit()])
    other_ref = ls.mlogit("party ~ age", anes96, reference="Rep")
    with pytest.raises(
        ls.LogitstatsError,
        match=r"must share the outcome levels and the "
        r"reference level; got fits\[0\] reference Dem",
    ):
        ls.compare([anes_fit(), other_ref])
    with pytest.raises(
        ls.LogitstatsError,
        match=r"names must hold 2 distinct names, one per "
        r"fit; got \['a'\]",
    ):
        ls.compare(fits, names=["a"])
    with pytest.raises(
        ls.LogitstatsError,
        match=r"interval must be one of 'std_error', "
        r"'conf_int'; got interval='se'",
    ):
        ls.compare(fits, interval="se")
    with pytest.raises(ls.LogitstatsError, match=r"fits must be a non-empty list"):
        ls.compare([])
    with pytest.raises(ls.LogitstatsError, match=r"fits\[1\] must be a fitted model .*got str"):
        ls.compare([fits[0], "GRADE ~ GPA"])
    with pytest.raises(ls.LogitstatsError, match=r"format must be one of .*got format='pdf'"):
        ls.compare(fits).render("pdf")


def test_cli_compare_markdown(fits, capsys):
    rc = main(["compare", "--data", "spector", F1, F2, "--format", "markdown", "--stars"])
    assert rc == 0
    assert capsys.readouterr().out == ls.compare(fits, stars=True).render("markdown")


# --------------------------------------------------------------------------- publication tables


AFFAIRS = "had_affair ~ C(rate_marriage) + age + educ"


@pytest.fixture(scope="module")
def estimator_fits():
    df = ls.datasets.load("affairs")
    return [
        ls.logit(AFFAIRS, df),
        ls.logit(AFFAIRS, df, cov_type="HC1"),
        ls.logit(AFFAIRS, df, firth=True),
    ]


def test_one_table_with_se_type_and_estimator_rows(estimator_fits):
    frame = ls.compare(estimator_fits).to_frame()
    stats = frame[frame["row"] == "statistic"].set_index("term")
    assert list(stats.index) == [
        "SE type",
        "Estimator",
        "N",
        "Log-likelihood",
        "AIC",
        "BIC",
        "McFadden R²",
    ]
    assert list(stats.loc["SE type"]) == ["statistic", "nonrobust", "HC1", "nonrobust"]
    assert list(stats.loc["Estimator"]) == ["statistic", "ML", "ML", "Firth"]
    ref = frame[frame["row"] == "reference"]
    assert ref["term"].tolist() == ["rate_marriage: 1"]
    assert ref[["(1)", "(2)", "(3)"]].to_numpy().tolist() == [["— (ref)"] * 3]
    text = str(ls.compare(estimator_fits))
    assert "Firth: bias-reduced penalized likelihood; ML: maximum likelihood." in text


def test_hc1_column_matches_statsmodels(spector):
    """The SE row of the HC1 column is the HC1 sandwich: statsmodels' HC0 (independent) times
    sqrt(n / (n - k)), the small-sample factor of HC1 (as R's sandwich::vcovHC type "HC1")."""
    fit = ls.logit(F2, spector, cov_type="HC1")
    sm = smf.logit(F2, spector).fit(disp=False, tol=1e-12, cov_type="HC0")
    n, k = sm.nobs, len(sm.params)
    frame = ls.compare([fit]).to_frame()
    se = [c for c in frame[frame["row"] == "interval"]["(1)"]]
    assert se == [f"({fmt_num(v * np.sqrt(n / (n - k)))})" for v in sm.bse]


def test_inline_layout_odds_ratio_with_ci_in_one_cell(fits, sm_fits):
    frame = ls.compare(
        fits, exponentiate=True, interval="conf_int", layout="inline", stars=True
    ).to_frame()
    assert "interval" not in set(frame["row"])
    row = frame.set_index("term").loc["PSI"]
    sm = sm_fits[1]
    lo, hi = np.exp(sm.conf_int().loc["PSI"])
    star = _star(sm.pvalues["PSI"])
    assert row["(2)"] == f"{fmt_num(np.exp(sm.params['PSI']))}{star} [{fmt_num(lo)}, {fmt_num(hi)}]"
    assert row["(1)"] == ""


def test_profile_intervals(fits):
    frame = ls.compare(fits, interval="conf_int", ci_method="profile").to_frame()
    ci = fits[1].conf_int(method="profile")
    got = frame[frame["row"] == "interval"]["(2)"].tolist()
    assert got == [f"[{fmt_num(a)}, {fmt_num(b)}]" for a, b in zip(ci["conf_low"], ci["conf_high"])]
    md = ls.compare(fits, interval="conf_int", ci_method="profile").render("markdown")
    assert "95 % profile-likelihood confidence intervals in brackets" in md


def test_labels_order_drop(fits):
    frame = ls.compare(
        fits, labels={"GPA": "Grade point average"}, order=["PSI"], drop=["Intercept"]
    ).to_frame()
    est = frame[frame["row"] == "estimate"]["term"].tolist()
    assert est == ["PSI", "Grade point average", "TUCE"]
    keep = ls.compare(fits, keep=["GPA"]).to_frame()
    assert keep[keep["row"] == "estimate"]["term"].tolist() == ["GPA"]
    with pytest.raises(
        ls.LogitstatsError, match=r"keep names a term that no table row has: 'gpa'; expected"
    ):
        ls.compare(fits, keep=["gpa"])
    with pytest.raises(
        ls.LogitstatsError, match=r"layout must be one of 'stacked', 'inline'; got layout='below'"
    ):
        ls.compare(fits, layout="below")


def test_fixed_decimals_never_scientific(spector):
    # the intercept's odds ratio is 2.2e-06: 4 fixed decimals, as every other cell
    fit = ls.logit(F2, spector)
    frame = ls.compare([fit], exponentiate=True).to_frame()
    cells = frame["(1)"].tolist()
    assert cells[0] == "0.0000" and not any("e-" in c or "e+" in c for c in cells)


def test_different_rows_are_noted_and_warned(spector):
    full = ls.logit(F1, spector)
    part = ls.logit(F1, spector.iloc[:-4])
    with pytest.warns(ls.errors.LogitstatsWarning, match=r"The models use different rows"):
        table = ls.compare([full, part])
    note = "The models use different rows (rows used: (1) 32, (2) 28)"
    for fmt in ("text", "markdown", "html", "latex"):
        assert note in str(table.render(fmt)).replace("\\", ""), fmt
    assert json.loads(table.render("json"))["notes"][0].startswith(note)


def test_same_rows_do_not_warn(fits, recwarn):
    ls.compare(fits)
    assert not [w for w in recwarn if issubclass(w.category, ls.errors.LogitstatsWarning)]


def test_standalone_is_latex_only(fits):
    out = ls.compare(fits).render("latex", standalone=True)
    assert out.startswith("\\documentclass{article}") and out.endswith("\\end{document}\n")
    with pytest.raises(
        ls.LogitstatsError, match=r"standalone=True applies to format='latex' only"
    ):
        ls.compare(fits).render("html", standalone=True)
