"""Profile-likelihood confidence intervals against exact roots of the profile deviance in R.

Reference: tests/reference/inference.R (section profile_ci): for each coefficient, the two roots
of ``deviance(glm.fit(X[, -j], offset = b * X[, j])) - deviance = qchisq(0.95, 1)`` by
``uniroot(tol = 1e-12)`` (binary), and of the same with an exact damped Newton inner fit
(multinomial). ``MASS::confint`` interpolates a spline and is only a cross-check there.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats

import logitstats as ls
from logitstats.engine import binary as binary_engine
from logitstats.errors import LogitstatsError, SeparationWarning
from logitstats.inference.profile import constrained_fit, profile_intervals
from tests.conftest import load_reference
from tests.tolerances import ATOL_PROPERTY, ATOL_R, RTOL_PROFILE_ROOT, RTOL_PROPERTY, RTOL_R

REF = load_reference("inference")


def _fit(case: dict, **kw):
    data = ls.datasets.load(case["data"])
    if "reference" in case:
        return ls.mlogit(case["formula_py"], data=data, reference=case["reference"], **kw)
    return ls.logit(case["formula_py"], data=data, **kw)


@pytest.mark.parametrize("case_id", ["spector", "affairs", "modechoice"])
def test_profile_ci_equals_exact_roots_in_r(case_id):
    case = REF[f"profile_ci_{case_id}"]
    fit = _fit(case)
    np.testing.assert_allclose(fit.state.params, case["coef"], rtol=RTOL_R, atol=ATOL_R)
    ci = fit.conf_int(level=case["level"], method="profile")
    np.testing.assert_allclose(ci["conf_low"], case["ci_profile_low"], rtol=RTOL_R, atol=ATOL_R)
    np.testing.assert_allclose(ci["conf_high"], case["ci_profile_high"], rtol=RTOL_R, atol=ATOL_R)


def test_tidy_profile_odds_ratios_exponentiate_the_bounds():
    case = REF["profile_ci_affairs"]
    fit = _fit(case)
    tidy = fit.tidy(conf_level=0.95, exponentiate=True, ci_method="PROFILE")
    assert list(tidy["term"]) == case["coef_names_py"]
    np.testing.assert_allclose(tidy["conf_low"], np.exp(case["ci_profile_low"]), rtol=RTOL_R)
    np.testing.assert_allclose(tidy["conf_high"], np.exp(case["ci_profile_high"]), rtol=RTOL_R)
    np.testing.assert_allclose(tidy["estimate"], np.exp(case["coef"]), rtol=RTOL_R)


def test_multinomial_tidy_profile_relative_risk_ratios():
    case = REF["profile_ci_modechoice"]
    fit = _fit(case)
    tidy = fit.tidy(exponentiate=True, ci_method="profile")
    assert list(tidy["outcome"]) == [o for o in case["outcomes"] for _ in case["terms_py"]]
    np.testing.assert_allclose(tidy["conf_low"], np.exp(case["ci_profile_low"]), rtol=RTOL_R)
    np.testing.assert_allclose(tidy["conf_high"], np.exp(case["ci_profile_high"]), rtol=RTOL_R)


def test_profile_ci_does_not_depend_on_cov_type_and_is_cached(monkeypatch):
    case = REF["profile_ci_spector"]
    fit = _fit(case, cov_type="HC1")
    first = fit.conf_int(method="profile")
    np.testing.assert_allclose(first["conf_low"], case["ci_profile_low"], rtol=RTOL_R)

    def fail(*args, **kwargs):
        raise AssertionError("profile intervals recomputed instead of cached")

    monkeypatch.setattr("logitstats.results.hypotheses.profile_intervals", fail)
    np.testing.assert_array_equal(fit.conf_int(method="profile"), first)
    # the Wald interval of the same fit uses the HC1 standard errors instead
    wald = fit.conf_int(method="wald")
    assert not np.allclose(wald["conf_low"], first["conf_low"])


def test_profile_ci_other_level_solves_the_profile_equation():
    """At level 0.90 the bounds are where the profile deviance rises by chi2_1(0.90)."""
    fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ls.datasets.load("spector"))
    ci = fit.conf_int(level=0.90, method="profile")
    d = fit.design
    obj = lambda b: binary_engine.loglik_score_info(d.X, d.y, b, d.weights, d.offset)  # noqa: E731
    crit = stats.chi2.ppf(0.90, 1)
    for j in range(4):
        for t in (ci["conf_low"].iloc[j], ci["conf_high"].iloc[j]):
            state, _, _ = constrained_fit(obj, j, t, fit.state.params)
            assert 2 * (fit.llf - state.loglik) == pytest.approx(crit, rel=RTOL_PROFILE_ROOT)


def test_frequency_weights_equal_the_expanded_data():
    case = REF["sandwich_spector_weighted"]
    data = ls.datasets.load("spector")
    w = np.asarray(case["weights"], dtype=float)
    weighted = ls.logit(case["formula_py"], data=data, weights=w)
    expanded = ls.logit(case["formula_py"], data=data.loc[data.index.repeat(w.astype(int))])
    np.testing.assert_allclose(
        weighted.conf_int(method="profile"),
        expanded.conf_int(method="profile"),
        rtol=RTOL_PROPERTY,
        atol=ATOL_PROPERTY,
    )


def test_quasi_separation_gives_an_infinite_bound_with_a_warning():
    """endometrial: NV quasi-separates HG, its MLE is +inf; the upper bound must be +inf."""
    data = ls.datasets.load("endometrial")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SeparationWarning)  # the fit's own warning
        fit = ls.logit("HG ~ NV + PI + EH", data=data)
    with pytest.warns(SeparationWarning, match=r"NV \(upper\).*infinite"):
        ci = fit.conf_int(method="profile")
    assert ci.loc["NV", "conf_high"] == np.inf
    assert np.isfinite(ci.drop(index="NV")).all().all()
    # the finite lower bound of NV is a genuine root of the profile deviance
    d = fit.design
    obj = lambda b: binary_engine.loglik_score_info(d.X, d.y, b, d.weights, d.offset)  # noqa: E731
    j = list(fit.params.index).index("NV")
    state, _, _ = constrained_fit(obj, j, ci.loc["NV", "conf_low"], fit.state.params)
    assert 2 * (fit.llf - state.loglik) == pytest.approx(
        stats.chi2.ppf(0.95, 1), rel=RTOL_PROFILE_ROOT
    )
    # odds ratio bound: exp(inf) = inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tidy = fit.tidy(exponentiate=True, ci_method="profile")  # cached: no second warning
    assert tidy.set_index("term").loc["NV", "conf_high"] == np.inf


def test_multinomial_quasi_separation_gives_infinite_bounds_only_where_due():
    """anes96: no 'Ind' voter has educ == 1, so Intercept[Ind] -> -inf and every
    C(educ)[T.k][Ind] -> +inf; their other bounds and every 'Rep' bound are finite roots."""
    data = ls.datasets.load("anes96")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SeparationWarning)
        fit = ls.mlogit("party ~ C(educ) + age", data=data, reference="Dem")
    with pytest.warns(SeparationWarning, match=r"Intercept\[Ind\] \(lower\), C\(educ\)\[T.2\]"):
        ci = fit.conf_int(method="profile")
    ind = ci.loc["Ind"]
    assert ind.loc["Intercept", "conf_low"] == -np.inf
    dummies = [t for t in ind.index if t.startswith("C(educ)")]
    assert (ind.loc[dummies, "conf_high"] == np.inf).all()
    finite = ci.to_numpy()[np.isfinite(ci.to_numpy())]
    assert finite.size == 2 * len(ci) - 1 - len(dummies)
    from logitstats.results.refit import objective

    obj = objective(fit)
    crit = stats.chi2.ppf(0.95, 1)
    for j, side in [(1, "conf_low"), (8, "conf_low"), (8, "conf_high"), (15, "conf_high")]:
        t = ci[side].iloc[j]
        state, _, _ = constrained_fit(obj, j, t, fit.state.params)
        assert 2 * (fit.llf - state.loglik) == pytest.approx(crit, rel=RTOL_PROFILE_ROOT)


def test_array_level_routine_on_a_separated_toy_problem():
    X = np.column_stack([np.ones(6), [0.0, 0, 0, 1, 1, 1]])
    y = np.array([0.0, 1, 0, 1, 1, 1])  # x = 1 always an event: slope -> +inf
    st = binary_engine.fit(X, y)
    obj = lambda b: binary_engine.loglik_score_info(X, y, b)  # noqa: E731
    prof = profile_intervals(obj, st.params, st.loglik, st.information)
    assert prof.upper[1] == np.inf and np.isfinite(prof.lower[1])
    assert prof.unbounded == ((1, "upper"),)


def test_one_side_at_a_time_gives_the_same_bounds():
    """``sides=`` (the distributed profile runs each bound as its own root search): each side
    alone equals that side of the two-sided call, the other side is NaN."""
    X = np.column_stack([np.ones(6), [0.0, 0, 0, 1, 1, 1]])
    y = np.array([0.0, 1, 0, 1, 1, 1])
    st = binary_engine.fit(X, y)
    obj = lambda b: binary_engine.loglik_score_info(X, y, b)  # noqa: E731
    both = profile_intervals(obj, st.params, st.loglik, st.information)
    low = profile_intervals(obj, st.params, st.loglik, st.information, sides=("lower",))
    up = profile_intervals(obj, st.params, st.loglik, st.information, sides=("upper",))
    assert np.array_equal(low.lower, both.lower) and np.isnan(low.upper).all()
    assert np.array_equal(up.upper, both.upper) and np.isnan(up.lower).all()
    assert low.unbounded == () and up.unbounded == both.unbounded == ((1, "upper"),)


def test_bad_method_and_level_are_rejected_with_a_message():
    fit = ls.logit("GRADE ~ GPA", data=ls.datasets.load("spector"))
    with pytest.raises(LogitstatsError, match=r"method must be one of 'wald', 'profile'.*'spline'"):
        fit.conf_int(method="spline")
    with pytest.raises(LogitstatsError, match=r"level must be a number between 0 and 1.*1.5"):
        fit.conf_int(level=1.5, method="profile")


def test_chord_steps_save_information_passes_and_keep_the_bounds():
    """With ``score_only`` the last joint-Newton steps reuse the information: fewer full
    evaluations, same bounds (each is still checked to the same step and root tolerances)."""
    rng = np.random.default_rng(8)
    n = 400
    X = np.column_stack([np.ones(n), rng.standard_normal((n, 3))])
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ [0.3, 1.0, -0.5, 0.2])))).astype(float)
    st = binary_engine.fit(X, y)
    calls = {"full": 0, "score": 0}

    def full(b):
        calls["full"] += 1
        return binary_engine.loglik_score_info(X, y, b)

    def score(b):
        calls["score"] += 1
        return binary_engine.loglik_score(X, y, b)

    plain = profile_intervals(full, st.params, st.loglik, st.information)
    n_plain = calls["full"]
    calls["full"] = 0
    chord = profile_intervals(full, st.params, st.loglik, st.information, score_only=score)
    assert calls["score"] > 0
    assert calls["full"] < n_plain
    # measured: the bounds agree to ~1e-12 relative
    np.testing.assert_allclose(chord.lower, plain.lower, rtol=RTOL_PROFILE_ROOT)
    np.testing.assert_allclose(chord.upper, plain.upper, rtol=RTOL_PROFILE_ROOT)
    crit = stats.chi2.ppf(0.95, 1)
    for j in range(4):  # each bound solves the profile equation 2 (l_hat - l_p(t)) = z^2
        for t in (chord.lower[j], chord.upper[j]):
            state, _, _ = constrained_fit(full, j, t, st.params)
            assert 2 * (st.loglik - state.loglik) == pytest.approx(crit, rel=RTOL_PROFILE_ROOT)
