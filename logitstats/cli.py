"""Command-line front end: ``logitstats fit|report|compare|predict|examples|datasets ...``.

The only module that reads files and argv. Exit status 0 on success, 2 on bad usage or bad
input: one line on stderr (``logitstats: error: ...``; argparse's own usage errors keep their
``logitstats <command>: error: ...`` prefix), never a traceback. Options that do not apply to
the model or format asked for are refused, never silently ignored. When standard output is
closed early (``logitstats datasets | head -n 1``) the command stops quietly with status 141
(128 + SIGPIPE, as a Unix tool killed by SIGPIPE), or 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from logitstats import __version__, datasets
from logitstats.errors import DataError, LogitstatsError
from logitstats.options import Format
from logitstats.render.escape import escape_text
from logitstats.render.registry import FORMATS

__all__ = ["main", "load_data", "build_parser"]

#: exit status when standard output is closed early (128 + SIGPIPE, as the shell reports it)
EXIT_BROKEN_PIPE = 141
#: exit status on Ctrl-C (128 + SIGINT)
EXIT_INTERRUPTED = 130
#: set this environment variable to a non-empty value to see the traceback of an internal error
TRACEBACK_ENV = "LOGITSTATS_TRACEBACK"
#: report formats that draw figures (``--no-figures`` applies to these only)
FIGURE_FORMATS = tuple(str(f) for f, spec in FORMATS.items() if spec.figures is not None)
#: report formats that write bytes (only to ``--output``)
BINARY_FORMATS = tuple(str(f) for f, spec in FORMATS.items() if spec.binary)
DEFAULT_CONF_LEVEL = 0.95


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
    except pd.errors.ParserError as exc:
        raise DataError(
            f"cannot read --data {spec!r} as CSV: expected the same number of comma-separated "
            f"fields on every line; got {_one_line(str(exc))} (fix that line, or quote fields "
            "that contain commas)"
        ) from None
    except (OSError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"cannot read --data {spec!r}: {_one_line(str(exc))}") from None


def _one_line(text: str) -> str:
    """``text`` on one line: its non-blank lines, stripped, joined by spaces."""
    return " ".join(line.strip() for line in str(text).splitlines() if line.strip())


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


def _refuse(args: argparse.Namespace, message: str) -> NoReturn:
    """An option that does not apply: a one-line error pointing at the command's help."""
    raise LogitstatsError(f"{message} (see: logitstats {args.command} --help)")


def _check_fit_options(args: argparse.Namespace) -> None:
    """Refuse fit options that do not apply to the model asked for (before reading any data)."""
    multinomial = args.multinomial
    _check_ordinal_options(args)
    if args.reference is not None and not multinomial:
        _refuse(
            args,
            "--reference names the baseline level of a --multinomial fit; got "
            f"--reference {args.reference!r} on a binary fit (add --multinomial, or use --event "
            "to choose the event of a binary outcome)",
        )
    if multinomial and args.event is not None:
        _refuse(
            args,
            "--event applies to binary fits only; got --event "
            f"{args.event!r} with --multinomial (use --reference to choose the baseline level)",
        )
    if multinomial and args.offset is not None:
        _refuse(
            args,
            "--offset applies to binary fits only (a multinomial fit takes no offset); got "
            f"--offset {args.offset!r} with --multinomial (drop --offset, or --multinomial)",
        )
    if multinomial and args.firth:
        _refuse(
            args,
            "--firth is available for binary models only; got --firth with --multinomial "
            "(drop one of them)",
        )
    cov_type = str(args.cov_type).strip().lower()
    if args.groups is not None and cov_type != "cluster":
        _refuse(
            args,
            "--groups holds the cluster ids of --cov-type cluster; got --groups "
            f"{args.groups!r} with --cov-type {args.cov_type} (add --cov-type cluster, or drop "
            "--groups)",
        )
    if cov_type == "cluster" and args.groups is None:
        _refuse(
            args,
            "--cov-type cluster needs --groups COLUMN (the cluster ids); got no --groups",
        )
    if args.firth and cov_type in ("hc0", "hc1", "cluster"):
        _refuse(
            args,
            "--firth supports --cov-type nonrobust only (its standard errors are those of the "
            f"Fisher information, as brglm2 and logistf report); got --cov-type {args.cov_type} "
            "(drop --cov-type, or --firth)",
        )
    if args.output is not None and args.data not in datasets.names():
        _check_not_the_data(args.output, args.data)


def _check_ordinal_options(args: argparse.Namespace) -> None:
    """--levels only with --ordinal; --ordinal without the options of other models."""
    ordinal = getattr(args, "ordinal", False)
    if getattr(args, "levels", None) is not None and not ordinal:
        _refuse(
            args,
            "--levels gives the order of the levels of an --ordinal fit; got --levels "
            f"{args.levels!r} without --ordinal (add --ordinal, or drop --levels)",
        )
    if not ordinal:
        return
    clashes = [
        ("--multinomial", args.multinomial),
        ("--event", args.event is not None),
        ("--reference", args.reference is not None),
        ("--firth", args.firth),
    ]
    for flag, given in clashes:
        if given:
            _refuse(
                args,
                f"{flag} does not apply to an --ordinal fit (ordered levels, cut-points, no "
                f"reference level); got {flag} with --ordinal (drop one of them)",
            )


def _parse_levels(text: str | None) -> list[str] | None:
    """``"low,medium,high"`` -> ``["low", "medium", "high"]`` (None stays None)."""
    if text is None:
        return None
    levels = [part.strip() for part in str(text).split(",")]
    if any(not part for part in levels):
        raise LogitstatsError(
            f"--levels expected comma-separated level names, lowest first, e.g. low,medium,high; "
            f"got --levels {text!r} with an empty name (remove the extra comma)"
        )
    return levels


def _check_not_the_data(output: str, data: str) -> None:
    """``--output`` must not be the ``--data`` file (same resolved path, or same inode)."""
    try:
        same = Path(output).resolve() == Path(data).resolve()
    except (OSError, RuntimeError):  # e.g. a symlink loop: let the write report it
        same = False
    if not same and os.path.exists(output) and os.path.exists(data):
        try:
            same = os.path.samefile(output, data)
        except OSError:  # pragma: no cover - a file that vanished between the two calls
            same = False
    if same:
        raise DataError(
            f"--output {output!r} is the --data file; expected a different path (writing there "
            "would overwrite the data): choose another --output"
        )


def _fit_from_args(args: argparse.Namespace) -> Any:
    return _fit_and_data(args)[0]


def _fit_and_data(args: argparse.Namespace) -> tuple[Any, pd.DataFrame]:
    fit, data = _fit_on(args, *load_data(args.data))
    return fit, data


def _fit_on(args: argparse.Namespace, data: pd.DataFrame, name: str) -> tuple[Any, pd.DataFrame]:
    from logitstats.fit.logit import logit
    from logitstats.fit.mlogit import mlogit

    common = dict(
        weights=args.weights,
        cov_type=args.cov_type,
        groups=args.groups,
        missing=args.missing,
        data_name=name,
    )
    if args.multinomial:
        return mlogit(args.formula, data, reference=args.reference, **common), data
    if getattr(args, "ordinal", False):
        from logitstats.fit.ologit import ologit

        levels = _parse_levels(args.levels)
        return ologit(args.formula, data, levels=levels, offset=args.offset, **common), data
    fit = logit(
        args.formula, data, event=args.event, offset=args.offset, firth=args.firth, **common
    )
    return fit, data


#: formats after which ``--slopes`` / ``--comparisons`` tables are printed
EFFECTS_FORMATS = ("text", "markdown")


def _check_effects_options(args: argparse.Namespace) -> None:
    """Refuse effects options that do not apply (before reading any data)."""
    wanted = args.slopes is not None or args.comparisons is not None
    if args.comparison is not None and args.comparisons is None:
        _refuse(
            args,
            f"--comparison chooses the kind of --comparisons; got --comparison {args.comparison} "
            "without --comparisons (add --comparisons VAR, or drop --comparison)",
        )
    if wanted and args.format not in EFFECTS_FORMATS:
        _refuse(
            args,
            f"--slopes and --comparisons print tables after a {' or '.join(EFFECTS_FORMATS)} "
            f"output; got --format {args.format} (use --format text or markdown, or the Python "
            "API: fit.slopes(df), fit.comparisons(df))",
        )


def _effects(args: argparse.Namespace, fit: Any, data: pd.DataFrame) -> str:
    """The ``--slopes`` and ``--comparisons`` tables, rendered in ``--format``."""
    from logitstats.render.effects import effects_markdown, effects_text

    render = effects_markdown if args.format == "markdown" else effects_text
    level = _conf(args)
    parts = []
    if args.slopes is not None:
        table = fit.slopes(data, args.slopes or None, conf_level=level)
        parts.append(
            render(table, "Average slopes (dP/dx; factors: vs reference)", conf_level=level)
        )
    if args.comparisons is not None:
        kind = args.comparison or "difference"
        table = fit.comparisons(data, args.comparisons, comparison=kind, conf_level=level)
        parts.append(render(table, f"Average comparisons ({kind})", conf_level=level))
    return "\n" + "\n".join(parts) if parts else ""


def _conf(args: argparse.Namespace) -> float:
    """``--conf-level``, 0.95 when not given."""
    return DEFAULT_CONF_LEVEL if args.conf_level is None else args.conf_level


def _cmd_fit(args: argparse.Namespace) -> int:
    _check_fit_options(args)
    _check_effects_options(args)
    if args.save is not None and args.data not in datasets.names():
        _check_not_the_data(args.save, args.data)
    fit, data = _fit_and_data(args)
    text = fit.summary(conf_level=_conf(args), exponentiate=args.odds_ratios, format=args.format)
    _emit(text + _effects(args, fit, data), args.output)
    if args.save is not None:
        _save_model(fit, args.save)
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


def _binary_needs_output(fmt: str) -> str:
    return f"--format {fmt} writes a binary file: give --output PATH.{FORMATS[Format(fmt)].suffix}"


def _emit(content: str | bytes, output: str | None, fmt: str = "text") -> None:
    """Write to ``--output`` (UTF-8 text, or bytes for docx), or text to standard output."""
    if output is None:
        if isinstance(content, bytes):
            raise DataError(_binary_needs_output(fmt))
        sys.stdout.write(content)
        return
    try:
        if isinstance(content, bytes):
            Path(output).write_bytes(content)
        else:
            Path(output).write_text(content, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise DataError(f"cannot write --output {output!r}: {_one_line(str(exc))}") from None


def _cmd_report(args: argparse.Namespace) -> int:
    if args.format in BINARY_FORMATS and args.output is None:
        raise DataError(_binary_needs_output(args.format))
    if args.no_figures and args.format not in FIGURE_FORMATS:
        _refuse(
            args,
            f"--no-figures applies to --format {' and '.join(FIGURE_FORMATS)} only (the other "
            f"formats have no figures); got --no-figures with --format {args.format} "
            "(drop --no-figures)",
        )
    _check_fit_options(args)
    _check_effects_options(args)
    fit, data = _fit_and_data(args)
    out = fit.report(
        args.format,
        title=args.title,
        exponentiate=True if args.odds_ratios else None,
        ci_method=args.ci_method,
        conf_level=_conf(args),
        figures=not args.no_figures,
    )
    extra = _effects(args, fit, data)
    _emit(out + extra if extra else out, args.output, args.format)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from logitstats.reporting.compare import compare

    if args.format in BINARY_FORMATS and args.output is None:
        raise DataError(_binary_needs_output(args.format))
    if args.conf_level is not None and args.interval != "conf_int" and args.format != "json":
        _refuse(
            args,
            "--conf-level applies to --interval conf_int (or --format json, which holds the "
            f"intervals); got --conf-level {args.conf_level:g} with --interval {args.interval} "
            f"and --format {args.format} (add --interval conf_int, or drop --conf-level)",
        )
    _check_fit_options(args)
    fits = [
        _fit_from_args(argparse.Namespace(**{**vars(args), "formula": f})) for f in args.formula
    ]
    table = compare(
        fits,
        names=args.names,
        exponentiate=args.odds_ratios,
        interval=args.interval,
        stars=args.stars,
        conf_level=_conf(args),
        title=args.title,
    )
    _emit(table.render(args.format), args.output, args.format)
    return 0


def _cmd_examples(args: argparse.Namespace) -> int:
    from logitstats.examples import write_examples

    target = Path(args.output)
    if target.exists() and not target.is_dir():
        raise DataError(
            f"--output {args.output!r} is an existing file; expected a directory for the example "
            "reports (created if missing): choose a directory path"
        )
    try:
        paths = write_examples(target)
    except OSError as exc:
        raise DataError(
            f"cannot create the --output directory {args.output!r}: {_one_line(str(exc))}"
        ) from None
    for path in paths:
        sys.stdout.write(f"{path}\n")
    return 0


# --------------------------------------------------------------------------- model files


def _save_model(fit: Any, path: str) -> None:
    """``fit --save PATH``: the JSON model file (``fit.save``)."""
    try:
        fit.save(path)
    except OSError as exc:
        raise DataError(f"cannot write --save {path!r}: {_one_line(str(exc))}") from None


def _cmd_predict(args: argparse.Namespace) -> int:
    """``predict MODEL --data FILE``: score a file chunk by chunk (:mod:`logitstats.io.score`)."""
    from logitstats.io import load
    from logitstats.io.score import score_file

    if args.kind == "class" and args.conf_level is not None:
        _refuse(args, "--conf-level applies to --kind prob or link; got --kind class")
    for name, value in (("--model", args.model), ("--data", args.data)):
        if not Path(value).is_file():
            raise DataError(f"{name} {value!r}: expected an existing file; got no such file")
    if args.output is None:
        raise DataError("predict writes a file: expected --output PATH.csv or PATH.parquet")
    _check_not_the_data(args.output, args.data)
    _check_not_the_data(args.output, args.model)
    result = load(args.model)
    rows = score_file(
        result,
        args.data,
        args.output,
        kind=args.kind,
        conf_level=args.conf_level,
        keep=args.keep or (),
        missing=args.missing,
        chunk_rows=args.chunk_rows,
    )
    sys.stderr.write(f"logitstats: wrote {rows} rows to {escape_text(args.output)}\n")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, e.g. 100000; got {text}")
    return value


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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "predict": _cmd_predict,
    "fit": _cmd_fit,
    "datasets": _cmd_datasets,
    "report": _cmd_report,
    "compare": _cmd_compare,
    "examples": _cmd_examples,
}


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line usage error (exit status 2), as for bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {escape_text(message)} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
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


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    sys.stderr.write(f"logitstats: warning: {escape_text(_one_line(str(message)))}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``logitstats`` console script.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 on bad usage or bad input (one line on stderr), 141 when standard
        output was closed early, 130 on Ctrl-C. argparse's usage errors, ``--help`` and
        ``--version`` raise ``SystemExit`` as usual.
    """
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows up here if not in the command itself
    except BrokenPipeError:
        # https://docs.python.org/3/library/signal.html#note-on-sigpipe: send the rest of the
        # output to devnull so that the interpreter's final flush does not fail again
        _stdout_to_devnull()
        return EXIT_BROKEN_PIPE


def _stdout_to_devnull() -> None:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (e.g. captured in tests)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            return COMMANDS[args.command](args)
    except BrokenPipeError:
        raise
    except LogitstatsError as exc:
        return _error(_one_line(str(exc)))
    except KeyboardInterrupt:
        sys.stderr.write("logitstats: error: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        if os.environ.get(TRACEBACK_ENV):
            raise
        return _error(
            f"internal error ({type(exc).__name__}: {_one_line(str(exc))}); this is a bug in "
            f"logitstats: please report it with the command line (set {TRACEBACK_ENV}=1 to see "
            "the traceback)"
        )


def _error(message: str) -> int:
    sys.stderr.write(f"logitstats: error: {escape_text(message)}\n")
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
