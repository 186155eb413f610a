"""Tests of ``logitstats.numerics.softmax``: properties (hypothesis), extreme values, errors,
references.

scipy.special (softmax, log_softmax, logsumexp, expit, log_expit) is the independent reference.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
import scipy.special as sps
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from logitstats.errors import LogitstatsError
from logitstats.numerics.softmax import (
    _log_sigmoid_fast,
    _log_softmax_rows,
    _sigmoid_fast,
    _softmax_rows,
    log_sigmoid,
    log_softmax,
    logsumexp,
    sigmoid,
    softmax,
)
from tests.tolerances import (
    ATOL_DOC_8_DECIMALS,
    ATOL_F32,
    ATOL_LOG,
    ATOL_RESCALED,
    RTOL_EXACT,
    RTOL_F32,
    RTOL_FEW_ULPS,
    RTOL_RESCALED,
    RTOL_SHIFT,
    RTOL_TAIL,
    SUM_ATOL_F32,
    SUM_ATOL_F64,
    ULPS_2,
    ULPS_4,
)

EPS = np.finfo(np.float64).eps
TINY = np.finfo(np.float64).tiny
BIG = np.finfo(np.float64).max
# The properties the issue lists run 150 examples each, the cross-checks 50: the whole file then
# runs in well under 10 s (hypothesis costs a few ms per example here).
PROPERTY = settings(max_examples=150, deadline=None)
CROSS_CHECK = settings(max_examples=50, deadline=None)

inf, nan = np.inf, np.nan

FUNCTIONS = [softmax, log_softmax, sigmoid, log_sigmoid]
SCORE_FUNCTIONS = [softmax, log_softmax, logsumexp]

# --------------------------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------------------------

moderate = st.floats(-1e3, 1e3, allow_nan=False)
finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def scores_and_axis(draw, elements=moderate, dtype=np.float64, max_side=4):
    """A 1-D to 3-D array and an axis of it."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=max_side))
    x = draw(hnp.arrays(dtype, shape, elements=elements))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    return x, axis


def vectors(elements=moderate, max_size=20):
    return hnp.arrays(np.float64, st.integers(1, max_size), elements=elements)


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------


@PROPERTY
@given(scores_and_axis(elements=finite))
def test_sums_to_one_float64_for_any_finite_scores(case):
    x, axis = case
    p = softmax(x, axis=axis)
    assert p.dtype == np.float64 and p.shape == x.shape
    assert np.all((p >= 0) & (p <= 1))
    assert np.max(np.abs(p.sum(axis=axis) - 1.0)) <= SUM_ATOL_F64


@CROSS_CHECK
@given(
    hnp.arrays(
        np.float32, st.integers(1, 12), elements=st.floats(-1e3, 1e3, width=32, allow_nan=False)
    )
)
def test_sums_to_one_float32(x):
    p = softmax(x)
    assert p.dtype == np.float32
    assert abs(p.astype(np.float64).sum() - 1.0) <= SUM_ATOL_F32


@PROPERTY
@given(scores_and_axis(), st.floats(-1e3, 1e3))
def test_invariant_to_adding_a_constant(case, c):
    x, axis = case
    assert_allclose(softmax(x + c, axis=axis), softmax(x, axis=axis), rtol=RTOL_SHIFT, atol=0)
    assert_allclose(log_softmax(x + c, axis=axis), log_softmax(x, axis=axis), rtol=0, atol=1e-9)


@CROSS_CHECK
@given(scores_and_axis(elements=st.integers(-(2**20), 2**20).map(lambda k: k / 1024)))
def test_invariant_to_adding_a_constant_per_slice_exactly(case):
    # Scores on a 1/1024 grid plus integer constants are exact, so the results are identical.
    x, axis = case
    shape = list(x.shape)
    shape[axis] = 1
    c = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) * 1000.0 - 3000.0
    assert_array_equal(softmax(x + c, axis=axis), softmax(x, axis=axis))
    assert_array_equal(log_softmax(x + c, axis=axis), log_softmax(x, axis=axis))


@PROPERTY
@given(vectors(elements=finite))
def test_preserves_order(x):
    order = np.argsort(x, kind="stable")
    ties = x[order][1:] == x[order][:-1]
    for values in (softmax(x), log_softmax(x)):
        ranked = values[order]
        assert np.all(ranked[1:] >= ranked[:-1])  # (np.diff would give -inf - -inf = NaN)
        assert_array_equal(ranked[1:][ties], ranked[:-1][ties])


@PROPERTY
@given(hnp.arrays(np.float64, st.integers(2, 20), elements=st.integers(-50, 50).map(float)))
def test_temperature_to_zero_tends_to_one_hot_argmax(x):
    assume(np.sum(x == x.max()) == 1)
    one_hot = (x == x.max()).astype(np.float64)
    assert_array_equal(softmax(x, temperature=1e-6), one_hot)
    # the largest probability never decreases as the temperature falls
    ladder = [softmax(x, temperature=t).max() for t in (1e3, 10.0, 1.0, 0.3, 0.1, 0.01)]
    assert np.all(np.diff(ladder) >= -EPS)


@PROPERTY
@given(vectors())
def test_temperature_to_infinity_tends_to_uniform(x):
    n = x.size
    assert_allclose(softmax(x, temperature=1e300), np.full(n, 1.0 / n), rtol=RTOL_EXACT)
    assert_allclose(log_softmax(x, temperature=1e300), np.full(n, -math.log(n)), rtol=RTOL_EXACT)
    ladder = [softmax(x, temperature=t).max() for t in (0.1, 1.0, 10.0, 1e3, 1e6)]
    assert np.all(np.diff(ladder) <= EPS)


@CROSS_CHECK
@given(vectors(), st.floats(1e-3, 1e3))
def test_temperature_divides_the_scores(x, t):
    assert_allclose(softmax(x, temperature=t), softmax(x / t), rtol=RTOL_RESCALED)
    assert_allclose(
        log_softmax(x, temperature=t), log_softmax(x / t), rtol=RTOL_RESCALED, atol=ATOL_RESCALED
    )


@PROPERTY
@given(scores_and_axis(elements=st.floats(-1e4, 1e4)))
def test_log_softmax_is_log_of_softmax_and_stays_finite_where_it_underflows(case):
    x, axis = case
    p, lp = softmax(x, axis=axis), log_softmax(x, axis=axis)
    assert np.all(np.isfinite(lp)) and np.all(lp <= 0)
    normal = p >= TINY  # log of a subnormal p has lost relative precision
    assert_allclose(lp[normal], np.log(p[normal]), rtol=RTOL_EXACT, atol=ATOL_LOG)
    assert np.all(lp[p == 0] < math.log(TINY))


@CROSS_CHECK
@given(scores_and_axis(elements=st.floats(-1e4, 1e4)))
def test_logsumexp_normalises_log_softmax(case):
    x, axis = case
    lse = logsumexp(x, axis=axis)
    assert_allclose(lse, sps.logsumexp(x, axis=axis), rtol=RTOL_EXACT, atol=ATOL_LOG)
    assert_allclose(
        log_softmax(x, axis=axis),
        x - np.expand_dims(lse, axis),
        rtol=RTOL_RESCALED,
        atol=ATOL_RESCALED,
    )


@CROSS_CHECK
@given(scores_and_axis(elements=st.floats(-700, 700)))
def test_agrees_with_scipy(case):
    x, axis = case
    assert_allclose(softmax(x, axis=axis), sps.softmax(x, axis=axis), rtol=RTOL_EXACT, atol=0)
    assert_allclose(
        log_softmax(x, axis=axis), sps.log_softmax(x, axis=axis), rtol=RTOL_EXACT, atol=ATOL_LOG
    )


@CROSS_CHECK
@given(vectors(elements=st.floats(-700, 700), max_size=50))
def test_sigmoid_agrees_with_scipy_expit_and_log_expit(x):
    assert_allclose(sigmoid(x), sps.expit(x), rtol=RTOL_EXACT, atol=0)
    assert_allclose(log_sigmoid(x), sps.log_expit(x), rtol=RTOL_EXACT, atol=0)


@CROSS_CHECK
@given(vectors(elements=finite))
def test_sigmoid_symmetry_and_log_odds(x):
    p, q = sigmoid(x), sigmoid(-x)
    assert np.all((p >= 0) & (p <= 1))
    assert_allclose(q, 1.0 - p, rtol=0, atol=ULPS_2)
    # log sigma(x) - log sigma(-x) = x, the log-odds
    small = np.abs(x) < 1e300
    diff = log_sigmoid(x[small]) - log_sigmoid(-x[small])
    assert_allclose(diff, x[small], rtol=RTOL_EXACT, atol=ULPS_4)


@CROSS_CHECK
@given(st.floats(-1e4, 1e4))
def test_sigmoid_is_the_two_class_softmax(v):
    assert_allclose(sigmoid(v), softmax([v, 0.0])[0], rtol=RTOL_EXACT, atol=0)
    assert_allclose(log_sigmoid(v), log_softmax([v, 0.0])[0], rtol=RTOL_EXACT, atol=0)


@CROSS_CHECK
@given(vectors(), st.floats(1e-3, 1e3))
def test_sigmoid_temperature_divides_x(x, t):
    assert_allclose(sigmoid(x, temperature=t), sigmoid(x / t), rtol=RTOL_EXACT, atol=0)
    assert_allclose(log_sigmoid(x, temperature=t), log_sigmoid(x / t), rtol=RTOL_EXACT, atol=0)


# --------------------------------------------------------------------------------------------
# documented values and extremes
# --------------------------------------------------------------------------------------------


def test_docstring_example():
    p = softmax([8, 5, 2])
    assert p.dtype == np.float64
    assert_allclose(p, [0.95033021, 0.04731416, 0.00235563], rtol=0, atol=ATOL_DOC_8_DECIMALS)
    total = math.fsum(math.exp(v) for v in (8, 5, 2))
    assert_allclose(p, [math.exp(v) / total for v in (8, 5, 2)], rtol=ULPS_4)


def test_temperature_direction():
    base = softmax([8, 5, 2])
    assert softmax([8, 5, 2], temperature=0.5).max() > base.max()  # multiply logits: sharper
    assert softmax([8, 5, 2], temperature=3.0).max() < base.max()  # divide logits: flatter


INF_CASES = [
    # scores, softmax, log_softmax, logsumexp
    ([inf, 1.0, 2.0], [1, 0, 0], [0, -inf, -inf], inf),
    ([inf, inf, 0.0], [0.5, 0.5, 0], [-math.log(2), -math.log(2), -inf], inf),
    ([inf, -inf], [1, 0], [0, -inf], inf),
    ([-inf, 0.0, 0.0], [0, 0.5, 0.5], [-inf, -math.log(2), -math.log(2)], math.log(2)),
    ([-inf, 3.0], [0, 1], [-inf, 0], 3.0),
    ([-inf, -inf, -inf], [nan, nan, nan], [nan, nan, nan], -inf),
    ([inf, nan, 1.0], [nan, nan, nan], [nan, nan, nan], nan),
    ([-inf, nan], [nan, nan], [nan, nan], nan),
]


@pytest.mark.parametrize(("x", "p", "lp", "lse"), INF_CASES)
def test_infinite_scores(x, p, lp, lse):
    assert_array_equal(softmax(x), p)
    assert_allclose(log_softmax(x), lp, rtol=RTOL_EXACT)
    assert_array_equal(logsumexp(x), lse)


def test_nan_is_confined_to_its_slice():
    x = np.array([[1.0, nan, 2.0], [1.0, 2.0, 3.0], [inf, 0.0, 0.0]])
    p, lp = softmax(x), log_softmax(x)
    assert np.all(np.isnan(p[0])) and np.all(np.isnan(lp[0]))
    assert_allclose(p[1], sps.softmax([1.0, 2.0, 3.0]), rtol=RTOL_EXACT)
    assert_array_equal(p[2], [1, 0, 0])
    p0 = softmax(x, axis=0)
    assert np.all(np.isnan(p0[:, 1]))
    assert np.all(np.isfinite(p0[:, [0, 2]]))
    assert_array_equal(p0[:, 0], [0, 0, 1])
    assert_allclose(p0[:, 2], sps.softmax([2.0, 3.0, 0.0]), rtol=RTOL_EXACT)
    lse = logsumexp(x)
    assert np.isnan(lse[0]) and lse[2] == inf
    assert_allclose(lse[1], sps.logsumexp([1.0, 2.0, 3.0]), rtol=RTOL_EXACT)
    s = sigmoid([nan, 0.0, -inf, inf])
    assert np.isnan(s[0])
    assert_array_equal(s[1:], [0.5, 0.0, 1.0])
    ls = log_sigmoid([nan, -inf, inf])
    assert np.isnan(ls[0])
    assert_array_equal(ls[1:], [-inf, 0.0])


def test_huge_finite_scores_do_not_overflow():
    assert_array_equal(softmax([1e308, -1e308]), [1, 0])
    assert_array_equal(softmax([1e308, 1e308]), [0.5, 0.5])
    assert_array_equal(softmax([-1e308, -1e308]), [0.5, 0.5])
    assert_array_equal(softmax([BIG, BIG, -BIG]), [0.5, 0.5, 0])
    assert_allclose(log_softmax([BIG, BIG]), [-math.log(2)] * 2, rtol=RTOL_EXACT)
    below = np.nextafter(-1e308, -inf)  # one ulp (~2e292) below -1e308
    assert_array_equal(log_softmax([-1e308, below]), [0, below - -1e308])
    # the gap from the maximum itself overflows: -2e308 rounds to -inf
    assert_array_equal(log_softmax([1e308, -1e308]), [0, -inf])
    assert logsumexp([BIG, BIG]) == BIG
    assert logsumexp([-BIG, -BIG]) == -BIG
    assert_allclose(logsumexp([1000.0, 1000.0]), 1000 + math.log(2), rtol=RTOL_EXACT)


def test_tiny_scores_and_underflow():
    assert_allclose(softmax([1e-300, -1e-300]), [0.5, 0.5], rtol=RTOL_EXACT)
    assert_array_equal(softmax([5e-324, 0.0]), [0.5, 0.5])
    assert_array_equal(softmax([0.0, -1000.0]), [1, 0])
    assert_array_equal(log_softmax([0.0, -1000.0]), [0, -1000])
    # a dominant score keeps full relative accuracy (log1p, not log(1 + tiny))
    assert_allclose(log_softmax([0.0, -46.0])[0], -math.exp(-46), rtol=RTOL_TAIL)
    assert_allclose(logsumexp([0.0, -46.0]), math.log1p(math.exp(-46)), rtol=RTOL_TAIL)


def test_no_floating_point_warnings_on_extreme_input():
    x = np.array(
        [
            [inf, inf, 0.0],
            [-inf, -inf, -inf],
            [BIG, -BIG, 0.0],
            [nan, 1.0, inf],
            [0.0, -1e4, -800.0],
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for t in (1.0, 1e-300, 1e300):
            softmax(x, temperature=t)
            log_softmax(x, temperature=t)
            sigmoid(x, temperature=t)
            log_sigmoid(x, temperature=t)
        logsumexp(x)
        x32 = np.array([[3e38, -3e38, 0.0], [inf, inf, 1.0], [-inf, -inf, -inf]], np.float32)
        softmax(x32, temperature=1e-50)
        log_softmax(x32, temperature=1e-50)
        log_sigmoid(x32, temperature=1e-50)


@pytest.mark.parametrize("func", [softmax, log_softmax])
@pytest.mark.parametrize(("shape", "axis"), [((0,), -1), ((0, 3), -1), ((3, 0), 1), ((2, 0, 4), 0)])
def test_empty_input_gives_empty_result_of_the_same_shape(func, shape, axis):
    for dtype in (np.float64, np.float32):
        out = func(np.empty(shape, dtype=dtype), axis=axis)
        assert out.shape == shape and out.dtype == dtype
    assert func([]).shape == (0,)


def test_empty_input_logsumexp_and_sigmoid():
    assert_array_equal(logsumexp(np.empty((3, 0))), [-inf, -inf, -inf])
    assert logsumexp(np.empty((0, 3))).shape == (0,)
    assert logsumexp([]) == -inf
    assert sigmoid([]).shape == (0,) and log_sigmoid(np.empty((2, 0))).shape == (2, 0)


def test_scalar_input():
    for axis in (0, -1):
        assert softmax(3.0, axis=axis).shape == ()
        assert softmax(3.0, axis=axis) == 1.0
    assert log_softmax(3) == 0.0
    assert logsumexp(3.0) == 3.0
    assert softmax(inf) == 1.0
    assert np.isnan(softmax(nan)) and np.isnan(softmax(-inf))
    assert sigmoid(0.0).shape == () and sigmoid(0.0) == 0.5
    with pytest.raises(LogitstatsError, match=r"axis=1 is out of range"):
        softmax(3.0, axis=1)


@pytest.mark.parametrize("func", [*FUNCTIONS, logsumexp])
def test_float32_in_float32_out_and_ints_to_float64(func):
    x64 = np.array([[0.5, -2.0, 3.0], [10.0, 10.0, -1.0]])
    x32 = x64.astype(np.float32)
    out32 = func(x32)
    assert out32.dtype == np.float32
    assert_allclose(out32, func(x64), rtol=RTOL_F32, atol=ATOL_F32)
    assert func(np.array([[1, 2, 3]])).dtype == np.float64
    assert func([True, False]).dtype == np.float64
    assert func(np.float16([1.0, 2.0])).dtype == np.float16


def test_float32_with_temperature_stays_float32_and_accurate():
    x = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    out = softmax(x, temperature=np.float64(2.0))
    assert out.dtype == np.float32
    assert_allclose(out, sps.softmax(np.array([1.0, 2.0, 3.0]) / 2), rtol=RTOL_F32)
    # a temperature below float32's range does not turn 0 / temperature into NaN
    assert_array_equal(softmax(x, temperature=1e-50), [0, 0, 1])
    assert sigmoid(np.float32(0.0), temperature=1e-50) == 0.5


@pytest.mark.parametrize("func", [*FUNCTIONS, logsumexp])
def test_lists_tuples_and_arrays_agree(func):
    rows = [[1, 2.5, -3], [0, 0, 7]]
    expected = func(np.array(rows, dtype=np.float64))
    assert_array_equal(func(rows), expected)
    assert_array_equal(func(tuple(tuple(r) for r in rows)), expected)
    assert_array_equal(func(rows[0]), func(np.array(rows[0], dtype=np.float64)))


def test_axis_selects_the_distribution():
    rng = np.random.default_rng(20240611)
    x = rng.normal(scale=5.0, size=(3, 4, 5))
    for axis in range(-3, 3):
        assert_allclose(softmax(x, axis=axis), sps.softmax(x, axis=axis), rtol=RTOL_EXACT)
        assert_allclose(
            log_softmax(x, axis=axis), sps.log_softmax(x, axis=axis), rtol=RTOL_EXACT, atol=ATOL_LOG
        )
        assert_allclose(logsumexp(x, axis=axis), sps.logsumexp(x, axis=axis), rtol=RTOL_EXACT)


def test_long_axis_agrees_with_scipy():
    rng = np.random.default_rng(7)
    x = rng.normal(scale=30.0, size=(5, 200))
    assert_allclose(softmax(x), sps.softmax(x, axis=-1), rtol=RTOL_EXACT)
    assert_allclose(log_softmax(x), sps.log_softmax(x, axis=-1), rtol=RTOL_EXACT, atol=ATOL_LOG)
    assert_allclose(logsumexp(x, axis=0), sps.logsumexp(x, axis=0), rtol=RTOL_EXACT)
    assert np.max(np.abs(softmax(x).sum(axis=-1) - 1)) <= SUM_ATOL_F64


def test_sigmoid_extremes():
    assert_array_equal(sigmoid([-inf, 0.0, 800.0, inf]), [0.0, 0.5, 1.0, 1.0])
    assert sigmoid(-800.0) == 0.0
    # small probabilities keep full relative accuracy
    assert_allclose(sigmoid(-700.0), math.exp(-700.0), rtol=RTOL_TAIL)
    assert_allclose(sigmoid(-30.0), math.exp(-30) / (1 + math.exp(-30)), rtol=RTOL_FEW_ULPS)
    assert_allclose(sigmoid([-3.0, 3.0]), [1 / (1 + math.exp(3)), 1 / (1 + math.exp(-3))])
    assert_allclose(sigmoid([-5.0, 5.0]), 1 - sigmoid([5.0, -5.0]), rtol=0, atol=ULPS_2)


def test_log_sigmoid_at_plus_minus_800_is_finite_and_accurate():
    out = log_sigmoid([-800.0, 800.0])
    assert np.all(np.isfinite(out))
    assert out[0] == -800.0  # log(sigmoid(-800)) would be log(0) = -inf
    assert out[1] == 0.0 and out[1] <= 0.0  # exact value -exp(-800) rounds to -0
    assert_allclose(log_sigmoid(40.0), -math.exp(-40.0), rtol=RTOL_TAIL)
    assert_allclose(log_sigmoid(-30.0), -30.0 - math.log1p(math.exp(-30.0)), rtol=RTOL_FEW_ULPS)
    assert_allclose(log_sigmoid(0.0), -math.log(2), rtol=RTOL_FEW_ULPS)
    assert_array_equal(log_sigmoid([-inf, inf]), [-inf, 0.0])


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("bad", [0.0, -1.0, inf, -inf, nan, "1", None, True])
def test_invalid_temperature_raises(func, bad):
    expected = f"temperature must be a finite number > 0; got temperature={bad!r}"
    with pytest.raises(LogitstatsError, match=re.escape(expected)):
        func([1.0, 2.0], temperature=bad)


def test_temperature_error_message_is_exact_for_zero():
    with pytest.raises(ValueError, match=r"^temperature must be a finite number > 0; got temper"):
        softmax([1.0, 2.0], temperature=0.0)
    with pytest.raises(LogitstatsError, match=re.escape("got temperature=0.0")):
        softmax([1.0, 2.0], temperature=0.0)


@pytest.mark.parametrize("func", SCORE_FUNCTIONS)
def test_non_numeric_scores_raise_naming_scores(func):
    with pytest.raises(LogitstatsError, match=r"scores must contain real numbers.*strings"):
        func(["a", "b"])
    with pytest.raises(LogitstatsError, match=r"scores must contain real numbers.*complex"):
        func([1 + 2j, 0])
    with pytest.raises(LogitstatsError, match=r"scores must be an array .*non-ragged"):
        func([[1.0, 2.0], [3.0]])
    with pytest.raises(LogitstatsError, match=r"scores must contain real numbers only"):
        func(np.array([object(), 1.0], dtype=object))


@pytest.mark.parametrize("func", [sigmoid, log_sigmoid])
def test_non_numeric_x_raises_naming_x(func):
    with pytest.raises(LogitstatsError, match=r"x must contain real numbers.*strings"):
        func(["0.5"])


@pytest.mark.parametrize("func", SCORE_FUNCTIONS)
def test_axis_out_of_range_raises(func):
    x = np.zeros((2, 3))
    msg = "axis=2 is out of range for scores with shape (2, 3) (2 dimension(s)); use an axis"
    with pytest.raises(LogitstatsError, match=re.escape(msg)):
        func(x, axis=2)
    with pytest.raises(LogitstatsError, match=r"axis=-3 is out of range.*between -2 and 1"):
        func(x, axis=-3)
    with pytest.raises(LogitstatsError, match=r"axis must be an integer; got axis=1\.0"):
        func(x, axis=1.0)


# --------------------------------------------------------------------------------------------
# internals for the fitting engine
# --------------------------------------------------------------------------------------------


def test_fast_row_functions_match_the_public_ones_and_do_not_modify_input():
    rng = np.random.default_rng(3)
    eta = rng.normal(scale=10.0, size=(500, 4))
    eta[0] = [inf, 0.0, inf, -inf]
    eta[1] = -inf
    eta[2, 1] = nan
    before = eta.copy()
    assert_array_equal(_softmax_rows(eta), softmax(eta, axis=1))
    assert_array_equal(_log_softmax_rows(eta), log_softmax(eta, axis=1))
    x = eta.ravel()
    assert_array_equal(_sigmoid_fast(x), sigmoid(x))
    assert_array_equal(_log_sigmoid_fast(x), log_sigmoid(x))
    assert _sigmoid_fast(x).dtype == np.float64
    assert_array_equal(eta, before)


@pytest.mark.parametrize("func", [*FUNCTIONS, logsumexp])
def test_public_functions_do_not_modify_input(func):
    x = np.array([[3.0, -1.0, inf], [0.0, 2.0, -5.0]])
    before = x.copy()
    func(x)
    if func is not logsumexp:
        func(x, temperature=0.5)
    assert_array_equal(x, before)


def test_softmax_columns_at_matches_log_softmax_and_softmax():
    """The fused in-place column kernel of the multinomial engine equals the public functions."""
    from logitstats.numerics.softmax import _softmax_columns_at

    rng = np.random.default_rng(4)
    eta = rng.normal(0.0, 20.0, (5, 200))
    eta[:, 0] = [0.0, -46.0, -50.0, -60.0, -70.0]  # one level dominates: log p ~ -1e-20
    codes = rng.integers(0, 5, 200)
    codes[0] = 0
    work = eta.copy()
    log_p = _softmax_columns_at(work, codes)
    expected = log_softmax(eta, axis=0)[codes, np.arange(200)]
    np.testing.assert_allclose(log_p, expected, rtol=RTOL_FEW_ULPS * 4, atol=ATOL_LOG)
    assert log_p[0] < 0.0  # not rounded to 0
    np.testing.assert_allclose(log_p[0], expected[0], rtol=RTOL_FEW_ULPS * 4)
    np.testing.assert_allclose(work, softmax(eta, axis=0), rtol=RTOL_FEW_ULPS * 4, atol=0)
