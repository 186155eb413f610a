"""The per-model wording table (:mod:`logitstats.render.vocabulary`) and that renderers read it
instead of branching on the kind of model."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import logitstats as ls
from logitstats.errors import LogitstatsError
from logitstats.render.data import ModelHeader
from logitstats.render.vocabulary import VOCABULARY, vocabulary
from tests.report_cases import anes_fit, spector_fit

PACKAGE = Path(ls.__file__).parent
KINDS = {"binary", "multinomial", "ordinal"}


def test_the_words_of_each_kind():
    # the wording the committed reports and golden files use (tests/golden/report_*.txt)
    b, m, o = vocabulary("binary"), vocabulary("multinomial"), vocabulary("ordinal")
    assert (b.ratio, b.ratio_short, b.ratio_column) == ("odds ratio", "OR", "Odds ratio")
    assert (m.ratio, m.ratio_short, m.ratio_column) == ("relative-risk ratio", "RRR", "RRR")
    assert o.ratio == "cumulative odds ratio"
    assert b.ratios == "odds ratios" and m.ratios == "relative-risk ratios"
    assert set(VOCABULARY) == KINDS


def test_an_unknown_kind_is_refused_with_what_to_do():
    with pytest.raises(
        LogitstatsError,
        match=r"^kind must be one of 'binary', 'multinomial', 'ordinal'; got kind='poisson' "
        r"\(add a row to logitstats.render.vocabulary.VOCABULARY",
    ):
        vocabulary("poisson")


def _header(kind: str) -> ModelHeader:
    return ModelHeader(
        kind=kind,
        method="maximum likelihood",
        formula="y ~ x",
        data_name="d",
        outcome="y",
        event="yes" if kind == "binary" else None,
        reference="no" if kind == "binary" else "b",
        levels=("yes", "no") if kind == "binary" else ("a", "b", "c"),
        nobs=10,
        n_rows_used=10,
        rows_note="no rows dropped",
        cov_type="nonrobust",
        converged=True,
        n_iter=4,
    )


def test_outcome_wording_by_event_or_by_reference_level():
    assert _header("binary").outcome_line == "y; event = yes (vs no)"
    assert _header("multinomial").outcome_line == "y; reference level = b (levels: a, b, c)"
    assert vocabulary("binary").outcome_pairs(_header("binary"))[1] == ("Event (coded 1)", "yes")
    assert vocabulary("multinomial").outcome_pairs(_header("multinomial"))[2] == (
        "Levels",
        "a, b, c",
    )


def test_reports_and_summaries_use_the_table_words():
    assert "Odds ratio" in spector_fit().summary(exponentiate=True)
    assert "OR: odds ratio, the exponentiated estimate" in spector_fit().report(figures=False)
    rrr = "RRR: relative-risk ratio, the exponentiated estimate"
    assert rrr in anes_fit().report(figures=False)
    assert "relative-risk ratios" in ls.compare([anes_fit()], exponentiate=True).render("text")


def _kind_branches(tree: ast.AST) -> list[int]:
    """Line numbers of comparisons with the constant 'binary', 'multinomial' or 'ordinal'."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(
            isinstance(c, ast.Constant) and c.value in KINDS for c in [node.left, *node.comparators]
        )
    ]


# compare.py checks that multinomial fits share their reference level (a validation, not wording)
ALLOWED = {"render/vocabulary.py", "reporting/compare.py"}


def test_render_and_reporting_do_not_branch_on_the_kind_of_model():
    offenders = {}
    for package in ("render", "reporting"):
        for path in sorted((PACKAGE / package).glob("*.py")):
            rel = f"{package}/{path.name}"
            lines = _kind_branches(ast.parse(path.read_text(encoding="utf-8")))
            if lines and rel not in ALLOWED:
                offenders[rel] = lines
    assert offenders == {}


def test_the_kind_branch_check_finds_a_branch():
    assert _kind_branches(ast.parse('x = "OR" if kind == "binary" else "RRR"')) == [1]
