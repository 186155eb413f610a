"""Plain text: :func:`document_text` renders summaries, reports and comparisons (a Document).

Fixed-width tables for a terminal or a log file; figures are listed by title (they are embedded
only in the HTML and docx reports). The summary follows R's ``summary.glm`` (its own compact
layout of the one-section summary document). Every string is escaped with
:func:`logitstats.render.escape.escape_text` (control characters and bidi overrides in names are
shown as escapes, never sent to the terminal).
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from logitstats.render.document import (
    Cell,
    Document,
    Table,
    cell_text,
)
from logitstats.render.escape import escape_text

__all__ = ["document_text"]

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
    # _escaped maps every cell through escape_text, so every cell is now a str.
    columns = cast(tuple[str, ...], t.columns)
    body = cast(tuple[tuple[str, ...], ...], t.rows)
    rows = [columns, *body] if t.kind == "grid" else list(body)
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
        return [f"{k + ':':<{kw}} {v}".rstrip() for k, v in body]
    sep = "  ".join("-" * w for w in widths)
    out = [line(columns), sep]
    for i, r in enumerate(body):
        if i in t.rules:
            out.append(sep)
        out.append(line(r))
    return out


def _c(cell: Cell) -> str:
    return cell_text(cell, escape_text, escape_text)


def _summary_grid(t: Table) -> list[str]:
    header = [_c(c) for c in t.columns]
    rows = [[_c(c) for c in r] for r in t.rows]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(widths[i]) if t.align[i] == "l" else c.rjust(widths[i])
            for i, c in enumerate(cells)
        )

    return [line(header)] + [line(r) for r in rows]


def _summary_layout(doc: Document) -> str:
    (s,) = doc.sections
    rule = "-" * _WIDTH
    out = [_c(doc.title), "=" * _WIDTH]
    grids = [t for t in s.tables if t.kind == "grid"]
    for t in s.tables:
        if t.kind == "keyvalue":
            width = max(len(_c(k)) for k, _ in t.rows)
            out += [f"{_c(k) + ':':<{width + 1}} {_c(v)}" for k, v in t.rows]
            out.append(rule)
        elif t.kind == "inline":
            out.append(rule)
            for r in t.rows:
                out.append("   ".join(f"{_c(k)}: {_c(v)}" for k, v in zip(r[::2], r[1::2])))
    coef: list[str] = []
    for t in grids:
        if t.caption:
            coef += [_c(t.caption) + ":", *("  " + x for x in _summary_grid(t)), ""]
        else:
            coef += _summary_grid(t)
    if grids and grids[-1].caption:
        coef.pop()
    coef += [escape_text(n) for t in grids for n in t.notes]
    at = out.index(rule) + 1
    out[at:at] = coef
    out += [f"Note: {escape_text(note)}" for note in s.notes]
    return "\n".join(out) + "\n"


def document_text(doc: Document) -> str:
    """Render a :class:`Document` as plain text (the summary layout for a summary)."""
    if doc.layout == "summary":
        return _summary_layout(doc)
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
            out += [f"Note: {e(note)}" for note in t.notes]
        for f in s.figures:
            out.append(f"[{e(f.title)} (in the HTML and docx reports)]")
        for note in s.notes:
            out.append(f"Note: {e(note)}")
    out += ["", e(doc.footer)]
    return "\n".join(out) + "\n"
