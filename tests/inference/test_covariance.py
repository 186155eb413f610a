"""Robust and cluster covariances against R's sandwich package.

Reference: tests/reference/inference.R (section sandwich): ``sandwich::sandwich`` (HC0),
``sandwich::vcovHC(type = "HC1")`` and ``sandwich::vcovCL(cluster = ..., type = "HC1")`` of exact
``glm`` fits; the weighted case on the row-expanded data; the multinomial case by the same
formulas on an exact Newton fit (documented in the JSON's ``formulas``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import DataError, LogitstatsError
from tests.conftest import load_reference
from tests.tolerances import ATOL_R, RTOL_EXACT, RTOL_R, RTOL_SM

REF = load_reference("inference")
COV_KEYS = {"HC0": "cov_hc0", "hc1": "cov_hc1", "Cluster": "cov_cluster"}


def _spector_with_clusters(case: dict) -> pd.DataFrame:
    data = ls.datasets.load("spector")
    return data.assign(g=np.asarray(case["cluster_values"]))


def _check(fit, case: dict, key: str) -> None:
    cov = np.asarray(case[key])
    np.testing.assert_allclose(fit.cov_array, cov, rtol=RTOL_R, atol=ATOL_R * np.abs(cov).max())
    np.testing.assert_allclose(fit.tidy()["std_error"], np.sqrt(np.diag(cov)), rtol=RTOL_R)


@pytest.mark.parametrize("cov_type", ["HC0", "hc1", "Cluster"])
def test_spector_equals_sandwich(cov_type):
    case = REF["sandwich_spector"]
    data = _spector_with_clusters(case)
    groups = case["cluster_column"] if cov_type == "Cluster" else None
    fit = ls.logit(case["formula_py"], data=data, cov_type=cov_type, groups=groups)
    assert list(fit.params.index) == case["coef_names_py"]
    _check(fit, case, COV_KEYS[cov_type])


@pytest.mark.parametrize("cov_type", ["HC0", "hc1", "Cluster"])
def test_affairs_equals_sandwich_with_factors(cov_type):
    case = REF["sandwich_affairs"]
    groups = case["cluster_column"] if cov_type == "Cluster" else None
    fit = ls.logit(
        case["formula_py"], data=ls.datasets.load("affairs"), cov_type=cov_type, groups=groups
    )
    assert list(fit.params.index) == case["coef_names_py"]
    _check(fit, case, COV_KEYS[cov_type])


def test_nonrobust_is_the_inverse_information():
    case = REF["sandwich_affairs"]
    fit = ls.logit(case["formula_py"], data=ls.datasets.load("affairs"))
    _check(fit, case, "cov_nonrobust")


@pytest.mark.parametrize("cov_type", ["HC0", "HC1"])
def test_frequency_weights_equal_the_row_expanded_sandwich(cov_type):
    case = REF["sandwich_spector_weighted"]
    w = np.asarray(case["weights"], dtype=float)
    fit = ls.logit(
        case["formula_py"], data=ls.datasets.load("spector"), weights=w, cov_type=cov_type
    )
    assert fit.nobs == case["n_expanded"]
    _check(fit, case, COV_KEYS[cov_type] if cov_type == "HC0" else "cov_hc1")


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "cluster"])
def test_multinomial_sandwich(cov_type):
    case = REF["sandwich_anes96_party"]
    groups = case["cluster_column"] if cov_type == "cluster" else None
    fit = ls.mlogit(
        case["formula_py"],
        data=ls.datasets.load("anes96"),
        reference=case["reference"],
        cov_type=cov_type,
        groups=groups,
    )
    np.testing.assert_allclose(fit.state.params, case["coef"], rtol=RTOL_R, atol=ATOL_R)
    _check(fit, case, "cov_" + cov_type.lower())


def test_cluster_groups_as_an_array_equal_groups_as_a_column():
    case = REF["sandwich_spector"]
    data = _spector_with_clusters(case)
    by_name = ls.logit(case["formula_py"], data=data, cov_type="cluster", groups="g")
    by_array = ls.logit(
        case["formula_py"], data=data, cov_type="cluster", groups=data["g"].to_numpy()
    )
    np.testing.assert_array_equal(by_name.cov_array, by_array.cov_array)


def test_hc1_is_hc0_times_n_over_n_minus_k_unlike_statsmodels_logit():
    """statsmodels 0.15's Logit 'HC1' equals its HC0 (no n/(n-k)); ours is sandwich's."""
    import statsmodels.api as sm

    data = ls.datasets.load("spector")
    hc0 = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data, cov_type="HC0")
    hc1 = ls.logit("GRADE ~ GPA + TUCE + PSI", data=data, cov_type="HC1")
    n, k = 32, 4
    np.testing.assert_allclose(hc1.cov_array, hc0.cov_array * n / (n - k), rtol=RTOL_EXACT)
    X = sm.add_constant(data[["GPA", "TUCE", "PSI"]])
    sm_hc0 = sm.Logit(data["GRADE"], X).fit(disp=0, method="newton", cov_type="HC0")
    np.testing.assert_allclose(hc0.cov_array, sm_hc0.cov_params().to_numpy(), rtol=RTOL_SM)


def test_summary_glance_and_tidy_state_the_covariance_type():
    case = REF["sandwich_spector"]
    fit = ls.logit(
        case["formula_py"], data=_spector_with_clusters(case), cov_type="CLUSTER", groups="g"
    )
    assert fit.glance()["cov_type"].iloc[0] == "cluster"
    assert "Covariance:   cluster" in fit.summary()
    np.testing.assert_allclose(fit.tidy()["std_error"], case["se_cluster"], rtol=RTOL_R)


def test_bad_covariance_arguments_are_rejected_with_a_message():
    data = ls.datasets.load("spector")
    with pytest.raises(LogitstatsError, match=r"cov_type must be one of .*got cov_type='HC3'"):
        ls.logit("GRADE ~ GPA", data=data, cov_type="HC3")
    with pytest.raises(LogitstatsError, match=r"cov_type='cluster' needs groups=.*got groups=None"):
        ls.logit("GRADE ~ GPA", data=data, cov_type="cluster")
    with pytest.raises(LogitstatsError, match=r"groups= is only used with cov_type='cluster'"):
        ls.logit("GRADE ~ GPA", data=data, cov_type="HC0", groups="PSI")


def test_cluster_ids_1_and_text_1_are_different_clusters():
    # R's clusters 1..8 relabelled so that cluster 1 is the integer 1 and cluster 2 the text
    # "1": the partition is R's, so the SEs must be vcovCL's (before the fix they were merged)
    case = REF["sandwich_spector"]
    relabel = {1: 1, 2: "1"}
    ids = [relabel.get(v, f"c{v}") for v in case["cluster_values"]]
    data = ls.datasets.load("spector")
    for groups in (pd.Series(ids, dtype=object), ids):
        fit = ls.logit(case["formula_py"], data=data, cov_type="cluster", groups=groups)
        _check(fit, case, "cov_cluster")
    fit = ls.logit(
        case["formula_py"],
        data=data.assign(g=pd.Series(ids, dtype=object)),
        cov_type="cluster",
        groups="g",
    )
    _check(fit, case, "cov_cluster")


@pytest.mark.parametrize("ids", [["a"] * 32, [7] * 32])
def test_a_single_cluster_is_refused(ids):
    data = ls.datasets.load("spector")
    with pytest.raises(
        DataError, match=r"groups must hold at least two distinct cluster ids .*got 1 cluster"
    ):
        ls.logit("GRADE ~ GPA", data=data, cov_type="cluster", groups=ids)
    with pytest.raises(DataError, match=r"groups .*got 1 cluster"):
        ls.mlogit("GRADE ~ GPA", data=data, cov_type="cluster", groups=ids)
