"""Where the CLI's output goes: ``--output`` files or standard output, and the one-line messages.

Text is written as UTF-8 with ``\\n`` line ends; the byte formats (docx) only to ``--output``.
``--output`` and ``--save`` must not name the ``--data`` file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from logitstats.errors import DataError
from logitstats.options import Format
from logitstats.render.registry import FORMATS

#: report formats that draw figures (``--no-figures`` applies to these only)
FIGURE_FORMATS = tuple(str(f) for f, spec in FORMATS.items() if spec.figures is not None)
#: report formats that write bytes (only to ``--output``)
BINARY_FORMATS = tuple(str(f) for f, spec in FORMATS.items() if spec.binary)


def one_line(text: str) -> str:
    """``text`` on one line: its non-blank lines, stripped, joined by spaces."""
    return " ".join(line.strip() for line in str(text).splitlines() if line.strip())


def binary_needs_output(fmt: str) -> str:
    """The message for a byte format asked for without ``--output``."""
    return f"--format {fmt} writes a binary file: give --output PATH.{FORMATS[Format(fmt)].suffix}"


def emit(content: str | bytes, output: str | None, fmt: str = "text") -> None:
    """Write to ``--output`` (UTF-8 text, or bytes for docx), or text to standard output."""
    if output is None:
        if isinstance(content, bytes):
            raise DataError(binary_needs_output(fmt))
        sys.stdout.write(content)
        return
    try:
        if isinstance(content, bytes):
            Path(output).write_bytes(content)
        else:
            Path(output).write_text(content, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise DataError(f"cannot write --output {output!r}: {one_line(str(exc))}") from None


def save_model(fit: Any, path: str) -> None:
    """``fit --save PATH``: the JSON model file (``fit.save``)."""
    try:
        fit.save(path)
    except OSError as exc:
        raise DataError(f"cannot write --save {path!r}: {one_line(str(exc))}") from None


def check_not_the_data(output: str, data: str) -> None:
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
