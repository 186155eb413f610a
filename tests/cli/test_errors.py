"""The ``logitstats`` command line on bad invocations: every one exits 2 with one line on stderr.

Options that do not apply are refused (never silently ignored), ``--output`` never overwrites
the ``--data`` file, a closed standard output stops the command quietly, ``--version`` exists.
A table of bad invocations and a small hypothesis fuzz over option combinations check that no
invocation ends in a traceback.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logitstats as ls
from logitstats import cli
from logitstats.cli import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, main
from logitstats.cli import data as cli_data
from logitstats.errors import DataError, LogitstatsError

SPECTOR = "GRADE ~ GPA + TUCE + PSI"
ANES = "party ~ age + educ"
#: the one-line error prefix: ours, or argparse's (which names the subcommand)
ERROR_LINE = re.compile(r"^logitstats(?: [a-z]+)?: error: [^\n]+\n$")
SCRIPT = Path(sys.executable).parent / "logitstats"


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


# --------------------------------------------------------------------------- --output vs --data


@pytest.fixture
def data_csv(tmp_path):
    path = tmp_path / "spector.csv"
    ls.datasets.load("spector").to_csv(path, index=False)
    return path


@pytest.mark.parametrize("command", ["fit", "report", "compare"])
def test_output_onto_the_data_file_is_refused(capsys, data_csv, command):
    before = data_csv.read_bytes()
    unresolved = data_csv.parent / "sub" / ".." / data_csv.name  # same file, another spelling
    (data_csv.parent / "sub").mkdir()
    argv = [command, SPECTOR, "--data", str(data_csv), "--output", str(unresolved)]
    _assert_one_line_error(
        *_invoke(capsys, argv),
        r"--output '.*spector\.csv' is the --data file; expected a different path .*: choose "
        r"another --output",
    )
    assert data_csv.read_bytes() == before


@pytest.mark.parametrize("kind", ["hardlink", "symlink"])
def test_output_onto_a_link_to_the_data_file_is_refused(capsys, data_csv, kind):
    link = data_csv.parent / "link.csv"
    try:
        (os.link if kind == "hardlink" else os.symlink)(data_csv, link)
    except (OSError, NotImplementedError) as exc:  # pragma: no cover - e.g. no links on this FS
        pytest.skip(f"cannot make a {kind}: {exc}")
    before = data_csv.read_bytes()
    for data, output in [(data_csv, link), (link, data_csv)]:
        argv = ["fit", SPECTOR, "--data", str(data), "--output", str(output)]
        _assert_one_line_error(*_invoke(capsys, argv), r"is the --data file")
    assert data_csv.read_bytes() == before


def test_output_beside_the_data_file_is_written(capsys, data_csv):
    target = data_csv.with_suffix(".txt")
    code, out, err = _invoke(
        capsys, ["fit", SPECTOR, "--data", str(data_csv), "--output", str(target)]
    )
    assert code == 0 and out == "" and err == ""
    assert target.read_text(encoding="utf-8").startswith("Binary logistic regression")


@pytest.mark.parametrize(
    "argv",
    [
        ["report", SPECTOR, "--data", "spector", "--format", "html"],
        ["report", SPECTOR, "--data", "spector", "--format", "docx"],
        ["compare", SPECTOR, "--data", "spector", "--format", "latex"],
        ["fit", SPECTOR, "--data", "spector"],
    ],
    ids=["report-html", "report-docx", "compare", "fit"],
)
def test_unwritable_output_names_the_option(capsys, tmp_path, argv):
    target = tmp_path / "missing_dir" / "out"
    _assert_one_line_error(
        *_invoke(capsys, [*argv, "--output", str(target)]),
        r"cannot write --output '.*missing_dir/out': \[Errno 2\] No such file or directory",
    )


# --------------------------------------------------------------------------- examples --output


def test_examples_output_onto_an_existing_file(capsys, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me\n", encoding="utf-8")
    _assert_one_line_error(
        *_invoke(capsys, ["examples", "--output", str(target)]),
        r"--output '.*notes\.txt' is an existing file; expected a directory for the example "
        r"reports .*: choose a directory path",
    )
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_examples_output_that_cannot_be_created(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    _assert_one_line_error(
        *_invoke(capsys, ["examples", "--output", str(blocker / "reports")]),
        r"cannot create the --output directory '.*reports'",
    )


# --------------------------------------------------------------------------- --version


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    out, err = capsys.readouterr()
    assert out == f"logitstats {ls.__version__}\n" and err == ""


# --------------------------------------------------------------------------- unreadable data


def test_ragged_csv_is_one_line_naming_the_file(capsys, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n1,2,3\n1,2,3\n1,2,3,4\n", encoding="utf-8")
    _assert_one_line_error(
        *_invoke(capsys, ["fit", "a ~ b", "--data", str(path)]),
        r"cannot read --data '.*ragged\.csv' as CSV: expected the same number of comma-separated "
        r"fields on every line; got Error tokenizing data\. C error: Expected 3 fields in line 5, "
        r"saw 4 \(fix that line",
    )


def test_parquet_reader_error_is_one_line(monkeypatch, tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really parquet")

    def fail(*args, **kwargs):
        raise ValueError("Parquet magic bytes not found\nin footer.")

    monkeypatch.setattr(cli_data.pd, "read_parquet", fail)
    with pytest.raises(DataError, match=r"^cannot read --data '.*broken\.parquet': Parquet magic "
                       r"bytes not found in footer\.$"):  # fmt: skip
        cli.load_data(str(path))


# --------------------------------------------------------------------------- error plumbing


def test_multi_line_error_message_is_printed_on_one_line(capsys, monkeypatch):
    def fail(args):
        raise LogitstatsError("first line\n  second line\n")

    monkeypatch.setitem(cli.COMMANDS, "datasets", fail)
    _assert_one_line_error(*_invoke(capsys, ["datasets"]), r"error: first line second line\n$")


def test_internal_error_is_one_line_unless_asked_for_the_traceback(capsys, monkeypatch):
    def fail(args):
        raise TypeError("unsupported operand\ntype(s)")

    monkeypatch.setitem(cli.COMMANDS, "datasets", fail)
    monkeypatch.delenv(cli.TRACEBACK_ENV, raising=False)
    _assert_one_line_error(
        *_invoke(capsys, ["datasets"]),
        r"internal error \(TypeError: unsupported operand type\(s\)\); this is a bug in "
        r"logitstats: please report it .*LOGITSTATS_TRACEBACK=1",
    )
    monkeypatch.setenv(cli.TRACEBACK_ENV, "1")
    with pytest.raises(TypeError, match="unsupported operand"):
        main(["datasets"])


def test_ctrl_c_is_one_line(capsys, monkeypatch):
    def interrupt(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "datasets", interrupt)
    code, out, err = _invoke(capsys, ["datasets"])
    assert code == EXIT_INTERRUPTED and out == "" and err == "logitstats: error: interrupted\n"


class _ClosedPipe(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


def test_broken_pipe_in_process_is_quiet(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["datasets"]) == EXIT_BROKEN_PIPE
    assert capsys.readouterr().err == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipe semantics")
@pytest.mark.parametrize(
    "argv", [["datasets"], ["fit", SPECTOR, "--data", "spector"]], ids=["datasets", "fit"]
)
def test_pipe_closed_early_exits_quietly(argv):
    # the reading end is closed before the command writes (as `| head` does once satisfied):
    # every write fails with EPIPE, deterministically, whatever the size of the output
    assert SCRIPT.exists(), f"console script not found at {SCRIPT}; run pip install -e ."
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [str(SCRIPT), *argv], stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120
        )
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_BROKEN_PIPE
    assert done.stderr == ""  # no traceback, no "Exception ignored ... BrokenPipeError"


# ------------------------------------------------------------------- table of bad invocations

BAD = [
    [],
    ["nonsense"],
    ["fit"],
    ["fit", SPECTOR],
    ["fit", SPECTOR, "--data"],
    ["fit", SPECTOR, "--data", "spector", "--bogus"],
    ["fit", SPECTOR, "--data", "spector", "--missing", "maybe"],
    ["fit", SPECTOR, "--data", "spector", "--conf-level", "nan"],
    ["fit", SPECTOR, "--data", "spector", "--conf-level", "1"],
    ["fit", SPECTOR, "--data", "spector", "--cov-type", ""],
    ["fit", SPECTOR, "--data", "spector", "--offset", "nope"],
    ["fit", SPECTOR, "--data", "spector", "--weights", "GRADE", "--event", "x"],
    ["fit", "", "--data", "spector"],
    ["fit", "~ GPA", "--data", "spector"],
    ["fit", "GRADE ~ GPA ~ PSI", "--data", "spector"],
    ["fit", "GRADE ~ C(GPA, Foo)", "--data", "spector"],
    ["fit", "GRADE ~ np.log(GPA - 10)", "--data", "spector"],
    ["fit", ANES, "--data", "anes96", "--multinomial", "--reference", "Green"],
    ["report", SPECTOR, "--data", "spector", "--format", "docx"],
    ["report", SPECTOR, "--data", "spector", "--ci-method", "bootstrap"],
    ["compare", SPECTOR, "GRADE ~ GPA", "--data", "spector", "--names", "a"],
    ["compare", SPECTOR, "GRADE ~ GPA", "--data", "spector", "--names", "a", "a"],
    ["compare", SPECTOR, ANES, "--data", "spector"],
    ["datasets", "extra"],
    ["examples", "--output"],
]


@pytest.mark.parametrize("argv", BAD, ids=[" ".join(a) or "(none)" for a in BAD])
def test_bad_invocation_is_one_line(capsys, argv):
    _assert_one_line_error(*_invoke(capsys, argv))


@pytest.mark.parametrize(
    "files",
    [
        {"empty.csv": b""},
        {"binary.csv": bytes(range(128, 256)) * 3},
        {"header_only.csv": b"GRADE,GPA,TUCE,PSI\n"},
        {"ragged.csv": b"GRADE,GPA\n1,2\n0,1,5\n"},
        {"dir.csv/inner": b""},
    ],
    ids=["empty", "binary", "header-only", "ragged", "directory"],
)
@pytest.mark.parametrize("command", ["fit", "report", "compare"])
def test_bad_data_file_is_one_line(capsys, tmp_path, files, command):
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    data = tmp_path / next(iter(files)).split("/")[0]
    _assert_one_line_error(*_invoke(capsys, [command, SPECTOR, "--data", str(data)]))


# --------------------------------------------------------------------------- fuzz

_OPTIONS = st.lists(
    st.sampled_from(
        [
            ["--multinomial"],
            ["--firth"],
            ["--odds-ratios"],
            ["--reference", "0"],
            ["--event", "1"],
            ["--event", "pass"],
            ["--offset", "TUCE"],
            ["--offset", "nope"],
            ["--weights", "TUCE"],
            ["--weights", "GPA"],
            ["--groups", "PSI"],
            ["--cov-type", "cluster"],
            ["--cov-type", "HC1"],
            ["--cov-type", "HC7"],
            ["--missing", "raise"],
            ["--conf-level", "0.9"],
            ["--conf-level", "-1"],
            ["--format", "json"],
            ["--format", "markdown"],
            ["--format", "pdf"],
        ]
    ),
    max_size=5,
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(["fit", "report", "compare"]),
    formula=st.sampled_from([SPECTOR, "GRADE ~ GPA", "GRADE ~ nope", "GRADE ~"]),
    options=_OPTIONS,
)
def test_fuzz_option_combinations_never_trace_back(capsys, command, formula, options):
    argv = [command, formula, "--data", "spector", *[t for opt in options for t in opt]]
    code, out, err = _invoke(capsys, argv)
    assert "Traceback" not in err
    if code == 0:
        assert out
        assert all(line.startswith("logitstats: warning: ") for line in err.splitlines()), err
    else:
        assert code == 2, (argv, code, err)
        assert out == "" and ERROR_LINE.match(err), (argv, err)
