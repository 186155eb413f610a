"""Markdown (GitHub-flavoured): :func:`document_markdown` renders summaries, reports, comparisons.

Every user-provided string is escaped with :func:`logitstats.render.escape.escape_markdown`
(the summary's formula is a code span, :func:`~logitstats.render.escape.markdown_code`), so
names (columns, levels, titles, formulas) cannot open links, emphasis, HTML tags, math or
table cells, nor carry control characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from logitstats.render.document import (
    Cell,
    Document,
    Table,
    cell_text,
)
from logitstats.render.escape import escape_markdown, markdown_code

__all__ = ["document_markdown"]


def _row(cells: Sequence[Cell]) -> str:
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


def _c(cell: Cell) -> str:
    return cell_text(cell, escape_markdown, markdown_code)


def _summary_row(cells: tuple[Cell, ...]) -> str:
    return "| " + " | ".join(_c(c) for c in cells) + " |"


def _summary_layout(doc: Document) -> str:
    (s,) = doc.sections
    out = [f"## {_c(doc.title)}", ""]
    for i, t in enumerate(s.tables):
        if t.kind == "keyvalue":
            out += [f"- **{_c(k)}:** {_c(v)}" for k, v in t.rows]
        else:
            if t.caption:
                out += [f"### {_c(t.caption)}", ""]
            rule = tuple("---" if a == "l" else "---:" for a in t.align)
            out += [_summary_row(t.columns), "| " + " | ".join(rule) + " |"]
            out += [_summary_row(r) for r in t.rows]
        if i < len(s.tables) - 1:
            out.append("")
    for note in s.notes:
        out += ["", f"> Note: {escape_markdown(note)}"]
    return "\n".join(out) + "\n"


def document_markdown(doc: Document) -> str:
    """Render a :class:`Document` as Markdown (the summary layout for a summary)."""
    if doc.layout == "summary":
        return _summary_layout(doc)
    out = [f"# {escape_markdown(doc.title)}", ""]
    if doc.subtitle:
        out += [escape_markdown(doc.subtitle), ""]
    for s in doc.sections:
        out += [f"## {escape_markdown(s.title)}", ""]
        for t in s.tables:
            if t.caption != s.title:
                out += [f"**{escape_markdown(t.caption)}**", ""]
            out += _table(t) + [""]
            for note in t.notes:
                out += [f"> {escape_markdown(note)}", ""]
        for f in s.figures:
            out += [f"*{escape_markdown(f.title)} (in the HTML and docx reports).*", ""]
        for note in s.notes:
            out += [f"> {escape_markdown(note)}", ""]
    out.append(f"*{escape_markdown(doc.footer)}*")
    return "\n".join(out) + "\n"
