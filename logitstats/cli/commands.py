"""The commands: ``fit``, ``report``, ``compare``, ``predict``, ``datasets``, ``examples``.

Each takes the parsed arguments, checks the options that do not apply (:mod:`.checks`), fits or
loads, and writes (:mod:`.output`); it returns the exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from logitstats import datasets
from logitstats.cli.checks import (
    check_effects_options,
    check_fit_options,
    parse_levels,
    refuse,
)
from logitstats.cli.data import load_data
from logitstats.cli.output import (
    BINARY_FORMATS,
    FIGURE_FORMATS,
    binary_needs_output,
    check_not_the_data,
    emit,
    one_line,
    save_model,
)
from logitstats.errors import DataError
from logitstats.render.escape import escape_text

DEFAULT_CONF_LEVEL = 0.95


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

        levels = parse_levels(args.levels)
        return ologit(args.formula, data, levels=levels, offset=args.offset, **common), data
    fit = logit(
        args.formula, data, event=args.event, offset=args.offset, firth=args.firth, **common
    )
    return fit, data


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
    check_fit_options(args)
    check_effects_options(args)
    if args.save is not None and args.data not in datasets.names():
        check_not_the_data(args.save, args.data)
    fit, data = _fit_and_data(args)
    text = fit.summary(conf_level=_conf(args), exponentiate=args.odds_ratios, format=args.format)
    emit(text + _effects(args, fit, data), args.output)
    if args.save is not None:
        save_model(fit, args.save)
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


def _cmd_report(args: argparse.Namespace) -> int:
    if args.format in BINARY_FORMATS and args.output is None:
        raise DataError(binary_needs_output(args.format))
    if args.no_figures and args.format not in FIGURE_FORMATS:
        refuse(
            args,
            f"--no-figures applies to --format {' and '.join(FIGURE_FORMATS)} only (the other "
            f"formats have no figures); got --no-figures with --format {args.format} "
            "(drop --no-figures)",
        )
    check_fit_options(args)
    check_effects_options(args)
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
    emit(out + extra if extra else out, args.output, args.format)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from logitstats.reporting.compare import compare

    if args.format in BINARY_FORMATS and args.output is None:
        raise DataError(binary_needs_output(args.format))
    if args.conf_level is not None and args.interval != "conf_int" and args.format != "json":
        refuse(
            args,
            "--conf-level applies to --interval conf_int (or --format json, which holds the "
            f"intervals); got --conf-level {args.conf_level:g} with --interval {args.interval} "
            f"and --format {args.format} (add --interval conf_int, or drop --conf-level)",
        )
    check_fit_options(args)
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
    emit(table.render(args.format), args.output, args.format)
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
            f"cannot create the --output directory {args.output!r}: {one_line(str(exc))}"
        ) from None
    for path in paths:
        sys.stdout.write(f"{path}\n")
    return 0


def _cmd_predict(args: argparse.Namespace) -> int:
    """``predict MODEL --data FILE``: score a file chunk by chunk (:mod:`logitstats.io.score`)."""
    from logitstats.io import load
    from logitstats.io.score import score_file

    if args.kind == "class" and args.conf_level is not None:
        refuse(args, "--conf-level applies to --kind prob or link; got --kind class")
    for name, value in (("--model", args.model), ("--data", args.data)):
        if not Path(value).is_file():
            raise DataError(f"{name} {value!r}: expected an existing file; got no such file")
    if args.output is None:
        raise DataError("predict writes a file: expected --output PATH.csv or PATH.parquet")
    check_not_the_data(args.output, args.data)
    check_not_the_data(args.output, args.model)
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


#: command name -> function of the parsed arguments returning the exit status
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "predict": _cmd_predict,
    "fit": _cmd_fit,
    "datasets": _cmd_datasets,
    "report": _cmd_report,
    "compare": _cmd_compare,
    "examples": _cmd_examples,
}
