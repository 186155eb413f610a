"""``OLogitResult``: the shared surface of an ordinal fit (tables, prediction, tests, reports).

Numbers here come from independent paths: R references (``tests/reference/ordinal.json``, see
``tests/fit/test_ologit.py``), refits through ``ls.ologit`` / ``ls.mlogit``, central differences
and identities that hold exactly.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import logitstats as ls
from logitstats.errors import LogitstatsError
from tests.fit.test_ologit import FORMULA, REF, fit, frame
from tests.tolerances import (
    ATOL_PROPERTY,
    RTOL_JSON,
    RTOL_NUMDIFF,
    RTOL_PROPERTY,
    RTOL_R,
    SUM_ATOL_F64,
)


@pytest.fixture(scope="module")
def housing():
    return fit("housing")


@pytest.fixture(scope="module")
def wine():
    return fit("wine")


# ----------------------------------------------------------------------------------- tables


def test_tidy_marks_cutpoints_and_follows_broom_on_exponentiate(housing):
    t = housing.tidy()
    assert t["component"].tolist() == ["coefficient"] * 6 + ["cutpoint"] * 2
    assert t["term"].tolist() == REF["housing"]["coef_names_py"] + ["Low|Medium", "Medium|High"]
    np.testing.assert_allclose(
        t["estimate"], REF["housing"]["coef"] + REF["housing"]["theta"], rtol=RTOL_R
    )
    e = housing.tidy(exponentiate=True)
    # broom::tidy.polr exponentiates every row, the cut-points included
    np.testing.assert_allclose(e["estimate"], np.exp(t["estimate"]), rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(e["conf_low"], np.exp(t["conf_low"]), rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(
        e["std_error"], np.exp(t["estimate"]) * t["std_error"], rtol=RTOL_PROPERTY
    )
    np.testing.assert_allclose(e["p_value"], t["p_value"], rtol=RTOL_PROPERTY)


def test_params_are_the_slopes_and_cutpoints_carry_their_tests(housing):
    assert list(housing.params.index) == REF["housing"]["coef_names_py"]
    cp = housing.cutpoints
    np.testing.assert_allclose(
        cp["statistic"], cp["estimate"] / cp["std_error"], rtol=RTOL_PROPERTY
    )
    np.testing.assert_allclose(
        cp["p_value"], 2 * stats.norm.sf(np.abs(cp["statistic"])), rtol=RTOL_PROPERTY
    )
    assert housing.cov.shape == (8, 8) and list(housing.cov.index)[-1] == "Medium|High"


def test_glance_has_the_closed_form_null_and_the_lr_test(housing):
    g = housing.glance().iloc[0]
    ref = REF["housing"]
    np.testing.assert_allclose(g["loglik_null"], ref["llnull"], rtol=RTOL_R)
    np.testing.assert_allclose(g["lr_stat"], 2 * (ref["llf"] - ref["llnull"]), rtol=RTOL_R)
    assert g["lr_df"] == 6 and g["df_model"] == 6
    np.testing.assert_allclose(g["pseudo_r2_mcfadden"], 1 - ref["llf"] / ref["llnull"], rtol=RTOL_R)
    np.testing.assert_allclose(g["bic"], -2 * ref["llf"] + 8 * np.log(ref["nobs_clm"]), rtol=RTOL_R)


# ----------------------------------------------------------------------------------- prediction


def test_predict_kinds_are_consistent(wine):
    df = frame("wine").head(6)
    prob = wine.predict(df)
    cum = wine.predict(df, kind="cumprob")
    link = wine.predict(df, kind="link")
    cls = wine.predict(df, kind="class")
    np.testing.assert_allclose(prob.sum(axis=1), 1.0, rtol=0, atol=SUM_ATOL_F64)
    np.testing.assert_allclose(
        cum.to_numpy(), np.cumsum(prob.to_numpy(), axis=1)[:, :-1], rtol=RTOL_PROPERTY
    )
    theta = wine.cutpoints["estimate"].to_numpy()
    np.testing.assert_allclose(
        cum.to_numpy(), 1 / (1 + np.exp(-(theta - link.to_numpy()[:, None]))), rtol=RTOL_PROPERTY
    )
    assert cls.tolist() == [prob.columns[i] for i in prob.to_numpy().argmax(axis=1)]
    assert list(cum.columns) == ["1", "2", "3", "4"] and cum.columns.name == "at_most"


def _numdiff_se(res, fun):
    """Delta-method SE by central differences of ``fun(params)`` (step 1e-6)."""
    p0 = res.state.params
    h = 1e-6
    cols = []
    for j in range(p0.size):
        e = np.zeros_like(p0)
        e[j] = h
        cols.append((fun(p0 + e) - fun(p0 - e)) / (2 * h))
    G = np.stack(cols, axis=-1)  # (..., size)
    return np.sqrt(np.einsum("...a,ab,...b->...", G, res.cov_array, G))


def test_delta_method_ses_of_every_category_equal_central_differences(wine):
    X = wine.design.X[:5]
    out = wine.predict(frame("wine").head(5), conf_level=0.9)
    cum = wine.predict(frame("wine").head(5), kind="cumprob", conf_level=0.9)
    fam = wine.family
    se_p = _numdiff_se(wine, lambda p: fam.probabilities(X, p))
    k = fam.n_slopes
    se_c = _numdiff_se(wine, lambda p: 1 / (1 + np.exp(-(p[k:][None, :] - (X @ p[:k])[:, None]))))
    np.testing.assert_allclose(out["std_error"].to_numpy(), se_p, rtol=RTOL_NUMDIFF)
    np.testing.assert_allclose(cum["std_error"].to_numpy(), se_c, rtol=RTOL_NUMDIFF)
    for table in (out, cum):
        p = table["prediction"].to_numpy()
        assert np.all(table["conf_low"].to_numpy() < p) and np.all(
            p < table["conf_high"].to_numpy()
        )
        assert np.all(table["conf_low"].to_numpy() > 0) and np.all(
            table["conf_high"].to_numpy() < 1
        )


def test_link_interval_is_eta_plus_minus_z_se(wine):
    t = wine.predict(frame("wine").head(3), kind="link", conf_level=0.95)
    X = wine.design.X[:3]
    se = np.sqrt(np.einsum("ij,jk,ik->i", X, wine.cov_array[:2, :2], X))
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(t["std_error"], se, rtol=RTOL_PROPERTY)
    np.testing.assert_allclose(t["conf_high"] - t["prediction"], z * se, rtol=RTOL_PROPERTY)


def test_predict_bad_kind_and_class_interval_are_refused(wine):
    with pytest.raises(LogitstatsError, match=r"kind.*cumprob"):
        wine.predict(kind="cumulative")
    with pytest.raises(LogitstatsError, match=r"conf_level is not available with kind='class'"):
        wine.predict(kind="class", conf_level=0.95)


# ----------------------------------------------------------------------------------- tests


def test_anova_lr_equals_refits_without_each_term(housing):
    df = frame("housing")
    table = housing.anova(type=2, test="lr")
    assert table["term"].tolist() == ["Infl", "Type", "Cont"]
    for term, rhs in [("Infl", "Type + Cont"), ("Type", "Infl + Cont"), ("Cont", "Infl + Type")]:
        smaller = ls.ologit(f"Sat ~ {rhs}", df, weights="Freq")
        row = table.set_index("term").loc[term]
        np.testing.assert_allclose(
            row["statistic"], 2 * (housing.llf - smaller.llf), rtol=RTOL_NUMDIFF
        )
    # main effects only: type III = type II
    np.testing.assert_allclose(
        housing.anova(type=3)["statistic"], table["statistic"], rtol=RTOL_PROPERTY
    )


def test_anova_wald_of_a_one_column_term_is_z_squared(housing):
    row = housing.anova(test="wald").set_index("term").loc["Cont"]
    np.testing.assert_allclose(
        row["statistic"], housing.zvalues["Cont[T.High]"] ** 2, rtol=RTOL_PROPERTY
    )


def test_po_lr_test_compares_with_the_multinomial_fit(housing):
    df = frame("housing")
    mn = ls.mlogit("Sat ~ Infl + Type + Cont", df, weights="Freq", reference="Low")
    res = housing.po_lr_test()
    assert res.df == 6 * (3 - 2)
    np.testing.assert_allclose(res.statistic, 2 * (mn.llf - housing.llf), rtol=RTOL_NUMDIFF)
    np.testing.assert_allclose(res.p_value, stats.chi2.sf(res.statistic, 6), rtol=RTOL_PROPERTY)
    assert "not nested" in res.description


def test_po_lr_test_refuses_an_offset():
    df = frame("wine").assign(off=0.1)
    res = ls.ologit(FORMULA["wine"], df, offset="off")
    with pytest.raises(LogitstatsError, match=r"po_lr_test\(\) .*got an offset. Use brant\(\)"):
        res.po_lr_test()


def test_brant_refuses_a_separated_split_of_an_unseparated_model():
    # level 1 only at x = 0: the split 1[y > 0] is separated; levels 2 and 3 overlap in x, so
    # the ordinal model is not (a separating slope would have to order 2 below 3)
    df = pd.DataFrame({"y": [1, 1, 2, 2, 2, 3, 3, 3], "x": [0.0, 0.0, 1, 2, 3, 1, 2, 3]})
    res = ls.ologit("y ~ x", df)
    assert not res.separation.separated and res.converged
    with pytest.raises(LogitstatsError, match=r"binary logit of 1\[y > 0\] is separated"):
        res.brant()


def test_separated_ordinal_design_is_reported_and_warned():
    # x orders the outcome perfectly: every cumulative split is separated by the same x
    df = pd.DataFrame({"y": [1, 1, 2, 2, 3, 3], "x": [0.0, 0.1, 1.0, 1.1, 2.0, 2.1]})
    with pytest.warns(ls.SeparationWarning, match=r"separation.*x"):
        res = ls.ologit("y ~ x", df)
    assert res.separation.separated and res.separation.terms == ("x",)


# ----------------------------------------------------------------------------------- reports


def test_summary_states_the_levels_the_cutpoints_and_the_sign_convention(housing):
    text = str(housing.summary())
    assert "Ordinal (proportional odds)" in text
    assert "ordered levels: Low < Medium < High" in text
    assert "Low|Medium" in text and "theta_j - x'b" in text


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "latex", "json", "docx"])
def test_every_report_format_renders(housing, fmt):
    out = housing.report(format=fmt)
    if fmt == "docx":
        assert isinstance(out, bytes) and out[:2] == b"PK"
        return
    escaped = {"markdown": r"Medium\|High", "latex": r"Medium\textbar{}High"}
    assert escaped.get(fmt, "Medium|High") in out
    if fmt == "json":
        data = json.loads(out)
        text = json.dumps(data)
        assert "Medium|High" in text


def test_report_json_numbers_equal_tidy(housing):
    data = json.loads(housing.report(format="json"))
    rows = [r for r in _walk(data) if isinstance(r, dict) and r.get("term") == "Low|Medium"]
    assert rows
    np.testing.assert_allclose(
        rows[0]["estimate"], REF["housing"]["theta"][0], rtol=RTOL_JSON, atol=ATOL_PROPERTY
    )


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_formula_used_again_on_new_data(wine):
    new = frame("wine").iloc[[0, 40]].reset_index(drop=True)
    np.testing.assert_allclose(
        wine.predict(new).to_numpy(), wine.fitted.to_numpy()[[0, 40]], rtol=RTOL_PROPERTY
    )
    assert FORMULA["wine"] == wine.design.formula


# ----------------------------------------------------------------------------------- effects


def _numeric_problem():
    rng = np.random.default_rng(11)
    n = 300
    x = rng.normal(size=n)
    g = rng.choice(["a", "b"], n)
    u = rng.logistic(size=n) + 0.8 * x + 0.5 * (g == "b")
    return pd.DataFrame({"y": np.digitize(u, [-1.0, 0.5, 2.0]), "x": x, "g": g})


def test_slopes_per_level_are_derivatives_of_the_average_probabilities():
    df = _numeric_problem()
    res = ls.ologit("y ~ x + g", df)
    s = res.slopes(df, "x")
    assert s["outcome"].tolist() == ["0", "1", "2", "3"]
    h = 1e-6
    up = res.predict(df.assign(x=df["x"] + h)).mean()
    down = res.predict(df.assign(x=df["x"] - h)).mean()
    np.testing.assert_allclose(s["estimate"], (up - down) / (2 * h), rtol=RTOL_NUMDIFF)


def test_comparisons_per_level_equal_differences_of_average_predictions():
    df = _numeric_problem()
    res = ls.ologit("y ~ x + g", df)
    c = res.comparisons(df, "g")
    diff = res.predict(df.assign(g="b")).mean() - res.predict(df.assign(g="a")).mean()
    np.testing.assert_allclose(c["estimate"], diff, rtol=RTOL_PROPERTY)
    # the SE of each level's difference by the delta method with central differences
    X1 = res.spec.matrix(df.assign(g="b"))
    X0 = res.spec.matrix(df.assign(g="a"))
    fam = res.family

    def avg_diff(p):
        return fam.probabilities(X1, p).mean(axis=0) - fam.probabilities(X0, p).mean(axis=0)

    se = _numdiff_se(res, avg_diff)
    np.testing.assert_allclose(c["std_error"], se, rtol=RTOL_NUMDIFF)


def test_predictions_on_a_grid_give_one_row_per_level(wine):
    # contact is at its mode ("no": 36 of 72 rows, the first level on a tie) on the grid
    p = wine.predictions(frame("wine"), {"temp": "all"})
    assert len(p) == 2 * 5 and set(p["outcome"]) == set(wine.levels)
    assert (p["contact"] == "no").all()
    direct = wine.predict(frame("wine").head(1).assign(temp="cold", contact="no"))
    row = p[(p["temp"] == "cold") & (p["outcome"] == "3")]
    np.testing.assert_allclose(row["estimate"], direct["3"], rtol=RTOL_PROPERTY)
