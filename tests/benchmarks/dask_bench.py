"""Distributed (Dask) fit against the in-memory fit: ``python tests/benchmarks/dask_bench.py N``.

Data: ``N`` rows with 10 standard-normal columns ``x0..x9`` and a 10-level string column ``g``
(``cases.make_data``), written to Parquet in partitions of 125 000 rows under
``/tmp/p-dask-bench``. Cases, each on the same file: the in-memory fit (``pd.read_parquet`` +
``ls.logit``), and the Dask fit (``dd.read_parquet``) on a ``LocalCluster(n_workers=2,
threads_per_worker=1)``. Reported: wall time, passes, peak resident memory of the client
(``ru_maxrss``, taken before the in-memory case runs; run once more after the files exist, or it
includes generating the data) and of each worker (``ru_maxrss`` in the worker process), and the
largest difference of the estimates in SE units. Prints one JSON object.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.cases import make_data  # noqa: E402

ROWS_PER_PART = 125_000
OUT = Path("/tmp/p-dask-bench")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(n: int, kind: str = "binary") -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    import logitstats as ls

    path = OUT / f"{kind}_{n}"
    if not path.exists():
        df, formula = make_data(kind, n, 10, 4, 0)
        path.mkdir(parents=True)
        for i, s in enumerate(range(0, n, ROWS_PER_PART)):
            df.iloc[s : s + ROWS_PER_PART].to_parquet(path / f"part{i:04d}.parquet")
        del df
    _, formula = make_data(kind, 10, 10, 4, 0)
    fit_fn = ls.logit if kind == "binary" else ls.mlogit
    results = {}
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        ddf = dd.read_parquet(str(path))
        t0 = time.perf_counter()
        dist = fit_fn(formula, data=ddf)
        seconds = time.perf_counter() - t0
        workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
    results["dask"] = {
        "seconds": seconds,
        "passes": dist.distributed.n_passes,
        "partitions": dist.distributed.n_partitions,
        "client_peak_mb": _peak_mb(),
        "worker_peak_mb": sorted(workers.values()),
    }
    if "--no-memory" not in sys.argv:
        t0 = time.perf_counter()
        mem = fit_fn(formula, data=pd.read_parquet(path))
        results["in_memory"] = {"seconds": time.perf_counter() - t0, "client_peak_mb": _peak_mb()}
    if "in_memory" in results:
        se = np.sqrt(np.diag(mem.cov_array))
        results["max_diff_se_units"] = float(
            np.max(np.abs(dist.state.params - mem.state.params) / se)
        )
    print(json.dumps({"n": n, "kind": kind, **results}))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    main(int(float(args[0])), args[1] if len(args) > 1 else "binary")
