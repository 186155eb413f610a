"""The format registry (:mod:`logitstats.render.registry`): one row per
:class:`~logitstats.options.Format`, read by every place that offers, checks or writes a format."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import logitstats as ls
from logitstats.cli import BINARY_FORMATS, FIGURE_FORMATS, build_parser
from logitstats.errors import LogitstatsError
from logitstats.examples import FORMATS as EXAMPLE_SUFFIXES
from logitstats.options import Format
from logitstats.render.registry import FORMATS, format_spec, render_report
from logitstats.reporting.report import build_report
from tests.report_cases import HOSTILE_TITLE, anes_fit, spector_fit

PACKAGE = Path(ls.__file__).parent
ALL = "'text', 'markdown', 'html', 'latex', 'json', 'docx'"


def test_every_format_has_one_row_with_a_distinct_suffix():
    assert list(FORMATS) == list(Format)
    assert all(spec.format is f for f, spec in FORMATS.items())
    suffixes = [spec.suffix for spec in FORMATS.values()]
    assert suffixes == ["txt", "md", "html", "tex", "json", "docx"]


def test_format_spec_parses_names_case_insensitively_and_pins_the_message():
    assert format_spec("LaTeX") is FORMATS[Format.LATEX]
    assert format_spec(Format.DOCX).binary
    with pytest.raises(LogitstatsError, match=rf"^format must be one of {ALL}; got format='pdf'$"):
        format_spec("pdf")


def test_report_compare_and_summary_refuse_an_unknown_format_with_the_registry_message():
    fit = spector_fit()
    with pytest.raises(LogitstatsError, match=rf"^format must be one of {ALL}; got format='pdf'$"):
        fit.report(format="pdf")
    with pytest.raises(LogitstatsError, match=rf"^format must be one of {ALL}; got format='rtf'$"):
        ls.compare([fit]).render("rtf")
    summary_formats = "'text', 'markdown', 'json'"
    with pytest.raises(
        LogitstatsError, match=rf"^format must be one of {summary_formats}; got format='html'$"
    ):
        fit.summary(format="html")


def test_cli_and_examples_offer_what_the_registry_holds():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for command in ("report", "compare"):
        action = next(a for a in sub.choices[command]._actions if a.dest == "format")
        assert action.choices == [f.value for f in Format]
    assert FIGURE_FORMATS == ("html", "docx")
    assert BINARY_FORMATS == ("docx",)
    assert EXAMPLE_SUFFIXES == {
        "text": "txt",
        "markdown": "md",
        "html": "html",
        "latex": "tex",
        "json": "json",
    }


def test_figures_are_drawn_only_for_the_formats_that_embed_them():
    assert {f.value: spec.figures for f, spec in FORMATS.items()} == {
        "text": None,
        "markdown": None,
        "html": "svg",
        "latex": None,
        "json": None,
        "docx": "png",
    }


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "latex"])
def test_each_format_escapes_user_text_with_its_registered_escaper(fmt):
    data = build_report(spector_fit(), title=HOSTILE_TITLE, figures=False)
    out = render_report(data, fmt)
    spec = FORMATS[Format(fmt)]
    assert spec.escape(HOSTILE_TITLE) in out
    assert spec.escape(HOSTILE_TITLE) != HOSTILE_TITLE or fmt == "text"


def test_json_escaper_keeps_the_title_readable_back_exactly():
    data = build_report(anes_fit(), title=HOSTILE_TITLE + "\u202e", figures=False)
    out = render_report(data, "json")
    assert "\u202e" not in out  # written as an escape by escape_json
    assert json.loads(out)["title"] == HOSTILE_TITLE + "\u202e"


def _format_lists(tree: ast.AST) -> list[int]:
    """Line numbers of tuple/list/set/dict literals naming both 'html' and 'docx'."""
    found = []
    for node in ast.walk(tree):
        elts = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if not isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)) or elts is None:
            continue
        names = {e.value for e in elts if isinstance(e, ast.Constant)}
        if {"html", "docx"} <= names:
            found.append(node.lineno)
    return found


def test_no_module_lists_the_formats_by_hand():
    """Only options.Format (an enum, not a literal) and the registry name the formats."""
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = _format_lists(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            offenders[str(path.relative_to(PACKAGE))] = lines
    assert offenders == {}


def test_the_format_list_check_finds_a_hand_written_list():
    assert _format_lists(ast.parse('FIGS = ("html", "docx")\nX = ["text"]')) == [1]
