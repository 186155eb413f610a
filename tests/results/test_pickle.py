"""Results pickle (no patsy objects travel): to another process and back, by multiprocessing
and joblib. Before: ``pickle.dumps(fit)`` failed for every fit (patsy's DesignInfo).

Equality is exact: the unpickled result holds the same float64 arrays.
"""

from __future__ import annotations

import multiprocessing
import pickle

import joblib
import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal, assert_series_equal

import logitstats as ls

FORMULA = "had_affair ~ C(religious) + standardize(age) + np.log(yrs_married) + educ"


def _score(fit, data: pd.DataFrame) -> np.ndarray:
    """Runs in the worker: predictions with CIs of the unpickled fit."""
    return fit.predict(data, conf_level=0.95).to_numpy()


def test_a_fit_pickles_without_patsy_objects():
    fit = ls.logit(FORMULA, ls.datasets.load("affairs"))
    blob = pickle.dumps(fit)
    assert b"patsy" not in blob
    back = pickle.loads(blob)
    assert back.design.design_info is None
    assert_frame_equal(back.tidy(), fit.tidy(), check_exact=True)
    assert_frame_equal(back.glance(), fit.glance(), check_exact=True)
    assert_series_equal(back.fitted, fit.fitted, check_exact=True)
    # what read patsy's DesignInfo reads the spec now
    assert_frame_equal(back.anova(test="wald"), fit.anova(test="wald"), check_exact=True)
    df = ls.datasets.load("affairs").head(50)
    assert_frame_equal(back.slopes(df, "age"), fit.slopes(df, "age"), check_exact=True)


def test_a_multinomial_fit_scored_in_a_spawned_process():
    df = ls.datasets.load("modechoice")
    fit = ls.mlogit("mode ~ hinc + standardize(psize)", df, reference="car")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        got = pool.apply(_score, (fit, df))
    assert np.array_equal(got, _score(fit, df))


def test_joblib_round_trip_of_fitted_and_loaded_results(tmp_path):
    df = ls.datasets.load("affairs")
    fit = ls.logit(FORMULA, df, cov_type="HC1")
    loaded = ls.load(fit.save(tmp_path / "m.json"))
    for res in (fit, loaded):
        joblib.dump(res, tmp_path / "r.joblib")
        back = joblib.load(tmp_path / "r.joblib")
        assert_frame_equal(back.tidy(), res.tidy(), check_exact=True)
        assert_frame_equal(
            back.predict(df, conf_level=0.9), res.predict(df, conf_level=0.9), check_exact=True
        )
