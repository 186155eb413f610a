"""Benchmark: slopes and comparisons for a binary fit, n = 1e5, p = 10, against the fit itself.

Run: ``python tests/benchmarks/effects_bench.py``. Acceptance (issue 16): slopes + comparisons of
every variable under 3x the time of ``ls.logit``. Best of 3 wall-clock runs each.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import logitstats as ls


def _data(n: int = 100_000, p: int = 10, seed: int = 0) -> tuple[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    eta = -0.5 + X @ np.linspace(-0.5, 0.5, p)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(p)])
    df["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return "y ~ " + " + ".join(df.columns[:-1]), df


def _best(fn, repeat: int = 3) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    formula, df = _data()
    fit = ls.logit(formula, data=df)
    t_fit = _best(lambda: ls.logit(formula, data=df))
    t_slopes = _best(lambda: fit.slopes(df))
    t_cmp = _best(lambda: fit.comparisons(df))
    print(
        f"fit {t_fit:.3f}s  slopes {t_slopes:.3f}s ({t_slopes / t_fit:.2f}x)  "
        f"comparisons {t_cmp:.3f}s ({t_cmp / t_fit:.2f}x)  "
        f"both {(t_slopes + t_cmp) / t_fit:.2f}x (target < 3x)"
    )


if __name__ == "__main__":
    main()
