"""The scikit-learn estimator :class:`logitstats.sklearn.LogitClassifier`."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import logitstats as ls
from logitstats.errors import FormulaError, LogitstatsError
from tests.tolerances import ATOL_PROPERTY, RTOL_PROPERTY

pytest.importorskip("sklearn")
from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from logitstats.sklearn import LogitClassifier  # noqa: E402

# Checks of sklearn.utils.estimator_checks that do not apply, and why.
EXCLUDED_CHECKS = {
    # The check gives a 3-class problem 31 design columns and drops rows by zero weights until
    # fewer rows than the 62 parameters remain: an unpenalized MLE is then not identified, and
    # the fit refuses it (DataError) instead of returning arbitrary numbers. Frequency-weight
    # equivalence itself is tested below on an identified model.
    "check_sample_weight_equivalence_on_dense_data": "more parameters than observations: "
    "the unpenalized MLE is not identified and is refused",
}


# The checks fit tiny random data sets (often 10-30 rows) that are frequently separable: the
# unpenalized MLE then does not exist and the fit rightly warns (SeparationWarning, an error in
# this suite's pytest configuration); the checks are about the API, not about those estimates.
@pytest.mark.filterwarnings("ignore::logitstats.errors.SeparationWarning")
@pytest.mark.filterwarnings("ignore::logitstats.errors.ConvergenceWarning")
@parametrize_with_checks([LogitClassifier()], expected_failed_checks=lambda e: EXCLUDED_CHECKS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def spector() -> pd.DataFrame:
    return ls.datasets.load("spector")


@pytest.fixture(scope="module")
def affairs() -> pd.DataFrame:
    return ls.datasets.load("affairs")


AFFAIRS_X = ["rate_marriage", "age", "yrs_married", "religious", "educ"]


def test_binary_fit_is_ls_logit(spector):
    X, y = spector[["GPA", "TUCE", "PSI"]], spector["GRADE"]
    clf = LogitClassifier().fit(X, y)
    ref = ls.logit("GRADE ~ GPA + TUCE + PSI", data=spector)
    assert_array_equal(clf.result_.params.to_numpy(), ref.params.to_numpy())
    assert_array_equal(clf.result_.cov_array, ref.cov_array)
    assert list(clf.result_.params.index) == ["Intercept", "GPA", "TUCE", "PSI"]
    assert_array_equal(clf.coef_, ref.params.to_numpy()[None, 1:])
    assert_array_equal(clf.intercept_, ref.params.to_numpy()[:1])
    p = clf.predict_proba(X)
    assert_array_equal(p[:, 1], ref.predict(spector).to_numpy())
    assert_allclose(p.sum(axis=1), 1.0, rtol=RTOL_PROPERTY)
    assert_array_equal(clf.decision_function(X), ref.predict(spector, kind="link").to_numpy())
    assert_array_equal(clf.predict(X), (p[:, 1] > 0.5).astype(int))
    assert clf.score(X, y) == np.mean(clf.predict(X) == y)
    assert clf.n_features_in_ == 3 and list(clf.feature_names_in_) == ["GPA", "TUCE", "PSI"]
    assert "Binary logistic regression" in clf.result_.summary()


def test_arrays_get_names_x0_x1(spector):
    clf = LogitClassifier().fit(spector[["GPA", "PSI"]].to_numpy(), spector["GRADE"].to_numpy())
    assert list(clf.result_.params.index) == ["Intercept", "x0", "x1"]


def test_string_classes_and_the_event(spector):
    y = np.where(spector["GRADE"] == 1, "pass", "fail")
    clf = LogitClassifier().fit(spector[["GPA", "PSI"]], y)
    assert clf.classes_.tolist() == ["fail", "pass"]
    assert clf.result_.design.event == "pass"
    assert set(clf.predict(spector[["GPA", "PSI"]])) <= {"fail", "pass"}


def test_multiclass_is_ls_mlogit():
    df = ls.datasets.load("anes96")
    X, y = df[["age", "income", "selfLR"]], df["party"]
    clf = LogitClassifier().fit(X, y)
    ref = ls.mlogit("party ~ age + income + selfLR", data=df, reference="Dem")
    assert clf.classes_.tolist() == ["Dem", "Ind", "Rep"]
    assert_array_equal(clf.result_.params.to_numpy(), ref.params.to_numpy())
    p = clf.predict_proba(X)
    assert_array_equal(p, ref.predict(df)[["Dem", "Ind", "Rep"]].to_numpy())
    assert_array_equal(clf.predict(X), ref.predict(df, kind="class").to_numpy().astype(str))
    eta = clf.decision_function(X)
    assert eta.shape == (len(df), 3) and np.all(eta[:, 0] == 0)
    # sklearn's layout: one row per class, the reference class's row 0
    assert clf.coef_.shape == (3, 3) and np.all(clf.coef_[0] == 0)
    assert_array_equal(clf.coef_[2], ref.params["Rep"].to_numpy()[1:])


def test_formula_on_a_table_including_polars():
    pl = pytest.importorskip("polars")
    df = ls.datasets.load("anes96")
    clf = LogitClassifier("~ C(ClinLR) + age").fit(df, df["party"])
    ref = ls.mlogit("party ~ C(ClinLR) + age", data=df, reference="Dem")
    assert_array_equal(clf.result_.params.to_numpy(), ref.params.to_numpy())
    got = LogitClassifier("party ~ C(ClinLR) + age").fit(pl.from_pandas(df), df["party"])
    assert_array_equal(got.predict_proba(pl.from_pandas(df)), clf.predict_proba(df))


@pytest.mark.parametrize("kwargs", [{"firth": True}, {"cov_type": "HC1"}])
def test_firth_and_cov_type_reach_the_result(spector, kwargs):
    X, y = spector[["GPA", "TUCE", "PSI"]], spector["GRADE"]
    clf = LogitClassifier(**kwargs).fit(X, y)
    ref = ls.logit("GRADE ~ GPA + TUCE + PSI", data=spector, **kwargs)
    assert_array_equal(clf.result_.params.to_numpy(), ref.params.to_numpy())
    assert_array_equal(clf.result_.cov_array, ref.cov_array)
    assert clf.result_.method == ref.method and clf.result_.cov_type == ref.cov_type


def test_sample_weight_are_frequency_weights(spector):
    X, y = spector[["GPA", "PSI"]], spector["GRADE"]
    w = np.tile([1, 2], 16)
    weighted = LogitClassifier().fit(X, y, sample_weight=w)
    rows = np.repeat(np.arange(32), w)
    duplicated = LogitClassifier().fit(X.iloc[rows], y.iloc[rows])
    assert_allclose(weighted.coef_, duplicated.coef_, rtol=RTOL_PROPERTY, atol=ATOL_PROPERTY)


def test_params_clone_and_set_params():
    clf = LogitClassifier("~ x", firth=True, cov_type="HC0")
    assert clf.get_params() == {
        "formula": "~ x",
        "firth": True,
        "cov_type": "HC0",
        "tol": 1e-10,
        "max_iter": 50,
    }
    assert clone(clf).set_params(firth=False).get_params()["firth"] is False


def test_cross_val_score_matches_a_manual_loop(affairs):
    X, y = affairs[AFFAIRS_X], affairs["had_affair"]
    cv = KFold(n_splits=5, shuffle=True, random_state=0)
    scores = cross_val_score(LogitClassifier(), X, y, cv=cv)
    formula = "had_affair ~ " + " + ".join(AFFAIRS_X)
    manual = []
    for train, test in cv.split(X):
        fit = ls.logit(formula, data=affairs.iloc[train])
        pred = (fit.predict(affairs.iloc[test]).to_numpy() > 0.5).astype(int)
        manual.append(np.mean(pred == y.iloc[test].to_numpy()))
    assert_allclose(scores, manual, rtol=RTOL_PROPERTY)
    assert 0.6 < scores.mean() < 0.8  # affairs: 32% had an affair; the model beats 0.68 a bit


def test_pipeline_and_grid_search(affairs):
    sample = affairs.sample(1500, random_state=0)  # the file is sorted by the outcome
    X, y = sample[AFFAIRS_X], sample["had_affair"]
    pipe = make_pipeline(StandardScaler(), LogitClassifier())
    search = GridSearchCV(
        pipe, {"logitclassifier__firth": [False, True]}, cv=3, scoring="neg_log_loss"
    ).fit(X, y)
    assert search.best_params_["logitclassifier__firth"] in (False, True)
    best = search.best_estimator_[-1]
    assert best.result_.nobs == 1500 and best.result_.converged
    assert search.predict_proba(X).shape == (1500, 2)


def test_bad_arguments_are_explained(spector):
    X, y = spector[["GPA"]], spector["GRADE"]
    with pytest.raises(FormulaError, match=r"formula must be None or the right-hand side.*got "):
        LogitClassifier(formula=3).fit(X, y)
    with pytest.raises(FormulaError, match=r"empty right-hand side.*got 'GRADE ~ '"):
        LogitClassifier(formula="GRADE ~ ").fit(spector, y)
    three = np.resize(["a", "b", "c"], 32)
    with pytest.raises(LogitstatsError, match=r"firth=True needs a binary outcome; got 3 classes"):
        LogitClassifier(firth=True).fit(X, three)
    with pytest.raises(ValueError, match=r"at least two classes; got 1 class"):
        LogitClassifier().fit(X, np.zeros(32))
    with pytest.raises(LogitstatsError, match=r"y must hold one label per row of X \(32\)"):
        LogitClassifier("~ GPA").fit(spector, y.iloc[:5])


def test_import_without_sklearn_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    for name in [m for m in sys.modules if m.startswith("sklearn.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "logitstats.sklearn")
    with pytest.raises(
        ImportError, match=r"needs scikit-learn.*pip install 'logitstats\[sklearn\]'"
    ):
        importlib.import_module("logitstats.sklearn")
