"""Model files (``fit.save`` / ``ls.load``): round trips of every R reference case, the data
check, what a loaded model refuses, and the committed fixture.

Equality here is exact on purpose (``check_exact=True``, ``np.array_equal``): the issue's
acceptance is "equal to the bit". A loaded model computes with the same float64 numbers
(written with the shortest round-trip repr) through the same code, so any difference is a bug,
not rounding.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pandas.testing import assert_frame_equal, assert_series_equal

import logitstats as ls
from logitstats.io.model_file import MODEL_SCHEMA, read_content
from tests.io.cases import CASES
from tests.tolerances import RTOL_EXACT

FIXTURES = Path(__file__).parent / "fixtures"
LOADED = {
    "binary": ls.LoadedLogitResult,
    "multinomial": ls.LoadedMLogitResult,
    "ordinal": ls.LoadedOLogitResult,
}
#: the predict kinds of each model kind (ordinal adds the cumulative probabilities)
KINDS = {"binary": ("prob", "link"), "multinomial": ("prob", "link")}


def _equal(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        assert_frame_equal(a, b, check_exact=True)
    else:
        assert_series_equal(a, b, check_exact=True)


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    return (request.param, *CASES[request.param]())


def test_round_trip_of_every_reference_case_is_exact(case, tmp_path):
    name, fit, df, _ = case
    loaded = ls.load(fit.save(tmp_path / f"{name}.json"))
    assert type(loaded) is LOADED[fit.design.kind]
    assert isinstance(loaded, type(fit))
    _equal(loaded.tidy(), fit.tidy())
    _equal(
        loaded.tidy(conf_level=0.9, exponentiate=True), fit.tidy(conf_level=0.9, exponentiate=True)
    )
    _equal(loaded.glance(), fit.glance())
    _equal(loaded.conf_int(), fit.conf_int())
    _equal(loaded.cov, fit.cov)
    with_ci = KINDS.get(fit.design.kind, ("prob", "cumprob", "link"))
    for kind in (*with_ci, "class"):
        _equal(loaded.predict(df, kind=kind), fit.predict(df, kind=kind))
    for kind in with_ci:
        _equal(
            loaded.predict(df, kind=kind, conf_level=0.9),
            fit.predict(df, kind=kind, conf_level=0.9),
        )
    assert str(loaded.summary()) == str(fit.summary())
    assert loaded.summary(format="markdown") == fit.summary(format="markdown")


def test_loaded_with_the_training_data_is_the_full_result(case, tmp_path):
    name, fit, df, kw = case
    path = fit.save(tmp_path / f"{name}.json")
    full = ls.load(path, data=df, **kw)
    assert type(full) is type(fit)
    _equal(full.tidy(), fit.tidy())
    _equal(full.glance(), fit.glance())
    _equal(full.fitted, fit.fitted)
    _equal(full.predict(kind="link"), fit.predict(kind="link"))


def test_pickle_round_trip_of_fitted_and_loaded_results(case, tmp_path):
    name, fit, df, _ = case
    loaded = ls.load(fit.save(tmp_path / f"{name}.json"))
    for res in (fit, loaded):
        back = pickle.loads(pickle.dumps(res))
        assert type(back) is type(res)
        _equal(back.tidy(), res.tidy())
        _equal(back.glance(), res.glance())
        _equal(back.predict(df, conf_level=0.95), res.predict(df, conf_level=0.95))


def test_profile_ci_of_a_loaded_model_needs_the_data_or_is_stored(tmp_path):
    df = ls.datasets.load("spector")
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", df)
    loaded = ls.load(fit.save(tmp_path / "m.json"))
    with pytest.raises(ls.ModelFileError, match=r"needs the training data.*ls.load\(path, data="):
        loaded.conf_int(method="profile")
    # with the data: the profile intervals of the original fit
    full = ls.load(tmp_path / "m.json", data=df)
    _equal(full.conf_int(method="profile"), fit.conf_int(method="profile"))
    # computed before saving: stored, so the loaded model has them without data
    fit.conf_int(0.9, method="profile")
    again = ls.load(fit.save(tmp_path / "m2.json"))
    _equal(again.conf_int(0.9, method="profile"), fit.conf_int(0.9, method="profile"))


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.fitted,
        lambda r: r.residuals(),
        lambda r: r.hosmer_lemeshow(),
        lambda r: r.roc_auc(),
        lambda r: r.anova(test="lr"),
        lambda r: r.predict(),
        lambda r: r.report(figures=True),
    ],
    ids=["fitted", "residuals", "hosmer_lemeshow", "roc_auc", "anova_lr", "predict", "report"],
)
def test_what_needs_the_training_data_says_so(call, tmp_path):
    df = ls.datasets.load("spector")
    loaded = ls.load(ls.logit("GRADE ~ GPA + TUCE + PSI", df).save(tmp_path / "m.json"))
    with pytest.raises(ls.ModelFileError, match="needs the training data"):
        call(loaded)


def test_wald_tests_and_effects_on_new_data_work_without_the_data(tmp_path):
    df = ls.datasets.load("affairs")
    fit = ls.logit("had_affair ~ C(religious) + age + educ", df)
    loaded = ls.load(fit.save(tmp_path / "m.json"))
    _equal(loaded.anova(test="wald"), fit.anova(test="wald"))
    assert loaded.wald_test("age = educ").statistic == fit.wald_test("age = educ").statistic
    # effects averaged over data given explicitly need no training rows
    new = df.head(300)
    _equal(loaded.slopes(new, "age"), fit.slopes(new, "age"))
    _equal(loaded.comparisons(new, "religious"), fit.comparisons(new, "religious"))
    _equal(loaded.predictions(new, {"age": "mean"}), fit.predictions(new, {"age": "mean"}))
    # the average marginal effects are over the training rows
    with pytest.raises(ls.ModelFileError, match="needs the training data"):
        loaded.marginal_effects()


def test_data_that_is_not_the_training_data_is_refused(tmp_path):
    df = ls.datasets.load("spector")
    path = ls.logit("GRADE ~ GPA + TUCE + PSI", df).save(tmp_path / "m.json")
    with pytest.raises(ls.ModelFileError, match=r"expected the data the model was fitted on \(32"):
        ls.load(path, data=df.head(30))
    changed = df.assign(GPA=df["GPA"] + 1e-9)
    with pytest.raises(ls.ModelFileError, match="fingerprint"):
        ls.load(path, data=changed)


def test_weights_are_needed_again_with_the_data(tmp_path):
    fit, df, kw = CASES["spector_weighted"]()
    path = fit.save(tmp_path / "w.json")
    with pytest.raises(ls.ModelFileError, match="expected weights="):
        ls.load(path, data=df)
    ls.load(path, data=df, **kw)


def test_offset_column_is_read_from_newdata_and_required(tmp_path):
    fit, df, _ = CASES["spector_offset"]()
    loaded = ls.load(fit.save(tmp_path / "o.json"))
    _equal(loaded.predict(df), fit.predict(df))
    with pytest.raises(ls.DataError, match="lacks the offset column 'off'"):
        loaded.predict(df.drop(columns="off"))


def test_offset_array_model_asks_for_offset(tmp_path):
    df = ls.datasets.load("spector")
    off = 0.1 * df["TUCE"].to_numpy()
    fit = ls.logit("GRADE ~ GPA + PSI", df, offset=off)
    loaded = ls.load(fit.save(tmp_path / "o.json"))
    with pytest.raises(ls.ModelFileError, match="expected offset="):
        loaded.predict(df)
    _equal(loaded.predict(df, offset=off), fit.predict(df, offset=off))


def test_the_file_is_strict_json_with_exact_floats(tmp_path):
    fit, _, _ = CASES["separation_toy_firth"]()
    path = fit.save(tmp_path / "f.json")
    text = path.read_text()
    assert "NaN" not in text.replace('"NaN"', "")  # non-finite numbers are strings
    doc = json.loads(text)
    assert doc["schema"] == MODEL_SCHEMA
    assert np.array_equal(np.array(doc["content"]["params"]), fit.state.params)
    assert isinstance(doc["content"]["state"]["n_iter"], int)


def test_user_functions_are_named_and_passed_again(tmp_path):
    df = ls.datasets.load("spector")

    def cube(x):
        return x**3

    fit = ls.logit("GRADE ~ cube(GPA) + PSI", df, functions={"cube": cube})
    path = fit.save(tmp_path / "f.json")
    with pytest.raises(ls.FormulaError, match=r"user function\(s\) \['cube'\]"):
        ls.load(path).predict(df)
    _equal(ls.load(path, functions={"cube": cube}).predict(df), fit.predict(df))


def test_committed_fixtures_load_and_predict():
    # written by this version (tests/io/make_fixtures.py); later versions must keep reading them.
    # The stored estimates read back exactly; the predictions are recomputed here, on whatever
    # CPU runs the test (another BLAS kernel rounds X @ b differently in the last bits), so they
    # are compared at RTOL_EXACT, not bit for bit.
    df = ls.datasets.load("spector")
    expected = json.loads((FIXTURES / "expected.json").read_text())
    binary = ls.load(FIXTURES / "spector_logit.json")
    got = binary.predict(df.head(5)).to_numpy()
    assert_allclose(got, expected["spector_logit"], rtol=RTOL_EXACT)
    multi = ls.load(FIXTURES / "modechoice_mlogit.json")
    mode = ls.datasets.load("modechoice").head(5)
    assert_allclose(multi.predict(mode).to_numpy(), expected["modechoice_mlogit"], rtol=RTOL_EXACT)
    assert read_content(FIXTURES / "spector_logit.json")["versions"]["logitstats"]


@pytest.mark.parametrize("name", ["ologit_housing_weighted", "ologit_wine"])
def test_ordinal_round_trip_keeps_cutpoints_and_needs_data_for_po_tests(name, tmp_path):
    fit, df, kw = CASES[name]()
    loaded = ls.load(fit.save(tmp_path / f"{name}.json"))
    _equal(loaded.cutpoints, fit.cutpoints)
    _equal(loaded.params, fit.params)
    _equal(loaded.conf_int(0.9), fit.conf_int(0.9))
    assert loaded.levels == fit.levels
    assert loaded.notes == fit.notes
    new = df.head(7)
    _equal(
        loaded.predict(new, kind="cumprob", conf_level=0.9),
        fit.predict(new, kind="cumprob", conf_level=0.9),
    )
    for call in (lambda r: r.brant(), lambda r: r.po_lr_test(), lambda r: r.fitted):
        with pytest.raises(ls.ModelFileError, match="needs the training data"):
            call(loaded)
    full = ls.load(tmp_path / f"{name}.json", data=df, **kw)
    assert type(full) is ls.OLogitResult
    assert full.po_lr_test().statistic == fit.po_lr_test().statistic  # wine: brant separated
    _equal(full.predict(kind="cumprob"), fit.predict(kind="cumprob"))


def test_ordinal_file_with_the_wrong_estimator_or_levels_is_refused(tmp_path):
    from logitstats.io.loaded import result_from_content
    from logitstats.io.model_file import model_content

    fit, _, _ = CASES["ologit_wine"]()
    content = model_content(fit)
    match = r"estimator expected one of \['ml'\] for the ordinal model; got 'firth'"
    with pytest.raises(ls.ModelFileError, match=match):
        result_from_content({**content, "estimator": "firth"})
    spec = {**content["spec"], "levels": content["spec"]["levels"][:2]}
    with pytest.raises(ls.ModelFileError, match=r"expected >= 3 ordered outcome levels"):
        result_from_content({**content, "spec": spec})
