"""The ``logitstats`` command line on bad invocations: every one exits 2 with one line on stderr.

Options that do not apply are refused (never silently ignored), ``--output`` never overwrites
the ``--data`` file, a closed standard output stops the command quietly, ``--version`` exists.
A table of bad invocations and a small hypothesis fuzz over option combinations check that no
invocation ends in a traceback.
"""

from __future__ import annotations

import re

import pytest

from logitstats.cli import main

SPECTOR = "GRADE ~ GPA + TUCE + PSI"
ANES = "party ~ age + educ"
#: the one-line error prefix: ours, or argparse's (which names the subcommand)
ERROR_LINE = re.compile(r"^logitstats(?: [a-z]+)?: error: [^\n]+\n$")


def _invoke(capsys, argv: list[str]) -> tuple[int, str, str]:
    """Run ``main`` in-process; argparse's ``SystemExit`` becomes an exit status."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line_error(code: int, out: str, err: str, pattern: str = "") -> None:
    assert code == 2, (code, err)
    assert out == ""
    assert ERROR_LINE.match(err), err
    assert "Traceback" not in err
    assert re.search(pattern, err), err


# ------------------------------------------------------------------ options that do not apply

REFUSED = [
    (
        ["fit", SPECTOR, "--data", "spector", "--reference", "0"],
        r"--reference names the baseline level of a --multinomial fit; got --reference '0' on a "
        r"binary fit \(add --multinomial",
    ),
    (
        ["fit", ANES, "--data", "anes96", "--multinomial", "--event", "Dem"],
        r"--event applies to binary fits only; got --event 'Dem' with --multinomial",
    ),
    (
        ["fit", ANES, "--data", "anes96", "--multinomial", "--offset", "age"],
        r"--offset applies to binary fits only .*; got --offset 'age' with --multinomial",
    ),
    (
        ["fit", ANES, "--data", "anes96", "--multinomial", "--firth"],
        r"--firth is available for binary models only; got --firth with --multinomial",
    ),
    (
        ["fit", SPECTOR, "--data", "spector", "--groups", "PSI"],
        r"--groups holds the cluster ids of --cov-type cluster; got --groups 'PSI' with "
        r"--cov-type nonrobust \(add --cov-type cluster, or drop --groups\)",
    ),
    (
        ["fit", SPECTOR, "--data", "spector", "--groups", "PSI", "--cov-type", "HC1"],
        r"got --groups 'PSI' with --cov-type HC1",
    ),
    (
        ["fit", SPECTOR, "--data", "spector", "--cov-type", "CLUSTER"],
        r"--cov-type cluster needs --groups COLUMN \(the cluster ids\); got no --groups",
    ),
    (
        ["fit", SPECTOR, "--data", "spector", "--firth", "--cov-type", "hc0"],
        r"--firth supports --cov-type nonrobust only .*; got --cov-type hc0",
    ),
    (
        ["report", SPECTOR, "--data", "spector", "--reference", "1"],
        r"--reference .* on a binary fit .*\(see: logitstats report --help\)",
    ),
    (
        ["report", SPECTOR, "--data", "spector", "--no-figures"],
        r"--no-figures applies to --format html and docx only .*; got --no-figures with "
        r"--format text \(drop --no-figures\)",
    ),
    (
        ["report", SPECTOR, "--data", "spector", "--no-figures", "--format", "json"],
        r"got --no-figures with --format json",
    ),
    (
        ["compare", SPECTOR, "GRADE ~ GPA", "--data", "spector", "--conf-level", "0.9"],
        r"--conf-level applies to --interval conf_int .*; got --conf-level 0.9 with --interval "
        r"std_error and --format text \(add --interval conf_int, or drop --conf-level\)",
    ),
    (
        ["compare", ANES, "party ~ age", "--data", "anes96", "--multinomial", "--offset", "age"],
        r"--offset applies to binary fits only .*\(see: logitstats compare --help\)",
    ),
    (
        ["compare", SPECTOR, "--data", "spector", "--groups", "PSI"],
        r"--groups holds the cluster ids of --cov-type cluster",
    ),
]


@pytest.mark.parametrize(
    "argv, pattern", REFUSED, ids=[" ".join(a[0:1] + a[3:]) for a, _ in REFUSED]
)
def test_options_that_do_not_apply_are_refused(capsys, argv, pattern):
    _assert_one_line_error(*_invoke(capsys, argv), pattern)


def test_refusal_comes_before_reading_the_data(capsys):
    # the conflict is in argv alone: no need to find (or read) the data file to report it
    argv = ["fit", ANES, "--data", "no_such_file.csv", "--multinomial", "--offset", "age"]
    _assert_one_line_error(*_invoke(capsys, argv), r"--offset applies to binary fits only")


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", SPECTOR, "GRADE ~ GPA", "--data", "spector", "--conf-level", "0.9",
         "--interval", "conf_int"],
        ["compare", SPECTOR, "GRADE ~ GPA", "--data", "spector", "--conf-level", "0.9",
         "--format", "json"],
        ["fit", SPECTOR, "--data", "spector", "--cov-type", "Cluster", "--groups", "PSI"],
        ["fit", ANES, "--data", "anes96", "--multinomial", "--reference", "Rep"],
    ],
)  # fmt: skip
def test_options_that_apply_are_accepted(capsys, argv):
    code, out, err = _invoke(capsys, argv)
    assert code == 0, err
    assert out and "error" not in err


def test_compare_conf_level_reaches_the_intervals(capsys):
    code, out, _ = _invoke(
        capsys,
        ["compare", SPECTOR, "--data", "spector", "--interval", "conf_int", "--conf-level", "0.9"],
    )
    assert code == 0
    assert "90 % Wald confidence intervals in brackets" in out
