"""Command-line front end: ``logitstats fit ...``, ``logitstats datasets``.

The only module that reads files and argv. Exit status 0 on success, 2 on bad usage or bad
input (a one-line error on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import datasets
from .errors import DataError, LogitstatsError

__all__ = ["main", "load_data", "build_parser"]


def load_data(spec: str) -> tuple[pd.DataFrame, str]:
    """A bundled dataset by name, or a CSV / Parquet file by path. Returns (frame, name)."""
    if spec in datasets.names():
        return datasets.load(spec), spec
    path = Path(spec)
    if not path.exists():
        raise DataError(
            f"--data {spec!r} is neither a bundled dataset ({', '.join(datasets.names())}) "
            "nor an existing file"
        )
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            try:
                return pd.read_parquet(path), path.name
            except ImportError:
                raise DataError(
                    "reading Parquet needs pyarrow: pip install pyarrow (or use a CSV file)"
                ) from None
        return pd.read_csv(path), path.name
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read --data {spec!r}: {exc}") from None


def _add_fit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("formula", help='R-style formula, e.g. "GRADE ~ GPA + TUCE + PSI"')
    p.add_argument(
        "--data", required=True, help="bundled dataset name or path to a CSV/Parquet file"
    )
    p.add_argument("--event", help="outcome value counted as the event (binary)")
    p.add_argument("--weights", help="column of frequency weights")
    p.add_argument("--offset", help="column holding an offset on the logit scale")
    p.add_argument("--cov-type", default="nonrobust", help="nonrobust (default), HC0, HC1, cluster")
    p.add_argument("--groups", help="column of cluster ids for --cov-type cluster")
    p.add_argument("--missing", default="drop", choices=["drop", "raise"])
    p.add_argument("--conf-level", type=float, default=0.95)
    p.add_argument(
        "--odds-ratios",
        action="store_true",
        help="report odds ratios (relative-risk ratios for multinomial) with CIs",
    )


def _fit_from_args(args: argparse.Namespace) -> Any:
    from .api import logit

    data, name = load_data(args.data)
    common = dict(
        weights=args.weights,
        offset=args.offset,
        cov_type=args.cov_type,
        groups=args.groups,
        missing=args.missing,
        data_name=name,
    )
    multinomial = getattr(args, "multinomial", False)
    if multinomial:
        from .api import mlogit  # type: ignore[attr-defined]

        common.pop("offset")
        return mlogit(args.formula, data, reference=args.reference, **common)
    return logit(args.formula, data, event=args.event, **common)


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot write --output {output!r}: {exc}") from None


def _cmd_fit(args: argparse.Namespace) -> int:
    fit = _fit_from_args(args)
    text = fit.summary(
        conf_level=args.conf_level, exponentiate=args.odds_ratios, format=args.format
    )
    _write(text, args.output)
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    cat = datasets.catalog()
    lines = []
    for r in cat.itertuples(index=False):
        lines.append(f"{r.name:<12} {r.rows:>5} rows  {r.description}")
        lines.append(f"{'':<12} source:  {r.source}")
        lines.append(f'{"":<12} example: logitstats fit "{r.example}" --data {r.name}')
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "fit": _cmd_fit,
    "datasets": _cmd_datasets,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="logitstats", description="Logistic regression with real statistical inference."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_fit = sub.add_parser("fit", help="fit a model and print its summary")
    _add_fit_options(p_fit)
    p_fit.add_argument(
        "--multinomial",
        action="store_true",
        help="baseline-category multinomial logit (outcome with 2+ levels)",
    )
    p_fit.add_argument("--reference", help="reference (baseline) outcome level for --multinomial")
    p_fit.add_argument("--format", default="text", choices=["text", "markdown", "json"])
    p_fit.add_argument("--output", help="write to this file instead of standard output")
    sub.add_parser("datasets", help="list the bundled example datasets")
    return parser


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    sys.stderr.write(f"logitstats: warning: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``logitstats`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            return COMMANDS[args.command](args)
    except LogitstatsError as exc:
        sys.stderr.write(f"logitstats: error: {exc}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
