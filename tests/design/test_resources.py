"""Bounded resources (issue 12, part 6): a design too large for memory is refused, by term,
before it is allocated, in seconds, under a hard address-space limit.

The large cases run in a subprocess under ``resource.setrlimit(RLIMIT_AS, ...)``: without the
check each would raise MemoryError there (patsy's contrast matrix of a 200 000-level factor
alone is 200 000**2 doubles, 320 GB). The expected sizes are worked out by hand in each case.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.design import resources
from logitstats.design.build import build_design
from logitstats.errors import DataError, LogitstatsError

resource = pytest.importorskip("resource")
ROOT = Path(__file__).resolve().parents[2]
LIMIT_BYTES = 2 * 2**30  # address space of the child: imports take ~0.3 GiB of it
SECONDS = 30  # generous for a shared 2-core machine; each case takes about a second alone


def _run_limited(body: str) -> str:
    code = textwrap.dedent(
        """
        import time, numpy as np, pandas as pd, logitstats as ls
        from logitstats.errors import DataError
        rng = np.random.default_rng(0)
        t0 = time.perf_counter()
        try:
        {body}
            print("NO ERROR")
        except DataError as exc:
            print("DataError:", exc)
        except MemoryError:
            print("MemoryError")
        print("seconds", time.perf_counter() - t0)
        """
    ).format(body=textwrap.indent(textwrap.dedent(body), "    "))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    env.pop(resources.BUDGET_ENV, None)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        preexec_fn=limit,  # noqa: PLW1509 (no threads in the test process need protecting)
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    seconds = float(out.rsplit("seconds", 1)[1])
    assert seconds < SECONDS, out
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS semantics")
def test_category_with_200000_levels_refused_by_term():
    out = _run_limited(
        """
        n = 200_000
        g = pd.Categorical(np.arange(n).astype(str))
        df = pd.DataFrame({"y": rng.integers(0, 2, n), "g": g})
        ls.logit("y ~ g", data=df)
        """
    )
    assert "DataError: the design would need about" in out
    assert "the largest term is 'g', with up to 200000 columns (g has 200000 levels)" in out
    assert "LOGITSTATS_MAX_DESIGN_BYTES" in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS semantics")
def test_C_of_50000_distinct_floats_refused_by_term():
    out = _run_limited(
        """
        n = 50_000
        df = pd.DataFrame({"y": rng.integers(0, 2, n), "x": rng.normal(size=n)})
        ls.logit("y ~ C(x)", data=df)
        """
    )
    assert "the largest term is 'C(x)', with up to 50000 columns (C(x) has 50000 levels)" in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS semantics")
def test_eight_way_interaction_of_factors_refused_by_term():
    # 8 factors of 5 levels: the 8-way term alone has up to 5**8 = 390625 columns
    out = _run_limited(
        """
        n = 5_000
        df = pd.DataFrame({c: rng.choice(list("pqrst"), n) for c in "abcdefgh"})
        df["y"] = rng.integers(0, 2, n)
        ls.logit("y ~ (a + b + c + d + e + f + g + h)**8", data=df)
        """
    )
    assert "the largest term is 'a:b:c:d:e:f:g:h', with up to 390625 columns" in out


def test_budget_from_environment_and_argument(monkeypatch):
    df = ls.datasets.load("affairs")  # 6366 rows
    # C(religious) * age: 1 + 4 + 1 + 4 = 10 columns bounded; 8 * 6366 * 10 + 2 * 8 * 16 bytes
    monkeypatch.setenv(resources.BUDGET_ENV, "100000")
    with pytest.raises(
        DataError,
        match=r"expected at most the budget of 9\.31e-05 GiB; the "
        r"largest term is 'C\(religious\)', with up to 4 columns",
    ):
        build_design("had_affair ~ C(religious) * age", df, kind="binary")
    # an explicit budget takes precedence over the environment
    d = build_design(
        "had_affair ~ C(religious) * age",
        df,
        kind="binary",
        max_design_bytes=8 * 6366 * 10 + 2 * 8 * 16,
    )
    assert d.X.shape == (6366, 8)
    with pytest.raises(DataError, match=r"the design would need about"):
        build_design(
            "had_affair ~ C(religious) * age",
            df,
            kind="binary",
            max_design_bytes=8 * 6366 * 10 + 2 * 8 * 16 - 1,
        )


@pytest.mark.parametrize("value", ["lots", "-1", "inf"])
def test_bad_budget_in_environment_refused(monkeypatch, value):
    monkeypatch.setenv(resources.BUDGET_ENV, value)
    with pytest.raises(
        DataError,
        match=rf"LOGITSTATS_MAX_DESIGN_BYTES must be a positive number "
        rf"of bytes, e\.g\. 8e9; got '{value}'",
    ):
        build_design("y ~ x", pd.DataFrame({"y": [0, 1, 0, 1], "x": [1.0, 2, 3, 5]}), kind="binary")


def test_default_budget_is_a_fraction_of_available_memory(monkeypatch):
    monkeypatch.delenv(resources.BUDGET_ENV, raising=False)
    avail = resources.available_memory()
    assert avail > 0
    budget = resources.design_budget()
    assert abs(budget - resources.DEFAULT_MEMORY_FRACTION * avail) <= 0.05 * budget
    assert np.isfinite(budget)


@pytest.mark.parametrize("model", ["logit", "mlogit"])
def test_max_design_bytes_keyword_of_the_model_functions(monkeypatch, model):
    # the same bound as test_budget_from_environment_and_argument: 8 * 6366 * 10 + 2 * 8 * 16
    df = ls.datasets.load("affairs")
    fit = getattr(ls, model)
    need = 8 * 6366 * 10 + 2 * 8 * 16
    monkeypatch.setenv(resources.BUDGET_ENV, "1000")  # the keyword takes precedence
    assert fit("had_affair ~ C(religious) * age", df, max_design_bytes=need).nobs == 6366
    with pytest.raises(DataError, match=r"the largest term is 'C\(religious\)'.*max_design_bytes="):
        fit("had_affair ~ C(religious) * age", df, max_design_bytes=need - 1)
    for bad in (0, -5, "8e9", float("inf"), True):
        with pytest.raises(
            LogitstatsError, match=r"max_design_bytes must be a finite number > 0; got"
        ):
            fit("had_affair ~ age", df, max_design_bytes=bad)


def test_huge_spline_df_is_refused_before_patsy_computes_knots():
    # bs(x, df=10**9) once asked np.linspace / np.percentile for 10**9 knots (8 GB each)
    out = _run_limited(
        """
        df = pd.DataFrame({"y": rng.integers(0, 2, 200), "x": rng.normal(size=200)})
        for term in ["bs(x, df=10**9)", "cr(x, df=10**9)", "cc(x, df=10**9)",
                     "bs(x, df=5, degree=10**9)"]:
            try:
                ls.logit("y ~ " + term, data=df)
                print("FITTED", term)
            except DataError as exc:
                print("refused:", exc)
        """
    )
    assert "FITTED" not in out and "MemoryError" not in out
    for name, arg in [("bs", "df"), ("cr", "df"), ("cc", "df"), ("bs", "degree")]:
        assert (
            f"refused: {name}(..., {arg}=1000000000): expected {arg} at most the number of rows "
            f"(200), as a spline basis cannot have more columns than rows; got {arg}=1000000000"
        ) in out


def test_spline_bound_allows_every_df_up_to_the_rows():
    df = pd.DataFrame({"y": [0, 1] * 10, "x": np.linspace(0.0, 1.0, 20)})
    assert build_design("y ~ bs(x, df=5)", df, kind="binary").X.shape == (20, 6)
    with pytest.raises(
        DataError,
        match=r"bs\(\.\.\., df=21\): expected df at most the number "
        r"of rows \(20\).*Use a small df",
    ):
        build_design("y ~ bs(x, df=21)", df, kind="binary")


def test_max_design_bytes_keyword_of_ologit(monkeypatch):
    # rate_marriage (1..5) as an ordinal outcome; the design of C(religious) * age is built with
    # its intercept (dropped after coding), so its budget is the same as for logit above
    df = ls.datasets.load("affairs")
    need = 8 * 6366 * 10 + 2 * 8 * 16
    monkeypatch.setenv(resources.BUDGET_ENV, "1000")  # the keyword takes precedence
    assert ls.ologit("rate_marriage ~ C(religious) * age", df, max_design_bytes=need).nobs == 6366
    with pytest.raises(DataError, match=r"the largest term is 'C\(religious\)'.*max_design_bytes="):
        ls.ologit("rate_marriage ~ C(religious) * age", df, max_design_bytes=need - 1)
    with pytest.raises(LogitstatsError, match=r"max_design_bytes must be a finite number > 0"):
        ls.ologit("rate_marriage ~ age", df, max_design_bytes=0)
