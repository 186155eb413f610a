"""One benchmark case, run in a fresh process: ``python tests/benchmarks/cases.py '<json spec>'``.

Prints one JSON object on stdout: phase times in seconds, the peak memory beyond the loaded data
(bytes) and a few facts about the fit. The spec holds ``lib`` ("logitstats", "statsmodels" or
"numpy_newton"), ``kind`` ("binary" or "multinomial"), ``n``, ``p``, ``K`` (outcome levels),
``seed`` and ``profile`` (also time profile-likelihood CIs).

Task cases (``kind`` names the task; the data are the binary ones): ``margins`` times
``marginal_effects()`` (statsmodels: ``get_margeff(dummy=True)`` + ``summary_frame()``) on a fit
of ``n`` rows; ``firth`` times ``logit(..., firth=True)`` + ``tidy()`` end to end; ``predict``
times the first ``predict`` on ``n`` new rows (another draw of the same data) of a model fitted
on ``min(n, 1e5)`` rows (statsmodels: ``res.predict(newframe)``). ``end_to_end`` holds the task's
time, so the report compares it like any other case.

Data: ``p`` standard-normal columns ``x0..x{p-1}``, one string column ``g`` with 10 levels
(``"g0".."g9"``) and the outcome ``y`` drawn from the model itself (binary 0/1; multinomial strings
``"c0".."c{K-1}"``), so every fit converges to well-determined estimates.

Peak memory: after the data are built, ``/proc/self/clear_refs`` is reset (Linux: writing ``5``
resets the peak resident set size ``VmHWM``); the peak beyond the data is ``VmHWM`` after the run
minus ``VmRSS`` before it.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_data(kind: str, n: int, p: int, K: int, seed: int) -> tuple[pd.DataFrame, str]:
    """The benchmark data and formula (also used by run.py for the R cases' description)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    g = rng.integers(0, 10, n)
    frame = pd.DataFrame({f"x{j}": X[:, j] for j in range(p)})
    frame["g"] = np.array([f"g{j}" for j in range(10)], dtype=object)[g]
    if kind == "binary":
        beta = rng.normal(0.0, 1.0 / np.sqrt(p), p)
        eta = X @ beta + 0.08 * (g - 4.5) - 0.3
        frame["y"] = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.int64)
    else:
        B = rng.normal(0.0, 1.0 / np.sqrt(p), (p, K))
        B[:, 0] = 0.0
        eta = X @ B + 0.05 * np.outer(g - 4.5, np.arange(K))
        u = rng.random(n)
        prob = np.exp(eta - eta.max(axis=1, keepdims=True))
        prob /= prob.sum(axis=1, keepdims=True)
        codes = (u[:, None] > np.cumsum(prob, axis=1)).sum(axis=1).clip(0, K - 1)
        frame["y"] = np.array([f"c{j}" for j in range(K)], dtype=object)[codes]
    formula = "y ~ " + " + ".join(f"x{j}" for j in range(p)) + " + g"
    del X
    return frame, formula


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return -1


def _reset_peak() -> int:
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _status("VmRSS")


def _median(values: list[float]) -> float:
    return float(np.median(values))


def _timer() -> tuple[dict, callable]:
    times: dict[str, float] = {}
    last = [time.perf_counter()]

    def mark(name: str) -> None:
        now = time.perf_counter()
        times[name] = now - last[0]
        last[0] = now

    return times, mark


TASKS = ("margins", "firth", "predict")
PREDICT_FIT_ROWS = 100_000


def _median_time(fn, repeat: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(max(repeat, 1)):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return _median(times)


def run_task(lib: str, frame: pd.DataFrame, formula: str, spec: dict) -> dict:
    """A task case (module notes): the task's median time as ``end_to_end``."""
    task, reps = spec["kind"], int(spec.get("repeat", 1))
    if task == "predict":
        new = frame
        frame, _ = make_data("binary", min(spec["n"], PREDICT_FIT_ROWS), spec["p"], 2, spec["seed"])
    if lib == "logitstats":
        import logitstats as ls

        if task == "firth":
            return {
                "end_to_end": _median_time(
                    lambda: ls.logit(formula, frame, firth=True).tidy(), reps
                )
            }
        fit = ls.logit(formula, frame)
        if task == "margins":
            return {"end_to_end": _median_time(fit.marginal_effects, reps)}
        return {"end_to_end": _median_time(lambda: fit.predict(new), 1)}  # the first call
    import statsmodels.formula.api as smf

    if task == "firth":
        return {"error": "statsmodels has no Firth logit"}
    res = smf.logit(formula, frame).fit(disp=0, method="newton", maxiter=100)
    if task == "margins":
        return {
            "end_to_end": _median_time(lambda: res.get_margeff(dummy=True).summary_frame(), reps)
        }
    return {"end_to_end": _median_time(lambda: res.predict(new), 1)}


def run_logitstats(frame: pd.DataFrame, formula: str, spec: dict) -> dict:
    import logitstats as ls
    from logitstats.design.build import build_design, capture_env
    from logitstats.fit.logit import fit_binary
    from logitstats.fit.model import newton_options as _options
    from logitstats.inference.covariance import CovType

    binary = spec["kind"] == "binary"
    model = ls.logit if binary else ls.mlogit
    base = _reset_peak()
    runs = []
    for _ in range(int(spec.get("repeat", 1))):
        t0 = time.perf_counter()
        fit = model(formula, frame)
        tidy = fit.tidy(exponentiate=True)
        runs.append(time.perf_counter() - t0)
        if len(runs) == 1:
            peak = _status("VmHWM") - base
    out = {"end_to_end": _median(runs), "peak_extra": peak, "n_iter": fit.n_iter}
    out.update(k=int(tidy.shape[0]), llf=fit.llf, converged=bool(fit.converged))
    del fit, tidy
    # phases, timed separately on a second run
    times, mark = _timer()
    design = build_design(formula, frame, kind=spec["kind"], env=capture_env(0))
    mark("design")
    if binary:
        res = fit_binary(design, CovType.NONROBUST, _options(1e-10, 50))
    else:
        from logitstats.fit.mlogit import fit_multinomial

        res = fit_multinomial(design, CovType.NONROBUST, _options(1e-10, 50))
    mark("fit")
    res.tidy(exponentiate=True)
    res.conf_int()
    mark("inference")
    out.update(times)
    out["x_bytes"] = int(design.X.nbytes)
    if binary and spec.get("newton_floor"):
        from threadpoolctl import threadpool_limits

        # one BLAS thread: a multi-threaded BLAS call per chunk stalls on a shared machine
        with threadpool_limits(limits=1, user_api="blas"):
            out["numpy_newton_fit"] = _numpy_newton(design.X, design.y)
    if spec.get("profile"):
        t = time.perf_counter()
        res.conf_int(method="profile")
        out["profile_ci"] = time.perf_counter() - t
    if spec.get("predict"):
        t = time.perf_counter()
        res.predict(frame)
        out["predict"] = time.perf_counter() - t
    return out


def _numpy_newton(X: np.ndarray, y: np.ndarray, rows: int = 16384) -> float:
    """A plain row-chunked numpy Newton (sqrt(w)-scaled blocks, syrk), timed: the floor."""
    from scipy.linalg import cho_factor, cho_solve
    from scipy.linalg.blas import dsyrk

    t = time.perf_counter()
    n, k = X.shape
    b = np.zeros(k)
    dev_old = np.inf
    for _ in range(50):
        H = np.zeros((k, k), order="F")
        g = np.zeros(k)
        dev = 0.0
        for s in range(0, n, rows):
            Xc, yc = X[s : s + rows], y[s : s + rows]
            eta = Xc @ b
            mu = 1.0 / (1.0 + np.exp(-eta))
            dev -= 2.0 * float(np.sum(yc * eta - np.logaddexp(0.0, eta)))
            g += Xc.T @ (yc - mu)
            Xs = Xc * np.sqrt(mu * (1.0 - mu))[:, None]
            H = dsyrk(1.0, Xs.T, beta=1.0, c=H, trans=0, overwrite_c=1)
        H = np.triu(H) + np.triu(H, 1).T
        if abs(dev - dev_old) / (abs(dev) + 0.1) < 1e-10:
            break
        dev_old = dev
        b = b + cho_solve(cho_factor(H), g)
    return time.perf_counter() - t


def run_statsmodels(frame: pd.DataFrame, formula: str, spec: dict) -> dict:
    import statsmodels.formula.api as smf

    model_fn = smf.logit if spec["kind"] == "binary" else smf.mnlogit
    if spec["kind"] != "binary":  # mnlogit needs a numeric outcome: integer codes (not timed)
        frame = frame.assign(y=frame["y"].str.slice(1).astype(np.int64))
    base = _reset_peak()
    runs, phases = [], []
    for _ in range(int(spec.get("repeat", 1))):
        times, mark = _timer()
        t0 = time.perf_counter()
        model = model_fn(formula, frame)
        mark("design")
        res = model.fit(disp=0, method="newton", maxiter=100)
        mark("fit")
        params = res.params
        _ = (res.bse, res.tvalues, res.pvalues, res.conf_int(), np.exp(params))
        mark("inference")
        runs.append(time.perf_counter() - t0)
        phases.append(times)
        if len(runs) == 1:
            peak = _status("VmHWM") - base
    out = {"end_to_end": _median(runs), "peak_extra": peak, "llf": float(res.llf)}
    out.update({k: _median([t[k] for t in phases]) for k in phases[0]})
    out["n_iter"] = int(res.mle_retvals.get("iterations", -1))
    return out


def main(argv: list[str]) -> None:
    spec = json.loads(argv[0])
    kind = "binary" if spec["kind"] in TASKS else spec["kind"]
    seed = spec["seed"] + (1 if spec["kind"] == "predict" else 0)  # new rows: another draw
    frame, formula = make_data(kind, spec["n"], spec["p"], spec.get("K", 2), seed)
    if spec["kind"] in TASKS:
        out = run_task(spec["lib"], frame, formula, spec)
    elif spec["lib"] == "logitstats":
        out = run_logitstats(frame, formula, spec)
    elif spec["lib"] == "statsmodels":
        out = run_statsmodels(frame, formula, spec)
    elif spec["lib"] == "import":
        out = {}
    else:
        raise SystemExit(f"unknown lib {spec['lib']!r}")
    out["data_bytes"] = int(frame.memory_usage(deep=False).sum())
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
