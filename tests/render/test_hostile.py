"""Hostile names: column names, factor levels, outcome, data name and titles holding HTML, LaTeX
and Markdown specials come out escaped (and read back unchanged) in every format."""

from __future__ import annotations

import functools
import html
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

import logitstats as ls
from logitstats.render.escape import escape_html, escape_text
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
    md_unescape,
    parse_html,
)

TERM_COL = f'Q("{HOSTILE_COL}")'
TERM_LEVEL = f'C(g, Treatment("plain"))[T.{HOSTILE_LEVEL}]'
#: the same terms as report and comparison tables show them (readable labels, reference row)
LABELS = {"Intercept", HOSTILE_COL, "g: plain", f"g: {HOSTILE_LEVEL}"}
OUTCOME = f'Q("{HOSTILE_OUTCOME}")'


@pytest.fixture(scope="module")
def outputs() -> dict[str, str | bytes]:
    fit = hostile_fit()
    from logitstats.reporting.report import build_report, render_report

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
        "tfoot",
        "footer",
    }
    assert set(p.tags) <= allowed  # no <script>, <img>, <b>, <i> from the names
    assert "<script>" not in html and "<img" not in html
    assert set(_terms(p.tables["coefficients-table"])) == LABELS
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
    assert set(_terms(coef)) == LABELS
    model = {r[0].strip("*"): r[1] for r in markdown_tables(md)[0]}
    assert model["Data"] == HOSTILE_DATA and model["Outcome"] == OUTCOME


def test_latex_escapes_everything(outputs):
    tex = outputs["latex"]
    tables = latex_tables(tex)
    coef = next(t for t in tables if t[0][0] == "Term")
    assert set(_terms(coef)) == LABELS
    model = dict(tables[0])
    assert model["Data"] == HOSTILE_DATA and model["Outcome"] == OUTCOME
    title = re.search(r"^\\section\*\{\\raggedright (.*)\}$", tex, re.M).group(1)
    assert latex_unescape(title) == HOSTILE_TITLE
    # no special survives unescaped in any table row or heading
    for line in tex.splitlines():
        if line.startswith(
            ("%", r"\begin", r"\end", r"\centering", r"\toprule", r"\midrule", r"\bottomrule")
            + (r"\resizebox", r"\small", r"\footnotesize", r"\setlength", r"\par")
        ):
            continue
        body = re.sub(
            r"\\(textbackslash|textasciitilde|textasciicircum|textless|textgreater|"
            r"textbar|textsuperscript\{2)\{\}|\\[&%$#_{}]|\{[\[\]*]\}",
            "",
            line,
        )
        # math-mode numbers of the dcolumn columns (intervals, stars) and centred text cells
        body = re.sub(r"\$[-\d.,\\ \[\]{}^*a-z]*\$|\^\{\*+\}", "", body)
        body = body.replace(r"\multicolumn{1}{c}{", "")
        body = re.sub(r"^\\(section\*|subsection\*|caption|noindent\\emph)\{|\\\\$", "", body)
        body = body.replace(r"\emph{Note:}", "").replace(" & ", " ")
        assert not re.search(r"[&%$#_^~<>|\[\]*]", body), line


def test_text_json_docx_keep_names_verbatim(outputs):
    text = outputs["text"]
    assert text.splitlines()[0] == HOSTILE_TITLE
    assert all(t in text for t in LABELS) and HOSTILE_DATA in text
    doc = json.loads(outputs["json"])
    assert doc["title"] == HOSTILE_TITLE and doc["model"]["data_name"] == HOSTILE_DATA
    assert {r["term"] for r in doc["coefficients"]} == {"Intercept", TERM_COL, TERM_LEVEL}
    tables = docx_tables(outputs["docx"])
    coef = next(t for t in tables if t[0][0] == "Term")
    assert set(_terms(coef)) == LABELS


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


# --------------------------------------------------------------------------- terminal-hostile names
# Names and levels holding Markdown code-span breakers (backticks), raw HTML, mathtext ($...$),
# terminal escape sequences (OSC 52 writes the clipboard, CSI 2J clears the screen), carriage
# returns, bidi overrides and the specials of every format. Backslashes are in the level and
# the data name only: in Q("...") the allow-list reads a backslash as typed but patsy evaluates
# the literal, so a column name with a backslash cannot be written consistently.

NASTY_LEVEL = "lv`<script>alert(1)</script> $x^2$ \x1b]52;c;aGk=\x07 \r| % & _ {} \\ \u202eRTL"
NASTY_COL = "c``<b>x</b>` $x_1^{2}$ | % & _ {} #"
NASTY_CTRL_COL = "e\x1b[2Jx\x9b\x7f"
NASTY_DATA = "d\x1b[2J<i>&\\\r"
NASTY_OUTCOME = "o`<script>s</script>\x1b]52;c;eA==\x07|$y$\u202e"
NASTY_NAMES = ("m``<script>1</script>\x1b[2J", "<b>2</b>\u202e|$z$")
NASTY_TERMS = {
    "Intercept",
    f'Q("{NASTY_COL}")',
    f'Q("{NASTY_CTRL_COL}")',
    f'C(g, Treatment("plain"))[T.{NASTY_LEVEL}]',
}
SHOWN_TERMS = {escape_text(t) for t in NASTY_TERMS}
#: as report and comparison tables show them (readable labels, the reference-level row)
SHOWN_LABELS = {
    escape_text(t)
    for t in ("Intercept", NASTY_COL, NASTY_CTRL_COL, f"g: {NASTY_LEVEL}", "g: plain")
}


def _shown(what: str) -> set[str]:
    return SHOWN_TERMS if what.startswith("summary") else SHOWN_LABELS
#: C0/C1 controls, DEL, bidi controls, line separators; "\n" is allowed only as our line break.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
#: Tags a CommonMark renderer may produce from our Markdown (none comes from a name).
MD_TAGS = {
    "h1", "h2", "h3", "p", "ul", "li", "strong", "em", "code", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def _nasty_frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 240
    g = rng.choice(["plain", NASTY_LEVEL], size=n)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    eta = -0.2 + 0.7 * x - 0.4 * z + 0.6 * (g == "plain")
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int)
    u = rng.uniform(size=n)
    outcome = np.where(u < 0.33, "plain", np.where(u < 0.66, "other", NASTY_OUTCOME))
    return pd.DataFrame({"y": y, "party": outcome, NASTY_COL: x, NASTY_CTRL_COL: z, "g": g})


NASTY_RHS = f'Q("{NASTY_COL}") + Q("{NASTY_CTRL_COL}") + C(g, Treatment("plain"))'


@functools.cache
def nasty_fits() -> tuple[ls.LogitResult, ls.MLogitResult]:
    df = _nasty_frame()
    binary = ls.logit(f"y ~ {NASTY_RHS}", df, data_name=NASTY_DATA)
    multi = ls.mlogit(f"party ~ {NASTY_RHS}", df, reference="plain", data_name=NASTY_DATA)
    return binary, multi


def _nasty_outputs() -> list[tuple[str, str, str | bytes]]:
    """(what, format, output) for summaries, reports and comparisons of both fits."""
    from logitstats.reporting.report import build_report, render_report

    out = []
    for kind, fit in zip(("binary", "multinomial"), nasty_fits()):
        for fmt in ("text", "markdown", "json"):
            out.append((f"summary-{kind}", fmt, fit.summary(format=fmt)))
        data = build_report(fit, title=NASTY_NAMES[0], figures=False)
        for fmt in ("text", "markdown", "html", "latex", "json", "docx"):
            out.append((f"report-{kind}", fmt, render_report(data, fmt)))
        table = ls.compare([fit, fit], names=list(NASTY_NAMES), title=NASTY_NAMES[1])
        for fmt in ("text", "markdown", "html", "latex", "json", "docx"):
            out.append((f"comparison-{kind}", fmt, table.render(fmt)))
    return out


@pytest.fixture(scope="module")
def nasty_outputs() -> list[tuple[str, str, str | bytes]]:
    return _nasty_outputs()


def _docx_text(blob: bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(blob))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _first_column(tables: list[list[list[str]]], head: str) -> set[str]:
    rows = [r for t in tables if t and t[0][0] == head for r in t[1:]]
    cells = {r[0] for r in rows if r[0]}
    # comparison row labels of multinomial fits are "outcome: term"
    outcomes = {escape_text(o) for o in ("other", NASTY_OUTCOME)}
    return {
        c.split(": ", 1)[1] if ": " in c and c.split(": ", 1)[0] in outcomes else c for c in cells
    }


def test_no_control_character_reaches_any_output(nasty_outputs):
    assert len(nasty_outputs) == 2 * (3 + 6 + 6)
    for what, fmt, out in nasty_outputs:
        text = _docx_text(out) if fmt == "docx" else out
        bad = UNSAFE.search(text)
        assert bad is None, (what, fmt, repr(text[bad.start() - 40 : bad.end() + 40]))
        shown = {"json": "\\u001b", "latex": "\\textbackslash{}x1b"}.get(fmt, "\\x1b")
        assert shown in text, (what, fmt)  # shown escaped, not dropped


def test_json_stays_valid_and_round_trips_exact_names(nasty_outputs):
    for what, fmt, out in nasty_outputs:
        if fmt != "json":
            continue
        doc = json.loads(out)
        if what.startswith("comparison"):
            assert [m["name"] for m in doc["models"]] == list(NASTY_NAMES)
            assert doc["title"] == NASTY_NAMES[1]
            coefs = doc["models"][0]["coefficients"]
        else:
            assert doc["model"]["data_name"] == NASTY_DATA
            coefs = doc["coefficients"]
        assert {r["term"] for r in coefs} == NASTY_TERMS, what
        if what.endswith("multinomial"):
            assert NASTY_OUTCOME in {r["outcome"] for r in coefs}
            if not what.startswith("comparison"):
                assert NASTY_OUTCOME in doc["model"]["levels"]


def test_text_shows_every_name_escaped(nasty_outputs):
    for what, fmt, out in nasty_outputs:
        if fmt != "text":
            continue
        for term in _shown(what):
            assert term in out, (what, term)
        if not what.startswith("comparison"):
            assert escape_text(NASTY_DATA) in out
        if what.endswith("multinomial"):
            assert escape_text(NASTY_OUTCOME) in out


def test_markdown_renders_without_raw_html_from_names(nasty_outputs):
    mdit = pytest.importorskip("markdown_it")
    render = mdit.MarkdownIt("commonmark").enable("table").render
    for what, fmt, out in nasty_outputs:
        if fmt != "markdown":
            continue
        rendered = render(out)
        p = parse_html(rendered)
        assert set(p.tags) <= MD_TAGS, (what, set(p.tags) - MD_TAGS)
        assert "<script" not in rendered and "<b>" not in rendered and "<i>" not in rendered
        tables = list(p.tables.values())
        head = "" if what.startswith("comparison") else "Term"
        assert _first_column(tables, head) >= _shown(what), what
        assert all(len(r) == len(t[0]) for t in tables for r in t), what  # no extra cells
        if what.startswith("summary"):  # the formula is one literal code span
            fit = nasty_fits()[what.endswith("multinomial")]
            # markdown-it writes & < > " as character references inside <code>
            code = html.escape(escape_text(fit.design.formula), quote=False).replace('"', "&quot;")
            assert f"<code>{code}</code>" in rendered, what


def test_html_latex_docx_show_every_name_escaped(nasty_outputs):
    allowed = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p"}
    allowed |= {"section", "div", "table", "caption", "thead", "tbody", "tr", "th", "td"}
    allowed |= {"footer", "tfoot"}
    for what, fmt, out in nasty_outputs:
        head = "" if what.startswith("comparison") else "Term"
        if fmt == "html":
            p = parse_html(out)
            assert set(p.tags) <= allowed, (what, set(p.tags) - allowed)
            tables = list(p.tables.values())
        elif fmt == "latex":
            tables = latex_tables(out)
        elif fmt == "docx":
            tables = docx_tables(out)
        else:
            continue
        assert _first_column(tables, head) >= _shown(what), (what, fmt)
        if what.startswith("comparison"):
            assert tables[0][0][1:] == [escape_text(n) for n in NASTY_NAMES], (what, fmt)


def test_cli_fit_markdown_and_errors_do_not_print_controls(tmp_path, capsys):
    from logitstats.cli import main

    path = tmp_path / "nasty.csv"
    _nasty_frame().to_csv(path, index=False)
    code = main(["fit", f"y ~ {NASTY_RHS}", "--data", str(path), "--format", "markdown"])
    out, err = capsys.readouterr()
    assert code == 0 and not UNSAFE.search(out)
    # (a CSV file does not keep the level's "\r": the reader splits the row there)
    assert "\\x1b]52;c;aGk=\\x07" in md_unescape(out) and escape_text(
        NASTY_CTRL_COL
    ) in md_unescape(out)
    code = main(["fit", 'y ~ Q("no\x1b]52;c;aGk=\x07such\u202e")', "--data", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert not UNSAFE.search(err.rstrip("\n")) and err.count("\n") == 1
    assert re.search(r"error: .*no\\x1b\]52;c;aGk=\\x07such\\u202e", err)


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize("kind", ["binary", "multinomial"])
def test_forest_plot_labels_are_plain_text(kind):
    pytest.importorskip("matplotlib")
    from logitstats.reporting.plots import figure_svg, forest_plot

    df = _nasty_frame()
    level = "a $\\undefinedmacro{x}$ b $x^2$"  # invalid as mathtext: it used to crash savefig
    df["g"] = df["g"].map({"plain": "plain", NASTY_LEVEL: level})
    df["party"] = df["party"].map({"plain": "plain", "other": "$y$", NASTY_OUTCOME: NASTY_OUTCOME})
    rhs = f'Q("{NASTY_COL}") + C(g, Treatment("plain"))'
    if kind == "binary":
        fit = ls.logit(f"y ~ {rhs}", df)
    else:
        fit = ls.mlogit(f"party ~ {rhs}", df, reference="plain")
    fig = forest_plot(fit)
    svg = figure_svg(fig)  # renders: no mathtext parsing of the names
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # ordinary (control-free) names are kept exactly, as readable labels
    shown = {f'Q("{NASTY_COL}")': NASTY_COL, f'C(g, Treatment("plain"))[T.{level}]': f"g: {level}"}
    terms = [t for t in dict.fromkeys(fit.tidy()["term"]) if t != "Intercept"]
    assert labels == [shown[t] for t in terms]
    assert all(not t.get_parse_math() and not t.get_usetex() for t in fig.axes[0].get_yticklabels())
    assert "$x^2$" in svg and "$x_1^{2}$" in svg  # drawn as text, dollar signs shown
    if kind == "multinomial":
        titles = [ax.get_title() for ax in fig.axes]
        assert titles == ["$y$ vs plain", f"{escape_text(NASTY_OUTCOME)} vs plain"]
        assert not UNSAFE.search(svg)


# The forest plot's long tick labels leave constrained_layout no room; matplotlib says so.
@pytest.mark.filterwarnings("ignore:constrained_layout not applied:UserWarning")
def test_report_html_with_figures_from_nasty_names():
    pytest.importorskip("matplotlib")
    binary, _ = nasty_fits()
    out = binary.report("html")
    assert not UNSAFE.search(out)
    assert "<script" not in out
    assert escape_html(f'Q("{NASTY_COL}")') in out  # the forest plot's tick label, as SVG text
