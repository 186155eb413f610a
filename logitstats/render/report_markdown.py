"""Markdown (GitHub-flavoured) reports and comparisons: pure functions of the report data.

Every cell and title is escaped with :func:`logitstats.render.escape.escape_markdown`, so
user-provided names (columns, levels, titles, formulas) cannot open links, emphasis, HTML tags,
math or table cells, nor carry control characters.
"""

from __future__ import annotations

from logitstats.render.data import ComparisonData, ReportData
from logitstats.render.document import Document, Table, comparison_document, report_document
from logitstats.render.escape import escape_markdown

__all__ = ["report_markdown", "comparison_markdown", "document_markdown"]


def _row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(escape_markdown(c) for c in cells) + " |"


def _table(t: Table) -> list[str]:
    if t.kind == "keyvalue":
        out = ["| | |", "|---|---|"]
        out += [
            "| **" + escape_markdown(k) + "** | " + escape_markdown(v) + " |" for k, v in t.rows
        ]
        return out
    rule = ["---" if a == "l" else "---:" for a in t.align]
    return [_row(t.columns), "|" + "|".join(rule) + "|", *(_row(r) for r in t.rows)]


def document_markdown(doc: Document) -> str:
    """Render a :class:`Document` as Markdown."""
    out = [f"# {escape_markdown(doc.title)}", ""]
    if doc.subtitle:
        out += [escape_markdown(doc.subtitle), ""]
    for s in doc.sections:
        out += [f"## {escape_markdown(s.title)}", ""]
        for t in s.tables:
            if t.caption != s.title:
                out += [f"**{escape_markdown(t.caption)}**", ""]
            out += _table(t) + [""]
        for f in s.figures:
            out += [f"*Figure: {escape_markdown(f.title)} (in the HTML and docx reports).*", ""]
        for note in s.notes:
            out += [f"> {escape_markdown(note)}", ""]
    out.append(f"*{escape_markdown(doc.footer)}*")
    return "\n".join(out) + "\n"


def report_markdown(data: ReportData) -> str:
    """A regression report as Markdown."""
    return document_markdown(report_document(data))


def comparison_markdown(data: ComparisonData) -> str:
    """A model comparison as Markdown."""
    return document_markdown(comparison_document(data))
