"""Benchmarks of model files and scoring (issue 13): ``python tests/benchmarks/io_bench.py``.

1. ``logitstats predict`` on a CSV of 1e6 rows with a 10-term model (9 numeric columns and a
   10-level string factor; 19 design columns), against ``pandas.read_csv`` of the same file;
   each command runs in a fresh process, timed from the outside (interpreter start and imports
   included) and its peak resident memory read from ``getrusage(RUSAGE_CHILDREN)``; the
   predict run is repeated with two chunk sizes to show that memory follows the chunk.
2. ``ls.load(path)`` + ``predict`` against ``fit.predict`` on the same 1e5 rows (in process,
   median of 5).

The results replace the section "Model files and scoring" of ``reports/benchmarks.md`` (or
are appended to it). Targets: predict <= 1.5 x read_csv; load + predict <= 1.5 x fit.predict.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import logitstats as ls

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "reports" / "benchmarks.md"
SECTION = "## Model files and scoring (tests/benchmarks/io_bench.py)"
N_SCORE = 1_000_000
N_FIT = 100_000
P_NUMERIC = 9


def make_data(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, P_NUMERIC))
    g = rng.integers(0, 10, n)
    df = pd.DataFrame({f"x{j}": X[:, j] for j in range(P_NUMERIC)})
    df["g"] = np.array([f"g{j}" for j in range(10)], dtype=object)[g]
    eta = X @ rng.normal(0, 0.3, P_NUMERIC) + 0.1 * (g - 4.5)
    df["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int64)
    df.insert(0, "id", np.arange(n))
    return df


def _measured(args: list[str]) -> tuple[float, float]:
    """Runs ``args`` in a grandchild and returns its own wall time and peak RSS."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "w = time.perf_counter() - t\n"
        "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *args], check=True, capture_output=True, text=True
    )
    wall, peak = out.stdout.split()
    return float(wall), float(peak)


def _median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="io_bench_"))
    data = make_data(N_SCORE, seed=13)
    csv = tmp / "score.csv"
    data.drop(columns="y").to_csv(csv, index=False)
    formula = "y ~ " + " + ".join(f"x{j}" for j in range(P_NUMERIC)) + " + g"
    fit = ls.logit(formula, data.iloc[:N_FIT])
    model = fit.save(tmp / "model.json")
    size_mb = csv.stat().st_size / 2**20

    py = sys.executable
    read = _measured([py, "-c", f"import pandas as pd; pd.read_csv({str(csv)!r})"])
    predict = {}
    for chunk in (100_000, 20_000):
        predict[chunk] = _measured(
            [py, "-m", "logitstats.cli", "predict", str(model), "--data", str(csv), "--keep",
             "id", "--output", str(tmp / "preds.csv"), "--chunk-rows", str(chunk)]
        )  # fmt: skip
    predict_ci = _measured(
        [py, "-m", "logitstats.cli", "predict", str(model), "--data", str(csv), "--conf-level",
         "0.95", "--output", str(tmp / "preds_ci.csv")]
    )  # fmt: skip
    startup = _measured([py, "-c", "import logitstats"])
    # in process (no interpreter start-up or imports): the cost of scoring itself
    from logitstats.io.score import score_file

    loaded = ls.load(model)
    t_read = min(_median_time(lambda: pd.read_csv(csv), repeat=1) for _ in range(2))
    t_score = min(
        _median_time(lambda: score_file(loaded, csv, tmp / "p.csv", keep=["id"]), repeat=1)
        for _ in range(2)
    )

    new = data.iloc[:N_FIT].drop(columns="y")
    t_fit = _median_time(lambda: fit.predict(new))
    t_load = _median_time(lambda: ls.load(model).predict(new))
    t_load_only = _median_time(lambda: ls.load(model))
    t_fit_ci = _median_time(lambda: fit.predict(new, conf_level=0.95))
    t_load_ci = _median_time(lambda: ls.load(model).predict(new, conf_level=0.95))

    lines = [
        SECTION,
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, logitstats "
        f"{ls.__version__}; shared 2-core machine (other jobs running), one run each.",
        "",
        f"Scoring {N_SCORE:.0e} rows of CSV ({size_mb:.0f} MiB; 9 numeric columns + a 10-level "
        "string factor + an id), 10-term model (19 design columns), fresh processes:",
        "",
        "| command | wall (s) | peak RSS (MiB) | / read_csv |",
        "|---|---|---|---|",
        f"| `python -c 'import logitstats'` (start-up) | {startup[0]:.2f} | {startup[1]:.0f} | – |",
        f"| `pandas.read_csv` (whole file) | {read[0]:.2f} | {read[1]:.0f} | 1.00 |",
    ]
    for chunk, (wall, peak) in predict.items():
        lines.append(
            f"| `logitstats predict --keep id --chunk-rows {chunk}` | {wall:.2f} | {peak:.0f} | "
            f"{wall / read[0]:.2f} |"
        )
    lines += [
        f"| `logitstats predict --conf-level 0.95` (chunk 100000) | {predict_ci[0]:.2f} | "
        f"{predict_ci[1]:.0f} | {predict_ci[0] / read[0]:.2f} |",
        f"| in process: `pd.read_csv` / `score_file(--keep id)` (best of 2) | {t_read:.2f} / "
        f"{t_score:.2f} | – | {t_score / t_read:.2f} |",
        "",
        f"`ls.load` + `predict` vs `fit.predict` on the same {N_FIT:.0e} rows (median of 5):",
        "",
        "| | fit.predict (s) | ls.load + predict (s) | ratio | ls.load alone (s) |",
        "|---|---|---|---|---|",
        f"| prob | {t_fit:.3f} | {t_load:.3f} | {t_load / t_fit:.2f} | {t_load_only:.4f} |",
        f"| prob + 95% CI | {t_fit_ci:.3f} | {t_load_ci:.3f} | {t_load_ci / t_fit_ci:.2f} | – |",
        "",
    ]
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    if SECTION in text:
        head, rest = text.split(SECTION, 1)
        nxt = rest.find("\n## ")
        text = head + "\n".join(lines) + ("" if nxt < 0 else rest[nxt:])
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
    REPORT.write_text(text.rstrip("\n") + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
