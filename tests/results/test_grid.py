"""Predictions on a data grid, emmeans marginal means and pairwise odds ratios.

References: tests/reference/effects.R, section ``grid_affairs``: ``predict(type = "link",
se.fit = TRUE)`` on the grid, ``emmeans(fit, ~ rate_marriage, type = "response")`` and
``pairs(..., adjust = "tukey" | "holm" | "bonferroni" | "none")`` (emmeans 1.8.4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import ATOL_PTUKEY, RTOL_EXACT, RTOL_R

REF = load_reference("effects")["grid_affairs"]


@pytest.fixture(scope="module")
def affairs():
    return ls.datasets.load("affairs")


@pytest.fixture(scope="module")
def fit(affairs):
    return ls.logit(REF["formula_py"], data=affairs)


def test_grid_predictions_equal_r(fit, affairs):
    out = fit.predictions(affairs, grid={"rate_marriage": "all"})
    assert out["rate_marriage"].tolist() == REF["grid_rate_marriage"]
    np.testing.assert_allclose(out["age"], REF["grid_age"], rtol=RTOL_R)
    np.testing.assert_allclose(out["religious"], REF["grid_religious"], rtol=RTOL_R)
    np.testing.assert_allclose(out["estimate"], REF["prob"], rtol=RTOL_R)
    np.testing.assert_allclose(out["std_error_link"], REF["se_link"], rtol=RTOL_R)
    np.testing.assert_allclose(out["conf_low"], REF["conf_low"], rtol=RTOL_R)
    np.testing.assert_allclose(out["conf_high"], REF["conf_high"], rtol=RTOL_R)


def test_marginal_means_equal_emmeans(fit, affairs):
    out = fit.marginal_means(affairs, "C(rate_marriage)")
    np.testing.assert_allclose(out["estimate"], REF["emmeans_prob"], rtol=RTOL_R)
    np.testing.assert_allclose(out["std_error"], REF["emmeans_se"], rtol=RTOL_R)
    np.testing.assert_allclose(out["conf_low"], REF["emmeans_low"], rtol=RTOL_R)
    np.testing.assert_allclose(out["conf_high"], REF["emmeans_high"], rtol=RTOL_R)


@pytest.mark.parametrize("adjust", ["tukey", "holm", "bonferroni", "none"])
def test_pairs_equal_emmeans(fit, affairs, adjust):
    ref = REF["pairs"][adjust]
    out = fit.pairs(affairs, "rate_marriage", adjust=adjust)
    assert [c.replace("rate_marriage", "") for c in ref["contrast"]] == out["contrast"].tolist()
    np.testing.assert_allclose(out["estimate"], ref["odds_ratio"], rtol=RTOL_R)
    np.testing.assert_allclose(out["std_error"], ref["se"], rtol=RTOL_R)
    np.testing.assert_allclose(out["statistic"], ref["z"], rtol=RTOL_R)
    np.testing.assert_allclose(out["p_value"], ref["p"], rtol=RTOL_R, atol=ATOL_PTUKEY)


def test_average_prediction_by_group_is_group_mean_of_fitted(fit, affairs):
    out = fit.predictions(affairs, by="religious")
    direct = fit.fitted.groupby(affairs["religious"]).mean()
    np.testing.assert_allclose(out["estimate"], direct.to_numpy(), rtol=RTOL_R)


def test_marginal_means_refuse_numeric(fit, affairs):
    with pytest.raises(LogitstatsError, match=r"expected a categorical variable; got the numeric"):
        fit.marginal_means(affairs, "age")


def test_bad_adjust(fit, affairs):
    with pytest.raises(LogitstatsError, match=r"adjust must be one of .*got adjust='sidak'"):
        fit.pairs(affairs, "rate_marriage", adjust="sidak")


def test_multinomial_average_prediction_uses_the_offset():
    # the average predicted probability is the mean of predict()'s rows (which see the offset)
    rng = np.random.default_rng(11)
    n = 300
    df = pd.DataFrame({"x": rng.normal(size=n), "off": rng.normal(size=n)})
    df["y"] = rng.choice(["a", "b", "c"], size=n)
    fit = ls.mlogit("y ~ x", df, offset="off")
    out = fit.predictions(df)
    np.testing.assert_allclose(out["estimate"], fit.predict(df).mean().to_numpy(), rtol=RTOL_EXACT)


@pytest.mark.parametrize("model", ["mlogit", "ologit"])
def test_marginal_means_refuse_fits_with_one_probability_per_level(model):
    df = pd.DataFrame({"y": list("abcabcabca"), "g": list("uvuvuvuvuv"), "x": np.arange(10.0)})
    fit = (
        ls.mlogit("y ~ g", df) if model == "mlogit" else ls.ologit("y ~ g", df, levels=list("abc"))
    )
    kind = "multinomial" if model == "mlogit" else "ordinal"
    with pytest.raises(
        LogitstatsError, match=rf"expected a binary fit \(ls.logit\); got a fit of kind '{kind}'"
    ):
        fit.marginal_means(df, "g")
