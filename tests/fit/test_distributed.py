"""``ls.logit``/``ls.mlogit`` on a Dask DataFrame against the same fit in memory (issue 14).

Reference: the in-memory fit of the same pandas frame (itself pinned to R elsewhere). Every
number of ``tidy()`` and ``glance()`` agrees at RTOL_DISTRIBUTED (the same block statistics
summed in another order), estimates in SE units at ATOL_SE_UNITS, row accounting and aliased
names exactly. Schedulers: dask's threaded one (no Client), an in-process ``Client`` and a
two-process ``LocalCluster`` (serialisation shows only across processes).
"""

from __future__ import annotations

import logging
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logitstats as ls
from logitstats.errors import DataError, LogitstatsError, NotAvailableForDistributedData
from tests.tolerances import ATOL_SE_UNITS, RTOL_DISTRIBUTED

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def clients():
    """An in-process client and a two-process LocalCluster, closed at the end of the module."""
    inproc = distributed.Client(
        processes=False,
        n_workers=1,
        threads_per_worker=2,
        dashboard_address=":0",
        set_as_default=False,
    )
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    procs = distributed.Client(cluster, set_as_default=False)
    yield {"inprocess": inproc, "processes": procs}
    procs.close()
    cluster.close()
    inproc.close()


@pytest.fixture(params=["threads", "inprocess", "processes"])
def scheduler(request, clients):
    target = "threads" if request.param == "threads" else clients[request.param]
    with dask.config.set(scheduler=target):
        yield request.param


def assert_same_fit(mem, dist):
    """tidy() and glance() equal at RTOL_DISTRIBUTED, params in SE units, rows exactly."""
    ta, tb = mem.tidy(), dist.tidy()
    assert list(ta.columns) == list(tb.columns)
    for c in ta.columns:
        if c in ("estimate", "statistic", "conf_low", "conf_high"):
            # in SE units (the fits stop within ~1e-9 SE of the MLE from different starts): a
            # number near 0 on the estimate's scale has no relative precision to speak of
            scale = 1.0 if c == "statistic" else ta["std_error"].to_numpy(float)
            a, b = ta[c].to_numpy(float), tb[c].to_numpy(float)
            assert np.array_equal(np.isnan(a), np.isnan(b))  # aliased rows: NaN in both
            bound = ATOL_SE_UNITS * np.asarray(scale) + RTOL_DISTRIBUTED * np.abs(a)
            assert np.all(
                np.abs(b - a)[~np.isnan(a)] <= np.broadcast_to(bound, a.shape)[~np.isnan(a)]
            )
        elif pd.api.types.is_numeric_dtype(ta[c]):
            np.testing.assert_allclose(tb[c], ta[c], rtol=RTOL_DISTRIBUTED, atol=0)
        else:
            assert list(ta[c]) == list(tb[c])
    ga, gb = mem.glance(), dist.glance()
    assert list(ga.columns) == list(gb.columns)
    for c in ga.columns:
        if c == "n_iter":  # full-data Newton steps: the distributed fit starts from a sample fit
            continue
        if pd.api.types.is_numeric_dtype(ga[c]) and not pd.api.types.is_bool_dtype(ga[c]):
            np.testing.assert_allclose(gb[c], ga[c], rtol=RTOL_DISTRIBUTED, atol=0)
        else:
            assert list(ga[c]) == list(gb[c])
    se = np.sqrt(np.diag(mem.cov_array))
    assert np.max(np.abs(dist.state.params - mem.state.params) / se) < ATOL_SE_UNITS
    assert dist.design.rows == mem.design.rows
    assert dist.design.aliased == mem.design.aliased
    assert dist.design.aliased_reasons == mem.design.aliased_reasons
    assert dist.nobs == mem.nobs


def both(fn, formula, df, npartitions=3, **kw):
    with warnings.catch_warnings(record=True) as wa:
        warnings.simplefilter("always")
        mem = fn(formula, data=df, **kw)
    with warnings.catch_warnings(record=True) as wb:
        warnings.simplefilter("always")
        dist = fn(formula, data=dd.from_pandas(df, npartitions=npartitions, sort=False), **kw)
    assert [w.category for w in wa] == [w.category for w in wb]
    return mem, dist


def messy(n: int = 120, seed: int = 0) -> pd.DataFrame:
    """Three partitions of 40 rows: the second has no complete row (x2 missing), level 'd' of
    g only in the third; x3 = 2 * x1 (aliased); weights, offset, clusters across partitions."""
    rng = np.random.default_rng(seed)
    g = np.array(list("abc"))[rng.integers(0, 3, n)]
    g[100:110] = "d"
    x1 = rng.standard_normal(n)
    x2 = rng.standard_normal(n)
    x2[40:80] = np.nan
    eta = 0.3 + 0.8 * x1 - 0.5 * np.nan_to_num(x2) + (g == "b") * 0.7
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    k = rng.integers(0, 3, n)
    return pd.DataFrame(
        {
            "y": y,
            "k": np.array(["no", "maybe", "yes"])[np.where(y == 1, k, np.minimum(k, 1))],
            "x1": x1,
            "x2": x2,
            "x3": 2 * x1,
            "g": g,
            "w": rng.integers(1, 4, n).astype(float),
            "off": rng.normal(0, 0.2, n),
            "cl": rng.integers(0, 9, n),
        }
    )


@pytest.mark.parametrize("cov", ["nonrobust", "HC0", "HC1", "cluster"])
def test_spector_every_cov_type(scheduler, cov):
    df = ls.datasets.load("spector").assign(cl=lambda d: np.arange(len(d)) % 5)
    if scheduler == "processes" and cov in ("HC0", "nonrobust"):
        pytest.skip("the process cluster runs a representative subset")
    kw = {"groups": "cl"} if cov == "cluster" else {}
    mem, dist = both(ls.logit, "GRADE ~ GPA + center(TUCE) + PSI", df, cov_type=cov, **kw)
    assert_same_fit(mem, dist)
    assert dist.distributed.n_groups == (5 if cov == "cluster" else None)


def test_messy_binary(scheduler):
    """Missing values (a partition with no complete row), a level in one partition only,
    C(g, Treatment('b')), an interaction, weights, offset, an aliased column, clusters."""
    df = messy()
    before = df.copy()
    mem, dist = both(
        ls.logit,
        "y ~ x1 * C(g, Treatment('b')) + x2 + x3",
        df,
        weights="w",
        offset="off",
        cov_type="cluster",
        groups="cl",
    )
    pd.testing.assert_frame_equal(df, before)
    assert dist.design.rows.n_dropped == 40 and dist.design.aliased == ("x3",)
    assert_same_fit(mem, dist)
    assert "distributed: 3 partitions" in dist.summary()


@pytest.mark.parametrize("cov", ["nonrobust", "HC1", "cluster"])
def test_messy_multinomial(scheduler, cov):
    df = messy(300, seed=2)
    df.loc[100:109, "g"] = "d"
    kw = {"groups": "cl"} if cov == "cluster" else {}
    mem, dist = both(
        ls.mlogit,
        "k ~ x1 + C(g) + center(x2) + x3",
        df,
        npartitions=4,
        reference="no",
        weights="w",
        cov_type=cov,
        **kw,
    )
    assert_same_fit(mem, dist)


def test_modechoice_multinomial_with_offset_and_standardize():
    df = ls.datasets.load("modechoice").assign(off=lambda d: 0.01 * d["psize"])
    mem, dist = both(
        ls.mlogit, "mode ~ standardize(hinc) + psize", df, offset="off", cov_type="HC0"
    )
    assert_same_fit(mem, dist)


def test_predict_is_lazy_keeps_the_index_and_refuses_an_unseen_level(clients):
    df = messy()
    mem, dist = both(ls.logit, "y ~ x1 + C(g) + x2", df)
    new = df.iloc[:30].set_index(pd.Index(np.arange(30) * 10 + 7))
    lazy = dist.predict(dd.from_pandas(new, npartitions=2))
    assert type(lazy).__module__.startswith("dask")
    with dask.config.set(scheduler=clients["processes"]):
        got = lazy.compute()
    want = mem.predict(new)
    pd.testing.assert_index_equal(got.index, want.index)
    np.testing.assert_allclose(got, want, rtol=RTOL_DISTRIBUTED)
    unseen = new.assign(g="zz")
    with pytest.raises(DataError) as mem_err:
        mem.predict(unseen)
    with pytest.raises(DataError) as dist_err:
        dist.predict(dd.from_pandas(unseen, npartitions=2)).compute(scheduler="threads")
    assert str(dist_err.value) == str(mem_err.value)
    mm, md = both(ls.mlogit, "k ~ x1 + C(g)", df)
    np.testing.assert_allclose(
        md.predict(dd.from_pandas(new, npartitions=2)).compute(scheduler="threads"),
        mm.predict(new),
        rtol=RTOL_DISTRIBUTED,
    )


def test_what_needs_every_row_says_so():
    df = ls.datasets.load("spector")
    fit = ls.logit("GRADE ~ GPA + PSI", data=dd.from_pandas(df, npartitions=2))
    for call in (
        fit.roc_auc,
        fit.hosmer_lemeshow,
        fit.calibration,
        fit.influence,
        lambda: fit.fitted,
    ):
        with pytest.raises(NotAvailableForDistributedData, match=r"needs every row.*sample"):
            call()
    assert isinstance(fit, ls.LogitResult)


def test_bad_arguments_on_dask_data():
    ddf = dd.from_pandas(ls.datasets.load("spector"), npartitions=2)
    with pytest.raises(DataError, match=r"weights on a Dask DataFrame must be a column name"):
        ls.logit("GRADE ~ GPA", data=ddf, weights=np.ones(32))
    with pytest.raises(LogitstatsError, match=r"firth=True on a Dask DataFrame: expected"):
        ls.logit("GRADE ~ GPA", data=ddf, firth=True)
    with pytest.raises(DataError, match=r"missing='raise'"):
        ls.logit("y ~ x2", data=dd.from_pandas(messy(), npartitions=3), missing="raise")


def test_progress_logs_one_line_per_pass(caplog):
    ddf = dd.from_pandas(ls.datasets.load("spector"), npartitions=2)
    with caplog.at_level(logging.INFO, logger="logitstats"):
        fit = ls.logit("GRADE ~ GPA + PSI", data=ddf, progress=True)
    lines = [r.getMessage() for r in caplog.records if r.name == "logitstats"]
    assert len(lines) == fit.distributed.n_passes
    assert lines[0].startswith("pass 1 (scan)")
    assert any("(Newton): deviance" in line for line in lines)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(npartitions=st.integers(min_value=1, max_value=9))
def test_results_do_not_depend_on_the_number_of_partitions(npartitions):
    df = messy()
    mem = ls.logit("y ~ x1 + C(g) + x2", data=df, cov_type="cluster", groups="cl")
    with dask.config.set(scheduler="threads"):
        dist = ls.logit(
            "y ~ x1 + C(g) + x2",
            data=dd.from_pandas(df, npartitions=npartitions, sort=False),
            cov_type="cluster",
            groups="cl",
        )
    assert_same_fit(mem, dist)


def test_anova_and_reports_without_the_sections_that_need_every_row():
    df = ls.datasets.load("anes96")
    for fn in (ls.logit, ls.mlogit):
        mem, dist = both(fn, "vote ~ age + C(educ)", df)
        for test in ("wald", "lr"):  # LR: the refits batched over the partitions
            a, b = mem.anova(test=test), dist.anova(test=test)
            assert list(a["term"]) == list(b["term"]) and list(a["df"]) == list(b["df"])
            np.testing.assert_allclose(b["statistic"], a["statistic"], rtol=RTOL_DISTRIBUTED)
        html = dist.report(format="html")
        assert "distributed: 3 partitions" in html and "Wald" in html


def test_separated_case_gives_the_in_memory_verdict_and_warning():
    """endometrial (NV separates): every row is a representative here, so the LP verdict is
    the in-memory one; the same SeparationWarning (``both`` compares the warnings)."""
    df = ls.datasets.load("endometrial")
    mem, dist = both(ls.logit, "HG ~ NV + PI + EH", df)
    assert mem.separation.separated and dist.separation == mem.separation
    big = pd.concat([ls.datasets.load("spector")] * 40, ignore_index=True)
    _, dist = both(ls.logit, "GRADE ~ GPA + PSI", big)
    assert dist.separation.method.startswith("linear program on a sample")


def test_a_column_too_large_for_the_information_is_refused_as_in_memory():
    df = ls.datasets.load("spector").assign(big=lambda d: d["GPA"] * 1e160)
    with pytest.raises(DataError) as mem_err:
        ls.logit("GRADE ~ big", data=df)
    with pytest.raises(DataError) as dist_err:
        ls.logit("GRADE ~ big", data=dd.from_pandas(df, npartitions=2))
    assert str(dist_err.value) == str(mem_err.value)


def test_a_separated_sample_of_unseparated_data_is_certified_from_the_sums():
    """The representatives (first rows of each partition) are separated by x, the other rows
    are not: the LP on the sample cannot settle it, the certificate from the per-block sums
    does (before: "not ruled out")."""
    rng = np.random.default_rng(3)
    n = 2400
    x = rng.standard_normal(n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    first = np.r_[0:64, 1200:1264]
    y[first] = (x[first] > 0).astype(int)
    df = pd.DataFrame({"y": y, "x": x})
    mem, dist = both(ls.logit, "y ~ x", df, npartitions=2)
    assert not mem.separation.separated and not dist.separation.separated
    assert dist.separation.method.startswith("Stiemke certificate from sums reduced")
    assert_same_fit(mem, dist)


def test_lr_anova_on_a_two_process_cluster(clients):
    """The batched refits' requests (families, column sets, points) cross processes."""
    df = ls.datasets.load("anes96")
    mem, dist = both(ls.logit, "vote ~ age + logpopul", df)
    with dask.config.set(scheduler=clients["processes"]):
        b = dist.anova()
    a = mem.anova()
    np.testing.assert_allclose(b["statistic"], a["statistic"], rtol=RTOL_DISTRIBUTED)


# --------------------------------------------------------------------------- blocks=, ologit


def ordinal_frame(n: int = 240, seed: int = 1) -> pd.DataFrame:
    """``messy`` with an ordered outcome ``r`` (low < mid < high) rising with x1."""
    df = messy(n, seed)
    rng = np.random.default_rng(seed)
    score = np.nan_to_num(df["x1"].to_numpy()) + rng.normal(0.0, 1.0, n) + 1.0
    return df.assign(r=np.array(["low", "mid", "high"])[np.clip(score.astype(int), 0, 2)])


@pytest.mark.parametrize("scheduler", ["threads", "processes"], indirect=True)
def test_persist_and_stream_give_the_same_numbers(scheduler):
    ddf = dd.from_pandas(messy(), npartitions=3, sort=False)
    models = [(ls.logit, "y ~ x1 + x2 + x3 + C(g)"), (ls.mlogit, "k ~ x1 + C(g)")]
    for fn, formula in models[: 1 if scheduler == "processes" else 2]:  # CI time
        fits = {}
        for blocks in ("persist", "stream"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the aliased column's warning, in both
                fits[blocks] = fn(
                    formula, data=ddf, weights="w", cov_type="cluster", groups="cl", blocks=blocks
                )
            assert f"blocks: {blocks}" in " ".join(fits[blocks].notes)
        assert_same_fit(fits["stream"], fits["persist"])


def test_persisted_blocks_are_released_when_the_fit_ends(clients):
    client = clients["processes"]
    ddf = dd.from_pandas(messy(), npartitions=3, sort=False)
    with dask.config.set(scheduler=client), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ls.logit("y ~ x1 + C(g)", data=ddf, blocks="persist")
    assert "blocks: persisted" in " ".join(fit.notes)
    held = None
    for _ in range(50):  # the scheduler forgets cancelled keys asynchronously
        held = client.run(lambda dask_worker: len(dask_worker.data))
        if not any(held.values()):
            break
        time.sleep(0.1)
    assert held is not None and not any(held.values()), held


def test_auto_persists_when_the_blocks_fit_in_the_memory_for_them(monkeypatch):
    from logitstats.fit import distributed as dist_mod

    memory_for_blocks = dist_mod.memory_for_blocks
    ddf = dd.from_pandas(ls.datasets.load("spector"), npartitions=2)
    # 32 rows x (4 columns + 3) x 8 bytes = 1792 bytes of blocks
    for room, want in ((1792.0, "persisted"), (1791.0, "streamed")):
        monkeypatch.setattr(dist_mod, "memory_for_blocks", lambda runner, room=room: room)
        fit = ls.logit("GRADE ~ GPA + TUCE + PSI", data=ddf)
        assert f"blocks: {want}" in " ".join(fit.notes)
    # the room itself: a fraction of the available RAM without a Client ...
    monkeypatch.setattr(dist_mod, "available_memory", lambda: 1000)
    runner = dist_mod.DaskRunner(ddf)
    assert memory_for_blocks(runner) == dist_mod.PERSIST_FRACTION_LOCAL * 1000


def test_the_memory_for_blocks_on_a_cluster_is_a_fraction_of_the_workers_limits(clients):
    from logitstats.fit import distributed as dist_mod

    client = clients["processes"]
    limits = [w["memory_limit"] for w in client.scheduler_info()["workers"].values()]
    runner = dist_mod.DaskRunner(dd.from_pandas(ls.datasets.load("spector"), npartitions=2))
    with dask.config.set(scheduler=client):
        room = dist_mod.memory_for_blocks(runner)
    assert len(limits) == 2
    np.testing.assert_allclose(room, dist_mod.PERSIST_FRACTION_CLUSTER * sum(limits), rtol=0)


def test_a_bad_blocks_option_names_the_choices():
    ddf = dd.from_pandas(ls.datasets.load("spector"), npartitions=2)
    msg = r"blocks must be one of 'auto', 'persist', 'stream'; got blocks='cache'"
    for fn in (ls.logit, ls.mlogit, ls.ologit):
        with pytest.raises(LogitstatsError, match=msg):
            fn("GRADE ~ GPA", data=ddf, blocks="cache")


def test_the_last_newton_pass_serves_as_the_post_fit_pass(caplog):
    ddf = dd.from_pandas(messy(), npartitions=3, sort=False)
    with caplog.at_level(logging.INFO, logger="logitstats"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ls.logit("y ~ x1 + C(g)", data=ddf, cov_type="HC1", progress=True)
    lines = [r.getMessage() for r in caplog.records if r.name == "logitstats"]
    assert not any("(post-fit)" in line for line in lines)
    assert len(lines) == fit.distributed.n_passes


@pytest.mark.parametrize("scheduler", ["threads", "inprocess"], indirect=True)
@pytest.mark.parametrize(
    "kw",
    [{}, {"weights": "w", "cov_type": "cluster", "groups": "cl"}, {"offset": "off"}],
    ids=["plain", "weights-cluster", "offset"],
)
def test_ologit_on_dask_equals_the_in_memory_fit(scheduler, kw):
    mem, dist = both(
        ls.ologit,
        "r ~ x1 + x2 + x3 + C(g)",
        ordinal_frame(),
        levels=["low", "mid", "high"],
        **kw,
    )
    assert isinstance(dist, ls.OLogitResult)
    assert_same_fit(mem, dist)
    assert mem.notes[-1] in dist.notes  # the cut-point note


def test_ologit_on_dask_refuses_the_lr_anova_and_profile_cis_but_gives_the_wald_anova():
    """The batched refits do not apply the cut-points' reparametrisation yet: refused, clearly;
    the Wald anova needs no refit and equals the in-memory one."""
    mem, dist = both(
        ls.ologit, "r ~ x1 + x2 + C(g)", ordinal_frame(), levels=["low", "mid", "high"]
    )
    not_yet = "is not available yet for an ordinal fit on a Dask DataFrame"
    with pytest.raises(
        NotAvailableForDistributedData, match=rf"anova\(test='lr'\) {not_yet}.*anova\(test='wald'\)"
    ):
        dist.anova()
    with pytest.raises(NotAvailableForDistributedData, match=rf"method='profile'\) {not_yet}"):
        dist.conf_int(method="profile")
    with pytest.raises(NotAvailableForDistributedData, match=rf"Dask DataFrame {not_yet}"):
        dist.predict(dd.from_pandas(ordinal_frame(), npartitions=2))
    a, b = mem.anova(test="wald"), dist.anova(test="wald")
    np.testing.assert_allclose(b["statistic"], a["statistic"], rtol=RTOL_DISTRIBUTED)
