"""Markdown (GitHub-flavoured) reports and comparisons: pure functions of the report data.

Every cell and title is escaped with :func:`md_escape`, so user-provided names (columns, levels,
titles, formulas) cannot open links, emphasis, HTML tags, math or table cells.
"""

from __future__ import annotations

from .data import ComparisonData, ReportData
from .document import Document, Table, comparison_document, report_document

__all__ = ["report_markdown", "comparison_markdown", "document_markdown", "md_escape"]

_SPECIALS = set("\\`*_[]{}<>|#~&$!")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown, GFM-table and HTML specials; newlines become spaces.

    A ``<`` followed by a space (as in ``"< 0.001"``) cannot start an HTML tag and is kept.

    >>> md_escape("a*b_c <i>|x|</i>"), md_escape("< 0.001")
    ('a\\\\*b\\\\_c \\\\<i\\\\>\\\\|x\\\\|\\\\</i\\\\>', '< 0.001')
    """
    s = " ".join(str(text).splitlines())
    out = []
    for i, c in enumerate(s):
        if c == "<" and s[i + 1 : i + 2] == " ":
            out.append(c)
        elif c in _SPECIALS:
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def _row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(md_escape(c) for c in cells) + " |"


def _table(t: Table) -> list[str]:
    if t.kind == "keyvalue":
        out = ["| | |", "|---|---|"]
        out += ["| **" + md_escape(k) + "** | " + md_escape(v) + " |" for k, v in t.rows]
        return out
    rule = ["---" if a == "l" else "---:" for a in t.align]
    return [_row(t.columns), "|" + "|".join(rule) + "|", *(_row(r) for r in t.rows)]


def document_markdown(doc: Document) -> str:
    """Render a :class:`Document` as Markdown."""
    out = [f"# {md_escape(doc.title)}", ""]
    if doc.subtitle:
        out += [md_escape(doc.subtitle), ""]
    for s in doc.sections:
        out += [f"## {md_escape(s.title)}", ""]
        for t in s.tables:
            if t.caption != s.title:
                out += [f"**{md_escape(t.caption)}**", ""]
            out += _table(t) + [""]
        for f in s.figures:
            out += [f"*Figure: {md_escape(f.title)} (in the HTML and docx reports).*", ""]
        for note in s.notes:
            out += [f"> {md_escape(note)}", ""]
    out.append(f"*{md_escape(doc.footer)}*")
    return "\n".join(out) + "\n"


def report_markdown(data: ReportData) -> str:
    """A regression report as Markdown."""
    return document_markdown(report_document(data))


def comparison_markdown(data: ComparisonData) -> str:
    """A model comparison as Markdown."""
    return document_markdown(comparison_document(data))
