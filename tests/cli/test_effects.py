"""``logitstats fit/report --slopes [VAR ...] --comparisons VAR [--comparison KIND]``: the tables
printed after the summary are those of ``fit.slopes`` / ``fit.comparisons`` (whose references
are in tests/reference/effects.json), with one-line errors and exit status 2 on bad names."""

from __future__ import annotations

import re

import pytest

import logitstats as ls
from logitstats.cli import main
from logitstats.render.format import fmt_num

FORMULA = "GRADE ~ GPA + TUCE + C(PSI)"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _row(out: str, first: str) -> list[str]:
    lines = [ln for ln in out.splitlines() if re.match(rf"{re.escape(first)}\s", ln)]
    assert lines, out
    return re.split(r"\s{2,}", lines[-1].strip())


def test_fit_slopes_prints_the_api_table(capsys):
    df = ls.datasets.load("spector")
    api = ls.logit(FORMULA, data=df).slopes(df)
    code, out, err = _run(capsys, "fit", FORMULA, "--data", "spector", "--slopes")
    assert code == 0 and err == ""
    assert "Average slopes" in out
    for r in api.itertuples():
        cells = _row(out, r.term)
        assert cells[-6] == fmt_num(r.estimate) and cells[-5] == fmt_num(r.std_error)


def test_named_slopes_and_ratio_comparisons(capsys):
    df = ls.datasets.load("spector")
    fit = ls.logit(FORMULA, data=df)
    code, out, _ = _run(
        capsys, "report", FORMULA, "--data", "spector", "--slopes", "GPA",
        "--comparisons", "PSI", "--comparison", "ratio",
    )  # fmt: skip
    assert code == 0
    assert "TUCE  dY/dX" not in out
    ratio = fit.comparisons(df, "PSI", comparison="ratio")["estimate"].iloc[0]
    assert "Average comparisons (ratio)" in out
    assert _row(out, "PSI")[-6] == fmt_num(ratio)


def test_markdown_and_multinomial(capsys):
    code, out, _ = _run(
        capsys, "fit", "mode ~ hinc + psize", "--data", "modechoice", "--multinomial",
        "--slopes", "hinc", "--format", "markdown",
    )  # fmt: skip
    assert code == 0
    assert "### Average slopes" in out
    assert sum(ln.startswith(("| air | hinc", "| bus | hinc")) for ln in out.splitlines()) == 2


@pytest.mark.parametrize(
    "argv, pattern",
    [
        (["--slopes", "GPX"], r"variables: expected a column the formula uses .*got 'GPX'"),
        (["--comparisons", "nope"], r"got 'nope'"),
        (["--comparison", "ratio"], r"--comparison chooses the kind of --comparisons"),
        (["--slopes", "--format", "json"], r"got --format json \(use --format text or markdown"),
    ],
)
def test_bad_effects_options_are_one_line_errors(capsys, argv, pattern):
    code, out, err = _run(capsys, "fit", FORMULA, "--data", "spector", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("logitstats: error: ")
    assert re.search(pattern, err), err


def test_bad_comparison_kind_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["fit", FORMULA, "--data", "spector", "--comparisons", "PSI", "--comparison", "rr"])
    assert exc.value.code == 2
    assert "invalid choice: 'rr'" in capsys.readouterr().err
