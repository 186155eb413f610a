r"""LaTeX reports and comparisons: :func:`document_latex`, :func:`standalone_document`.

The output is a fragment for ``\input``: ``table`` floats with ``booktabs`` rules, numbered
captions ("Table 1: ...") and the table's notes inside the float under the tabular. Numeric
columns are ``dcolumn`` ``D{.}{.}{-1}`` columns: numbers line up on the decimal point and are
set in math mode, so a negative number has a true minus sign; stars are superscripts; text
cells (headers, "< 0.001", "— (ref)", intervals) are centred ``\multicolumn`` cells, intervals
in math mode. Label-value tables are ``tabularx`` tables of the text width, so a long formula
wraps instead of running into the margin; a wide grid is set smaller (``\footnotesize``,
narrower column gaps) and, if still too wide, scaled to the text width. The preamble needs::

    \usepackage[T1]{fontenc}
    \usepackage{booktabs,dcolumn,tabularx,graphicx}

(all in Debian's ``texlive-latex-base`` and ``texlive-latex-recommended``);
:func:`standalone_document` wraps a fragment in an ``article`` with that preamble. Every string
is escaped with :func:`logitstats.render.escape.escape_latex` (control characters shown as
escapes; brackets and stars braced so that a cell never continues ``\\`` as its optional
argument). Figures are not included (they live in the HTML and docx reports).
"""

from __future__ import annotations

import re

from logitstats.render.document import Document, Table
from logitstats.render.escape import escape_latex

__all__ = ["document_latex", "standalone_document", "PREAMBLE"]

#: the packages a fragment needs
PREAMBLE = r"""\usepackage[T1]{fontenc}
\usepackage{booktabs}
\usepackage{dcolumn}
\usepackage{tabularx}
\usepackage{graphicx}"""

_NUMBER = re.compile(r"^(\()?(-?\d+(?:\.\d+)?)(\))?(\*{1,3})?$")
_BOUND = r"-?\d+(?:\.\d+)?|-?Inf|NA"
_INTERVAL = re.compile(rf"^(-?\d+(?:\.\d+)?(?:\*{{1,3}})? )?\[({_BOUND}), ({_BOUND})\]$")


def _dcolumn(t: Table, j: int) -> str:
    """A dcolumn column aligned on the decimal point, as wide as its numbers need
    (``D{.}{.}{left.right}``: digits left and right of the point)."""
    left, right = 1, 0
    for r in t.rows:
        m = _NUMBER.match(str(r[j]))
        if m:
            head, _, tail = m.group(0).partition(".")
            left, right = max(left, len(head)), max(right, len(tail))
    return f"D{{.}}{{.}}{{{left}.{right}}}"


def _bound(text: str) -> str:
    return {"Inf": r"\infty", "-Inf": r"-\infty", "NA": r"\mathrm{NA}"}.get(text, text)


def _math_number(m: re.Match[str]) -> str:
    left, number, right, stars = m.groups()
    out = (left or "") + number + (right or "")
    return out + (f"^{{{stars}}}" if stars else "")


def _cell(text: str, numeric: bool) -> str:
    """A cell of a numeric (dcolumn) or text column."""
    m = _NUMBER.match(text)
    if numeric and m:
        return _math_number(m)
    m2 = _INTERVAL.match(text)
    if m2:
        est, lo, hi = m2.groups()
        head = ""
        if est:
            mn = _NUMBER.match(est.strip())
            head = (_math_number(mn) if mn else est.strip()) + r"\ "
        body = rf"${head}[{_bound(lo)},\ {_bound(hi)}]$"
        return rf"\multicolumn{{1}}{{c}}{{{body}}}" if numeric else body
    if numeric:
        return rf"\multicolumn{{1}}{{c}}{{{escape_latex(text)}}}" if text else ""
    return escape_latex(text)


def _notes(notes: tuple[str, ...]) -> list[str]:
    if not notes:
        return []
    body = r" \\ ".join(escape_latex(n) for n in notes)
    return [
        r"\par\smallskip",
        r"\begin{minipage}{\linewidth}\footnotesize\raggedright",
        rf"\emph{{Note:}} {body}",
        r"\end{minipage}",
    ]


#: a grid's width in characters (widest cell of each column, plus two for the column gap)
#: that fits the text width of a default article (345 pt) at \small and at \footnotesize
#: with narrower gaps; wider grids are also scaled to the text width (graphicx).
_SMALL_CHARS, _FOOTNOTE_CHARS = 72, 84


def _width(t: Table) -> int:
    rows = [t.columns, *t.rows]
    return sum(max(len(str(r[j])) for r in rows) + 2 for j in range(len(t.align)))


def _sized(t: Table, tabular: list[str]) -> list[str]:
    """The tabular in a font size (and, when still too wide, a scaling) that fits the page."""
    if t.kind == "keyvalue" or _width(t) <= _SMALL_CHARS:
        return [r"\small", *tabular]
    if _width(t) <= _FOOTNOTE_CHARS:
        return [r"\footnotesize", r"\setlength{\tabcolsep}{4pt}", *tabular]
    return [
        r"\footnotesize",
        r"\setlength{\tabcolsep}{4pt}",
        r"\resizebox{\linewidth}{!}{%",
        *tabular[:-1],
        tabular[-1] + "}",
    ]


def _table(t: Table) -> list[str]:
    e = escape_latex
    if t.kind == "keyvalue":
        body = [rf"{e(k)} & {e(v)} \\" for k, v in t.rows]
        tabular = [
            r"\begin{tabularx}{\linewidth}{@{}lX@{}}",
            r"\toprule",
            *body,
            r"\bottomrule",
            r"\end{tabularx}",
        ]
    else:
        numeric = [a == "r" for a in t.align]
        spec = "".join(_dcolumn(t, j) if n else "l" for j, n in enumerate(numeric))
        head = " & ".join(
            rf"\multicolumn{{1}}{{c}}{{{e(c)}}}" if n and c else e(c)
            for c, n in zip(t.columns, numeric)
        )
        body = []
        for i, r in enumerate(t.rows):
            if i in t.rules:
                body.append(r"\midrule")
            body.append(" & ".join(_cell(str(c), n) for c, n in zip(r, numeric)) + r" \\")
        tabular = [
            rf"\begin{{tabular}}{{@{{}}{spec}@{{}}}}",
            r"\toprule",
            head + r" \\",
            r"\midrule",
            *body,
            r"\bottomrule",
            r"\end{tabular}",
        ]
    return [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{e(t.caption)}}}",
        *_sized(t, tabular),
        *_notes(t.notes),
        r"\end{table}",
    ]


def document_latex(doc: Document) -> str:
    """Render a :class:`Document` as a LaTeX fragment (packages: see :data:`PREAMBLE`).

    A comparison (one section) is its table floats only; a report has a section per part.
    """
    e = escape_latex
    head = "% logitstats; the preamble needs: " + " ".join(PREAMBLE.splitlines())
    if len(doc.sections) == 1 and doc.sections[0].key == "comparison":
        out = [head]
        for t in doc.sections[0].tables:
            out += _table(t)
        return "\n".join(out) + "\n"
    out = [head, rf"\section*{{\raggedright {e(doc.title)}}}"]
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


def standalone_document(fragment: str) -> str:
    r"""A complete ``article`` (default page and margins) holding ``fragment``; compiles with
    ``pdflatex`` from Debian's ``texlive-latex-base`` and ``texlive-latex-recommended``.

    >>> print(standalone_document("x").splitlines()[0])
    \documentclass{article}
    """
    return "\n".join(
        [r"\documentclass{article}", PREAMBLE, r"\begin{document}", fragment.rstrip("\n")]
        + [r"\end{document}", ""]
    )
