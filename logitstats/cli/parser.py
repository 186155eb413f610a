"""The argparse parser of ``logitstats``: one subparser per command, usage errors on one line."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from logitstats import __version__
from logitstats.options import Format
from logitstats.render.escape import escape_text


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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, e.g. 100000; got {text}")
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
    p.add_argument("--conf-level", type=_conf_level, default=None, help="e.g. 0.90 (default: 0.95)")
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
        "--ordinal",
        action="store_true",
        help="proportional-odds (cumulative) logit for an ordered outcome with 3+ levels",
    )
    p.add_argument(
        "--levels",
        help="the ordered outcome levels of --ordinal, lowest first, comma-separated: a,b,c",
    )
    p.add_argument(
        "--firth", action="store_true", help="Firth bias-reduced penalized likelihood (binary)"
    )


def _add_effects_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--slopes",
        nargs="*",
        metavar="VAR",
        default=None,
        help="print average slopes (AME) of these data columns (none given: every variable)",
    )
    p.add_argument(
        "--comparisons",
        nargs="+",
        metavar="VAR",
        default=None,
        help="print average comparisons of these variables (factor levels vs the reference)",
    )
    p.add_argument(
        "--comparison",
        default=None,
        choices=["difference", "ratio", "lnor"],
        help="for --comparisons: risk difference (default), risk ratio or log odds ratio",
    )


def _add_predict_parser(sub: Any) -> None:
    p = sub.add_parser("predict", help="score a CSV/Parquet file with a saved model file")
    p.add_argument("model", help="model file written by fit --save (or fit.save())")
    p.add_argument("--data", required=True, help="CSV or Parquet file of new rows")
    p.add_argument("--kind", default="prob", choices=["prob", "link", "class"])
    p.add_argument("--conf-level", type=_conf_level, default=None, help="add Wald intervals")
    p.add_argument("--keep", action="append", help="input column copied to the output (repeat)")
    p.add_argument("--output", help="CSV or Parquet file to write (by suffix)")
    p.add_argument(
        "--missing",
        default="nan",
        choices=["nan", "raise"],
        help="incomplete rows: NaN predictions (default) or an error",
    )
    p.add_argument(
        "--chunk-rows",
        type=_positive_int,
        default=100_000,
        help="rows read and written at a time (bounds the memory; default 100000)",
    )


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line usage error (exit status 2), as for bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {escape_text(message)} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``logitstats`` parser: one subparser per command of :data:`~.commands.COMMANDS`."""
    parser = _Parser(
        prog="logitstats", description="Logistic regression with real statistical inference."
    )
    parser.add_argument("--version", action="version", version=f"logitstats {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p_fit = sub.add_parser("fit", help="fit a model and print its summary")
    _add_fit_options(p_fit)
    _add_effects_options(p_fit)
    p_fit.add_argument("--format", default="text", choices=["text", "markdown", "json"])
    p_fit.add_argument("--output", help="write to this file instead of standard output")
    p_fit.add_argument("--save", help="also write the fitted model as a JSON model file")
    sub.add_parser("datasets", help="list the bundled example datasets")
    _add_report_parsers(sub)
    _add_predict_parser(sub)
    return parser


def _add_report_parsers(sub: Any) -> None:
    p_rep = sub.add_parser("report", help="fit a model and write a full regression report")
    _add_fit_options(p_rep)
    _add_effects_options(p_rep)
    p_rep.add_argument("--format", default="text", choices=[str(f) for f in Format])
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
    p_cmp.add_argument("--format", default="text", choices=[str(f) for f in Format])
    p_cmp.add_argument("--output", help="write to this file (required for docx)")
    p_cmp.add_argument("--title", help="table title (default: Model comparison)")
    p_cmp.add_argument("--names", nargs="+", help="one column name per formula")
    p_cmp.add_argument("--interval", default="std_error", choices=["std_error", "conf_int"])
    p_cmp.add_argument("--stars", action="store_true", help="significance stars")
    p_ex = sub.add_parser("examples", help="write the example reports from the bundled data")
    p_ex.add_argument("--output", default="reports", help="directory (default: reports)")
