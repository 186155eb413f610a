"""The exact Stiemke screens that spare the LP: at any point, per multinomial outcome, at Firth.

Every screen verdict is compared with the linear program's (the reference: Konis 2007): a screen
may decline on data the LP finds not separated, but must never certify data the LP finds
separated.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.inference.separation import (
    LP_METHOD,
    SCREEN_METHOD_FIRTH,
    SCREEN_METHOD_MULTINOMIAL,
    SeparationStatus,
    certify_no_separation,
    detect_separation,
    detect_separation_multinomial,
    screen_no_separation_multinomial,
)

REFERENCE_MULTINOMIAL = [
    ("modechoice", "mode ~ hinc + psize"),
    ("modechoice", "mode ~ hinc"),
    ("anes96", "party ~ age"),
    ("anes96", "party ~ age + educ"),
    ("anes96", "party ~ age + income + selfLR"),
]


@pytest.mark.parametrize(("dataset", "formula"), REFERENCE_MULTINOMIAL)
def test_reference_multinomial_fits_are_certified_without_lp(dataset, formula):
    data = ls.datasets.load(dataset)
    fit = ls.mlogit(formula, data=data)
    assert fit.separation.status is SeparationStatus.NONE
    assert fit.separation.method == SCREEN_METHOD_MULTINOMIAL
    # the LP agrees (check_separation has no estimate, so it always runs the LP)
    lp = ls.check_separation(formula, data, multinomial=True)
    assert lp.status is SeparationStatus.NONE and lp.method.startswith(LP_METHOD)


def _lp_multinomial(X, codes, k_levels, ref, w=None):
    return detect_separation_multinomial(X, codes, k_levels, ref, w).separated


def _random_design(rng, n, p):
    return np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])


def _separated_case(rng, kind):
    """Multinomial data separated by construction: some outcome vs the reference."""
    n = int(rng.integers(20, 300))
    p = int(rng.integers(2, 5))
    k_levels = int(rng.integers(3, 6))
    X = _random_design(rng, n, p)
    codes = rng.integers(0, k_levels, n)
    k = int(rng.integers(1, k_levels))  # the separated outcome; the reference is 0
    pair = (codes == k) | (codes == 0)
    if kind == "complete":
        d = rng.standard_normal(p - 1)
        side = X[:, 1:] @ d
        codes[pair] = np.where(side[pair] > np.median(side), k, 0)
    elif kind == "quasi":  # a binary column that is 1 only on outcome k within the pair
        flag = (rng.random(n) < 0.3).astype(float)
        flag[pair & (codes == 0)] = 0.0
        X[:, 1] = flag
    else:  # "tie": separated by x1 >= 0 with rows of both outcomes on the hyperplane x1 = 0
        X[:, 1] = np.round(X[:, 1])
        codes[pair & (X[:, 1] > 0)] = k
        codes[pair & (X[:, 1] < 0)] = 0
    return X, codes, k_levels


@pytest.mark.parametrize("kind", ["complete", "quasi", "tie"])
def test_fuzz_never_certifies_separated_multinomial_data(kind):
    rng = np.random.default_rng({"complete": 1, "quasi": 2, "tie": 3}[kind])
    n_separated = 0
    for case in range(24):
        X, codes, k_levels = _separated_case(rng, kind)
        lp = _lp_multinomial(X, codes, k_levels, 0)
        n_separated += lp
        # points: the ML fit where the iterations stopped, zero, and a random point
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.DataFrame(X[:, 1:], columns=[f"x{j}" for j in range(1, X.shape[1])])
            frame["y"] = codes
            formula = "y ~ " + " + ".join(frame.columns[:-1])
            if case % 3 == 0 and np.unique(codes).size == k_levels:  # fits are slow
                fit = ls.mlogit(formula, data=frame, reference=0)
                assert fit.separation.separated == lp
        etas = [np.zeros((X.shape[0], k_levels)), rng.standard_normal((X.shape[0], k_levels))]
        for eta in etas:
            if screen_no_separation_multinomial(X, eta, codes, 0):
                assert not lp
    assert n_separated >= 20  # the construction separates (almost) every case


def test_fuzz_certifies_overlapping_multinomial_data_as_the_lp_does():
    rng = np.random.default_rng(4)
    certified = 0
    for _ in range(20):
        n, p, k_levels = int(rng.integers(200, 2000)), int(rng.integers(2, 6)), 3
        X = _random_design(rng, n, p)
        B = rng.standard_normal((p, k_levels)) * 0.5
        B[:, 0] = 0.0
        eta = X @ B
        prob = np.exp(eta - eta.max(axis=1, keepdims=True))
        prob /= prob.sum(axis=1, keepdims=True)
        codes = (prob.cumsum(axis=1) > rng.random((n, 1))).argmax(axis=1)
        lp = _lp_multinomial(X, codes, k_levels, 0)
        ok = screen_no_separation_multinomial(X, eta, codes, 0)  # at the true coefficients
        assert not (ok and lp)
        certified += ok
    assert certified >= 17  # overlapping data of a few hundred rows: nearly always decided


def test_joint_overlap_is_not_pairwise_overlap():
    # b vs a is completely separated by x on their own rows; the rows of c span every x, so
    # the joint multinomial MLE is finite (the fit converges) but the pairwise LP reports b:
    # a screen built on the multinomial score would certify it, this one declines
    x = np.array([1.0, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 3.5])
    codes = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2])
    X = np.column_stack([np.ones(x.size), x])
    assert detect_separation_multinomial(X, codes, 3, 0).status is SeparationStatus.COMPLETE
    eta = np.zeros((x.size, 3))
    assert not screen_no_separation_multinomial(X, eta, codes, 0)


def test_zero_weight_rows_do_not_count_in_the_multinomial_screen():
    x = np.array([1.0, 2, 3, 4, 5, 6, 2.5, 1, 4, 6])
    codes = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 2])
    X = np.column_stack([np.ones(x.size), x])
    eta = np.zeros((x.size, 3))
    assert screen_no_separation_multinomial(X, eta, codes, 0)
    w = np.ones(x.size)
    w[6] = 0.0  # the one row of outcome 1 inside the range of outcome 0: separated again
    assert detect_separation_multinomial(X, codes, 3, 0, w).separated
    assert not screen_no_separation_multinomial(X, eta, codes, 0, w)


def test_column_zero_on_every_row_is_set_aside_exactly():
    # a column that is 0 on every row of a problem touches no row (as a level's dummy absent
    # from one outcome pair): the certificate sets it aside instead of declining
    x = np.array([1.0, 2, 3, 4, 5, 6, 2.5, 1.5])
    y = np.array([0.0, 0, 0, 1, 1, 1, 1, 0])
    X = np.column_stack([np.ones(x.size), x, np.zeros(x.size)])
    assert not detect_separation(X, y).separated
    assert certify_no_separation(X, y, np.zeros(x.size))


def test_certificate_holds_at_any_point_binary_fuzz():
    rng = np.random.default_rng(5)
    for _ in range(80):
        n, p = int(rng.integers(10, 400)), int(rng.integers(2, 5))
        X = _random_design(rng, n, p)
        if rng.random() < 0.5:  # separated by construction
            y = (X[:, 1:] @ rng.standard_normal(p - 1) > 0).astype(float)
        else:
            y = (rng.random(n) < 0.5).astype(float)
        lp = detect_separation(X, y).separated
        for eta in (np.zeros(n), rng.standard_normal(n) * 2):
            if certify_no_separation(X, y, eta, max_steps=int(rng.integers(0, 5))):
                assert not lp


def test_firth_fit_clears_separation_by_the_certificate():
    spector = ls.datasets.load("spector")
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=spector, firth=True)
    assert fit.separation.status is SeparationStatus.NONE
    assert fit.separation.method == SCREEN_METHOD_FIRTH
    # the LP agrees
    assert not ls.check_separation("GRADE ~ GPA + TUCE + PSI", spector).separated


def test_firth_fit_under_separation_still_runs_the_lp():
    endometrial = ls.datasets.load("endometrial")
    fit = ls.logit("HG ~ NV + PI + EH", data=endometrial, firth=True)
    assert fit.separation.status is SeparationStatus.QUASI
    assert fit.separation.terms == ("NV",)
    assert fit.separation.method == LP_METHOD
