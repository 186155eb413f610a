"""Benchmarks of logitstats side by side with statsmodels and R; writes reports/benchmarks.md.

Usage (from the repository root)::

    python tests/benchmarks/run.py --quick     # the grid to n = 1e5 and the task cases
    python tests/benchmarks/run.py --full      # the whole grid, the acceptance run (~1 hour)

Options: ``--no-r`` (skip R even when ``Rscript`` is on the PATH), ``--out PATH`` (default
``reports/benchmarks.md``; a ``.json`` with the raw numbers is written next to it).

Every case runs in a fresh Python (or R) process (``cases.py`` / ``r_bench.R``), so peak memory is
measured per case and no library warms another's caches. End to end means formula + DataFrame ->
coefficients, SEs, z, p, Wald CIs and odds ratios. The BLAS thread count is whatever the
environment gives every process alike (set ``OPENBLAS_NUM_THREADS`` to pin it); the report states
it and the load average, because other work on the machine changes every number.
This directory is not collected by the test run (``norecursedirs`` in pyproject.toml).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEED = 20261127
TIMEOUT = 1800
#: the report keeps everything from this line on when it is regenerated
KEEP_MARKER = "<!-- written by the other benchmark scripts; kept when run.py regenerates -->"


# --------------------------------------------------------------------------- the cases


def _case(lib: str, kind: str, n: int, p: int, K: int = 2, **extra: object) -> dict:
    return {"lib": lib, "kind": kind, "n": int(n), "p": p, "K": K, "seed": SEED, **extra}


def plan(full: bool, with_r: bool) -> list[dict]:
    """The list of cases (each a spec for cases.py or r_bench.R).

    Both modes cover issue 15's grid (binary n in {1e3, 1e4, 1e5, 1e6} x p in {10, 50};
    multinomial K in {3, 6} x the same n, p = 10) and its task cases (``marginal_effects`` at
    n = 1e5, ``firth=True`` at n = 1e4, ``predict`` on 1e6 new rows); ``--quick`` stops the grid
    at n = 1e5 (multinomial n = 1e5 with K = 6 only) and repeats less.
    """
    cases: list[dict] = []

    def both(
        kind: str,
        n: float,
        p: int,
        K: int = 2,
        r: bool = True,
        sm: bool = True,
        **extra: object,
    ) -> None:
        if full:
            reps = 15 if n <= 1e3 else 5 if n <= 1e4 else 1
        else:
            reps = 5 if n <= 1e3 else 3 if n <= 1e4 else 1
        cases.append(_case("logitstats", kind, n, p, K, repeat=reps, **extra))
        if sm:
            cases.append(_case("statsmodels", kind, n, p, K, repeat=reps))
        if with_r and r:
            cases.append(_case("R", kind, n, p, K, repeat=reps))

    both("binary", 100, 5)
    top = 1e6 if full else 1e5
    for p in (10, 50):
        for n in (1e3, 1e4, 1e5, 1e6):
            if n <= top:
                extra = {"profile": True} if (n, p) == (1e5, 10) else {}
                if n >= 1e6:
                    extra["newton_floor"] = True
                both("binary", n, p, **extra)
    for K in (3, 6):
        for n in (1e3, 1e4, 1e5, 1e6):
            if n <= top and (full or n < 1e5 or K == 6):
                both("multinomial", n, 10, K, r=n <= 1e5)
    both("margins", 1e5, 10, r=False)
    both("firth", 1e4, 10, sm=False)
    both("predict", 1e6, 10)
    if full and _mem_total() >= 16 * 2**30:
        cases.append(_case("logitstats", "binary", 1e7, 10, repeat=1))
    return cases


def _mem_total() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


# --------------------------------------------------------------------------- running


def run_case(spec: dict) -> dict:
    """Run one case in a fresh process; the parsed JSON it prints, or {"error": ...}."""
    reps = int(spec.get("repeat", 1))
    if spec["lib"] == "R":
        cmd = [
            "Rscript",
            str(HERE / "r_bench.R"),
            spec["kind"],
            str(spec["n"]),
            str(spec["p"]),
            str(spec["K"]),
            str(spec["seed"] % 100000),
        ]
        results = [_run(cmd) for _ in range(min(reps, 3))]
        return _merge(results)
    cmd = [sys.executable, str(HERE / "cases.py"), json.dumps(spec)]
    return _run(cmd)


def _run(cmd: list[str]) -> dict:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {TIMEOUT} s"}
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail)[:300]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _merge(results: list[dict]) -> dict:
    ok = [r for r in results if "error" not in r]
    if not ok:
        return results[0]
    ok.sort(key=lambda r: r["end_to_end"])
    return ok[len(ok) // 2]


def import_time() -> dict:
    """Seconds to import logitstats in a fresh interpreter (minus a bare interpreter start)."""
    heavy = ("matplotlib", "scipy.stats", "scipy.optimize", "statsmodels", "pandas", "patsy")
    code = (
        "import time, sys; t = time.perf_counter(); import logitstats; "
        f"print(time.perf_counter() - t, *[m for m in {heavy!r} if m in sys.modules])"
    )
    best, loaded = float("inf"), []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
        ).stdout.split()
        best, loaded = min(best, float(out[0])), out[1:]
    mpl = "matplotlib" in loaded
    floors = {}
    for name, modules in (
        (
            "numpy + pandas + patsy + scipy.linalg + scipy.special (what a fit needs)",
            "numpy, pandas, patsy, scipy.linalg, scipy.special",
        ),
        ("pandas + patsy + scipy.linalg", "pandas, patsy, scipy.linalg"),
        (
            "+ scipy.stats + scipy.optimize",
            "pandas, patsy, scipy.linalg, scipy.stats, scipy.optimize",
        ),
        ("statsmodels.formula.api", "statsmodels.formula.api"),
    ):
        snippet = (
            f"import time; t = time.perf_counter(); import {modules}; "
            "print(time.perf_counter() - t)"
        )
        floors[name] = min(
            float(
                subprocess.run(
                    [sys.executable, "-c", snippet], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(3)
        )
    return {
        "seconds": best,
        "imports_matplotlib": mpl,
        "heavy_modules_imported": loaded,
        "dependencies": floors,
    }


def cli_time(repeat: int = 3) -> dict:
    """Wall seconds of ``logitstats fit "GRADE ~ GPA + TUCE + PSI" --data spector`` (best of 3)."""
    exe = Path(sys.executable).with_name("logitstats")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "logitstats.cli"]
    cmd += ["fit", "GRADE ~ GPA + TUCE + PSI", "--data", "spector"]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
        best = min(best, time.perf_counter() - t)
    return {"seconds": best, "command": " ".join(cmd[-5:])}


# --------------------------------------------------------------------------- the machine


@functools.lru_cache(maxsize=1)
def machine() -> dict:
    info: dict[str, object] = {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gb": round(_mem_total() / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"),
    }
    import numpy
    import pandas
    import patsy
    import scipy
    import statsmodels

    info["versions"] = {
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "pandas": pandas.__version__,
        "patsy": patsy.__version__,
        "statsmodels": statsmodels.__version__,
    }
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = [
            {
                k: d.get(k)
                for k in (
                    "internal_api",
                    "version",
                    "num_threads",
                    "architecture",
                    "threading_layer",
                )
            }
            for d in threadpool_info()
        ]
    except ImportError:
        info["blas"] = "threadpoolctl not installed"
    if shutil.which("Rscript"):
        r = subprocess.run(
            ["Rscript", "-e", "cat(R.version.string)"], capture_output=True, text=True
        )
        info["R"] = r.stdout.strip()
    return info


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--quick", action="store_true", help="smoke run, under ~2 minutes")
    mode.add_argument("--full", action="store_true", help="the acceptance run")
    ap.add_argument("--no-r", action="store_true", help="skip R even when Rscript is present")
    ap.add_argument("--out", default=str(ROOT / "reports" / "benchmarks.md"))
    ap.add_argument(
        "--blas-threads",
        type=int,
        default=0,
        help="pin BLAS threads of every case (default: the environment's)",
    )
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="re-render the report from the .json of an earlier run (and re-time the import)",
    )
    ap.add_argument(
        "--rerun",
        action="append",
        default=[],
        metavar="KIND:N:P:K",
        help="re-run only the cases of this model (e.g. binary:1e6:50:2; repeatable) and merge "
        "them into the .json of an earlier run of the same mode",
    )
    ap.add_argument(
        "--libs",
        default="logitstats,statsmodels,R",
        help="with --rerun: which libraries to re-run (comma-separated)",
    )
    ap.add_argument(
        "--add",
        nargs="+",
        metavar="KIND:N:P:K",
        help="run these cases of the --full plan (every library) and add them to the .json and "
        "report of an earlier run, e.g. --add binary:1e6:50:2 multinomial:1e6:10:6",
    )
    args = ap.parse_args(argv)
    if args.rerun:
        return _rerun(args)
    if args.add:
        return _add(args)
    if args.report_only:
        raw = json.loads(Path(args.out).with_suffix(".json").read_text())
        raw["meta"]["import"] = import_time()
        raw["meta"]["cli"] = cli_time()
        raw["meta"]["complete"] = True
        _write(args.out, raw["meta"], raw["results"])
        return 0
    with_r = not args.no_r and shutil.which("Rscript") is not None
    if args.blas_threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.blas_threads)

    started = time.time()
    load_before = os.getloadavg()
    cases = plan(args.full, with_r)
    results = []
    for i, spec in enumerate(cases, 1):
        t = time.perf_counter()
        res = run_case(spec)
        label = (
            f"{spec['lib']:<12} {spec['kind']:<12} n={spec['n']:<9g} p={spec['p']:<3} K={spec['K']}"
        )
        shown = res.get("error") or f"{res['end_to_end']:.3f} s"
        print(
            f"[{i:>2}/{len(cases)}] {label} {shown}  ({time.perf_counter() - t:.1f} s)", flush=True
        )
        results.append({"spec": spec, "result": res})
        _write(args.out, _meta(args, started, load_before, with_r, final=False), results)
    _write(args.out, _meta(args, started, load_before, with_r, final=True), results)
    print(f"wrote {args.out} ({round(time.time() - started, 1)} s)")
    return 0


def _rerun(args: argparse.Namespace) -> int:
    """Re-run some cases of an earlier run and replace their results in its .json and report."""
    if args.blas_threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.blas_threads)
    raw = json.loads(Path(args.out).with_suffix(".json").read_text())
    wanted = set()
    for text in args.rerun:
        kind, n, p, k = text.split(":")
        wanted.add((kind, int(float(n)), int(p), int(k)))
    for item in raw["results"]:
        spec = item["spec"]
        libs = set(args.libs.split(","))
        if (spec["kind"], spec["n"], spec["p"], spec["K"]) in wanted and spec["lib"] in libs:
            item["result"] = run_case(spec)
            item["rerun"] = _dt.datetime.now(_dt.UTC).strftime("%H:%M UTC")
            print(spec["lib"], spec["kind"], spec["n"], spec["p"], spec["K"], item["result"])
    raw["meta"].setdefault("reruns", []).append(
        {
            "cases": sorted(args.rerun),
            "libs": args.libs,
            "load_after": [round(x, 2) for x in os.getloadavg()],
        }
    )
    raw["meta"]["import"] = import_time()
    raw["meta"]["cli"] = cli_time()
    raw["meta"]["complete"] = True
    _write(args.out, raw["meta"], raw["results"])
    return 0


def _add(args: argparse.Namespace) -> int:
    """Run cases of the full plan and add them to (or replace them in) an earlier run's report."""
    if args.blas_threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.blas_threads)
    raw = json.loads(Path(args.out).with_suffix(".json").read_text())
    with_r = not args.no_r and shutil.which("Rscript") is not None
    wanted = set()
    for text in args.add:
        kind, n, p, k = text.split(":")
        wanted.add((kind, int(float(n)), int(p), int(k)))
    key = lambda spec: (spec["kind"], spec["n"], spec["p"], spec["K"], spec["lib"])  # noqa: E731
    for spec in plan(True, with_r):
        if (spec["kind"], spec["n"], spec["p"], spec["K"]) not in wanted:
            continue
        res = run_case(spec)
        print(spec["lib"], spec["kind"], spec["n"], spec["p"], spec["K"], res, flush=True)
        item = {"spec": spec, "result": res, "added": True}
        raw["results"] = [r for r in raw["results"] if key(r["spec"]) != key(spec)] + [item]
    raw["meta"].setdefault("added", []).append(
        {"cases": sorted(args.add), "load_after": [round(x, 2) for x in os.getloadavg()]}
    )
    _write(args.out, raw["meta"], raw["results"])
    return 0


def _meta(
    args: argparse.Namespace, started: float, load_before: tuple, with_r: bool, final: bool
) -> dict:
    return {
        "mode": "full" if args.full else "quick",
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "wall_seconds": round(time.time() - started, 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "machine": machine(),
        "import": import_time() if final else None,
        "cli": cli_time() if final else None,
        "with_r": with_r,
        "complete": final,
    }


def _write(path: str, meta: dict, results: list[dict]) -> None:
    from report import write_report

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    kept = ""
    if out.exists():  # the sections of the other benchmark scripts (io, ordinal, dask) stay
        text = out.read_text()
        if KEEP_MARKER in text:
            kept = "\n" + text[text.index(KEEP_MARKER) :]
    out.write_text(write_report(meta, results).rstrip("\n") + "\n" + kept)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
