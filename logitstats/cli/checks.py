"""Options that do not apply to the model or format asked for are refused, before any data is
read: one line naming the option, what was expected and what to do."""

from __future__ import annotations

import argparse
from typing import NoReturn

from logitstats import datasets
from logitstats.cli.output import check_not_the_data
from logitstats.errors import LogitstatsError

#: formats after which ``--slopes`` / ``--comparisons`` tables are printed
EFFECTS_FORMATS = ("text", "markdown")


def refuse(args: argparse.Namespace, message: str) -> NoReturn:
    """An option that does not apply: a one-line error pointing at the command's help."""
    raise LogitstatsError(f"{message} (see: logitstats {args.command} --help)")


def check_fit_options(args: argparse.Namespace) -> None:
    """Refuse fit options that do not apply to the model asked for (before reading any data)."""
    multinomial = args.multinomial
    check_ordinal_options(args)
    if args.reference is not None and not multinomial:
        refuse(
            args,
            "--reference names the baseline level of a --multinomial fit; got "
            f"--reference {args.reference!r} on a binary fit (add --multinomial, or use --event "
            "to choose the event of a binary outcome)",
        )
    if multinomial and args.event is not None:
        refuse(
            args,
            "--event applies to binary fits only; got --event "
            f"{args.event!r} with --multinomial (use --reference to choose the baseline level)",
        )
    if multinomial and args.offset is not None:
        refuse(
            args,
            "--offset applies to binary fits only (a multinomial fit takes no offset); got "
            f"--offset {args.offset!r} with --multinomial (drop --offset, or --multinomial)",
        )
    if multinomial and args.firth:
        refuse(
            args,
            "--firth is available for binary models only; got --firth with --multinomial "
            "(drop one of them)",
        )
    cov_type = str(args.cov_type).strip().lower()
    if args.groups is not None and cov_type != "cluster":
        refuse(
            args,
            "--groups holds the cluster ids of --cov-type cluster; got --groups "
            f"{args.groups!r} with --cov-type {args.cov_type} (add --cov-type cluster, or drop "
            "--groups)",
        )
    if cov_type == "cluster" and args.groups is None:
        refuse(
            args,
            "--cov-type cluster needs --groups COLUMN (the cluster ids); got no --groups",
        )
    if args.firth and cov_type in ("hc0", "hc1", "cluster"):
        refuse(
            args,
            "--firth supports --cov-type nonrobust only (its standard errors are those of the "
            f"Fisher information, as brglm2 and logistf report); got --cov-type {args.cov_type} "
            "(drop --cov-type, or --firth)",
        )
    if args.output is not None and args.data not in datasets.names():
        check_not_the_data(args.output, args.data)


def check_ordinal_options(args: argparse.Namespace) -> None:
    """--levels only with --ordinal; --ordinal without the options of other models."""
    ordinal = getattr(args, "ordinal", False)
    if getattr(args, "levels", None) is not None and not ordinal:
        refuse(
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
            refuse(
                args,
                f"{flag} does not apply to an --ordinal fit (ordered levels, cut-points, no "
                f"reference level); got {flag} with --ordinal (drop one of them)",
            )


def parse_levels(text: str | None) -> list[str] | None:
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


def check_effects_options(args: argparse.Namespace) -> None:
    """Refuse effects options that do not apply (before reading any data)."""
    wanted = args.slopes is not None or args.comparisons is not None
    if args.comparison is not None and args.comparisons is None:
        refuse(
            args,
            f"--comparison chooses the kind of --comparisons; got --comparison {args.comparison} "
            "without --comparisons (add --comparisons VAR, or drop --comparison)",
        )
    if wanted and args.format not in EFFECTS_FORMATS:
        refuse(
            args,
            f"--slopes and --comparisons print tables after a {' or '.join(EFFECTS_FORMATS)} "
            f"output; got --format {args.format} (use --format text or markdown, or the Python "
            "API: fit.slopes(df), fit.comparisons(df))",
        )
