"""The safe expression language of nonlinear hypotheses: allow-list and exact gradients."""

from __future__ import annotations

import numpy as np
import pytest

from logitstats.errors import LogitstatsError
from logitstats.inference.delta import numeric_jacobian
from logitstats.inference.nonlinear import FUNCTIONS, is_nonlinear, parse_expressions
from tests.tolerances import RTOL_NUMDIFF

NAMES = ["a", "b", "C(x)[T.2]"]
B = np.array([0.3, 1.7, 0.45])


@pytest.mark.parametrize("fn", sorted(FUNCTIONS))
def test_every_function_has_the_derivative_of_central_differences(fn):
    arg = "`C(x)[T.2]`" if fn in ("logit",) else "a * b - 0.2"  # logit needs (0, 1)
    (e,) = parse_expressions(f"{fn}({arg}) + a**b / (1 + b)", NAMES)
    _, grad = e.value_and_gradient(B)
    num = numeric_jacobian(lambda x: e.value_and_gradient(x)[0], B)[0]
    np.testing.assert_allclose(grad, num, rtol=RTOL_NUMDIFF, atol=RTOL_NUMDIFF)


def test_equations_become_differences_and_commas_split():
    exprs = parse_expressions("exp(a) = b, `C(x)[T.2]` * 2; pi*e*a", NAMES)
    assert [e.text for e in exprs] == ["exp(a) = b", "`C(x)[T.2]` * 2", "pi*e*a"]
    v, g = exprs[0].value_and_gradient(B)
    assert v == pytest.approx(np.exp(0.3) - 1.7, rel=RTOL_NUMDIFF)
    assert g.tolist() == pytest.approx([np.exp(0.3), -1.0, 0.0], rel=RTOL_NUMDIFF)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "a.real",
        "(lambda: 1)() + a",
        "a if b else a",
        "np.exp(a)",
        "exp(a, b)",
        "exp(x=a)",
        "a[0]",
        "'s' + a",
        "a // b",
        "a < b",
    ],
)
def test_anything_outside_the_allow_list_is_refused(text):
    with pytest.raises(LogitstatsError, match=r"expected coefficient names|never code"):
        parse_expressions(text, NAMES)


def test_linear_texts_are_not_routed_to_the_nonlinear_parser():
    assert not is_nonlinear("GPA = 2*TUCE + 1, PSI = 0")
    assert not is_nonlinear("C(rank)[T.2] = C(rank)[T.3]")
    assert is_nonlinear("exp(GPA) = 1") and is_nonlinear("GPA / TUCE") and is_nonlinear("`a`")
