"""The Dask map-reduce runner (logitstats.backends.dask): typed merges, the thread-pool switch
inside tasks, and no dask import for pandas users. References: plain Python merges and sums."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from logitstats.backends.dask import (
    DaskRunner,
    KeyedSum,
    Max,
    Union,
    is_dask_frame,
    merge_partials,
)
from logitstats.numerics.parallel import chunk_threads_enabled
from tests.tolerances import RTOL_EXACT

dd = pytest.importorskip("dask.dataframe")


def test_partials_merge_by_type():
    a = {"n": 2, "g": np.ones(2), "k": KeyedSum({"x": np.ones(2)}), "u": Union({1}), "s": [1]}
    b = {
        "n": 3,
        "g": np.ones(2),
        "k": KeyedSum({"x": np.ones(2), "y": np.zeros(2)}),
        "u": Union({2}),
        "s": [2],
    }
    out = merge_partials([a, b, {**a, "m": Max([1.0, 5.0])}, {**b, "m": Max([3.0, 2.0])}])
    assert out["n"] == 10 and out["s"] == [1, 2, 1, 2] and out["u"] == {1, 2}
    np.testing.assert_array_equal(out["g"], [4.0, 4.0])
    np.testing.assert_array_equal(out["k"]["x"], [4.0, 4.0])
    np.testing.assert_array_equal(out["m"].value, [3.0, 5.0])  # a maximum, not a sum


def _task(part: pd.DataFrame) -> dict:
    return {
        "rows": part.shape[0],
        "sum": float(part["x"].sum()),
        "pool": Union({chunk_threads_enabled()}),
    }


@pytest.mark.parametrize("npartitions", [1, 3, 20])
def test_map_reduce_sums_every_partition_once_with_the_pool_off(npartitions):
    df = pd.DataFrame({"x": np.arange(100.0)})
    runner = DaskRunner(dd.from_pandas(df, npartitions=npartitions))
    out = runner.map_reduce(_task)
    assert out["rows"] == 100 and runner.passes == 1
    np.testing.assert_allclose(out["sum"], 4950.0, rtol=RTOL_EXACT)
    assert out["pool"] == {False}  # inside a task the in-memory pool never starts
    assert chunk_threads_enabled()


def test_pandas_users_never_import_dask():
    code = (
        "import sys, logitstats as ls\n"
        "ls.logit('GRADE ~ GPA', data=ls.datasets.load('spector'))\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert not is_dask_frame(pd.DataFrame({"x": [1]}))
    assert is_dask_frame(dd.from_pandas(pd.DataFrame({"x": [1]}), npartitions=1))
