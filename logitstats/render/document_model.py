"""The format-neutral document model: a :class:`Document` of :class:`Section` s of
:class:`Table` s whose cells are already formatted, and the cell types.

The builders (:mod:`logitstats.render.report_document`,
:mod:`logitstats.render.comparison_document`, :mod:`logitstats.render.summary`) format every
number once; renderers only escape and lay out the cell strings (:func:`cell_text`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from logitstats.render.data import FigureData, TermRow
from logitstats.render.format import fmt_fixed

#: the cell of a factor's reference level in a coefficient table
REFERENCE_CELL = "— (ref)"


class Verbatim(str):
    """A cell made here (a formatted number or a fixed label), never from user input: the
    summary layouts write it as it is, without the format's escaper."""

    __slots__ = ()


class Code(str):
    """A cell shown as code where the format has code (the formula: a Markdown code span)."""

    __slots__ = ()


class Phrase(tuple[str, ...]):
    """A cell made of parts (fixed words and user names), each escaped on its own."""

    __slots__ = ()


#: a table cell: user text (a str, escaped), a Verbatim, a Code, or a Phrase of those
Cell = str | Phrase


def cell_text(cell: Cell, escape: Callable[[object], str], code: Callable[[object], str]) -> str:
    """A cell as the text of a format with escaper ``escape`` and code formatter ``code``."""
    if isinstance(cell, Phrase):
        return "".join(cell_text(part, escape, code) for part in cell)
    if isinstance(cell, Verbatim):
        return str(cell)
    if isinstance(cell, Code):
        return code(cell)
    return escape(cell)


@dataclass(frozen=True)
class Table:
    """A table of formatted cells.

    ``kind="grid"`` has a header row (``columns``); ``kind="keyvalue"`` is a two-column list of
    labels and values (no header); ``kind="inline"`` (summaries) holds lines of label, value,
    label, value, ... pairs. ``align`` holds one ``"l"`` or ``"r"`` per column.
    """

    key: str
    caption: Cell
    columns: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...]
    kind: Literal["grid", "keyvalue", "inline"] = "grid"
    notes: tuple[str, ...] = ()
    row_kinds: tuple[str, ...] = ()
    rules: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section:
    """A titled part of a document: tables, then figures, then notes."""

    key: str
    title: str
    tables: tuple[Table, ...] = ()
    figures: tuple[FigureData, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A title, an optional subtitle line and sections.

    ``layout`` is ``"report"`` (reports and comparisons: every cell escaped) or ``"summary"``
    (the compact one-section summary of :mod:`logitstats.render.summary`, whose cells may be
    :class:`Verbatim`, :class:`Code` or :class:`Phrase`).
    """

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    footer: str = ""
    layout: Literal["report", "summary"] = "report"


def ci_labels(level: float) -> tuple[str, str]:
    """Column labels of the interval bounds, e.g. ``('2.5 %', '97.5 %')``."""
    lo = 100 * (1 - level) / 2
    return f"{lo:g} %", f"{100 - lo:g} %"


def kv_table(key: str, caption: str, pairs: list[tuple[str, str]]) -> Table:
    """A ``keyvalue`` table of (label, value) pairs."""
    return Table(key, caption, ("", ""), tuple(pairs), ("l", "l"), kind="keyvalue")


def rows_of(rows: tuple[TermRow, ...], terms: list[str]) -> tuple[TermRow, ...]:
    """The display rows of a table (raw term names when the report data has none)."""
    return rows if rows else tuple(TermRow(t, t, group=t, variable=t) for t in terms)


def interval_cell(lo: float | None, hi: float | None) -> str:
    """An interval in one cell: ``[low, high]``."""
    return f"[{fmt_fixed(lo)}, {fmt_fixed(hi)}]"
