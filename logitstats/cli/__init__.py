"""Command-line front end: ``logitstats fit|report|compare|predict|examples|datasets ...``.

The only package that reads argv. Exit status 0 on success, 2 on bad usage or bad input: one
line on stderr (``logitstats: error: ...``; argparse's own usage errors keep their
``logitstats <command>: error: ...`` prefix), never a traceback. Options that do not apply to
the model or format asked for are refused, never silently ignored. When standard output is
closed early (``logitstats datasets | head -n 1``) the command stops quietly with status 141
(128 + SIGPIPE, as a Unix tool killed by SIGPIPE), or 130 on Ctrl-C.

The modules: :mod:`.parser` (argparse), :mod:`.checks` (options refused before reading data),
:mod:`.data` (``--data``), :mod:`.commands` (one function per command), :mod:`.output`
(``--output`` and standard output), :mod:`.entry` (:func:`main` and the exit statuses).
"""

from __future__ import annotations

from logitstats.cli.commands import COMMANDS, DEFAULT_CONF_LEVEL
from logitstats.cli.data import load_data
from logitstats.cli.entry import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, TRACEBACK_ENV, main
from logitstats.cli.output import BINARY_FORMATS, FIGURE_FORMATS
from logitstats.cli.parser import build_parser

__all__ = [
    "main",
    "load_data",
    "build_parser",
    "COMMANDS",
    "DEFAULT_CONF_LEVEL",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "TRACEBACK_ENV",
    "BINARY_FORMATS",
    "FIGURE_FORMATS",
]
