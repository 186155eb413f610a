"""Hostile names: column names, factor levels, outcome, data name and titles holding HTML, LaTeX
and Markdown specials come out escaped (and read back unchanged) in every format."""

from __future__ import annotations

import json
import re

import pytest

import logitstats as ls
from tests.report_cases import (
    HOSTILE_COL,
    HOSTILE_DATA,
    HOSTILE_LEVEL,
    HOSTILE_OUTCOME,
    HOSTILE_TITLE,
    docx_tables,
    hostile_fit,
    latex_tables,
    latex_unescape,
    markdown_tables,
    parse_html,
)

TERM_COL = f'Q("{HOSTILE_COL}")'
TERM_LEVEL = f'C(g, Treatment("plain"))[T.{HOSTILE_LEVEL}]'
OUTCOME = f'Q("{HOSTILE_OUTCOME}")'


@pytest.fixture(scope="module")
def outputs() -> dict[str, str | bytes]:
    fit = hostile_fit()
    from logitstats.report import build_report, render_report

    data = build_report(fit, title=HOSTILE_TITLE, figures=False)
    return {
        f: render_report(data, f) for f in ("text", "markdown", "html", "latex", "json", "docx")
    }


def _terms(rows: list[list[str]]) -> list[str]:
    return [r[0] for r in rows[1:]]


def test_html_escapes_everything(outputs):
    html = outputs["html"]
    p = parse_html(html)
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "h1",
        "h2",
        "p",
        "section",
        "div",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "footer",
    }
    assert set(p.tags) <= allowed  # no <script>, <img>, <b>, <i> from the names
    assert "<script>" not in html and "<img" not in html
    assert set(_terms(p.tables["coefficients-table"])) == {"Intercept", TERM_COL, TERM_LEVEL}
    model = dict(p.tables["model-table"])
    assert model["Data"] == HOSTILE_DATA and model["Outcome"] == OUTCOME
    assert HOSTILE_COL in model["Formula"]
    assert re.search(r"<title>(.*)</title>", html).group(1) == (
        "Title &lt;img src=x onerror=alert(2)&gt; &amp; _*bold*_ $x^2$ \\textbf{t} | # % ~"
    )


_MD_SPECIALS = set("\\`*_[]{}<>|#~&$!")


def _md_unescaped_specials(cell: str) -> list[str]:
    """Specials not preceded by a backslash (a '<' before a space cannot open a tag)."""
    out, i = [], 0
    while i < len(cell):
        c = cell[i]
        if c == "\\":
            i += 2
            continue
        if c in _MD_SPECIALS and not (c == "<" and cell[i + 1 : i + 2] == " "):
            out.append(c)
        i += 1
    return out


def test_markdown_escapes_everything(outputs):
    md = outputs["markdown"]
    title = md.splitlines()[0]
    assert title.startswith("# ") and not _md_unescaped_specials(title[2:])
    for line in md.splitlines():
        if line.startswith("| ") and "**" not in line:
            for cell in re.split(r"(?<!\\)\|", line)[1:-1]:
                assert not _md_unescaped_specials(cell.strip()), cell
    coef = next(t for t in markdown_tables(md) if t[0][0] == "Term")
    assert set(_terms(coef)) == {"Intercept", TERM_COL, TERM_LEVEL}
    model = {r[0].strip("*"): r[1] for r in markdown_tables(md)[0]}
    assert model["Data"] == HOSTILE_DATA and model["Outcome"] == OUTCOME


def test_latex_escapes_everything(outputs):
    tex = outputs["latex"]
    tables = latex_tables(tex)
    coef = next(t for t in tables if t[0][0] == "Term")
    assert set(_terms(coef)) == {"Intercept", TERM_COL, TERM_LEVEL}
    model = dict(tables[0])
    assert model["Data"] == HOSTILE_DATA and model["Outcome"] == OUTCOME
    title = re.search(r"^\\section\*\{(.*)\}$", tex, re.M).group(1)
    assert latex_unescape(title) == HOSTILE_TITLE
    # no special survives unescaped in any table row or heading
    for line in tex.splitlines():
        if line.startswith(
            ("%", r"\begin", r"\end", r"\centering", r"\toprule", r"\midrule", r"\bottomrule")
        ):
            continue
        body = re.sub(
            r"\\(textbackslash|textasciitilde|textasciicircum|textless|textgreater|"
            r"textbar|textsuperscript\{2)\{\}|\\[&%$#_{}]|\{[\[\]*]\}",
            "",
            line,
        )
        body = re.sub(r"^\\(section\*|subsection\*|caption|noindent\\emph)\{|\\\\$", "", body)
        body = body.replace(r"\emph{Note:}", "").replace(" & ", " ")
        assert not re.search(r"[&%$#_^~<>|\[\]*]", body), line


def test_text_json_docx_keep_names_verbatim(outputs):
    text = outputs["text"]
    assert text.splitlines()[0] == HOSTILE_TITLE
    assert TERM_COL in text and TERM_LEVEL in text and HOSTILE_DATA in text
    doc = json.loads(outputs["json"])
    assert doc["title"] == HOSTILE_TITLE and doc["model"]["data_name"] == HOSTILE_DATA
    assert {r["term"] for r in doc["coefficients"]} == {"Intercept", TERM_COL, TERM_LEVEL}
    tables = docx_tables(outputs["docx"])
    coef = next(t for t in tables if t[0][0] == "Term")
    assert set(_terms(coef)) == {"Intercept", TERM_COL, TERM_LEVEL}


@pytest.mark.parametrize("fmt", ["markdown", "html", "latex"])
def test_comparison_escapes_names(fmt):
    fit = hostile_fit()
    out = ls.compare([fit, fit], names=[HOSTILE_TITLE, "<b>2</b>"], title=HOSTILE_TITLE)
    text = out.render(fmt)
    raw = re.compile(r"(?<!\\)<(img|b)[\s>]")  # an unescaped tag opener
    assert not raw.search(text)
    if fmt == "html":
        p = parse_html(text)
        assert p.tables["comparison-table"][0] == ["", HOSTILE_TITLE, "<b>2</b>"]
    elif fmt == "markdown":
        coef = next(t for t in markdown_tables(text) if len(t[0]) == 3)
        assert coef[0] == ["", HOSTILE_TITLE, "<b>2</b>"]
    else:
        coef = next(t for t in latex_tables(text) if t[0][0] == "")
        assert coef[0] == ["", HOSTILE_TITLE, "<b>2</b>"]
