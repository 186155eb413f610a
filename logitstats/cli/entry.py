"""The entry point: :func:`main` runs a command and turns every failure into an exit status.

Exit status 0 on success, 2 on bad usage or bad input: one line on stderr
(``logitstats: error: ...``), never a traceback. When standard output is closed early the
command stops quietly with status 141 (128 + SIGPIPE), or 130 on Ctrl-C.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from logitstats.cli.commands import COMMANDS
from logitstats.cli.output import one_line
from logitstats.cli.parser import build_parser
from logitstats.errors import LogitstatsError
from logitstats.render.escape import escape_text

#: exit status when standard output is closed early (128 + SIGPIPE, as the shell reports it)
EXIT_BROKEN_PIPE = 141
#: exit status on Ctrl-C (128 + SIGINT)
EXIT_INTERRUPTED = 130
#: set this environment variable to a non-empty value to see the traceback of an internal error
TRACEBACK_ENV = "LOGITSTATS_TRACEBACK"


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    sys.stderr.write(f"logitstats: warning: {escape_text(one_line(str(message)))}\n")


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
        return _error(one_line(str(exc)))
    except KeyboardInterrupt:
        sys.stderr.write("logitstats: error: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        if os.environ.get(TRACEBACK_ENV):
            raise
        return _error(
            f"internal error ({type(exc).__name__}: {one_line(str(exc))}); this is a bug in "
            f"logitstats: please report it with the command line (set {TRACEBACK_ENV}=1 to see "
            "the traceback)"
        )


def _error(message: str) -> int:
    sys.stderr.write(f"logitstats: error: {escape_text(message)}\n")
    return 2
