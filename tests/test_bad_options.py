"""Every option of every public function is checked at the boundary.

One row per bad option: the call, the error class and the message, which names the argument,
what was expected and what was got. Rows marked ``# was accepted`` were silently accepted (or
misread) before the options module: e.g. ``tidy(exponentiate="no")`` returned odds ratios because
``"no"`` is truthy, and ``predict(threshold=2)`` called every row a non-event.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import DataError, LogitstatsError

SPECTOR = "GRADE ~ GPA + TUCE + PSI"
MODE = "mode ~ hinc + psize"


@pytest.fixture(scope="module")
def sp() -> pd.DataFrame:
    return ls.datasets.load("spector")


@pytest.fixture(scope="module")
def fit(sp):
    return ls.logit(SPECTOR, data=sp)


@pytest.fixture(scope="module")
def mfit():
    return ls.mlogit(MODE, data=ls.datasets.load("modechoice"))


@pytest.fixture(scope="module")
def coded012(sp) -> pd.DataFrame:
    """A numeric outcome coded 0/1/2 (GRADE plus a third code on the rows with PSI = 1)."""
    return sp.assign(y=sp["GRADE"] + sp["PSI"])


# (id, call(fixtures) -> None, error class, message regex)
CASES = [
    # ---------------------------------------------------------------- ls.logit
    (
        "logit cov_type",
        lambda f: ls.logit(SPECTOR, f["sp"], cov_type="HC9"),
        LogitstatsError,
        r"cov_type must be one of 'nonrobust', 'HC0', 'HC1', 'cluster'; got cov_type='HC9'",
    ),
    (
        "logit missing",
        lambda f: ls.logit(SPECTOR, f["sp"], missing="omit"),
        DataError,
        r"missing must be one of 'drop', 'raise'; got missing='omit'",
    ),
    (
        "logit firth",
        lambda f: ls.logit(SPECTOR, f["sp"], firth="yes"),
        LogitstatsError,
        r"firth must be True or False; got firth='yes'",
    ),
    (
        "logit event list",
        lambda f: ls.logit(SPECTOR, f["sp"], event=[1]),
        LogitstatsError,  # was accepted
        r"event must be a single outcome value such as 1 or 'yes'; got event=\[1\] \(list\)",
    ),
    (
        "logit tol bool",
        lambda f: ls.logit(SPECTOR, f["sp"], tol=True),
        LogitstatsError,  # was accepted
        r"tol must be a finite number > 0; got tol=True",
    ),
    (
        "logit max_iter bool",
        lambda f: ls.logit(SPECTOR, f["sp"], max_iter=True),  # was accepted
        LogitstatsError,
        r"max_iter must be an integer >= 1; got max_iter=True",
    ),
    (
        "logit max_iter float",
        lambda f: ls.logit(SPECTOR, f["sp"], max_iter=10.0),
        LogitstatsError,
        r"max_iter must be an integer >= 1; got max_iter=10\.0",
    ),
    # ---------------------------------------------------------------- ls.mlogit
    (
        "mlogit reference list",
        lambda f: ls.mlogit("y ~ GPA", f["coded012"], reference=[1]),
        LogitstatsError,  # was accepted
        r"reference must be a single outcome value such as 1 or 'yes'; got reference=\[1\]",
    ),
    (
        "mlogit cov_type",
        lambda f: ls.mlogit(MODE, f["mode"], cov_type="robust"),
        LogitstatsError,
        r"cov_type must be one of .*; got cov_type='robust'",
    ),
    (
        "mlogit missing",
        lambda f: ls.mlogit(MODE, f["mode"], missing=None),
        DataError,
        r"missing must be one of 'drop', 'raise'; got missing=None",
    ),
    # ---------------------------------------------------------------- ls.check_separation
    (
        "check_separation multinomial",
        lambda f: ls.check_separation(SPECTOR, f["sp"], multinomial="no"),  # was accepted (truthy)
        LogitstatsError,
        r"multinomial must be True or False; got multinomial='no'",
    ),
    (
        "check_separation event",
        lambda f: ls.check_separation(SPECTOR, f["sp"], event=(1,)),
        LogitstatsError,  # was accepted
        r"event must be a single outcome value .*; got event=\(1,\) \(tuple\)",
    ),
    # ---------------------------------------------------------------- ls.compare
    (
        "compare exponentiate",
        lambda f: ls.compare([f["fit"]], exponentiate="no"),
        LogitstatsError,
        r"exponentiate must be True or False; got exponentiate='no'",
    ),
    (
        "compare stars",
        lambda f: ls.compare([f["fit"]], stars="no"),
        LogitstatsError,  # was accepted
        r"stars must be True or False; got stars='no'",
    ),
    (
        "compare interval",
        lambda f: ls.compare([f["fit"]], interval="se"),
        LogitstatsError,
        r"interval must be one of 'std_error', 'conf_int'; got interval='se'",
    ),
    (
        "compare conf_level",
        lambda f: ls.compare([f["fit"]], conf_level=95),
        LogitstatsError,
        r"conf_level must be a number between 0 and 1, e\.g\. 0\.95; got conf_level=95",
    ),
    (
        "compare names str",
        lambda f: ls.compare([f["fit"], f["fit"]], names="ab"),  # was accepted
        LogitstatsError,
        r"names must be a list of 2 names, one per fit; got names='ab'",
    ),
    (
        "compare title",
        lambda f: ls.compare([f["fit"]], title=3),
        LogitstatsError,  # was accepted
        r"title must be a string or None; got title=3",
    ),
    (
        "compare render format",
        lambda f: ls.compare([f["fit"]]).render("pdf"),
        LogitstatsError,
        r"format must be one of 'text', 'markdown', 'html', 'latex', 'json', 'docx'; "
        r"got format='pdf'",
    ),
    # ---------------------------------------------------------------- conf_int, tidy, summary
    (
        "conf_int level",
        lambda f: f["fit"].conf_int(level=1.5),
        LogitstatsError,
        r"level must be a number between 0 and 1, e\.g\. 0\.95; got level=1\.5",
    ),
    (
        "conf_int level str",
        lambda f: f["fit"].conf_int(level="0.9"),
        LogitstatsError,  # was accepted
        r"level must be a number between 0 and 1, e\.g\. 0\.95; got level='0\.9'",
    ),
    (
        "conf_int method",
        lambda f: f["fit"].conf_int(method="spline"),
        LogitstatsError,
        r"method must be one of 'wald', 'profile'; got method='spline'",
    ),
    (
        "tidy exponentiate",
        lambda f: f["fit"].tidy(exponentiate="no"),
        LogitstatsError,  # was accepted
        r"exponentiate must be True or False; got exponentiate='no'",
    ),
    (
        "tidy ci_method",
        lambda f: f["mfit"].tidy(ci_method="bootstrap"),
        LogitstatsError,
        r"ci_method must be one of 'wald', 'profile'; got ci_method='bootstrap'",
    ),
    (
        "tidy conf_level",
        lambda f: f["fit"].tidy(conf_level=0),
        LogitstatsError,
        r"conf_level must be a number between 0 and 1, e\.g\. 0\.95; got conf_level=0",
    ),
    (
        "summary format",
        lambda f: f["fit"].summary(format="html"),
        LogitstatsError,
        r"format must be one of 'text', 'markdown', 'json'; got format='html'",
    ),
    (
        "summary exponentiate",
        lambda f: f["fit"].summary(exponentiate=1),  # was accepted
        LogitstatsError,
        r"exponentiate must be True or False; got exponentiate=1",
    ),
    (
        "summary ci_method",
        lambda f: f["fit"].summary(ci_method="exact"),
        LogitstatsError,
        r"ci_method must be one of 'wald', 'profile'; got ci_method='exact'",
    ),
    # ---------------------------------------------------------------- predict
    (
        "predict kind",
        lambda f: f["fit"].predict(kind="response"),
        LogitstatsError,
        r"kind must be one of 'prob', 'link', 'class'; got kind='response'",
    ),
    (
        "predict missing",
        lambda f: f["fit"].predict(f["sp"], missing="bogus"),  # was accepted
        LogitstatsError,
        r"missing must be one of 'nan', 'raise'; got missing='bogus'",
    ),
    (
        "predict threshold",
        lambda f: f["fit"].predict(kind="class", threshold=2),  # was accepted
        LogitstatsError,
        r"threshold must be a number in \[0, 1\]; got threshold=2",
    ),
    (
        "predict threshold nan",
        lambda f: f["fit"].predict(kind="class", threshold=math.nan),  # was accepted
        LogitstatsError,
        r"threshold must be a number in \[0, 1\]; got threshold=nan",
    ),
    (
        "predict conf_level",
        lambda f: f["fit"].predict(conf_level=1.0),
        LogitstatsError,
        r"conf_level must be a number between 0 and 1, e\.g\. 0\.95; got conf_level=1\.0",
    ),
    (
        "mlogit predict missing",
        lambda f: f["mfit"].predict(f["mode"], missing="drop"),  # was accepted
        LogitstatsError,
        r"missing must be one of 'nan', 'raise'; got missing='drop'",
    ),
    (
        "mlogit predict kind",
        lambda f: f["mfit"].predict(kind=None),
        LogitstatsError,
        r"kind must be one of 'prob', 'link', 'class'; got kind=None",
    ),
    # ---------------------------------------------------------------- tests and effects
    (
        "anova type",
        lambda f: f["fit"].anova(type=1),
        LogitstatsError,
        r"type must be 2 or 3 \(or 'II', 'III'\); got type=1",
    ),
    (
        "anova type bool",
        lambda f: f["fit"].anova(type=True),
        LogitstatsError,
        r"type must be 2 or 3 \(or 'II', 'III'\); got type=True",
    ),
    (
        "anova test",
        lambda f: f["mfit"].anova(test="F"),
        LogitstatsError,
        r"test must be one of 'lr', 'wald'; got test='F'",
    ),
    (
        "wald_test hypothesis",
        lambda f: f["fit"].wald_test(5),
        LogitstatsError,
        r"hypothesis must be a string such as 'x1 = x2' or a tuple \(R, q\); got int",
    ),
    (
        "marginal_effects at",
        lambda f: f["fit"].marginal_effects(at="median"),
        LogitstatsError,
        r"at must be one of 'overall', 'mean'; got at='median'",
    ),
    (
        "marginal_effects method",
        lambda f: f["mfit"].marginal_effects(method="dx"),
        LogitstatsError,
        r"method must be one of 'dydx', 'eyex', 'dyex', 'eydx'; got method='dx'",
    ),
    (
        "marginal_effects conf_level",
        lambda f: f["fit"].marginal_effects(conf_level=-1),
        LogitstatsError,
        r"conf_level must be a number between 0 and 1, e\.g\. 0\.95; got",
    ),
    # ---------------------------------------------------------------- binary diagnostics
    (
        "hosmer_lemeshow groups",
        lambda f: f["fit"].hosmer_lemeshow(groups=2),
        LogitstatsError,
        r"groups must be an integer >= 3; got groups=2",
    ),
    (
        "hosmer_lemeshow groups float",
        lambda f: f["fit"].hosmer_lemeshow(groups=8.0),
        LogitstatsError,
        r"groups must be an integer >= 3; got groups=8\.0",
    ),
    (
        "classification threshold",
        lambda f: f["fit"].classification(threshold=True),  # was accepted
        LogitstatsError,
        r"threshold must be a number in \[0, 1\]; got threshold=True",
    ),
    (
        "calibration bins",
        lambda f: f["fit"].calibration(bins=True),
        LogitstatsError,  # was accepted
        r"bins must be an integer >= 1; got bins=True",
    ),
    (
        "roc_auc conf_level",
        lambda f: f["fit"].roc_auc(conf_level=1.5),
        LogitstatsError,
        r"conf_level must be a number between 0 and 1, e\.g\. 0\.95; got conf_level=1\.5",
    ),
    (
        "diagnostics threshold",
        lambda f: f["fit"].diagnostics(threshold=-0.1),
        LogitstatsError,
        r"threshold must be a number in \[0, 1\]; got threshold=-0\.1",
    ),
    (
        "diagnostics groups",
        lambda f: f["fit"].diagnostics(groups="10"),
        LogitstatsError,
        r"groups must be an integer >= 3; got groups='10'",
    ),
    # ---------------------------------------------------------------- report
    (
        "report format",
        lambda f: f["fit"].report(format="pdf"),
        LogitstatsError,
        r"format must be one of 'text', .*; got format='pdf'",
    ),
    (
        "report figures",
        lambda f: f["fit"].report(figures="no"),
        LogitstatsError,  # was accepted
        r"figures must be True or False; got figures='no'",
    ),
    (
        "report exponentiate",
        lambda f: f["fit"].report(exponentiate="yes"),
        LogitstatsError,
        r"exponentiate must be None .*, True .* or False .*; got exponentiate='yes'",
    ),
    (
        "report anova_type",
        lambda f: f["fit"].report(anova_type=4),
        LogitstatsError,
        r"anova_type must be 2 or 3 \(or 'II', 'III'\); got anova_type=4",
    ),
    (
        "report anova_test",
        lambda f: f["fit"].report(anova_test="score"),
        LogitstatsError,
        r"anova_test must be one of 'lr', 'wald'; got anova_test='score'",
    ),
    (
        "report ci_method",
        lambda f: f["mfit"].report(ci_method="exact"),
        LogitstatsError,
        r"ci_method must be one of 'wald', 'profile'; got ci_method='exact'",
    ),
    (
        "report groups",
        lambda f: f["fit"].report(groups=1),
        LogitstatsError,
        r"groups must be an integer >= 3; got groups=1",
    ),
    (
        "report threshold",
        lambda f: f["fit"].report(threshold=1.01),
        LogitstatsError,
        r"threshold must be a number in \[0, 1\]; got threshold=1\.01",
    ),
    (
        "report bins",
        lambda f: f["fit"].report(bins=0),
        LogitstatsError,  # was accepted (text)
        r"bins must be an integer >= 1; got bins=0",
    ),
    (
        "report title",
        lambda f: f["fit"].report(title=["a"]),
        LogitstatsError,  # was accepted
        r"title must be a string or None; got title=\['a'\]",
    ),
    (
        "report timestamp",
        lambda f: f["fit"].report(timestamp=1),
        LogitstatsError,
        r"timestamp must be None, True \(now, UTC\) or a string; got timestamp=1",
    ),
    # ---------------------------------------------------------------- plots
    (
        "forest_plot conf_level",
        lambda f: ls.plots.forest_plot(f["fit"], conf_level=2),
        LogitstatsError,
        r"conf_level must be a number between 0 and 1, e\.g\. 0\.95; got",
    ),
    (
        "forest_plot ci_method",
        lambda f: ls.plots.forest_plot(f["mfit"], ci_method="x"),
        LogitstatsError,
        r"ci_method must be one of 'wald', 'profile'; got ci_method='x'",
    ),
    (
        "calibration_plot bins",
        lambda f: ls.plots.calibration_plot(f["fit"], bins=-1),
        LogitstatsError,
        r"bins must be an integer >= 1; got bins=-1",
    ),
    (
        "figure_png dpi",
        lambda f: ls.plots.figure_png(None, dpi=0),
        LogitstatsError,
        r"dpi must be an integer >= 1; got dpi=0",
    ),
]


@pytest.fixture(scope="module")
def fixtures(sp, fit, mfit, coded012):
    return {
        "sp": sp,
        "fit": fit,
        "mfit": mfit,
        "coded012": coded012,
        "mode": ls.datasets.load("modechoice"),
    }


@pytest.mark.parametrize(
    ("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_option_is_rejected_with_a_message(fixtures, call, error, message):
    with pytest.raises(error, match=message):
        call(fixtures)


def test_good_options_still_work(fixtures):
    """Members, case-insensitive strings and numpy scalars are accepted as before."""
    fit = fixtures["fit"]
    assert fit.tidy(exponentiate=np.bool_(True))["estimate"].gt(0).all()
    assert fit.conf_int(level=np.float64(0.9), method="PROFILE").shape == (4, 2)
    assert fit.predict(kind="CLASS", threshold=np.float32(0.5)).shape == (32,)
    assert fit.hosmer_lemeshow(groups=np.int64(5)).df == 3
    assert fit.anova(type="III", test="Wald").shape[0] == 3
    assert fit.summary(format="Markdown").startswith("#")


def test_failed_validation_leaves_the_data_alone(sp):
    before = sp.copy()
    with pytest.raises(LogitstatsError):
        ls.logit(SPECTOR, sp, event=[1])
    pd.testing.assert_frame_equal(sp, before)


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        # numeric outcome coded 0/1/2
        (
            lambda sp: sp.assign(y=sp["GRADE"] + sp["PSI"]),
            r"outcome 'y' must be coded 0/1; found the values 2 besides 0 and 1; for more than two "
            r"outcome categories use ls\.mlogit\(\)",
        ),
        # numeric outcome coded 1/2/3
        (
            lambda sp: sp.assign(y=sp["GRADE"] + sp["PSI"] + 1),
            r"outcome 'y' has 3 distinct values \(1, 2, 3\); logit\(\) needs exactly two; for more "
            r"than two outcome categories use ls\.mlogit\(\)",
        ),
        # string outcome with three levels
        (
            lambda sp: sp.assign(y=np.array(["a", "b", "c"])[sp["GRADE"] + sp["PSI"]]),
            r"outcome 'y' has 3 distinct values \('a', 'b', 'c'\); logit\(\) needs exactly two; "
            r"for more than two outcome categories use ls\.mlogit\(\)",
        ),
    ],
    ids=["numeric 0/1/2", "numeric 1/2/3", "string a/b/c"],
)
def test_more_than_two_outcomes_point_to_mlogit(sp, frame, match):
    with pytest.raises(DataError, match=match):
        ls.logit("y ~ GPA", frame(sp))


def test_stray_non_integer_code_is_not_sent_to_mlogit(sp):
    y = sp["GRADE"].astype(float).where(sp.index != 3, 0.5)
    with pytest.raises(
        DataError, match=r"found the values 0\.5 besides 0 and 1; recode or drop those rows$"
    ):
        ls.logit("y ~ GPA", sp.assign(y=y))
