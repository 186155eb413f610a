"""``logitstats.design.transforms``: vectorised center/standardize against patsy's own.

patsy's ``center`` uses the same arithmetic (long-double sum, float64 mean), so it must agree bit
for bit; patsy's ``standardize`` runs Welford's update, ours pairwise two-pass sums, so they
agree to rounding (``ATOL_STANDARDIZE``, see tests/tolerances.py).
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import patsy
import pytest
from numpy.testing import assert_allclose

from logitstats.design.transforms import Center, Standardize, center, standardize
from tests.tolerances import ATOL_STANDARDIZE, RTOL_CHUNK_MERGE


@pytest.fixture()
def x() -> pd.Series:
    return pd.Series(np.random.default_rng(7).normal(40.0, 7.0, 5000))


def test_center_is_patsys_bit_for_bit(x):
    assert np.array_equal(np.asarray(center(x)), np.asarray(patsy.center(x)))
    ints = x.round().astype(np.int64)
    assert np.array_equal(np.asarray(center(ints)), np.asarray(patsy.center(ints)))


@pytest.mark.parametrize(
    "kwargs", [{}, {"ddof": 1}, {"center": False}, {"rescale": False}], ids=str
)
def test_standardize_matches_patsy_to_rounding(x, kwargs):
    ours = np.asarray(standardize(x, **kwargs))
    theirs = np.asarray(patsy.standardize(x, **kwargs))
    assert_allclose(ours, theirs, rtol=0, atol=ATOL_STANDARDIZE * max(1.0, np.abs(theirs).max()))


def test_standardize_two_columns_and_pandas_index(x):
    two = np.column_stack([x, 3 * x + 1])
    assert_allclose(standardize(two), patsy.standardize(two), rtol=0, atol=ATOL_STANDARDIZE)
    out = standardize(x.set_axis(x.index + 100))
    assert isinstance(out, pd.Series) and out.index[0] == 100


def test_chunks_combine_to_the_one_pass_state(x):
    whole, parts = Standardize(), Standardize()
    whole.memorize_chunk(x)
    for chunk in np.array_split(x.to_numpy(), 7):
        parts.memorize_chunk(chunk)
    assert parts.n == whole.n
    assert_allclose(parts.mean, whole.mean, rtol=RTOL_CHUNK_MERGE, atol=0)
    assert_allclose(parts.m2, whole.m2, rtol=RTOL_CHUNK_MERGE, atol=0)


def test_state_is_plain_data_and_reproduces_the_transform(x):
    for cls, args in ((Center, ()), (Standardize, ())):
        obj = cls()
        obj.memorize_chunk(x, *args)
        obj.memorize_finish()
        again = cls.from_state(pickle.loads(pickle.dumps(obj.state())))
        assert np.array_equal(np.asarray(again.transform(x)), np.asarray(obj.transform(x)))
