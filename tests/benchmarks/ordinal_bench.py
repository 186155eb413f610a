"""Benchmark of the proportional-odds engine against statsmodels ``OrderedModel`` and R ``polr``.

Usage (from the repository root; not collected by pytest)::

    python tests/benchmarks/ordinal_bench.py            # n = 1e4 and 1e6 (statsmodels at 1e4)
    python tests/benchmarks/ordinal_bench.py --sm-large  # statsmodels at 1e6 too (minutes)
    python tests/benchmarks/ordinal_bench.py --no-r      # skip R even when Rscript is present

Synthetic data: K = 5 ordered levels, p = 10 standard-normal predictors, cut-points
(-2, -0.7, 0.5, 1.8), slopes drawn once from N(0, 0.5^2). Times are medians of a few fits of the
model on arrays (no formula): ours ``logitstats.engine.ordinal.fit`` (Newton, exact Hessian),
and ``ls.ologit`` end to end (formula on a DataFrame: design, fit, separation check, closed-form
null model, covariance: what a user waits for),
statsmodels ``OrderedModel(y, X, distr="logit").fit(method="bfgs")`` (its default: BFGS with a
numerical gradient), and ``MASS::polr`` (BFGS, analytic gradient, ``Hess = TRUE``) on data R
draws from the same model (``Rscript``; the time of the fit only). Ratios are their time over
ours.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import logitstats as ls  # noqa: E402
from logitstats.engine import ordinal  # noqa: E402

K, P = 5, 10
THETA = np.array([-2.0, -0.7, 0.5, 1.8])
SEED = 20261201

R_CODE = r"""
suppressPackageStartupMessages(library(MASS))
args <- commandArgs(TRUE); n <- as.numeric(args[1]); reps <- as.integer(args[2])
set.seed(20261201)
p <- 10; theta <- c(-2, -0.7, 0.5, 1.8)
X <- matrix(rnorm(n * p), n, p); beta <- rnorm(p, 0, 0.5)
eta <- drop(X %*% beta)
cum <- plogis(outer(-eta, theta, "+"))
y <- factor(1 + rowSums(runif(n) > cum), levels = 1:5, ordered = TRUE)
d <- data.frame(y = y, X)
times <- sapply(seq_len(reps), function(i) system.time(
  polr(y ~ ., data = d, Hess = TRUE))[["elapsed"]])
cat(median(times), "\n")
"""


def make_data(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    beta = rng.normal(0.0, 0.5, P)
    X = rng.standard_normal((n, P))
    cum = 1.0 / (1.0 + np.exp(-(THETA[None, :] - (X @ beta)[:, None])))
    y = (rng.random(n)[:, None] > cum).sum(axis=1).astype(np.intp)
    return X, y, beta


def time_ours(X: np.ndarray, y: np.ndarray, reps: int) -> tuple[float, np.ndarray, int]:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        state = ordinal.fit(X, y, K)
        times.append(time.perf_counter() - t0)
        assert state.converged, state.message
    return statistics.median(times), state.params, state.n_iter


FORMULA = "y ~ " + " + ".join(f"x{j + 1}" for j in range(P))


def time_ologit(X: np.ndarray, y: np.ndarray, reps: int) -> tuple[float, np.ndarray]:
    """``ls.ologit`` end to end on a DataFrame (columns x1..x10 as R's ``data.frame(y, X)``)."""
    df = pd.DataFrame(X, columns=[f"x{j + 1}" for j in range(P)]).assign(y=y)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        res = ls.ologit(FORMULA, df)
        times.append(time.perf_counter() - t0)
        assert res.converged
    return statistics.median(times), res.state.params


def time_statsmodels(X: np.ndarray, y: np.ndarray, reps: int) -> tuple[float, np.ndarray]:
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        model = OrderedModel(y, X, distr="logit")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = model.fit(method="bfgs", disp=0, maxiter=1000)
        times.append(time.perf_counter() - t0)
    theta = model.transform_threshold_params(res.params)[1:-1]
    return statistics.median(times), np.concatenate([res.params[:P], theta])


def time_r(n: int, reps: int) -> float | None:
    if shutil.which("Rscript") is None:
        return None
    out = subprocess.run(
        ["Rscript", "-e", R_CODE, str(n), str(reps)],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    return float(out.stdout.split()[0])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-r", action="store_true", help="skip R polr")
    ap.add_argument("--sm-large", action="store_true", help="statsmodels at n = 1e6 too")
    args = ap.parse_args(argv)
    print(json.dumps({"load_average_1min": os.getloadavg()[0], "cpus": os.cpu_count()}))
    rows = []
    for n, reps in ((10_000, 5), (1_000_000, 3)):
        X, y, _ = make_data(n)
        ours, params, n_iter = time_ours(X, y, reps)
        e2e, e2e_params = time_ologit(X, y, reps)
        row = {
            "n": n,
            "ours_s": ours,
            "ours_newton_iterations": n_iter,
            "ologit_end_to_end_s": e2e,
            "max_abs_diff_end_to_end_vs_engine": float(np.max(np.abs(e2e_params - params))),
        }
        if n <= 10_000 or args.sm_large:
            sm, sm_params = time_statsmodels(X, y, reps if n <= 10_000 else 1)
            row["statsmodels_s"] = sm
            row["statsmodels_ratio"] = sm / ours
            row["statsmodels_ratio_end_to_end"] = sm / e2e
            row["max_abs_diff_vs_statsmodels"] = float(np.max(np.abs(params - sm_params)))
        if not args.no_r:
            r = time_r(n, reps if n <= 10_000 else 1)
            if r is not None:
                row["r_polr_s"] = r
                row["r_polr_ratio"] = r / ours
                row["r_polr_ratio_end_to_end"] = r / e2e
        rows.append(row)
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
