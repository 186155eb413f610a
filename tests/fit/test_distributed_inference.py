"""Inference on fits on a Dask DataFrame that makes passes after the fit (issue 14): the LR
``anova`` and profile intervals by batched refits, the separation certificate from per-block
sums, ``predict`` with every kind and ``conf_level``.

Reference: the same call on the in-memory fit of the same pandas frame (itself pinned to R
elsewhere); statistics agree at RTOL_DISTRIBUTED (the same solvers on the same sums, added in
another order), interval bounds in SE units at ATOL_SE_UNITS. Schedulers: dask's threaded one
and an in-process ``Client`` (the two-process cluster runs one anova in test_distributed.py).
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.errors import DataError, LogitstatsError, SeparationWarning
from logitstats.fit.distributed_refits import CERTIFICATE_METHOD
from logitstats.results.distributed_refits import refit_batched
from tests.tolerances import ATOL_SE_UNITS, RTOL_DISTRIBUTED

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def inprocess():
    client = distributed.Client(
        processes=False,
        n_workers=1,
        threads_per_worker=2,
        dashboard_address=":0",
        set_as_default=False,
    )
    yield client
    client.close()


@pytest.fixture(params=["threads", "inprocess"])
def scheduler(request, inprocess):
    target = "threads" if request.param == "threads" else inprocess
    with dask.config.set(scheduler=target):
        yield request.param


def both(fn, formula, df, npartitions=3, **kw):
    """The in-memory and the distributed fit, with the categories of their warnings."""
    with warnings.catch_warnings(record=True) as wa:
        warnings.simplefilter("always")
        mem = fn(formula, data=df, **kw)
    with warnings.catch_warnings(record=True) as wb:
        warnings.simplefilter("always")
        dist = fn(formula, data=dd.from_pandas(df, npartitions=npartitions, sort=False), **kw)
    return mem, dist, [w.category for w in wa], [w.category for w in wb]


def assert_same_anova(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a["term"]) == list(b["term"]) and list(a["df"]) == list(b["df"])
    np.testing.assert_allclose(b["statistic"], a["statistic"], rtol=RTOL_DISTRIBUTED)
    np.testing.assert_allclose(b["p_value"], a["p_value"], rtol=RTOL_DISTRIBUTED)


def assert_same_bounds(mem, dist, level=0.95):
    """Profile bounds equal in SE units (infinite ones on the same sides)."""
    a = mem.conf_int(level, method="profile").to_numpy(float)
    b = dist.conf_int(level, method="profile").to_numpy(float)
    se = mem.conf_int(level).pipe(lambda c: (c["conf_high"] - c["conf_low"]) / 2).to_numpy()
    se = se / 1.959963984540054 if level == 0.95 else se  # Wald half-width / z_0.975 = SE
    assert np.array_equal(np.isinf(a), np.isinf(b)) and np.array_equal(np.isnan(a), np.isnan(b))
    ok = np.isfinite(a)
    assert np.all(
        (np.abs(b[ok] - a[ok]) / np.broadcast_to(se[:, None], a.shape)[ok]) < ATOL_SE_UNITS
    )


ANES = "vote ~ age + C(educ) * logpopul"


def test_lr_anova_binary_and_multinomial_equal_in_memory(scheduler):
    df = ls.datasets.load("anes96")
    data = df.assign(PID3=np.array(["dem", "ind", "rep"])[np.digitize(df["PID"], [2, 4])])
    for fn, formula in ((ls.logit, ANES), (ls.mlogit, "PID3 ~ age + C(educ) + logpopul")):
        mem, dist, _, _ = both(fn, formula, data)
        assert_same_anova(mem.anova(), dist.anova())
        if scheduler == "threads":
            assert_same_anova(mem.anova(type=3), dist.anova(type=3))


def test_lr_anova_refits_are_batched_and_logged(caplog):
    """One pass serves every refit still iterating: the anova takes as many passes as its
    slowest refit alone (measured by running each refit on its own), one log line each."""
    df = ls.datasets.load("anes96")
    ddf = dd.from_pandas(df, npartitions=3)
    with dask.config.set(scheduler="threads"):
        dist = ls.logit(ANES, data=ddf, progress=True)
        runner = dist.distributed.refits.runner
        before = runner.passes
        with caplog.at_level(logging.INFO, logger="logitstats"):
            table = dist.anova()
        batched = runner.passes - before
        # type II: without age; C(educ) + interaction; logpopul + interaction; the interaction
        drops = [[8], [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14], [7, 9, 10, 11, 12, 13, 14]]
        drops.append(list(range(9, 15)))
        alone = []
        for drop in drops:
            start = runner.passes
            refit_batched(dist, [drop])
            alone.append(runner.passes - start)
    lines = [r.getMessage() for r in caplog.records if "anova" in r.getMessage()]
    assert len(lines) == batched  # one line per pass
    assert "(anova (4 refits)): 4 fits, deviances" in lines[0]
    assert batched == max(alone) < sum(alone)
    assert_same_anova(ls.logit(ANES, data=df).anova(), table)


def test_profile_intervals_binary_and_multinomial_equal_in_memory(scheduler):
    df = ls.datasets.load("spector")
    mem, dist, _, _ = both(ls.logit, "GRADE ~ GPA + TUCE + PSI", df)
    assert_same_bounds(mem, dist)
    assert_same_bounds(mem, dist, level=0.9)
    a, b = mem.tidy(ci_method="profile"), dist.tidy(ci_method="profile")
    np.testing.assert_allclose(b["conf_low"], a["conf_low"], rtol=1e-7)
    mm, md, _, _ = both(ls.mlogit, "mode ~ hinc + psize", ls.datasets.load("modechoice"))
    assert_same_bounds(mm, md)


def test_profile_bounds_of_every_parameter_and_side_share_their_passes(monkeypatch):
    """The root searches (parameter x side) run together: as many passes as the longest one
    alone (measured on a second fit by running them one after another)."""
    import logitstats.results.distributed_refits as refits
    from logitstats.backends.batch import run_batched

    ddf = dd.from_pandas(ls.datasets.load("spector"), npartitions=2)
    alone: list[int] = []
    with dask.config.set(scheduler="threads"):
        fits = [ls.logit("GRADE ~ GPA + TUCE + PSI", data=ddf) for _ in range(2)]
        runners = [f.distributed.refits.runner for f in fits]
        start = runners[0].passes
        batched = fits[0].conf_int(method="profile")
        n_batched = runners[0].passes - start

        def one_by_one(tasks, evaluate):
            out = []
            for task in tasks:
                before = runners[1].passes
                out.extend(run_batched([task], evaluate))
                alone.append(runners[1].passes - before)
            return out

        monkeypatch.setattr(refits, "run_batched", one_by_one)
        sequential = fits[1].conf_int(method="profile")
    assert len(alone) == 8 and n_batched == max(alone) < sum(alone)
    pd.testing.assert_frame_equal(sequential, batched, rtol=RTOL_DISTRIBUTED)


def test_profile_intervals_infinite_under_separation_warn_as_in_memory():
    """endometrial: NV separates; its upper bound is infinite in both, with the same warning
    (one partition: the bracketing of the infinite bound is ~150 passes)."""
    df = ls.datasets.load("endometrial")
    with dask.config.set(scheduler="threads"):
        mem, dist, _, _ = both(ls.logit, "HG ~ NV + PI + EH", df, npartitions=1)
        with pytest.warns(SeparationWarning, match=r"NV \(upper\)") as wa:
            mem.conf_int(method="profile")
        with pytest.warns(SeparationWarning, match=r"NV \(upper\)") as wb:
            dist.conf_int(method="profile")
        assert str(wa[0].message) == str(wb[0].message)
        assert_same_bounds(mem, dist)


# --------------------------------------------------------------------------- separation


def separated_sample(n: int = 2400, seed: int = 3) -> pd.DataFrame:
    """Not separated, but the rows the sample takes first in each partition are (y = x > 0
    there): the LP on the sample finds separation, the data as a whole have none."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    first = np.r_[0:64, n // 2 : n // 2 + 64]
    y[first] = (x[first] > 0).astype(int)
    k = np.where(y == 1, "b", np.where(rng.random(n) < 0.5, "a", "c"))
    k[first] = np.where(x[first] > 0.5, "b", np.where(x[first] > -0.5, "a", "c"))
    return pd.DataFrame({"y": y, "k": k, "x": x, "w": rng.integers(1, 3, n).astype(float)})


def test_unseparated_data_with_a_separated_sample_are_certified_on_every_row(scheduler):
    df = separated_sample()
    for fn, formula, kw in (
        (ls.logit, "y ~ x", {"weights": "w"}),
        (ls.mlogit, "k ~ x", {"reference": "a"}),
    ):
        mem, dist, wa, wb = both(fn, formula, df, npartitions=2, **kw)
        assert not mem.separation.separated and wa == wb == []
        assert dist.separation.status == mem.separation.status
        assert dist.separation.method == CERTIFICATE_METHOD


def test_separated_data_are_not_certified():
    """endometrial repeated (NV separates every copy) in partitions: the sample LP finds the
    separation, the certificate cannot hold, the verdict stays open, with the warning."""
    df = pd.concat([ls.datasets.load("endometrial")] * 30, ignore_index=True)
    with dask.config.set(scheduler="threads"):
        mem, dist, wa, wb = both(ls.logit, "HG ~ NV + PI + EH", df, npartitions=4)
    assert mem.separation.separated and dist.separation is None
    assert SeparationWarning in wa and SeparationWarning in wb
    assert dist.separation_text.startswith("not ruled out")


# --------------------------------------------------------------------------- predict


@pytest.mark.parametrize(
    "kw", [{"kind": "class"}, {"conf_level": 0.9}, {"kind": "link", "conf_level": 0.95}]
)
def test_predict_every_kind_and_conf_level_lazily_as_in_memory(kw):
    df = ls.datasets.load("anes96")
    new = df.iloc[:40].set_index(pd.Index(np.arange(40) * 10 + 7))
    new.loc[new.index[3], "age"] = np.nan  # an incomplete row: NaN (class: None) in both
    for fn, formula in ((ls.logit, "vote ~ age + C(educ)"), (ls.mlogit, "PID ~ age + educ")):
        mem = fn(formula, data=df)
        dist = fn(formula, data=dd.from_pandas(df, npartitions=3))
        lazy = dist.predict(dd.from_pandas(new, npartitions=3), **kw)
        assert type(lazy).__module__.startswith("dask")
        got = lazy.compute(scheduler="threads")
        want = mem.predict(new, **kw)
        if kw.get("kind") == "class":
            pd.testing.assert_series_equal(got, want)
        else:
            pd.testing.assert_frame_equal(got, want, rtol=RTOL_DISTRIBUTED)


def test_predict_class_on_an_unseen_level_and_bad_options_raise_as_in_memory():
    df = ls.datasets.load("anes96")
    mem = ls.logit("vote ~ age + C(educ)", data=df)
    dist = ls.logit("vote ~ age + C(educ)", data=dd.from_pandas(df, npartitions=2))
    unseen = df.iloc[:10].assign(educ=99)
    with pytest.raises(DataError) as mem_err:
        mem.predict(unseen, kind="class")
    lazy = dist.predict(dd.from_pandas(unseen, npartitions=2), kind="class")
    with pytest.raises(DataError) as dist_err:
        lazy.compute(scheduler="threads")
    assert str(dist_err.value) == str(mem_err.value)
    ddf = dd.from_pandas(df, npartitions=2)
    with pytest.raises(LogitstatsError, match=r"conf_level is not available with kind='class'"):
        dist.predict(ddf, kind="class", conf_level=0.95)  # at the call, not at compute time
    with pytest.raises(LogitstatsError, match=r"offset on a Dask DataFrame must be a column"):
        dist.predict(ddf, offset=np.zeros(len(df)))
