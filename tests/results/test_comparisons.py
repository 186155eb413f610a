"""Comparisons of average predictions (risk difference, risk ratio, log odds ratio).

References: tests/reference/effects.R, section ``comparisons_affairs`` (averages of R's
predictions on counterfactual copies of the data, as ``marginaleffects::avg_comparisons``;
delta SEs with a numDeriv Jacobian, relative error ~1e-10).
"""

from __future__ import annotations

import numpy as np
import pytest

import logitstats as ls
from logitstats.errors import LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import RTOL_R

REF = load_reference("effects")["comparisons_affairs"]


@pytest.fixture(scope="module")
def affairs():
    return ls.datasets.load("affairs")


@pytest.fixture(scope="module")
def fit(affairs):
    return ls.logit(REF["formula_py"], data=affairs)


@pytest.mark.parametrize("kind", ["difference", "ratio", "lnor"])
def test_factor_and_numeric_comparisons_equal_r(fit, affairs, kind):
    out = fit.comparisons(affairs, {"rate_marriage": None, "age": 1}, comparison=kind)
    labels = [f"{t} {c}" for t, c in zip(out["term"], out["contrast"], strict=True)]
    assert labels == REF["rows"]
    np.testing.assert_allclose(out["estimate"], REF[kind]["estimate"], rtol=RTOL_R)
    np.testing.assert_allclose(out["std_error"], REF[kind]["std_error"], rtol=RTOL_R)


def test_ratio_is_tested_against_one(fit, affairs):
    out = fit.comparisons(affairs, "age", comparison="ratio")
    row = out.iloc[0]
    assert row["statistic"] == pytest.approx((row["estimate"] - 1) / row["std_error"])


def test_low_high_pair_equals_shift_from_fixed_value(fit, affairs):
    pair = fit.comparisons(affairs, {"age": (30.0, 31.0)})["estimate"].iloc[0]
    # every row at 30 then moved forward by 1 is the same counterfactual pair
    at30 = affairs.assign(age=30.0)
    shift = fit.comparisons(at30, {"age": 1})["estimate"].iloc[0]
    assert pair == pytest.approx(shift, rel=RTOL_R)


def test_bad_comparison_names_choices(fit, affairs):
    with pytest.raises(LogitstatsError, match=r"comparison must be one of .*got comparison='odds'"):
        fit.comparisons(affairs, "age", comparison="odds")


def test_bad_level_pair(fit, affairs):
    with pytest.raises(LogitstatsError, match=r"variables\['rate_marriage'\]: expected None or"):
        fit.comparisons(affairs, {"rate_marriage": (1, 9)})
