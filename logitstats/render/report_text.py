"""Plain-text reports and comparisons: pure functions of :class:`ReportData` / ComparisonData.

Fixed-width tables for a terminal or a log file; figures are listed by title (they are embedded
only in the HTML and docx reports). Every string is escaped with
:func:`logitstats.render.escape.escape_text` (control characters and bidi overrides in names are
shown as escapes, never sent to the terminal).
"""

from __future__ import annotations

from dataclasses import replace

from logitstats.render.data import ComparisonData, ReportData
from logitstats.render.document import Document, Table, comparison_document, report_document
from logitstats.render.escape import escape_text

__all__ = ["report_text", "comparison_text", "document_text"]

_WIDTH = 78


def _escaped(t: Table) -> Table:
    e = escape_text
    return replace(
        t,
        caption=e(t.caption),
        columns=tuple(e(c) for c in t.columns),
        rows=tuple(tuple(e(c) for c in r) for r in t.rows),
    )


def _grid(t: Table) -> list[str]:
    t = _escaped(t)
    rows = [t.columns, *t.rows] if t.kind == "grid" else list(t.rows)
    ncol = len(t.align)
    widths = [max(len(r[i]) for r in rows) for i in range(ncol)]

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            c.ljust(widths[i]) if t.align[i] == "l" else c.rjust(widths[i])
            for i, c in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    if t.kind == "keyvalue":
        kw = max(len(k) for k, _ in t.rows) + 1
        return [f"{k + ':':<{kw}} {v}".rstrip() for k, v in t.rows]
    out = [line(t.columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in t.rows]
    return out


def document_text(doc: Document) -> str:
    """Render a :class:`Document` as plain text."""
    e = escape_text
    title = e(doc.title)
    out = [title, "=" * max(len(title), 1)]
    if doc.subtitle:
        out.append(e(doc.subtitle))
    for s in doc.sections:
        out += ["", e(s.title), "-" * len(e(s.title))]
        for i, t in enumerate(s.tables):
            if i or t.caption != s.title:
                if i:
                    out.append("")
                if t.caption != s.title:
                    out.append(e(t.caption) + ":")
            out += _grid(t)
        for f in s.figures:
            out.append(f"[figure: {e(f.title)} (in the HTML and docx reports)]")
        for note in s.notes:
            out.append(f"Note: {e(note)}")
    out += ["", e(doc.footer)]
    return "\n".join(out) + "\n"


def report_text(data: ReportData) -> str:
    """A regression report as plain text."""
    return document_text(report_document(data))


def comparison_text(data: ComparisonData) -> str:
    """A model comparison as plain text."""
    return document_text(comparison_document(data))
