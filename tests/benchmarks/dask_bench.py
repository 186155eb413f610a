"""Distributed (Dask) fit against the in-memory fit, one case per run (run by hand, not in CI).

``python tests/benchmarks/dask_bench.py --rows 2e6 --model binary --case dask --blocks auto``

Data: ``--rows`` rows with 10 standard-normal columns ``x0..x9`` and a 10-level string column
``g`` (``cases.make_data``; binary ``y``, or a multinomial ``y`` with K=4 levels), written once to
Parquet in files of 125 000 rows under ``/tmp/p-dask-bench`` (not committed; ``--data-only``
just writes them). Cases (each in its own process, so the peaks are the case's own):

- ``dask``: ``dd.read_parquet`` + ``ls.logit``/``ls.mlogit`` on a ``LocalCluster(n_workers=2,
  threads_per_worker=1)`` (``--scheduler threads``: dask's threaded scheduler, no cluster),
  ``blocks=--blocks``;
- ``memory``: ``pd.read_parquet`` + the in-memory fit (the reading is timed separately).

Reported (one JSON object, printed and appended to ``--json``): wall time, passes, the blocks
mode that ran, peak resident memory (``ru_maxrss``) of the client and of each worker, the load
average before and after, and the estimates (to compare the cases: ``--compare a.json``).
"""

from __future__ import annotations

import argparse
import json
import os
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


def _worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def data_path(n: int, model: str) -> tuple[Path, str]:
    """The Parquet folder of the case (written if missing) and the formula."""
    path = OUT / f"{model}_{n}"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        for i, s in enumerate(range(0, n, 10 * ROWS_PER_PART)):  # generated in slices
            df, _ = make_data(model, min(10 * ROWS_PER_PART, n - s), 10, 4, i)
            for j, t in enumerate(range(0, df.shape[0], ROWS_PER_PART)):
                df.iloc[t : t + ROWS_PER_PART].to_parquet(tmp / f"part{i:03d}{j:02d}.parquet")
            del df
        tmp.rename(path)
    _, formula = make_data(model, 10, 10, 4, 0)
    return path, formula


def run_case(args: argparse.Namespace) -> dict:
    import logitstats as ls

    n = int(float(args.rows))
    path, formula = data_path(n, args.model)
    fit_fn = ls.logit if args.model == "binary" else ls.mlogit
    out: dict = {
        "rows": n,
        "model": args.model,
        "case": args.case,
        "load_before": os.getloadavg(),
    }
    if args.case == "memory":
        t0 = time.perf_counter()
        df = pd.read_parquet(path)
        out["read_seconds"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        fit = fit_fn(formula, data=df)
        out["seconds"] = time.perf_counter() - t0
        out["client_peak_mb"] = _peak_mb()
    else:
        import dask
        import dask.dataframe as dd
        from distributed import Client, LocalCluster

        out["scheduler"], out["blocks_asked"] = args.scheduler, args.blocks
        ddf = dd.read_parquet(str(path))
        if args.scheduler == "threads":
            with dask.config.set(scheduler="threads", num_workers=2):
                t0 = time.perf_counter()
                fit = fit_fn(formula, data=ddf, blocks=args.blocks)
                out["seconds"] = time.perf_counter() - t0
            out["worker_peak_mb"] = []
        else:
            with (
                LocalCluster(
                    n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
                ) as cluster,
                Client(cluster) as client,
            ):
                t0 = time.perf_counter()
                fit = fit_fn(formula, data=ddf, blocks=args.blocks)
                out["seconds"] = time.perf_counter() - t0
                out["worker_peak_mb"] = sorted(client.run(_worker_peak_mb).values())
        out["passes"] = fit.distributed.n_passes
        out["partitions"] = fit.distributed.n_partitions
        out["blocks"] = [s for s in fit.notes if s.startswith("blocks:")][0].split()[1]
        out["client_peak_mb"] = _peak_mb()
    out["load_after"] = os.getloadavg()
    out["params"] = fit.state.params.tolist()
    out["se"] = np.sqrt(np.diag(fit.cov_array)).tolist()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", default="2e6")
    p.add_argument("--model", choices=["binary", "multinomial"], default="binary")
    p.add_argument("--case", choices=["dask", "memory"], default="dask")
    p.add_argument("--blocks", choices=["auto", "persist", "stream"], default="auto")
    p.add_argument("--scheduler", choices=["cluster", "threads"], default="cluster")
    p.add_argument("--json", help="append the result (one JSON object per line) to this file")
    p.add_argument("--data-only", action="store_true", help="write the Parquet files and stop")
    args = p.parse_args()
    if args.data_only:
        print(data_path(int(float(args.rows)), args.model)[0])
        return
    result = run_case(args)
    short = {k: v for k, v in result.items() if k not in ("params", "se")}
    print(json.dumps(short))
    if args.json:
        with open(args.json, "a") as fh:
            fh.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
