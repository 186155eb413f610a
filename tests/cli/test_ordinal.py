"""``logitstats fit --ordinal [--levels a,b,c]``: the proportional-odds logit on the command line.

Numbers written by ``--format json`` are compared with the R reference of the wine data
(``tests/reference/ordinal.json``, made by ``tests/reference/ordinal.R``).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from logitstats.cli import main
from tests.fit.test_ologit import REF, frame
from tests.tolerances import RTOL_R

FORMULA = "rating ~ temp + contact"


@pytest.fixture()
def wine_csv(tmp_path):
    path = tmp_path / "wine.csv"
    frame("wine").to_csv(path, index=False)  # rating is written (and read back) as numbers
    return str(path)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _terms(doc) -> dict[str, float]:
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if "term" in node and "estimate" in node:
                found[node["term"]] = node["estimate"]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    return found


def test_fit_ordinal_json_matches_r(capsys, wine_csv):
    code, out, _ = _run(capsys, "fit", FORMULA, "--data", wine_csv, "--ordinal", "--format", "json")
    assert code == 0
    terms = _terms(json.loads(out))
    ref = REF["wine"]
    got = [terms[t] for t in ref["coef_names_py"] + ref["cutpoint_names"]]
    np.testing.assert_allclose(got, ref["coef"] + ref["theta"], rtol=RTOL_R)


def test_fit_ordinal_levels_reverse_the_order(capsys, wine_csv):
    code, out, _ = _run(
        capsys,
        "fit",
        FORMULA,
        "--data",
        wine_csv,
        "--ordinal",
        "--levels",
        "5,4,3,2,1",
        "--format",
        "json",
    )
    assert code == 0
    terms = _terms(json.loads(out))
    np.testing.assert_allclose(terms["temp[T.warm]"], -REF["wine"]["coef"][0], rtol=RTOL_R)
    assert "5|4" in terms


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        (["--levels", "1,2,3"], r"--levels gives the order .* without --ordinal"),
        (["--ordinal", "--multinomial"], r"--multinomial does not apply to an --ordinal fit"),
        (["--ordinal", "--event", "3"], r"--event does not apply to an --ordinal fit"),
        (["--ordinal", "--levels", "1,,2"], r"--levels expected comma-separated .* empty name"),
    ],
)
def test_options_that_do_not_apply_are_refused(capsys, wine_csv, extra, pattern):
    code, out, err = _run(capsys, "fit", FORMULA, "--data", wine_csv, *extra)
    assert code == 2 and out == ""
    assert err.startswith("logitstats: error: ") and err.count("\n") == 1
    assert re.search(pattern, err), err
