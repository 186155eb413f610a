"""Shared models and format parsers for the report, renderer and comparison tests.

The parsers read tables back out of each output format (HTML via :mod:`html.parser`, docx via
python-docx, Markdown/LaTeX/text by their table syntax) so tests can check that every format
shows the same cells.
"""

from __future__ import annotations

import functools
import io
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd

import logitstats as ls

FORMULA_BIN = "GRADE ~ GPA + TUCE + PSI"
FORMULA_MNL = "party ~ age + income + selfLR"


@functools.cache
def spector_fit() -> ls.LogitResult:
    return ls.logit(FORMULA_BIN, ls.datasets.load("spector"), data_name="spector")


@functools.cache
def anes_fit() -> ls.MLogitResult:
    return ls.mlogit(FORMULA_MNL, ls.datasets.load("anes96"), reference="Dem", data_name="anes96")


HOSTILE_COL = "<script>alert(1)</script>"
HOSTILE_LEVEL = "a&b_<i>*x*</i>|$\\%{#}~^`[l](u)"
HOSTILE_OUTCOME = "y_$%&<b>"
HOSTILE_TITLE = "Title <img src=x onerror=alert(2)> & _*bold*_ $x^2$ \\textbf{t} | # % ~"
HOSTILE_DATA = "data<b>&amp;</b>_%$"


@functools.cache
def hostile_fit() -> ls.LogitResult:
    """A binary fit whose column names, levels, outcome and data name hold specials of HTML,
    LaTeX and Markdown."""
    rng = np.random.default_rng(7)
    n = 120
    g = rng.choice(["plain", HOSTILE_LEVEL], size=n)
    x = rng.normal(size=n)
    eta = -0.3 + 0.8 * x + 0.7 * (g == "plain")
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int)
    df = pd.DataFrame({HOSTILE_OUTCOME: y, HOSTILE_COL: x, "g": g})
    formula = f'Q("{HOSTILE_OUTCOME}") ~ Q("{HOSTILE_COL}") + C(g, Treatment("plain"))'
    return ls.logit(formula, df, data_name=HOSTILE_DATA)


# --------------------------------------------------------------------------- parsers


class _TableParser(HTMLParser):
    """Collects every <table> as (id, caption, rows of cell texts) and notes some tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.tags: list[str] = []
        self.attrs_seen: list[tuple[str, str, str | None]] = []
        self._tid: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.notes: list[list[str]] = []  # rows of every <tfoot>
        self._foot = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs_seen += [(tag, k, v) for k, v in attrs]
        if tag == "table":
            self._tid = dict(attrs).get("id") or f"table{len(self.tables)}"
            self.tables[self._tid] = []
        elif tag == "tfoot" and self._tid is not None:
            self._foot = True
        elif tag == "tr" and self._tid is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._tid is not None:
            # rows of a <tfoot> (the table notes) go to .notes, not into the table
            target = self.notes if self._foot else self.tables[self._tid]
            target.append(self._row)
            self._row = None
        elif tag == "tfoot":
            self._foot = False
        elif tag == "table":
            self._tid = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse_html(text: str) -> _TableParser:
    p = _TableParser()
    p.feed(text)
    p.close()
    return p


_MD_UNESCAPE = re.compile(r"\\(.)")


def md_unescape(s: str) -> str:
    return _MD_UNESCAPE.sub(r"\1", s)


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every GFM table: rows of unescaped cells (the delimiter row dropped)."""
    tables, cur = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            cells = [md_unescape(c.strip()) for c in cells]
            if all(re.fullmatch(r"-+:?", c) for c in cells):
                continue
            if cur is None:
                cur = []
                tables.append(cur)
            cur.append(cells)
        else:
            cur = None
    return tables


_LATEX_UNESCAPE = [
    (r"\textbackslash{}", "\\"),
    (r"\textasciitilde{}", "~"),
    (r"\textasciicircum{}", "^"),
    (r"\textless{}", "<"),
    (r"\textgreater{}", ">"),
    (r"\textbar{}", "|"),
    ("{[}", "["),
    ("{]}", "]"),
    ("{*}", "*"),
    (r"\textsuperscript{2}", "²"),
    ("--", "–"),
    (r"\&", "&"),
    (r"\%", "%"),
    (r"\$", "$"),
    (r"\#", "#"),
    (r"\_", "_"),
    (r"\{", "{"),
    (r"\}", "}"),
]


def latex_unescape(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        for esc, ch in _LATEX_UNESCAPE:
            if s.startswith(esc, i):
                out.append(ch)
                i += len(esc)
                break
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


_MULTICOLUMN = re.compile(r"^\\multicolumn\{1\}\{c\}\{(.*)\}$", re.S)


def latex_cell(cell: str) -> str:
    """A cell of our LaTeX tables as its text: the centring ``\\multicolumn`` of a text cell
    in a dcolumn column removed, math-mode numbers (``-1.2^{**}``, ``$[a,\\ b]$``,
    ``\\infty``) written as the other formats write them, then unescaped."""
    m = _MULTICOLUMN.match(cell)
    cell = m.group(1) if m else cell
    if re.fullmatch(r"\$[^$]*\$", cell):
        cell = cell[1:-1].replace(r",\ ", ", ").replace(r"\ ", " ")
        cell = cell.replace(r"-\infty", "-Inf").replace(r"\infty", "Inf")
        cell = cell.replace(r"\mathrm{NA}", "NA")
    number = re.sub(r"\^\{(\*{1,3})\}", r"\1", cell)
    if re.fullmatch(r"[-\d.()\[\], *InfA]+", number):
        return number
    return latex_unescape(cell)


def latex_tables(text: str) -> list[list[list[str]]]:
    """Rows of every tabular (between \\toprule and \\bottomrule), unescaped."""
    tables, cur = [], None
    for line in text.splitlines():
        if line == r"\toprule":
            cur = []
        elif line == r"\bottomrule":
            tables.append(cur)
            cur = None
        elif cur is not None and line != r"\midrule":
            assert line.endswith(r" \\"), line
            cur.append([latex_cell(c) for c in re.split(r"(?<!\\) & ", line[:-3])])
    return tables


def docx_tables(blob: bytes) -> list[list[list[str]]]:
    import docx

    d = docx.Document(io.BytesIO(blob))
    return [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def text_grid(text: str, header_start: str) -> list[list[str]]:
    """A fixed-width grid of the text report: the header line starting with ``header_start``,
    its dashed rule, and the rows up to the next blank or note line (cells split on 2+ spaces)."""
    lines = text.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith(header_start))
    rows = [re.split(r"\s{2,}", lines[i].strip())]
    for ln in lines[i + 2 :]:
        if not ln.strip() or ln.startswith("Note:"):
            break
        rows.append(re.split(r"\s{2,}", ln.strip()))
    return rows
