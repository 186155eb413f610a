"""design/parse.py: a formula string is parsed by patsy once and the terms reused."""

from __future__ import annotations

import patsy
import pytest

from logitstats.design import parse
from logitstats.errors import FormulaError


def test_a_formula_is_parsed_once_and_each_caller_gets_its_own_list(monkeypatch):
    formula = "y ~ a + b + a:b + C(g) + b"  # patsy de-duplicates the repeated b
    outcome, first = parse.parse_formula(formula)
    reference = patsy.ModelDesc.from_formula(formula)
    assert outcome == "y"
    assert first.rhs_termlist == reference.rhs_termlist

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(patsy.ModelDesc, "from_formula", refuse)
    _, second = parse.parse_formula(formula)
    assert second.rhs_termlist == reference.rhs_termlist
    assert second.rhs_termlist is not first.rhs_termlist
    second.rhs_termlist.pop()  # a caller's change does not reach the next parse
    assert parse.parse_formula(formula)[1].rhs_termlist == reference.rhs_termlist


def test_a_bad_formula_raises_every_time():
    for _ in range(2):
        with pytest.raises(FormulaError, match=r"cannot parse formula 'y ~ a \+'"):
            parse.parse_formula("y ~ a +")
