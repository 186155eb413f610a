"""polars and pyarrow tables (and any ``to_pandas()`` / ``__dataframe__`` table) as data.

The conversion is :func:`logitstats.design.frame.as_frame`; the same columns give the same
design matrix, so the fits must agree to the bit with the pandas fit (``assert_array_equal``:
the requirement is identical results, not results within a tolerance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

import logitstats as ls
from logitstats.errors import DataError

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")


class InterchangeOnly:
    """A table that offers only the dataframe interchange protocol (no ``to_pandas``)."""

    def __init__(self, table):
        self._table = table

    def __dataframe__(self, nan_as_null: bool = False, allow_copy: bool = True):
        return self._table.__dataframe__(nan_as_null=nan_as_null, allow_copy=allow_copy)


class ArrowStreamOnly:
    """A table that offers only the Arrow PyCapsule interface (``__arrow_c_stream__``)."""

    def __init__(self, table):
        self._table = table

    def __arrow_c_stream__(self, requested_schema=None):
        return self._table.__arrow_c_stream__(requested_schema)


CONVERTERS = {
    "polars": pl.from_pandas,
    "pyarrow": lambda df: pa.Table.from_pandas(df, preserve_index=False),
    "arrow_stream": lambda df: ArrowStreamOnly(pa.Table.from_pandas(df, preserve_index=False)),
    "interchange": lambda df: InterchangeOnly(pa.Table.from_pandas(df, preserve_index=False)),
}

CASES = [
    ("spector", "GRADE ~ GPA + TUCE + PSI", "logit", {}),
    ("spector", "GRADE ~ GPA + TUCE + PSI", "logit", {"firth": True}),
    (
        "affairs",
        "had_affair ~ C(rate_marriage) + age + np.log(yrs_married) + C(religious) + educ",
        "logit",
        {"cov_type": "HC1"},
    ),
    ("anes96", "party ~ C(ClinLR) + age + income + selfLR", "mlogit", {"reference": "Dem"}),
]


def _same_fit(a, b) -> None:
    assert_array_equal(np.asarray(a.params), np.asarray(b.params))
    assert_array_equal(a.cov_array, b.cov_array)
    assert a.llf == b.llf and a.llnull == b.llnull
    assert a.nobs == b.nobs and a.n_dropped == b.n_dropped


@pytest.mark.parametrize("conv", list(CONVERTERS))
@pytest.mark.parametrize(("dataset", "formula", "model", "kwargs"), CASES)
def test_foreign_table_fits_like_pandas_to_the_bit(conv, dataset, formula, model, kwargs):
    df = ls.datasets.load(dataset)
    fit = getattr(ls, model)
    ref = fit(formula, data=df, **kwargs)
    table = CONVERTERS[conv](df)
    got = fit(formula, data=table, **kwargs)
    _same_fit(got, ref)
    assert_array_equal(np.asarray(got.predict(table)), np.asarray(ref.predict(df)))


@pytest.mark.parametrize("conv", ["polars", "pyarrow"])
def test_nulls_in_a_foreign_table_drop_the_same_rows(conv):
    df = ls.datasets.load("spector").astype({"TUCE": "float64"})
    df.loc[[3, 7], "TUCE"] = np.nan
    ref = ls.logit("GRADE ~ GPA + TUCE + PSI", data=df)
    table = pl.from_pandas(df, nan_to_null=True) if conv == "polars" else pa.Table.from_pandas(df)
    got = ls.logit("GRADE ~ GPA + TUCE + PSI", data=table)
    assert got.n_dropped == 2
    _same_fit(got, ref)


@pytest.mark.parametrize("conv", ["polars", "pyarrow"])
def test_offset_column_and_weights_from_a_foreign_table(conv):
    df = ls.datasets.load("spector").assign(off=np.linspace(-0.5, 0.5, 32), w=[1, 2] * 16)
    kwargs = {"offset": "off", "weights": "w"}
    ref = ls.logit("GRADE ~ GPA + PSI", data=df, **kwargs)
    table = CONVERTERS[conv](df)
    got = ls.logit("GRADE ~ GPA + PSI", data=table, **kwargs)
    _same_fit(got, ref)
    # the offset column is read from the foreign newdata too
    assert_array_equal(got.predict(table, kind="link"), ref.predict(df, kind="link"))


@pytest.mark.parametrize("conv", ["polars", "pyarrow"])
def test_check_separation_compare_and_lr_test_with_foreign_tables(conv):
    df = ls.datasets.load("spector")
    table = CONVERTERS[conv](df)
    ref = ls.check_separation("GRADE ~ GPA + TUCE + PSI", df)
    got = ls.check_separation("GRADE ~ GPA + TUCE + PSI", table)
    assert got.status == ref.status
    small = ls.logit("GRADE ~ GPA", data=table)
    big = ls.logit("GRADE ~ GPA + TUCE + PSI", data=table)
    want = ls.lr_test(
        ls.logit("GRADE ~ GPA", data=df), ls.logit("GRADE ~ GPA + TUCE + PSI", data=df)
    )
    assert ls.lr_test(small, big).statistic == want.statistic
    assert str(ls.compare([small, big])) == str(
        ls.compare(
            [ls.logit("GRADE ~ GPA", data=df), ls.logit("GRADE ~ GPA + TUCE + PSI", data=df)]
        )
    )


def test_foreign_table_is_not_modified():
    df = ls.datasets.load("spector")
    table = pl.from_pandas(df)
    before = table.clone()
    ls.logit("GRADE ~ GPA + TUCE + PSI", data=table)
    assert table.equals(before)


def test_unknown_table_type_names_its_module():
    class DataFrame:  # the same class name as pandas', from another module
        pass

    with pytest.raises(
        DataError,
        match=r"data must be a pandas DataFrame.*to_pandas\(\).*; got "
        r"tests\.design\.test_foreign_frames\..*DataFrame\. Convert it first",
    ):
        ls.logit("y ~ x", data=DataFrame())


def test_a_failing_to_pandas_is_one_clear_error():
    class Broken:
        def to_pandas(self):
            raise RuntimeError("boom")

    with pytest.raises(DataError, match=r"cannot convert the .*Broken given to a pandas.*boom"):
        ls.logit("y ~ x", data=Broken())


def test_to_pandas_returning_something_else_is_refused():
    class Odd:
        def to_pandas(self):
            return [1, 2, 3]

    with pytest.raises(
        DataError,
        match=r"expected .*Odd\.to_pandas\(\) to return a pandas "
        r"DataFrame; got list",
    ):
        ls.logit("y ~ x", data=Odd())


def test_pandas_frame_still_accepted_and_dict_unchanged():
    df = pd.DataFrame({"y": [0, 1, 0, 1, 1, 0], "x": [1.0, 2.0, 2.5, 3.0, 1.5, 0.5]})
    _same_fit(ls.logit("y ~ x", data=df.to_dict("list")), ls.logit("y ~ x", data=df))


def test_arrow_stream_without_pyarrow_says_what_to_install(monkeypatch):
    from logitstats.design import frame

    monkeypatch.setattr(frame, "_optional_pyarrow", lambda: None)
    table = ArrowStreamOnly(pa.Table.from_pandas(ls.datasets.load("spector")))
    with pytest.raises(
        DataError,
        match=r"__arrow_c_stream__ with pyarrow installed; got a .*ArrowStreamOnly "
        r"with none of them usable\. Install pyarrow",
    ):
        ls.logit("GRADE ~ GPA", data=table)
