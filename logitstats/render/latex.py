r"""LaTeX reports and comparisons (booktabs tables): :func:`document_latex` of a Document.

The output is a fragment for ``\input`` (a section per report part, ``table`` floats with
``booktabs`` rules); the preamble needs ``\usepackage{booktabs}`` (and, with pdflatex,
``\usepackage[T1]{fontenc}`` for ``<``, ``>`` and ``|`` in names). Every string is escaped with
:func:`logitstats.render.escape.escape_latex` (control characters shown as escapes; brackets
and stars braced so that a cell never continues ``\\`` as its optional argument).
Figures are not included (they live in the HTML and docx reports).
"""

from __future__ import annotations

from logitstats.render.document import Document, Table
from logitstats.render.escape import escape_latex

__all__ = ["document_latex"]


def _table(t: Table) -> list[str]:
    e = escape_latex
    if t.kind == "keyvalue":
        spec, head = "ll", []
    else:
        spec = "".join(t.align)
        head = [" & ".join(e(c) for c in t.columns) + r" \\", r"\midrule"]
    body = [" & ".join(e(c) for c in r) + r" \\" for r in t.rows]
    return [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{e(t.caption)}}}",
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        *head,
        *body,
        r"\bottomrule",
        r"\end{tabular}",
        r"\end{table}",
    ]


def document_latex(doc: Document) -> str:
    """Render a :class:`Document` as a LaTeX fragment (needs the booktabs package)."""
    e = escape_latex
    out = [
        "% logitstats report; requires \\usepackage{booktabs}",
        rf"\section*{{{e(doc.title)}}}",
    ]
    if doc.subtitle:
        out.append(e(doc.subtitle))
    for s in doc.sections:
        out += ["", rf"\subsection*{{{e(s.title)}}}"]
        for t in s.tables:
            out += _table(t)
        for f in s.figures:
            out.append(f"% figure not included in LaTeX output: {e(f.title)}")
        for n in s.notes:
            out += ["", rf"\noindent\emph{{Note:}} {e(n)}"]
    out += ["", rf"\noindent\emph{{{e(doc.footer)}}}"]
    return "\n".join(out) + "\n"
