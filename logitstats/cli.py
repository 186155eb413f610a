"""Command-line front end: ``logitstats fit|report|compare|examples|datasets ...``.

The only module that reads files and argv. Exit status 0 on success, 2 on bad usage or bad
input (a one-line error on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

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


def _conf_level(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(
            f"expected a number between 0 and 1, e.g. 0.95; got {text}"
        )
    return value


def _add_fit_options(p: argparse.ArgumentParser, *, many: bool = False) -> None:
    if many:
        p.add_argument("formula", nargs="+", help="R-style formulas, one per model")
    else:
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
    p.add_argument("--conf-level", type=_conf_level, default=0.95, help="e.g. 0.95 (default)")
    p.add_argument(
        "--odds-ratios",
        action="store_true",
        help="report odds ratios (relative-risk ratios for multinomial) with CIs",
    )
    p.add_argument(
        "--multinomial",
        action="store_true",
        help="baseline-category multinomial logit (outcome with 2+ levels)",
    )
    p.add_argument("--reference", help="reference (baseline) outcome level for --multinomial")
    p.add_argument(
        "--firth", action="store_true", help="Firth bias-reduced penalized likelihood (binary)"
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
        if getattr(args, "firth", False):
            raise LogitstatsError(
                "--firth is available for binary models only; got --firth with --multinomial"
            )
        return mlogit(args.formula, data, reference=args.reference, **common)
    return logit(
        args.formula, data, event=args.event, firth=getattr(args, "firth", False), **common
    )


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


def _emit(content: str | bytes, output: str | None) -> None:
    from .report import write_output

    if output is not None:
        write_output(content, output)
    elif isinstance(content, bytes):
        raise DataError("--format docx writes a binary file: give --output PATH.docx")
    else:
        sys.stdout.write(content)


def _cmd_report(args: argparse.Namespace) -> int:
    if args.format == "docx" and args.output is None:
        raise DataError("--format docx writes a binary file: give --output PATH.docx")
    fit = _fit_from_args(args)
    out = fit.report(
        args.format,
        title=args.title,
        exponentiate=True if args.odds_ratios else None,
        ci_method=args.ci_method,
        conf_level=args.conf_level,
        figures=not args.no_figures,
    )
    _emit(out, args.output)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare

    if args.format == "docx" and args.output is None:
        raise DataError("--format docx writes a binary file: give --output PATH.docx")
    fits = [
        _fit_from_args(argparse.Namespace(**{**vars(args), "formula": f})) for f in args.formula
    ]
    table = compare(
        fits,
        names=args.names,
        exponentiate=args.odds_ratios,
        interval=args.interval,
        stars=args.stars,
        conf_level=args.conf_level,
        title=args.title,
    )
    _emit(table.render(args.format), args.output)
    return 0


def _cmd_examples(args: argparse.Namespace) -> int:
    from .examples import write_examples

    for path in write_examples(args.output):
        sys.stdout.write(f"{path}\n")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "fit": _cmd_fit,
    "datasets": _cmd_datasets,
    "report": _cmd_report,
    "compare": _cmd_compare,
    "examples": _cmd_examples,
}


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line usage error (exit status 2), as for bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="logitstats", description="Logistic regression with real statistical inference."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_fit = sub.add_parser("fit", help="fit a model and print its summary")
    _add_fit_options(p_fit)
    p_fit.add_argument("--format", default="text", choices=["text", "markdown", "json"])
    p_fit.add_argument("--output", help="write to this file instead of standard output")
    sub.add_parser("datasets", help="list the bundled example datasets")
    _add_report_parsers(sub)
    return parser


def _add_report_parsers(sub: Any) -> None:
    from .report import REPORT_FORMATS

    p_rep = sub.add_parser("report", help="fit a model and write a full regression report")
    _add_fit_options(p_rep)
    p_rep.add_argument("--format", default="text", choices=list(REPORT_FORMATS))
    p_rep.add_argument("--output", help="write to this file (required for docx)")
    p_rep.add_argument("--title", help="report title (default: the formula)")
    p_rep.add_argument(
        "--ci-method",
        default=None,
        choices=["wald", "profile"],
        help="default: wald; with --firth profile penalized likelihood and penalized LR tests",
    )
    p_rep.add_argument("--no-figures", action="store_true", help="leave the figures out")
    p_cmp = sub.add_parser("compare", help="fit several models and write a comparison table")
    _add_fit_options(p_cmp, many=True)
    p_cmp.add_argument("--format", default="text", choices=list(REPORT_FORMATS))
    p_cmp.add_argument("--output", help="write to this file (required for docx)")
    p_cmp.add_argument("--title", help="table title (default: Model comparison)")
    p_cmp.add_argument("--names", nargs="+", help="one column name per formula")
    p_cmp.add_argument("--interval", default="std_error", choices=["std_error", "conf_int"])
    p_cmp.add_argument("--stars", action="store_true", help="significance stars")
    p_ex = sub.add_parser("examples", help="write the example reports from the bundled data")
    p_ex.add_argument("--output", default="reports", help="directory (default: reports)")


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
