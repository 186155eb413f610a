"""result.report(...): sections, agreement across formats, options, errors and the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest
import statsmodels.formula.api as smf

import logitstats as ls
from logitstats.cli import main
from logitstats.render.format import fmt_fixed, fmt_num, fmt_p, fmt_stat
from logitstats.render.registry import FORMATS
from logitstats.reporting.report import build_report, render_report
from tests.report_cases import (
    anes_fit,
    docx_tables,
    latex_tables,
    markdown_tables,
    parse_html,
    spector_fit,
    text_grid,
)
from tests.tolerances import RTOL_JSON

TEXT_FORMATS = tuple(f.value for f, spec in FORMATS.items() if not spec.binary)
BINARY_FORMATS = tuple(f.value for f, spec in FORMATS.items() if spec.binary)


@pytest.fixture(scope="module")
def spector_reports() -> dict[str, str | bytes]:
    fit = spector_fit()
    data = build_report(fit, figures=False)
    return {fmt: render_report(data, fmt) for fmt in (*TEXT_FORMATS, *BINARY_FORMATS)}


def _coef_rows_by_format(out: dict[str, str | bytes]) -> dict[str, list[list[str]]]:
    html = parse_html(out["html"]).tables["coefficients-table"]
    md = next(t for t in markdown_tables(out["markdown"]) if t[0][0] == "Term")
    tex = next(t for t in latex_tables(out["latex"]) if t[0][0] == "Term")
    docx = next(t for t in docx_tables(out["docx"]) if t[0][0] == "Term")
    text = text_grid(out["text"], "Term ")
    return {"html": html, "markdown": md, "latex": tex, "docx": docx, "text": text}


def test_coefficient_cells_match_statsmodels(spector, spector_reports):
    """Every coefficient cell equals the statsmodels fit (independent) formatted for display."""
    sm = smf.logit(ls_formula := "GRADE ~ GPA + TUCE + PSI", spector).fit(disp=False, tol=1e-12)
    assert ls_formula in spector_reports["text"]
    ci = sm.conf_int().to_numpy()
    # the compact default: the odds ratio with its CI (exponentiated bounds) in one cell
    expected = [["Term", "Estimate", "Std. Error", "z", "p", "OR", "95 % CI"]]
    for i, term in enumerate(sm.params.index):
        b = sm.params.iloc[i]
        expected.append(
            [
                term,
                fmt_fixed(b),
                fmt_fixed(sm.bse.iloc[i]),
                fmt_stat(sm.tvalues.iloc[i]),
                fmt_p(sm.pvalues.iloc[i]),
                fmt_fixed(np.exp(b)),
                f"[{fmt_fixed(np.exp(ci[i, 0]))}, {fmt_fixed(np.exp(ci[i, 1]))}]",
            ]
        )
    rows = _coef_rows_by_format(spector_reports)
    for fmt, got in rows.items():
        assert got == expected, fmt


def test_every_format_agrees_digit_for_digit(spector_reports):
    rows = _coef_rows_by_format(spector_reports)
    first = rows["html"]
    assert all(r == first for r in rows.values())
    doc = json.loads(spector_reports["json"])
    for rec, row in zip(doc["coefficients"], first[1:]):
        assert [
            rec["term"],
            fmt_fixed(rec["estimate"]),
            fmt_fixed(rec["std_error"]),
            fmt_stat(rec["statistic"]),
            fmt_p(rec["p_value"]),
        ] == row[:5]
    for rec, row in zip(doc["ratios"], first[1:]):
        assert [
            fmt_fixed(rec["estimate"]),
            f"[{fmt_fixed(rec['conf_low'])}, {fmt_fixed(rec['conf_high'])}]",
        ] == row[5:]
    fit_rows = parse_html(spector_reports["html"]).tables["fit-table"]
    md_fit = next(
        t
        for t in markdown_tables(spector_reports["markdown"])
        if any(r[0] == "**Log-likelihood**" for r in t)
    )
    assert [[r[0].strip("*"), r[1]] for r in md_fit[1:]] == fit_rows


def test_fit_statistics_match_statsmodels(spector, spector_reports):
    sm = smf.logit("GRADE ~ GPA + TUCE + PSI", spector).fit(disp=False, tol=1e-12)
    fit_rows = dict(parse_html(spector_reports["html"]).tables["fit-table"])
    assert fit_rows["Log-likelihood"] == fmt_num(sm.llf)
    assert fit_rows["Null log-likelihood"] == fmt_num(sm.llnull)
    assert fit_rows["AIC"] == fmt_num(sm.aic)
    assert fit_rows["BIC"] == fmt_num(sm.bic)
    assert fit_rows["McFadden R²"] == fmt_num(sm.prsquared)
    assert fit_rows["LR chi-square vs null"] == fmt_stat(sm.llr)
    assert fit_rows["LR p-value"] == fmt_p(sm.llr_pvalue)


def test_binary_report_has_every_section(spector_reports):
    p = parse_html(spector_reports["html"])
    model = dict(p.tables["model-table"])
    assert model["Formula"] == "GRADE ~ GPA + TUCE + PSI"
    assert model["Data"] == "spector"
    assert model["Event (coded 1)"] == "1" and model["Non-event"] == "0"
    assert model["Rows used"] == "32" and model["Rows dropped"] == "no rows dropped"
    assert model["Covariance"] == "nonrobust"
    assert model["Convergence"].startswith("converged after")
    assert model["Separation"] == "none detected"
    tests = p.tables["tests-table"]
    assert [r[0] for r in tests] == ["Term", "GPA", "TUCE", "PSI"]
    anova = spector_fit().anova(type=2, test="lr")
    assert [r[2] for r in tests[1:]] == [fmt_stat(s) for s in anova["statistic"]]
    diag = dict(p.tables["diagnostics-table"])
    auc = spector_fit().roc_auc()
    assert diag["ROC AUC"].startswith(fmt_num(auc.auc))
    assert diag["Brier score"] == fmt_num(spector_fit().brier_score())
    assert "Hosmer–Lemeshow" in diag
    assert len(p.tables["hosmer_lemeshow-table"]) >= 3
    assert len(p.tables["confusion-table"]) == 3


def test_multinomial_report_sections():
    fit = anes_fit()
    out = fit.report("html", figures=False)
    p = parse_html(out)
    assert {"coefficients:Ind-table", "coefficients:Rep-table", "tests-table"} <= set(p.tables)
    assert "diagnostics-table" not in p.tables
    model = dict(p.tables["model-table"])
    assert model["Reference level"] == "Dem" and model["Levels"] == "Dem, Ind, Rep"
    rep = p.tables["coefficients:Rep-table"]
    assert rep[0][5] == "RRR"
    tidy = fit.tidy()
    r = tidy[(tidy.outcome == "Rep") & (tidy.term == "selfLR")].iloc[0]
    row = next(x for x in rep if x[0] == "selfLR")
    assert row[1:3] == [fmt_fixed(r.estimate), fmt_fixed(r.std_error)]
    assert row[5] == fmt_fixed(np.exp(r.estimate))


@pytest.mark.parametrize(
    ("exponentiate", "header"),
    [
        (True, ["Term", "Odds ratio", "Std. Error", "z", "p", "95 % CI"]),
        (False, ["Term", "Estimate", "Std. Error", "z", "p", "95 % CI"]),
    ],
)
def test_exponentiate_choices(exponentiate, header):
    fit = spector_fit()
    out = fit.report("markdown", exponentiate=exponentiate, figures=False)
    table = next(t for t in markdown_tables(out) if t[0][0] == "Term")
    assert table[0] == header
    tidy = fit.tidy(exponentiate=exponentiate)
    assert [r[1] for r in table[1:]] == [fmt_fixed(v) for v in tidy["estimate"]]
    assert [r[2] for r in table[1:]] == [fmt_fixed(v) for v in tidy["std_error"]]
    assert [r[5] for r in table[1:]] == [
        f"[{fmt_fixed(lo)}, {fmt_fixed(hi)}]" for lo, hi in zip(tidy["conf_low"], tidy["conf_high"])
    ]


def test_profile_intervals_in_report():
    fit = spector_fit()
    out = fit.report("html", ci_method="profile", conf_level=0.9, figures=False)
    rows = parse_html(out).tables["coefficients-table"]
    assert rows[0][5:7] == ["OR", "90 % CI"]
    ci = np.exp(fit.conf_int(level=0.9, method="profile"))
    assert [r[6] for r in rows[1:]] == [
        f"[{fmt_fixed(lo)}, {fmt_fixed(hi)}]" for lo, hi in zip(ci["conf_low"], ci["conf_high"])
    ]
    assert "90 % confidence intervals: profile-likelihood." in out


def test_no_timestamp_unless_asked():
    fit = spector_fit()
    a = fit.report("text", figures=False)
    assert a == fit.report("text", figures=False)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", a)
    assert "on 2001-02-03" in fit.report("text", figures=False, timestamp="2001-02-03")
    stamped = fit.report("json", figures=False, timestamp=True)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", json.loads(stamped)["timestamp"])


def test_path_writes_what_is_returned(tmp_path):
    fit = spector_fit()
    out = fit.report("latex", path=tmp_path / "r.tex", figures=False)
    assert (tmp_path / "r.tex").read_text(encoding="utf-8") == out
    blob = fit.report("docx", path=tmp_path / "r.docx", figures=False)
    assert (tmp_path / "r.docx").read_bytes() == blob


def test_json_schema_keys(spector_reports):
    doc = json.loads(spector_reports["json"])
    assert doc["schema"] == "logitstats.report/1"
    assert set(doc) == {
        "schema",
        "title",
        "model",
        "conf_level",
        "ci_method",
        "exponentiate",
        "aliased",
        "coefficients",
        "ratios",
        "statistics",
        "tests",
        "diagnostics",
        "figures",
        "timestamp",
    }
    assert set(doc["diagnostics"]) == {
        "hosmer_lemeshow",
        "roc_auc",
        "brier_score",
        "classification",
    }
    assert doc["timestamp"] is None and doc["exponentiate"] is None


def test_firth_report_states_separation_and_uses_penalized_lr_tests():
    # per-term tests of a Firth fit are logistf's penalized LR tests (numbers: test_firth.py);
    # Wald tests on request
    fit = ls.logit("HG ~ NV + PI + EH", ls.datasets.load("endometrial"), firth=True)
    out = fit.report("text", figures=False)
    assert "Method:          Firth penalized likelihood" in out
    assert "Separation:      quasi-complete" in out
    assert "Penalized likelihood-ratio tests (chi-square), each term = 0, as logistf:" in out
    wald = fit.report("text", figures=False, anova_test="wald")
    assert "Type II Wald tests (chi-square):" in wald


def test_aliased_columns_are_named(spector):
    df = spector.assign(GPA2=2 * spector["GPA"])
    with pytest.warns(ls.errors.CollinearityWarning):
        fit = ls.logit("GRADE ~ GPA + GPA2 + PSI", df)
    out = fit.report("html", figures=False)
    rows = {r[0]: r for r in parse_html(out).tables["coefficients-table"]}
    assert rows["GPA2"][1:] == ["NA"] * 5 + ["[NA, NA]"]
    assert "Aliased (perfectly collinear, not estimated): GPA2." in out


def test_html_report_embeds_figures():
    out = spector_fit().report("html")
    p = parse_html(out)
    assert p.tags.count("svg") == 3 and p.tags.count("figure") == 3
    assert "script" not in p.tags


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"format": "pdf"}, r"format must be one of 'text', .*; got format='pdf'"),
        ({"exponentiate": "yes"}, r"exponentiate must be None .*; got exponentiate='yes'"),
        ({"timestamp": 3}, r"timestamp must be None, True .*; got timestamp=3"),
        ({"ci_method": "bootstrap"}, r"method must be one of 'wald', 'profile'"),
    ],
)
def test_bad_options_raise(kwargs, match):
    with pytest.raises(ls.LogitstatsError, match=match):
        spector_fit().report(**{"figures": False, **kwargs})


def test_cli_report_html_and_docx(tmp_path, capsys):
    out = tmp_path / "r.html"
    rc = main(
        [
            "report",
            "GRADE ~ GPA + TUCE + PSI",
            "--data",
            "spector",
            "--format",
            "html",
            "--output",
            str(out),
            "--no-figures",
            "--title",
            "Spector",
        ]
    )
    assert rc == 0
    html = out.read_text(encoding="utf-8")
    assert html == spector_fit().report("html", figures=False, title="Spector")
    assert main(["report", "y ~ x", "--data", "spector", "--format", "docx"]) == 2
    assert "give --output" in capsys.readouterr().err


def test_cli_report_multinomial_text(capsys):
    rc = main(
        [
            "report",
            FORMULA := "party ~ age + income + selfLR",
            "--data",
            "anes96",
            "--multinomial",
            "--reference",
            "Dem",
            "--format",
            "text",
        ]
    )
    assert rc == 0
    assert capsys.readouterr().out == anes_fit().report("text")
    assert FORMULA


def test_import_does_not_import_matplotlib():
    code = "import sys, logitstats; print('matplotlib' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"


def test_rows_dropped_and_covariance_in_header(spector):
    df = spector.copy()
    df.loc[3, "GPA"] = np.nan
    fit = ls.logit("GRADE ~ GPA + PSI", df, cov_type="HC1")
    model = dict(parse_html(fit.report("html", figures=False)).tables["model-table"])
    assert model["Observations"] == "31" and model["Rows used"] == "31"
    assert model["Rows dropped"] == "1 row dropped: GPA 1"
    assert model["Covariance"] == "HC1"
    assert spector["GPA"].notna().all()  # the caller's frame is untouched


def test_intercept_only_model_has_no_term_tests(spector):
    fit = ls.logit("GRADE ~ 1", spector)
    tables = parse_html(fit.report("html", figures=False)).tables
    assert "tests-table" not in tables
    assert [r[0] for r in tables["coefficients-table"]] == ["Term", "Intercept"]


def test_cli_report_firth_and_its_limits(capsys):
    rc = main(
        ["report", "HG ~ NV + PI + EH", "--data", "endometrial", "--firth", "--format", "json"]
    )
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    fit = ls.logit("HG ~ NV + PI + EH", ls.datasets.load("endometrial"), firth=True)
    assert doc["model"]["method"] == "Firth penalized likelihood"
    assert [r["estimate"] for r in doc["coefficients"]] == pytest.approx(
        list(fit.params), rel=RTOL_JSON
    )
    assert main(["report", "party ~ age", "--data", "anes96", "--multinomial", "--firth"]) == 2
    assert "--firth is available for binary models only" in capsys.readouterr().err


@pytest.mark.parametrize("fit_fn", [spector_fit, anes_fit], ids=["binary", "multinomial"])
def test_all_tables_identical_in_html_markdown_latex_docx(fit_fn):
    from logitstats.render.document import report_document
    from logitstats.reporting.report import render_report

    data = build_report(fit_fn(), figures=False)
    expected = []
    for s in report_document(data).sections:
        for t in s.tables:
            head = [list(t.columns)] if t.kind == "grid" else []
            expected.append(head + [list(r) for r in t.rows])
    html = list(parse_html(render_report(data, "html")).tables.values())
    md = [
        [[c.removeprefix("**").removesuffix("**") for c in r] for r in t if r != ["", ""]]
        for t in markdown_tables(render_report(data, "markdown"))
    ]
    tex = latex_tables(render_report(data, "latex"))
    docx = docx_tables(render_report(data, "docx"))
    assert html == expected
    assert md == expected
    assert tex == expected
    assert docx == expected


def test_multinomial_json_has_outcomes_and_no_diagnostics():
    doc = json.loads(anes_fit().report("json"))
    assert doc["diagnostics"] is None and doc["figures"] == []
    assert doc["model"]["kind"] == "multinomial" and doc["model"]["reference"] == "Dem"
    tidy = anes_fit().tidy(exponentiate=True)
    assert [(r["outcome"], r["term"]) for r in doc["ratios"]] == list(
        zip(tidy["outcome"], tidy["term"])
    )
    assert [r["estimate"] for r in doc["ratios"]] == pytest.approx(
        list(tidy["estimate"]), rel=RTOL_JSON
    )
    assert doc["tests"]["title"] == "Type II likelihood-ratio tests (chi-square)"


def test_figures_are_numbered():
    out = spector_fit().report("html")
    assert re.findall(r"<figcaption>(Figure \d+):", out) == ["Figure 1", "Figure 2", "Figure 3"]
    text = render_report(build_report(spector_fit()), "text")  # the text lists them by title
    assert "[Figure 3: ROC curve (in the HTML and docx reports)]" in text


def test_report_labels_and_reference_rows():
    df = ls.datasets.load("affairs")
    fit = ls.logit("had_affair ~ C(rate_marriage) + age", df)
    out = fit.report("html", figures=False, labels={"rate_marriage": "Marriage rating"})
    rows = parse_html(out).tables["coefficients-table"]
    assert [r[0] for r in rows[1:]] == [
        "Intercept",
        "Marriage rating: 1",
        "Marriage rating: 2",
        "Marriage rating: 3",
        "Marriage rating: 4",
        "Marriage rating: 5",
        "age",
    ]
    assert rows[2][1:] == ["— (ref)", "", "", "", "", ""]
    assert "— (ref): the reference level of a factor (treatment coding)." in out
    with pytest.raises(ls.LogitstatsError, match=r"standalone=True applies to format='latex'"):
        fit.report("text", figures=False, standalone=True)
